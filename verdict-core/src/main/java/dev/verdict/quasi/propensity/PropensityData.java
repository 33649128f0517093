package dev.verdict.quasi.propensity;

/**
 * The rows of an observational comparison: outcome y, binary treatment t, the covariates X of the propensity
 * model, and optionally different covariates for the outcome model of the augmented estimators and for the
 * balance table (both default to X).
 *
 * <p>Immutable: arrays are copied on the way in.
 */
public final class PropensityData {
    private final double[] outcome;
    private final boolean[] treated;
    private final Covariates propensity;
    private final Covariates outcomeModel;
    private final Covariates balance;
    private final int treatedCount;

    private PropensityData(double[] outcome, boolean[] treated, Covariates propensity, Covariates outcomeModel,
                           Covariates balance) {
        this.outcome = outcome;
        this.treated = treated;
        this.propensity = propensity;
        this.outcomeModel = outcomeModel;
        this.balance = balance;
        int c = 0;
        for (boolean b : treated) {
            c += b ? 1 : 0;
        }
        this.treatedCount = c;
    }

    /**
     * Data whose outcome model and balance table use the propensity covariates.
     *
     * @param outcome    y, finite, one per row
     * @param treated    t, one per row; both arms need at least two rows
     * @param covariates X of the propensity model, as many rows
     * @throws IllegalArgumentException on mismatched lengths, a non-finite outcome or an arm with fewer than 2 rows
     */
    public static PropensityData of(double[] outcome, boolean[] treated, Covariates covariates) {
        Arguments.finite("outcome", outcome, "drop rows with a missing outcome first");
        Arguments.sameLength("treatment", treated.length, outcome.length);
        Arguments.sameLength("covariates", covariates.rows(), outcome.length);
        PropensityData d = new PropensityData(outcome.clone(), treated.clone(), covariates, covariates, covariates);
        if (d.treatedCount < 2 || d.controlCount() < 2) {
            throw new IllegalArgumentException("treatment has " + d.treatedCount + " treated and " + d.controlCount()
                    + " control rows; each arm needs at least 2");
        }
        return d;
    }

    /** The same data with another outcome-model design for the augmented (doubly robust) estimators. */
    public PropensityData withOutcomeCovariates(Covariates covariates) {
        Arguments.sameLength("outcome-model covariates", covariates.rows(), outcome.length);
        return new PropensityData(outcome, treated, propensity, covariates, balance);
    }

    /** The same data with other covariates in the balance table (e.g. every level of a factor). */
    public PropensityData withBalanceCovariates(Covariates covariates) {
        Arguments.sameLength("balance covariates", covariates.rows(), outcome.length);
        if (covariates.size() == 0) {
            throw new IllegalArgumentException("balance covariates are empty; the balance check needs at least one");
        }
        return new PropensityData(outcome, treated, propensity, outcomeModel, covariates);
    }

    public int rows() {
        return outcome.length;
    }

    public int treatedCount() {
        return treatedCount;
    }

    public int controlCount() {
        return outcome.length - treatedCount;
    }

    public Covariates propensityCovariates() {
        return propensity;
    }

    public Covariates outcomeCovariates() {
        return outcomeModel;
    }

    public Covariates balanceCovariates() {
        return balance;
    }

    /** The outcome, a copy. */
    public double[] outcome() {
        return outcome.clone();
    }

    /** The treatment indicator, a copy. */
    public boolean[] treated() {
        return treated.clone();
    }

    double[] outcomeView() {
        return outcome;
    }

    boolean[] treatedView() {
        return treated;
    }
}

package dev.verdict.quasi.propensity;

import java.util.List;

/**
 * A fitted logistic propensity model {@code P(T = 1 | x) = 1 / (1 + exp(-x'b))}: coefficients with model-based
 * standard errors ({@code sqrt(diag((X'WX)^-1))} at the estimate, as {@code summary.glm}), deviance, null deviance,
 * AIC, Newton iterations, and a {@link Status} that says whether the numbers mean anything.
 *
 * <p>When the status is not {@link Status#CONVERGED} the coefficients are the last iterate, not an estimate: the
 * maximum-likelihood estimate does not exist (separation) or was not reached, {@link #message()} says why and what
 * to do, and no weighting estimator uses them.
 *
 * @param names              "(Intercept)" then the covariate names
 * @param coefficients       b, on the original (uncentred) covariates
 * @param standardErrors     model-based standard errors; NaN unless converged
 * @param deviance           {@code -2 log L}
 * @param nullDeviance       deviance of the intercept-only model
 * @param aic                {@code deviance + 2 k}
 * @param iterations         Newton (IRLS) steps, counted as R's {@code glm} counts them
 * @param status             converged, separated, or not converged
 * @param boundaryTreated    treated rows fitted within the boundary tolerance of probability 0 or 1
 * @param boundaryControl    control rows fitted there
 * @param message            one sentence for the readout; "converged" when all is well
 */
public record LogisticFit(List<String> names, double[] coefficients, double[] standardErrors, double deviance,
                          double nullDeviance, double aic, int iterations, Status status, int boundaryTreated,
                          int boundaryControl, String message) {

    /** What the Newton iterations ended as. */
    public enum Status {
        /** A finite maximum-likelihood estimate was reached. */
        CONVERGED,
        /** Every row is fitted at probability 0 or 1: the covariates predict treatment perfectly. */
        COMPLETE_SEPARATION,
        /** Some rows are fitted at probability 0 or 1 and the coefficients diverge. */
        QUASI_COMPLETE_SEPARATION,
        /** The iteration limit was reached or the information matrix became singular without separation. */
        NOT_CONVERGED;

        /** The wire name, lower case. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public LogisticFit {
        names = List.copyOf(names);
        coefficients = coefficients.clone();
        standardErrors = standardErrors.clone();
    }

    /** True when the fit is a usable maximum-likelihood estimate. */
    public boolean converged() {
        return status == Status.CONVERGED;
    }

    @Override
    public double[] coefficients() {
        return coefficients.clone();
    }

    @Override
    public double[] standardErrors() {
        return standardErrors.clone();
    }

    /** Coefficient by name. */
    public double coefficient(String name) {
        return coefficients[index(name)];
    }

    /** Standard error by name. */
    public double standardError(String name) {
        return standardErrors[index(name)];
    }

    private int index(String name) {
        int j = names.indexOf(name);
        if (j < 0) {
            throw new IllegalArgumentException("no coefficient named '" + name + "'; have " + names);
        }
        return j;
    }
}

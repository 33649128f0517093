package dev.verdict.quasi.propensity;

import dev.verdict.stats.Estimate;
import dev.verdict.stats.WelchTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Propensity-score weighting for a binary treatment assigned on observed covariates: a logistic propensity model
 * (with separation detection), inverse-probability weighting with normalised (Hajek) and unnormalised
 * (Horvitz-Thompson) weights, augmented (doubly robust) IPW with a linear outcome model per arm, overlap diagnostics,
 * trimming, a balance table with its identification check, and a bootstrap of the whole two-step procedure.
 * Hirano, Imbens and Ridder (2003, Econometrica 71:1161-1189) for the weighting estimators; Crump, Hotz, Imbens and
 * Mitnik (2009) for trimming; Robins, Rotnitzky and Zhao (1994) for augmentation.
 *
 * <p>Immutable configuration; each {@code with...} returns a copy. Defaults: estimand ATE, logistic
 * {@link LogisticRegression.Options#defaults()}, 1000 bootstrap replicates with seed 1 on
 * {@code availableProcessors()} threads, alpha 0.05, balance threshold 0.1 with the pooled SMD denominator, no
 * trimming, 20 histogram bins, the 10 largest weights per arm, augmented estimators on.
 *
 * <pre>{@code
 * PropensityResult r = PropensityWeighting.withDefaults()
 *         .withEstimand(Estimand.ATT)
 *         .withTrimming(TrimRule.interval(0.1), TrimRule.crump())
 *         .withBootstrap(1000, 42)
 *         .analyze(PropensityData.of(y, treated, covariates));
 * }</pre>
 */
public final class PropensityWeighting {
    private final Estimand estimand;
    private final LogisticRegression.Options logistic;
    private final int replicates;
    private final long seed;
    private final int threads;
    private final double alpha;
    private final double balanceThreshold;
    private final Balance.Denominator denominator;
    private final List<TrimRule> trims;
    private final int bins;
    private final int largest;
    private final boolean augmented;

    private PropensityWeighting(Estimand estimand, LogisticRegression.Options logistic, int replicates, long seed,
                                int threads, double alpha, double balanceThreshold, Balance.Denominator denominator,
                                List<TrimRule> trims, int bins, int largest, boolean augmented) {
        this.estimand = estimand;
        this.logistic = logistic;
        this.replicates = replicates;
        this.seed = seed;
        this.threads = threads;
        this.alpha = alpha;
        this.balanceThreshold = balanceThreshold;
        this.denominator = denominator;
        this.trims = List.copyOf(trims);
        this.bins = bins;
        this.largest = largest;
        this.augmented = augmented;
    }

    public static PropensityWeighting withDefaults() {
        return new PropensityWeighting(Estimand.ATE, LogisticRegression.Options.defaults(), 1000, 1,
                Runtime.getRuntime().availableProcessors(), 0.05, 0.1, Balance.Denominator.POOLED, List.of(), 20, 10,
                true);
    }

    /** The estimand of the headline and the identification check. */
    public PropensityWeighting withEstimand(Estimand e) {
        return new PropensityWeighting(e, logistic, replicates, seed, threads, alpha, balanceThreshold, denominator,
                trims, bins, largest, augmented);
    }

    public PropensityWeighting withLogistic(LogisticRegression.Options o) {
        return new PropensityWeighting(estimand, o, replicates, seed, threads, alpha, balanceThreshold, denominator,
                trims, bins, largest, augmented);
    }

    /** Bootstrap replicates (0 turns the bootstrap off) and the seed they derive from. */
    public PropensityWeighting withBootstrap(int replicates, long seed) {
        if (replicates != 0) {
            Arguments.atLeast("bootstrap replicates", replicates, 2, "use 0 to turn the bootstrap off, or e.g. 1000");
        }
        return new PropensityWeighting(estimand, logistic, replicates, seed, threads, alpha, balanceThreshold,
                denominator, trims, bins, largest, augmented);
    }

    /** Threads for the bootstrap; results do not depend on it. */
    public PropensityWeighting withThreads(int threads) {
        Arguments.atLeast("bootstrap threads", threads, 1, "use e.g. Runtime.getRuntime().availableProcessors()");
        return new PropensityWeighting(estimand, logistic, replicates, seed, threads, alpha, balanceThreshold,
                denominator, trims, bins, largest, augmented);
    }

    /** 1 - confidence level of the intervals. */
    public PropensityWeighting withAlpha(double a) {
        Arguments.openUnit("alpha", a, "0.05 gives 95% intervals");
        return new PropensityWeighting(estimand, logistic, replicates, seed, threads, a, balanceThreshold, denominator,
                trims, bins, largest, augmented);
    }

    /** The balance check passes when every |SMD| after weighting is below this. */
    public PropensityWeighting withBalanceThreshold(double threshold, Balance.Denominator d) {
        Arguments.positive("balance threshold", threshold, "0.1 is the usual rule");
        return new PropensityWeighting(estimand, logistic, replicates, seed, threads, alpha, threshold, d, trims,
                bins, largest, augmented);
    }

    /** Trim rules to report (each also redone inside every bootstrap replicate). */
    public PropensityWeighting withTrimming(TrimRule... rules) {
        return new PropensityWeighting(estimand, logistic, replicates, seed, threads, alpha, balanceThreshold,
                denominator, List.of(rules), bins, largest, augmented);
    }

    /** Histogram bins of the overlap plot and how many of the largest weights to list per arm. */
    public PropensityWeighting withOverlapDetail(int histogramBins, int largestWeights) {
        Arguments.atLeast("histogram bins", histogramBins, 1, "e.g. 20");
        Arguments.atLeast("largest weights", largestWeights, 0, "e.g. 10");
        return new PropensityWeighting(estimand, logistic, replicates, seed, threads, alpha, balanceThreshold,
                denominator, trims, histogramBins, largestWeights, augmented);
    }

    /**
     * Whether to compute the augmented (doubly robust) estimators, which add two least-squares fits per bootstrap
     * replicate; default true.
     */
    public PropensityWeighting withAugmentation(boolean on) {
        return new PropensityWeighting(estimand, logistic, replicates, seed, threads, alpha, balanceThreshold,
                denominator, trims, bins, largest, on);
    }

    /**
     * Runs the analysis.
     *
     * @throws IllegalArgumentException if a covariate is constant or collinear (in the propensity or outcome model)
     */
    public PropensityResult analyze(PropensityData data) {
        double[] y = data.outcomeView();
        boolean[] t = data.treatedView();
        Estimate naive = naive(y, t);
        LogitDesign psDesign = LogitDesign.of(data.propensityCovariates(), "propensity model");
        LogisticRegression.Fitted fitted = LogisticRegression.fit(psDesign, t, logistic);
        LogisticFit model = fitted.fit();
        List<String> warnings = new ArrayList<>();
        if (!model.converged()) {
            warnings.add("propensity model: " + model.message());
            return new PropensityResult(model, estimand, List.of(), naive, null, null, null, List.of(), warnings,
                    new double[0]);
        }
        double[] e = fitted.propensity();
        LogitDesign outDesign = augmented ? LogitDesign.of(data.outcomeCovariates(), "outcome model") : null;
        WeightingEstimators.OutcomeWork ols = augmented ? new WeightingEstimators.OutcomeWork(outDesign.k) : null;
        WeightingEstimators.Point point = WeightingEstimators.evaluate(y, t, e, null, 0, 1, outDesign, ols, true);
        if (augmented && (ols.singularTreated || ols.singularControl)) {
            warnings.add("augmented estimates omitted: the outcome regression is singular in the "
                    + (ols.singularTreated ? "treated" : "control") + " arm (a covariate is constant or collinear "
                    + "there); drop it from the outcome covariates");
        }
        List<double[]> trimAlphas = new ArrayList<>();
        for (TrimRule rule : trims) {
            trimAlphas.add(new double[] {rule.alphaFor(e, null)});
        }
        double[][] reps = null;
        if (replicates > 0) {
            PropensityBootstrap boot = new PropensityBootstrap(psDesign, outDesign, y, t, fitted.centredBeta(),
                    logistic, trims);
            reps = boot.run(replicates, seed, threads);
        }
        List<WeightedEffect> effects = new ArrayList<>();
        for (Effect eff : Effect.values()) {
            int idx = eff.index();
            if (Double.isFinite(point.estimate[idx])) {
                effects.add(effect(eff, point, idx, reps, idx));
            }
        }
        List<Trimmed> trimmed = new ArrayList<>();
        for (int j = 0; j < trims.size(); j++) {
            double a = trimAlphas.get(j)[0];
            WeightingEstimators.Point p = WeightingEstimators.evaluate(y, t, e, null, a, 1 - a, null, null, true);
            int col = WeightingEstimators.COUNT + 2 * j;
            boolean ok = p.keptTreated >= 1 && p.keptControl >= 1;
            WeightedEffect ate = ok ? effect(Effect.ATE_HAJEK, p, WeightingEstimators.ATE_HAJEK, reps, col) : null;
            WeightedEffect att = ok ? effect(Effect.ATT_HAJEK, p, WeightingEstimators.ATT_HAJEK, reps, col + 1) : null;
            String warning = String.format(Locale.ROOT, "trimming (%s) keeps the %d of %d rows with propensity in "
                    + "[%.4g, %.4g] (%d treated, %d control): the estimates describe that overlap population, not the "
                    + "full population, and are biased for the full-population ATE/ATT when the effect varies with "
                    + "the propensity", trims.get(j).name(), (int) p.kept, y.length, a, 1 - a, (int) p.keptTreated,
                    (int) p.keptControl);
            trimmed.add(new Trimmed(trims.get(j).name(), a, (int) p.kept, (int) p.keptTreated, (int) p.keptControl,
                    ate, att, warning));
        }
        Overlap overlap = Overlap.of(e, t, bins, largest);
        Balance ate = Balance.of(data.balanceCovariates(), t, e, Estimand.ATE, denominator, balanceThreshold);
        Balance att = Balance.of(data.balanceCovariates(), t, e, Estimand.ATT, denominator, balanceThreshold);
        warnings.addAll(warnings(point, overlap, reps, t));
        for (Trimmed tr : trimmed) {
            warnings.add(tr.warning());
        }
        return new PropensityResult(model, estimand, effects, naive, overlap, ate, att, trimmed, warnings, e);
    }

    private WeightedEffect effect(Effect eff, WeightingEstimators.Point p, int idx, double[][] reps, int col) {
        double est = p.estimate[idx];
        double se = p.knownSe[idx];
        Estimate known = Double.isFinite(se)
                ? Estimate.ofT(est, se, Double.POSITIVE_INFINITY, alpha, eff.wireName()
                + ", weighted least squares HC0 treating the propensity as known")
                : null;
        BootstrapInterval boot = reps == null ? null : PropensityBootstrap.summarise(reps, col, est, alpha, seed);
        Estimate inference;
        if (boot != null && Double.isFinite(boot.se())) {
            inference = Estimate.ofT(est, boot.se(), Double.POSITIVE_INFINITY, alpha, String.format(Locale.ROOT,
                    "%s, bootstrap of propensity fit and weighting (%d of %d replicates, seed %d), normal interval",
                    eff.wireName(), boot.used(), boot.replicates(), seed));
        } else if (known != null) {
            inference = known;
        } else {
            inference = new Estimate(est, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    eff.wireName() + ", no standard error (bootstrap off)");
        }
        return new WeightedEffect(eff, est, p.meanTreated[idx], p.meanControl[idx], inference, known, boot);
    }

    private Estimate naive(double[] y, boolean[] t) {
        double[] m = new double[2];
        double[] ss = new double[2];
        long[] n = new long[2];
        for (int i = 0; i < y.length; i++) {
            int a = t[i] ? 1 : 0;
            n[a]++;
            double d = y[i] - m[a];
            m[a] += d / n[a];
            ss[a] += d * (y[i] - m[a]);
        }
        return WelchTest.welch(n[1], m[1], ss[1] / (n[1] - 1), n[0], m[0], ss[0] / (n[0] - 1), alpha);
    }

    private List<String> warnings(WeightingEstimators.Point p, Overlap overlap, double[][] reps, boolean[] t) {
        List<String> out = new ArrayList<>();
        double hajek = p.estimate[WeightingEstimators.ATE_HAJEK];
        double ht = p.estimate[WeightingEstimators.ATE_HT];
        if (Math.signum(hajek) != Math.signum(ht)) {
            out.add(String.format(Locale.ROOT, "fragile ATE: normalised (Hajek, %.6g) and unnormalised "
                    + "(Horvitz-Thompson, %.6g) weighting disagree in sign, so the ATE rests on a few large weights; "
                    + "prefer the ATT or trim", hajek, ht));
        }
        Overlap.WeightDiagnostics w = estimand == Estimand.ATE ? overlap.ate() : overlap.att();
        int n1 = overlap.treated().n();
        int n0 = overlap.control().n();
        if (w.essTreated() < 0.5 * n1 || w.essControl() < 0.5 * n0) {
            out.add(String.format(Locale.ROOT, "weak overlap: the %s weights leave an effective sample of %.1f of %d "
                    + "treated and %.1f of %d control rows", estimand.name(), w.essTreated(), n1, w.essControl(), n0));
        }
        if (reps != null) {
            int failed = 0;
            for (double[] r : reps) {
                failed += Double.isNaN(r[WeightingEstimators.ATE_HAJEK]) ? 1 : 0;
            }
            if (failed > 0) {
                out.add(String.format(Locale.ROOT, "%d of %d bootstrap replicates failed (separation or an empty arm "
                        + "in the resample) and were left out of the intervals", failed, reps.length));
            }
        }
        return out;
    }
}

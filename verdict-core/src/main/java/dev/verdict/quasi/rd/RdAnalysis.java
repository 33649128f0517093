package dev.verdict.quasi.rd;

import java.util.List;
import java.util.Objects;

/**
 * A complete regression discontinuity analysis, the estimate and every identification check the framework asks for,
 * in one call: the robust bias-corrected RD estimate ({@link RdRobust}), the density (manipulation) test
 * ({@link DensityTest}), covariate continuity ({@link CovariateContinuity}), the bandwidth sensitivity table
 * ({@link BandwidthSensitivity}) and the plot data ({@link RdPlotData}).
 *
 * <pre>{@code
 * RdReport r = RdAnalysis.withDefaults().run(vote, null, margin, 0.0, List.of(new Covariate("population", pop)));
 * r.estimate().robust();             // headline: estimate, robust SE, 95% CI, p
 * r.density().passes(0.05);          // no manipulation detected
 * r.checksPass();                    // density and every covariate pass
 * }</pre>
 */
public final class RdAnalysis {
    private final RdRobust estimator;
    private final DensityTest density;
    private final double alpha;
    private final List<Double> factors;
    private final int binsPerSide;

    private RdAnalysis(RdRobust estimator, DensityTest density, double alpha, List<Double> factors, int binsPerSide) {
        this.estimator = estimator;
        this.density = density;
        this.alpha = alpha;
        this.factors = factors;
        this.binsPerSide = binsPerSide;
    }

    /** rdrobust and rddensity defaults, checks at alpha = 0.05, factors 0.5..2, 20 bins per side. */
    public static RdAnalysis withDefaults() {
        return new RdAnalysis(RdRobust.withDefaults(), DensityTest.withDefaults(), 0.05,
                BandwidthSensitivity.DEFAULT_FACTORS, 20);
    }

    public RdAnalysis withEstimator(RdRobust e) {
        return new RdAnalysis(Objects.requireNonNull(e, "estimator"), density, alpha, factors, binsPerSide);
    }

    public RdAnalysis withDensityTest(DensityTest d) {
        return new RdAnalysis(estimator, Objects.requireNonNull(d, "density test"), alpha, factors, binsPerSide);
    }

    /** Level of the checks (density test, Holm-adjusted covariate tests), in (0, 1). */
    public RdAnalysis withAlpha(double a) {
        if (!(a > 0 && a < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + a);
        }
        return new RdAnalysis(estimator, density, a, factors, binsPerSide);
    }

    public RdAnalysis withSensitivityFactors(List<Double> f) {
        if (f == null || f.isEmpty()) {
            throw new IllegalArgumentException("bandwidth sensitivity needs at least one factor, e.g. [0.5, 1, 2]");
        }
        return new RdAnalysis(estimator, density, alpha, List.copyOf(f), binsPerSide);
    }

    public RdAnalysis withBinsPerSide(int bins) {
        RdArguments.inRange("bins per side", bins, 1, 10_000);
        return new RdAnalysis(estimator, density, alpha, factors, bins);
    }

    /**
     * Runs the analysis.
     *
     * @param y          outcome (NaN = missing; such rows are dropped from the RD fits but kept for the density test)
     * @param d          treatment take-up for fuzzy RD, or null for sharp RD
     * @param x          running variable
     * @param c          cutoff
     * @param covariates pre-determined covariates for the continuity check (may be empty)
     */
    public RdReport run(double[] y, double[] d, double[] x, double c, List<Covariate> covariates) {
        RdEstimate est = d == null ? estimator.sharp(y, x, c) : estimator.fuzzy(y, d, x, c);
        DensityTestResult dens = density.test(x, c);
        List<CovariateContinuity.Result> cov = CovariateContinuity.check(estimator, x, c,
                covariates == null ? List.of() : covariates, alpha);
        List<BandwidthSensitivity.Row> sens = BandwidthSensitivity.table(estimator, y, d, x, c, est.bandwidths(),
                factors);
        RdPlotData plot = RdPlotData.of(y, x, est, binsPerSide, 50);
        return new RdReport(est, dens, cov, sens, plot, alpha);
    }
}

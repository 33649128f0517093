package dev.verdict.quasi.synth;

import java.util.Arrays;

/**
 * Synthetic difference-in-differences and its two special cases, synthetic control and difference-in-differences, on
 * a block-adoption panel: Arkhangelsky, Athey, Hirshberg, Imbens and Wager (2021), "Synthetic Difference-in-Differences",
 * American Economic Review 111(12):4088-4118, doi:10.1257/aer.20190159, Algorithm 1, as implemented by the R package
 * synthdid 0.0.9 ({@code synthdid_estimate}, {@code sc_estimate}, {@code did_estimate}), whose numbers this class
 * reproduces.
 *
 * <p>Input: an outcome matrix {@code Y} (N units x T periods) whose first {@code N0} rows are the control (donor) units
 * and last {@code N1 = N - N0} rows the treated units, and whose first {@code T0} columns are the periods before
 * treatment and last {@code T1 = T - T0} columns the periods under treatment (all treated units adopt together).
 *
 * <p>Estimate: {@code tau = (1/N1, -omega)' Y (1/T1, -lambda)} with the signs arranged so that
 * <pre>
 *   tau = [mean_tr,post - sum_t lambda_t mean_tr,t] - sum_i omega_i [Y_i,post - sum_t lambda_t Y_i,t]
 * </pre>
 * where mean_tr is the average treated unit, Y_i,post a control's post-period mean, and the unit weights
 * {@code omega} (over controls) and time weights {@code lambda} (over pre-periods) lie on the simplex.
 * <ul>
 *   <li>{@link Method#SYNTHDID}: omega minimizes {@code zeta_omega^2 |omega|^2 + |omega0 + Y_co,pre' omega -
 *       mean_tr,pre|^2 / T0} (an intercept omega0, so only the shape must match), with
 *       {@code zeta_omega = (N1 T1)^(1/4) sigma} and {@code sigma} the standard deviation of the first differences
 *       (over time) of the control units' pre-period outcomes; lambda minimizes
 *       {@code zeta_lambda^2 |lambda|^2 + |lambda0 + Y_co,pre lambda - Y_co,post|^2 / N0} with
 *       {@code zeta_lambda = 1e-6 sigma}.</li>
 *   <li>{@link Method#SYNTHETIC_CONTROL} ({@code sc_estimate}): omega without intercept and with
 *       {@code zeta_omega = 1e-6 sigma}, lambda = 0, so {@code tau} is the mean post-period gap between the treated
 *       unit and its synthetic control. The penalty is infinitesimal: this is, for all purposes, simplex-constrained
 *       least squares, as in Abadie, Diamond and Hainmueller (2010) with the pre-period outcomes as predictors.</li>
 *   <li>{@link Method#DID} ({@code did_estimate}): omega = 1/N0 and lambda = 1/T0.</li>
 * </ul>
 * Weights are solved by {@link FrankWolfe} as synthdid does: a first round of at most 100 steps from uniform weights,
 * then the weights at most a quarter of the largest are set to zero and a second round of at most 10,000 steps starts
 * from the renormalized rest; both rounds stop once a step lowers the objective by no more than
 * {@code (1e-5 sigma)^2}. The solver works on the "collapsed" panel (controls' pre-periods, their post-period means, the
 * treated units' pre-period means and the treated post-period mean).
 *
 * <p>Placebo variance ({@link #placeboSe}, Algorithm 4 of the paper, synthdid's {@code vcov(method = "placebo")}):
 * {@code B} times, permute the controls, treat the last {@code N1} of them as treated and the rest as controls, and
 * re-estimate with the same tuning (zetas, intercepts, stopping rule), initial weights the original omega restricted
 * to the new controls and renormalized (uniform if that is all zero) and the original lambda; the variance is the mean
 * squared deviation of the {@code B} placebo estimates ({@code (B - 1)/B} times their sample variance). Permutations
 * come from {@link RCompatibleRandom}, R's own generator and sampling, so {@code placeboSe(..., seed)} equals R's
 * {@code set.seed(seed); vcov(estimate, method = "placebo", replications = B)}.
 *
 * <p>Hand-written: no JVM library implements synthdid; the solver must follow the R package's iterations to reproduce
 * its numbers (see {@link FrankWolfe}).
 */
public final class SynthDid {
    /** synthdid's {@code eta.lambda} (and sc_estimate's {@code eta.omega}): an "infinitesimal" ridge multiple. */
    static final double INFINITESIMAL_ETA = 1e-6;
    /** synthdid's {@code min.decrease = 1e-5 * noise.level}. */
    static final double MIN_DECREASE_MULTIPLE = 1e-5;
    /** synthdid's {@code max.iter}. */
    static final int MAX_ITER = 10_000;
    /** synthdid's {@code max.iter.pre.sparsify}. */
    static final int MAX_ITER_PRE_SPARSIFY = 100;

    /** Which estimator; all three share the weighted double difference above. */
    public enum Method {
        /** Synthetic difference-in-differences (synthdid_estimate): regularized unit weights with an intercept, time weights. */
        SYNTHDID("synthdid"),
        /** Synthetic control as synthdid's sc_estimate: unit weights without intercept, no time weights. */
        SYNTHETIC_CONTROL("sc"),
        /** Difference-in-differences (did_estimate): uniform unit and time weights. */
        DID("did");

        private final String wireName;

        Method(String wireName) {
            this.wireName = wireName;
        }

        /** The short name used in method strings and specs: synthdid, sc or did. */
        public String wireName() {
            return wireName;
        }
    }

    /**
     * The tuning of one fit, as synthdid records it in {@code attr(estimate, "opts")}.
     *
     * @param noiseLevel      sigma, the sd of first differences of the controls' pre-period outcomes
     * @param zetaOmega       ridge parameter of the unit weights
     * @param zetaLambda      ridge parameter of the time weights
     * @param omegaIntercept  whether the unit-weight fit has an intercept
     * @param lambdaIntercept whether the time-weight fit has an intercept
     * @param updateOmega     whether omega was estimated (false: fixed, as in DiD)
     * @param updateLambda    whether lambda was estimated (false: fixed, as in SC and DiD)
     * @param minDecrease     the solver's stopping threshold (a step must lower the objective by more than its square)
     * @param maxIter         the solver's step limit (second round)
     */
    public record Tuning(double noiseLevel, double zetaOmega, double zetaLambda, boolean omegaIntercept,
                         boolean lambdaIntercept, boolean updateOmega, boolean updateLambda, double minDecrease,
                         int maxIter) { }

    /**
     * One fit.
     *
     * @param method           the estimator
     * @param estimate         tau
     * @param omega            unit weights over the N0 controls, in row order (a copy is returned)
     * @param lambda           time weights over the T0 pre-periods (a copy is returned)
     * @param tuning           the tuning used
     * @param omegaIterations  solver steps for omega in the second round (0 when fixed)
     * @param lambdaIterations solver steps for lambda in the second round (0 when fixed)
     */
    public record Fit(Method method, double estimate, double[] omega, double[] lambda, Tuning tuning,
                      int omegaIterations, int lambdaIterations) {
        public Fit {
            omega = omega.clone();
            lambda = lambda.clone();
        }

        @Override
        public double[] omega() {
            return omega.clone();
        }

        @Override
        public double[] lambda() {
            return lambda.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Fit f && method == f.method && Double.compare(estimate, f.estimate) == 0
                    && Arrays.equals(omega, f.omega) && Arrays.equals(lambda, f.lambda) && tuning.equals(f.tuning)
                    && omegaIterations == f.omegaIterations && lambdaIterations == f.lambdaIterations;
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Double.hashCode(estimate) + Arrays.hashCode(omega)) + Arrays.hashCode(lambda);
        }

        @Override
        public String toString() {
            return "Fit[" + method.wireName() + " " + estimate + ", omega " + Arrays.toString(omega) + ", lambda "
                    + Arrays.toString(lambda) + ", " + tuning + "]";
        }
    }

    private SynthDid() {
    }

    /**
     * The estimator with synthdid's default tuning.
     *
     * @param y      outcomes, N rows (controls first) by T columns (pre-periods first); not modified
     * @param n0     number of control rows, 2 &lt;= n0 &lt; N
     * @param t0     number of pre-period columns, 2 &lt;= t0 &lt; T
     * @param method the estimator
     * @throws IllegalArgumentException on a ragged or non-finite matrix or out-of-range n0, t0
     */
    public static Fit estimate(double[][] y, int n0, int t0, Method method) {
        return estimate(y, n0, t0, method, Double.NaN);
    }

    /**
     * The estimator with a chosen unit-weight regularization {@code zeta_omega = etaOmega * sigma}; NaN keeps the
     * method's default ({@code (N1 T1)^(1/4)} for synthdid, 1e-6 for synthetic control; ignored by DiD).
     */
    public static Fit estimate(double[][] y, int n0, int t0, Method method, double etaOmega) {
        Arguments.panelMatrix(y, n0, t0);
        if (!Double.isNaN(etaOmega)) {
            Arguments.nonNegative("etaOmega", etaOmega);
        }
        int n1 = y.length - n0;
        int t1 = y[0].length - t0;
        double sigma = noiseLevel(y, n0, t0);
        double eta = Double.isNaN(etaOmega)
                ? (method == Method.SYNTHETIC_CONTROL ? INFINITESIMAL_ETA : Math.pow((double) n1 * t1, 0.25))
                : etaOmega;
        Tuning tuning = new Tuning(sigma, eta * sigma, INFINITESIMAL_ETA * sigma, method != Method.SYNTHETIC_CONTROL,
                true, method != Method.DID, method == Method.SYNTHDID, MIN_DECREASE_MULTIPLE * sigma, MAX_ITER);
        double[] omega = method == Method.DID ? uniform(n0) : null;
        double[] lambda = switch (method) {
            case SYNTHDID -> null;
            case SYNTHETIC_CONTROL -> new double[t0];
            case DID -> uniform(t0);
        };
        return fit(method, y, n0, t0, tuning, omega, lambda);
    }

    /**
     * synthdid's {@code noise.level}: the sample standard deviation (divisor n - 1) of all first differences
     * {@code Y[i][t+1] - Y[i][t]} of the controls over the pre-periods.
     */
    public static double noiseLevel(double[][] y, int n0, int t0) {
        int n = n0 * (t0 - 1);
        double sum = 0;
        for (int i = 0; i < n0; i++) {
            for (int t = 0; t + 1 < t0; t++) {
                sum += y[i][t + 1] - y[i][t];
            }
        }
        double mean = sum / n;
        double ss = 0;
        for (int i = 0; i < n0; i++) {
            for (int t = 0; t + 1 < t0; t++) {
                double d = y[i][t + 1] - y[i][t] - mean;
                ss += d * d;
            }
        }
        return Math.sqrt(ss / (n - 1));
    }

    /**
     * The fit with a given tuning; {@code omegaInit} / {@code lambdaInit} are the starting weights when the tuning
     * updates them (null: uniform) and the fixed weights when it does not.
     */
    static Fit fit(Method method, double[][] y, int n0, int t0, Tuning tuning, double[] omegaInit,
                   double[] lambdaInit) {
        int n = y.length;
        int tt = y[0].length;
        int n1 = n - n0;
        int t1 = tt - t0;
        double[][] yc = collapsed(y, n0, t0);
        double[] lambda = lambdaInit;
        int lambdaIterations = 0;
        if (tuning.updateLambda()) {
            // columns of the lambda problem: the pre-periods over controls, then the controls' post means
            double[][] cols = new double[t0 + 1][n0];
            for (int t = 0; t <= t0; t++) {
                for (int i = 0; i < n0; i++) {
                    cols[t][i] = yc[i][t];
                }
            }
            FrankWolfe.Solution s = twoRounds(cols, tuning.zetaLambda(), tuning.lambdaIntercept(), lambdaInit, tuning);
            lambda = s.weights();
            lambdaIterations = s.iterations();
        }
        double[] omega = omegaInit;
        int omegaIterations = 0;
        if (tuning.updateOmega()) {
            // columns of the omega problem: each control's pre-period series, then the treated pre-period means
            double[][] cols = new double[n0 + 1][t0];
            for (int i = 0; i <= n0; i++) {
                System.arraycopy(yc[i], 0, cols[i], 0, t0);
            }
            FrankWolfe.Solution s = twoRounds(cols, tuning.zetaOmega(), tuning.omegaIntercept(), omegaInit, tuning);
            omega = s.weights();
            omegaIterations = s.iterations();
        }
        if (omega == null || lambda == null) {
            throw new IllegalStateException("fixed weights missing for " + method);
        }
        // tau = (-omega, 1/N1)' Y (-lambda, 1/T1), the row combination first, as R evaluates it
        double[] row = combinedRow(y, n0, omega);
        double tau = 0;
        for (int t = 0; t < tt; t++) {
            tau += row[t] * (t < t0 ? -lambda[t] : 1.0 / t1);
        }
        return new Fit(method, tau, omega, lambda, tuning, omegaIterations, lambdaIterations);
    }

    /** {@code (-omega, 1/N1)' Y}: per period, the treated mean minus the omega-weighted controls. */
    static double[] combinedRow(double[][] y, int n0, double[] omega) {
        int n1 = y.length - n0;
        int tt = y[0].length;
        double[] row = new double[tt];
        for (int i = 0; i < y.length; i++) {
            double w = i < n0 ? -omega[i] : 1.0 / n1;
            if (w == 0) {
                continue;
            }
            for (int t = 0; t < tt; t++) {
                row[t] += w * y[i][t];
            }
        }
        return row;
    }

    /** The solver's first round (100 steps), synthdid's sparsify, and the second round. */
    private static FrankWolfe.Solution twoRounds(double[][] cols, double zeta, boolean intercept, double[] init,
                                                 Tuning tuning) {
        FrankWolfe.Solution first = FrankWolfe.solve(cols, zeta, intercept, init, tuning.minDecrease(),
                MAX_ITER_PRE_SPARSIFY);
        return FrankWolfe.solve(cols, zeta, intercept, FrankWolfe.sparsify(first.weights()), tuning.minDecrease(),
                tuning.maxIter());
    }

    /**
     * synthdid's {@code collapsed.form}: an (N0 + 1) x (T0 + 1) matrix of the controls' pre-period outcomes and
     * post-period means, and below them the treated units' pre-period means and overall post-period mean.
     */
    static double[][] collapsed(double[][] y, int n0, int t0) {
        int n = y.length;
        int tt = y[0].length;
        int n1 = n - n0;
        int t1 = tt - t0;
        double[][] c = new double[n0 + 1][t0 + 1];
        for (int i = 0; i < n0; i++) {
            System.arraycopy(y[i], 0, c[i], 0, t0);
            double s = 0;
            for (int t = t0; t < tt; t++) {
                s += y[i][t];
            }
            c[i][t0] = s / t1;
        }
        for (int t = 0; t < t0; t++) {
            double s = 0;
            for (int i = n0; i < n; i++) {
                s += y[i][t];
            }
            c[n0][t] = s / n1;
        }
        double s = 0;
        for (int i = n0; i < n; i++) {
            for (int t = t0; t < tt; t++) {
                s += y[i][t];
            }
        }
        c[n0][t0] = s / ((double) n1 * t1);
        return c;
    }

    /**
     * The placebo standard error (Algorithm 4; synthdid's {@code vcov(est, method = "placebo")}) of a fit of
     * {@code y}: see the class documentation. Needs more controls than treated units.
     *
     * @param fit          the fit of y (its tuning and weights seed the placebo fits)
     * @param y            the matrix the fit was computed from
     * @param n0           its number of control rows
     * @param t0           its number of pre-period columns
     * @param replications placebo draws B &gt;= 2
     * @param seed         seed of the permutations, as R's {@code set.seed(seed)}
     * @throws IllegalArgumentException when there are no more controls than treated units or B &lt; 2
     */
    public static double placeboSe(Fit fit, double[][] y, int n0, int t0, int replications, int seed) {
        return Math.sqrt(meanSquaredDeviation(placeboEstimates(fit, y, n0, t0, replications, seed)));
    }

    /** The B placebo estimates behind {@link #placeboSe}, in draw order. */
    public static double[] placeboEstimates(Fit fit, double[][] y, int n0, int t0, int replications, int seed) {
        Arguments.panelMatrix(y, n0, t0);
        int n1 = y.length - n0;
        if (n0 <= n1) {
            throw new IllegalArgumentException("the placebo standard error needs more control units than treated units, got "
                    + n0 + " controls and " + n1 + " treated; add donors or report the permutation p-value only");
        }
        if (replications < 2) {
            throw new IllegalArgumentException("placebo replications must be at least 2, got " + replications);
        }
        RCompatibleRandom rnd = new RCompatibleRandom(seed);
        double[] omega = fit.omega;
        double[] estimates = new double[replications];
        int placeboN0 = n0 - n1;
        double[][] yp = new double[n0][];
        for (int b = 0; b < replications; b++) {
            int[] perm = rnd.permutation(n0);
            double[] init = new double[placeboN0];
            double sum = 0;
            for (int i = 0; i < n0; i++) {
                yp[i] = y[perm[i]];
                if (i < placeboN0) {
                    init[i] = omega[perm[i]];
                    sum += init[i];
                }
            }
            for (int i = 0; i < placeboN0; i++) {
                init[i] = sum != 0 ? init[i] / sum : 1.0 / placeboN0;
            }
            estimates[b] = fit(fit.method, yp, placeboN0, t0, fit.tuning, init, fit.lambda).estimate();
        }
        return estimates;
    }

    static double meanSquaredDeviation(double[] v) {
        double mean = 0;
        for (double e : v) {
            mean += e;
        }
        mean /= v.length;
        double ss = 0;
        for (double e : v) {
            ss += (e - mean) * (e - mean);
        }
        return ss / v.length;
    }

    private static double[] uniform(int k) {
        double[] w = new double[k];
        Arrays.fill(w, 1.0 / k);
        return w;
    }
}

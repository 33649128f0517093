package dev.verdict.stats;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The restricted (null-imposed) wild cluster bootstrap-t, "WCR", for one coefficient of a least-squares fit, computed
 * from per-cluster sufficient statistics ({@link ClusterBlock}s) only: no row is ever needed, and each draw costs
 * O(G k) for G clusters and k regressors, whatever the number of rows. Written by hand for verdict (no JVM library
 * offers it); the algorithm follows Cameron, Gelbach and Miller (2008, REStat 90:414-427), MacKinnon and Webb (2017,
 * J. Applied Econometrics 32:233-254) and the reference implementation boottest / fwildclusterboot described by
 * Roodman, MacKinnon, Nielsen and Webb (2019, Stata Journal 19:4-60, "Fast and wild"), whose t-statistic uses CR1
 * inside the bootstrap.
 *
 * <p>Algorithm, for {@code H0: beta_j = beta0}, with {@code A = sum_g X_g'X_g}, {@code M_g = X_g'X_g},
 * {@code r_g = X_g'y_g}, {@code q = A^-1 e_j}:
 * <ol>
 *   <li>Unrestricted fit {@code b = A^-1 sum r_g}, scores {@code s_g = r_g - M_g b}, CR1 variance
 *       {@code V = c sum_g (q's_g)^2} with the Stata factor {@code c = G/(G-1) (N-1)/(N-k)}, and
 *       {@code t = (b_j - beta0) / sqrt(V)}.</li>
 *   <li>Restricted fit: least squares of {@code y - beta0 x_j} on the other regressors, giving {@code bt} with
 *       {@code bt_j = beta0}, and restricted residual scores {@code st_g = r_g - M_g bt = X_g' ut_g}.</li>
 *   <li>Draw b: one weight {@code v_g} per cluster, {@code y*_g = X_g bt + v_g ut_g}. Then
 *       {@code b*_j - beta0 = sum_g v_g a_g} with {@code a_g = q'st_g}, and the bootstrap fit's cluster scores are
 *       {@code X_g'u*_g = v_g st_g - M_g A^-1 sum_h v_h st_h}, so the CR1 variance of {@code b*_j} is
 *       {@code c sum_g (v_g a_g - w_g'D)^2} with {@code w_g = M_g q} and {@code D = sum_h v_h A^-1 st_h}: O(G k) per
 *       draw.</li>
 *   <li>Symmetric p-value {@code p = #{b : |t*_b| >= |t|} / B} (boottest's convention; a draw whose variance is 0 or
 *       not finite counts as at least as extreme, the conservative choice; ties are judged with a relative tolerance of
 *       1e-10 so that rounding cannot flip them).</li>
 * </ol>
 * Weights: Webb's six-point distribution ({@code +-sqrt(1/2), +-1, +-sqrt(3/2)}, each 1/6), the default, which has
 * far more distinct draws than Rademacher with few clusters (6^G against 2^G); or Rademacher ({@code +-1}, each 1/2),
 * whose 2^G sign vectors are enumerated exactly when {@code 2^G <= draws}. Weights come from
 * {@link SplittableRandom}{@code (seed)}, drawn cluster by cluster within draw after draw, so a result depends only on
 * (blocks, weights, draws, seed).
 *
 * <p>Confidence interval: by test inversion, the set of {@code beta0} whose WCR p-value is at least alpha, with the
 * same weights for every {@code beta0} (boottest's approach). Each end is found by bracketing outwards from the estimate
 * and bisecting the crossing of {@code p(beta0) = alpha} to 1e-9 of the CR1 standard error; p is a step function of
 * beta0 and, with few clusters, not always monotone, so the interval is the outermost crossing found by that search.
 */
public final class WildClusterBootstrap {
    /** Relative tolerance for |t*| >= |t| ties. */
    static final double TIE_TOLERANCE = 1e-10;
    private static final double[] WEBB = {-Math.sqrt(1.5), -1, -Math.sqrt(0.5), Math.sqrt(0.5), 1, Math.sqrt(1.5)};

    /** The bootstrap weight distribution. */
    public enum Weights {
        /** Webb's six-point distribution. */
        WEBB,
        /** Rademacher +-1. */
        RADEMACHER;

        /** The wire name, lower case. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A bootstrap test of one coefficient.
     *
     * @param coefficient the estimate b_j
     * @param t           the CR1 t-statistic against the null value
     * @param pValue      the WCR bootstrap p-value
     * @param ciLow       lower end of the inverted 1 - alpha interval (NaN when not computed)
     * @param ciHigh      upper end
     * @param draws       bootstrap draws used (2^G when Rademacher was enumerated)
     * @param enumerated  true when every Rademacher sign vector was used
     * @param weights     the weight distribution
     * @param seed        the seed of the weights
     */
    public record Result(double coefficient, double t, double pValue, double ciLow, double ciHigh, int draws,
                         boolean enumerated, Weights weights, long seed) { }

    private final int g;
    private final int k;
    private final int j;
    private final double[][] m;    // per cluster X_g'X_g, packed full k*k row-major
    private final double[][] r;    // per cluster X_g'y_g
    private final double[] ainv;   // A^-1, k*k row-major
    private final double[] b;      // unrestricted coefficients
    private final double[] q;      // A^-1 e_j
    private final double[][] w;    // per cluster M_g q
    private final double c;        // CR1 small-sample factor
    private final double cr1Se;
    private final double[] rInv;   // (A_rr)^-1 for the restricted fit, (k-1)^2 row-major
    private final Weights weights;
    private final int draws;
    private final long seed;
    private final boolean enumerate;

    private WildClusterBootstrap(List<ClusterBlock> blocks, int coefficient, Weights weights, int draws, long seed) {
        if (blocks.size() < 2) {
            throw new IllegalArgumentException("the wild cluster bootstrap needs at least 2 clusters, got " + blocks.size());
        }
        Arguments.atLeast("bootstrap draws", draws, 1);
        OlsFit fit = ClusterRobustOls.fit(blocks);
        this.g = blocks.size();
        this.k = fit.k();
        if (coefficient < 0 || coefficient >= k) {
            throw new IllegalArgumentException("coefficient index " + coefficient + " outside 0.." + (k - 1));
        }
        this.j = coefficient;
        this.weights = weights;
        this.draws = draws;
        this.seed = seed;
        this.enumerate = weights == Weights.RADEMACHER && g < 31 && (1L << g) <= draws;
        this.m = new double[g][k * k];
        this.r = new double[g][];
        for (int h = 0; h < g; h++) {
            ClusterBlock blk = blocks.get(h);
            for (int a = 0; a < k; a++) {
                for (int e = 0; e < k; e++) {
                    m[h][a * k + e] = blk.xtx(a, e);
                }
            }
            r[h] = blk.xtyVector();
        }
        double[][] inv = fit.xtxInverse();
        this.ainv = new double[k * k];
        for (int a = 0; a < k; a++) {
            for (int e = 0; e < k; e++) {
                ainv[a * k + e] = inv[a][e];
            }
        }
        this.b = fit.coefficients();
        this.q = new double[k];
        for (int a = 0; a < k; a++) {
            q[a] = ainv[a * k + j];
        }
        this.w = new double[g][];
        for (int h = 0; h < g; h++) {
            w[h] = times(m[h], q, k);
        }
        long n = fit.n();
        this.c = (double) g / (g - 1) * (n - 1.0) / (n - k);
        double v = 0;
        for (int h = 0; h < g; h++) {
            double[] s = score(h, b);
            double a = dot(q, s);
            v += a * a;
        }
        this.cr1Se = Math.sqrt(c * v);
        this.rInv = restrictedInverse(blocks);
    }

    /**
     * The WCR bootstrap test of {@code beta_j = nullValue}, with the 1 - alpha interval by test inversion.
     *
     * @param blocks      per-cluster blocks (at least 2 clusters, all with the same k, non-singular design)
     * @param coefficient index j of the tested coefficient in the blocks' regressor order
     * @param nullValue   beta0 of the test
     * @param alpha       level of the interval; NaN to skip the interval
     * @param weights     the weight distribution
     * @param draws       bootstrap draws B
     * @param seed        the weights' seed
     */
    public static Result test(List<ClusterBlock> blocks, int coefficient, double nullValue, double alpha,
                              Weights weights, int draws, long seed) {
        WildClusterBootstrap w = new WildClusterBootstrap(blocks, coefficient, weights, draws, seed);
        double p = w.pValue(nullValue);
        double lo = Double.NaN;
        double hi = Double.NaN;
        if (!Double.isNaN(alpha)) {
            lo = w.bound(-1, alpha);
            hi = w.bound(+1, alpha);
        }
        return new Result(w.b[w.j], w.t(nullValue), p, lo, hi, w.enumerate ? 1 << w.g : draws, w.enumerate, weights,
                seed);
    }

    /** The p-value alone (no interval): what the benchmark times. */
    public static double pValue(List<ClusterBlock> blocks, int coefficient, double nullValue, Weights weights, int draws,
                                long seed) {
        return new WildClusterBootstrap(blocks, coefficient, weights, draws, seed).pValue(nullValue);
    }

    /** The CR1 t-statistic against beta0. */
    double t(double beta0) {
        return (b[j] - beta0) / cr1Se;
    }

    /** The WCR p-value of beta_j = beta0. */
    double pValue(double beta0) {
        double t = Math.abs(t(beta0));
        double[] bt = restricted(beta0);
        double[] a = new double[g];
        double[][] d = new double[g][];
        for (int h = 0; h < g; h++) {
            double[] st = score(h, bt);
            a[h] = dot(q, st);
            d[h] = times(ainv, st, k);
        }
        double threshold = t * (1 - TIE_TOLERANCE);
        long extreme = 0;
        double[] v = new double[g];
        double[] dd = new double[k];
        if (enumerate) {
            int total = 1 << g;
            for (int mask = 0; mask < total; mask++) {
                for (int h = 0; h < g; h++) {
                    v[h] = (mask >>> h & 1) == 0 ? 1 : -1;
                }
                if (extreme(v, a, d, dd, threshold)) {
                    extreme++;
                }
            }
            return (double) extreme / total;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int draw = 0; draw < draws; draw++) {
            fill(v, rng);
            if (extreme(v, a, d, dd, threshold)) {
                extreme++;
            }
        }
        return (double) extreme / draws;
    }

    private void fill(double[] v, SplittableRandom rng) {
        if (weights == Weights.WEBB) {
            for (int h = 0; h < g; h++) {
                v[h] = WEBB[rng.nextInt(6)];
            }
        } else {
            for (int h = 0; h < g; h++) {
                v[h] = rng.nextBoolean() ? 1 : -1;
            }
        }
    }

    /** One draw: is |t*| at least the threshold? */
    private boolean extreme(double[] v, double[] a, double[][] d, double[] dd, double threshold) {
        double num = 0;
        java.util.Arrays.fill(dd, 0);
        for (int h = 0; h < g; h++) {
            double vh = v[h];
            num += vh * a[h];
            double[] dh = d[h];
            for (int e = 0; e < k; e++) {
                dd[e] += vh * dh[e];
            }
        }
        double var = 0;
        for (int h = 0; h < g; h++) {
            double[] wh = w[h];
            double s = v[h] * a[h];
            for (int e = 0; e < k; e++) {
                s -= wh[e] * dd[e];
            }
            var += s * s;
        }
        var *= c;
        if (!(var > 0) || !Double.isFinite(var)) {
            return true;
        }
        return Math.abs(num) >= threshold * Math.sqrt(var);
    }

    /** Coefficients of the fit restricted to beta_j = beta0 (beta0 at index j). */
    private double[] restricted(double beta0) {
        double[] out = new double[k];
        out[j] = beta0;
        if (k == 1) {
            return out;
        }
        int kr = k - 1;
        double[] rhs = new double[kr];
        for (int a = 0, ia = 0; a < k; a++) {
            if (a == j) {
                continue;
            }
            double s = 0;
            for (int h = 0; h < g; h++) {
                s += r[h][a] - beta0 * m[h][a * k + j];
            }
            rhs[ia++] = s;
        }
        double[] sol = times(rInv, rhs, kr);
        for (int a = 0, ia = 0; a < k; a++) {
            if (a != j) {
                out[a] = sol[ia++];
            }
        }
        return out;
    }

    private double[] restrictedInverse(List<ClusterBlock> blocks) {
        if (k == 1) {
            return new double[0];
        }
        int kr = k - 1;
        ClusterBlock total = ClusterBlock.sum(blocks);
        DMatrixRMaj arr = new DMatrixRMaj(kr, kr);
        for (int a = 0, ia = 0; a < k; a++) {
            if (a == j) {
                continue;
            }
            for (int e = 0, ie = 0; e < k; e++) {
                if (e == j) {
                    continue;
                }
                arr.set(ia, ie++, total.xtx(a, e));
            }
            ia++;
        }
        DMatrixRMaj inv = new DMatrixRMaj(kr, kr);
        if (!CommonOps_DDRM.invert(arr, inv)) {
            throw new IllegalArgumentException("the restricted design (without coefficient " + j + ") is singular");
        }
        return inv.getData().clone();
    }

    private double[] score(int h, double[] beta) {
        double[] s = r[h].clone();
        double[] mh = m[h];
        for (int a = 0; a < k; a++) {
            for (int e = 0; e < k; e++) {
                s[a] -= mh[a * k + e] * beta[e];
            }
        }
        return s;
    }

    /**
     * One end of the inverted interval: side -1 for the lower, +1 for the upper. Brackets outwards from the estimate in
     * steps of 2 CR1 standard errors, doubling, until p drops below alpha, then bisects.
     */
    private double bound(int side, double alpha) {
        double est = b[j];
        double scale = cr1Se > 0 ? cr1Se : Math.max(1e-12, Math.abs(est));
        return TestInversion.bound(this::pValue, est, side, 2 * scale, scale, alpha);
    }

    private static double[] times(double[] mat, double[] v, int k) {
        double[] out = new double[k];
        for (int a = 0; a < k; a++) {
            double s = 0;
            for (int e = 0; e < k; e++) {
                s += mat[a * k + e] * v[e];
            }
            out[a] = s;
        }
        return out;
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }
}

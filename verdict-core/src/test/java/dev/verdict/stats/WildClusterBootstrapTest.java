package dev.verdict.stats;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WildClusterBootstrapTest {
    private static final double[] WEBB = {-Math.sqrt(1.5), -1, -Math.sqrt(0.5), Math.sqrt(0.5), 1, Math.sqrt(1.5)};

    /** A small row-level dataset: rows of (1, T, x) and y, with cluster ids. */
    record Data(double[][] x, double[] y, int[] cluster, int g) {
        List<ClusterBlock> blocks(int k) {
            List<ClusterBlock> out = new ArrayList<>();
            for (int h = 0; h < g; h++) {
                ClusterBlock.Accumulator a = new ClusterBlock.Accumulator(k);
                for (int i = 0; i < y.length; i++) {
                    if (cluster[i] == h) {
                        a.add(java.util.Arrays.copyOf(x[i], k), y[i]);
                    }
                }
                out.add(a.toBlock());
            }
            return out;
        }
    }

    static Data data(int g, long seed, double effect) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<double[]> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        List<Integer> cl = new ArrayList<>();
        for (int h = 0; h < g; h++) {
            double t = h % 2;
            double u = rng.nextGaussian();
            int rows = 3 + rng.nextInt(5);
            for (int i = 0; i < rows; i++) {
                double x = rng.nextGaussian() + 0.5 * u;
                xs.add(new double[] {1, t, x});
                ys.add(1 + effect * t + 0.7 * x + u + rng.nextGaussian());
                cl.add(h);
            }
        }
        return new Data(xs.toArray(new double[0][]), ys.stream().mapToDouble(Double::doubleValue).toArray(),
                cl.stream().mapToInt(Integer::intValue).toArray(), g);
    }

    /** Row-level brute force: fit the restricted model, build y* row by row, refit, CR1 t from rows. */
    static double bruteForceP(Data d, int k, int j, double beta0, boolean webb, int draws, long seed, boolean enumerate) {
        int n = d.y.length;
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = java.util.Arrays.copyOf(d.x[i], k);
        }
        double t = Math.abs(tStat(x, d.y, d.cluster, d.g, j, beta0));
        // restricted: regress y - beta0 x_j on the other columns
        double[][] xr = new double[n][k - 1];
        double[] y0 = new double[n];
        for (int i = 0; i < n; i++) {
            for (int a = 0, ia = 0; a < k; a++) {
                if (a != j) {
                    xr[i][ia++] = x[i][a];
                }
            }
            y0[i] = d.y[i] - beta0 * x[i][j];
        }
        double[] br = ols(xr, y0);
        double[] fitted = new double[n];
        double[] resid = new double[n];
        for (int i = 0; i < n; i++) {
            double f = beta0 * x[i][j];
            for (int a = 0; a < k - 1; a++) {
                f += xr[i][a] * br[a];
            }
            fitted[i] = f;
            resid[i] = d.y[i] - f;
        }
        int total = enumerate ? 1 << d.g : draws;
        SplittableRandom rng = new SplittableRandom(seed);
        int extreme = 0;
        double[] v = new double[d.g];
        for (int b = 0; b < total; b++) {
            for (int h = 0; h < d.g; h++) {
                v[h] = enumerate ? ((b >>> h & 1) == 0 ? 1 : -1) : webb ? WEBB[rng.nextInt(6)] : (rng.nextBoolean() ? 1 : -1);
            }
            double[] ys = new double[n];
            for (int i = 0; i < n; i++) {
                ys[i] = fitted[i] + v[d.cluster[i]] * resid[i];
            }
            double ts = Math.abs(tStat(x, ys, d.cluster, d.g, j, beta0));
            if (!Double.isFinite(ts) || ts >= t * (1 - 1e-10)) {
                extreme++;
            }
        }
        return (double) extreme / total;
    }

    static double tStat(double[][] x, double[] y, int[] cluster, int g, int j, double beta0) {
        int n = y.length;
        int k = x[0].length;
        double[][] inv = inverse(xtx(x));
        double[] b = ols(x, y);
        double[][] scores = new double[g][k];
        for (int i = 0; i < n; i++) {
            double e = y[i];
            for (int a = 0; a < k; a++) {
                e -= x[i][a] * b[a];
            }
            for (int a = 0; a < k; a++) {
                scores[cluster[i]][a] += x[i][a] * e;
            }
        }
        double v = 0;
        for (int h = 0; h < g; h++) {
            double s = 0;
            for (int a = 0; a < k; a++) {
                s += inv[j][a] * scores[h][a];
            }
            v += s * s;
        }
        v *= (double) g / (g - 1) * (n - 1.0) / (n - k);
        return (b[j] - beta0) / Math.sqrt(v);
    }

    static double[][] xtx(double[][] x) {
        int k = x[0].length;
        double[][] m = new double[k][k];
        for (double[] row : x) {
            for (int a = 0; a < k; a++) {
                for (int e = 0; e < k; e++) {
                    m[a][e] += row[a] * row[e];
                }
            }
        }
        return m;
    }

    static double[] ols(double[][] x, double[] y) {
        int k = x[0].length;
        double[] xty = new double[k];
        for (int i = 0; i < y.length; i++) {
            for (int a = 0; a < k; a++) {
                xty[a] += x[i][a] * y[i];
            }
        }
        double[][] inv = inverse(xtx(x));
        double[] b = new double[k];
        for (int a = 0; a < k; a++) {
            for (int e = 0; e < k; e++) {
                b[a] += inv[a][e] * xty[e];
            }
        }
        return b;
    }

    /** Gauss-Jordan with partial pivoting. */
    static double[][] inverse(double[][] m) {
        int k = m.length;
        double[][] a = new double[k][2 * k];
        for (int i = 0; i < k; i++) {
            System.arraycopy(m[i], 0, a[i], 0, k);
            a[i][k + i] = 1;
        }
        for (int c = 0; c < k; c++) {
            int p = c;
            for (int i = c + 1; i < k; i++) {
                if (Math.abs(a[i][c]) > Math.abs(a[p][c])) {
                    p = i;
                }
            }
            double[] tmp = a[c];
            a[c] = a[p];
            a[p] = tmp;
            double d = a[c][c];
            for (int e = 0; e < 2 * k; e++) {
                a[c][e] /= d;
            }
            for (int i = 0; i < k; i++) {
                if (i != c) {
                    double f = a[i][c];
                    for (int e = 0; e < 2 * k; e++) {
                        a[i][e] -= f * a[c][e];
                    }
                }
            }
        }
        double[][] out = new double[k][k];
        for (int i = 0; i < k; i++) {
            System.arraycopy(a[i], k, out[i], 0, k);
        }
        return out;
    }

    @Test
    void webbMatchesRowLevelBruteForceWithCovariate() {
        Data d = data(9, 11, 0.8);
        for (double beta0 : new double[] {0, 0.5, 1.7}) {
            double brute = bruteForceP(d, 3, 1, beta0, true, 999, 42, false);
            double fast = WildClusterBootstrap.pValue(d.blocks(3), 1, beta0, WildClusterBootstrap.Weights.WEBB, 999, 42);
            assertEquals(brute, fast, 0.0, "beta0 = " + beta0);
        }
    }

    @Test
    void webbMatchesRowLevelBruteForceWithoutCovariate() {
        Data d = data(10, 5, 0.0);
        double brute = bruteForceP(d, 2, 1, 0, true, 1999, 9, false);
        WildClusterBootstrap.Result r = WildClusterBootstrap.test(d.blocks(2), 1, 0, Double.NaN,
                WildClusterBootstrap.Weights.WEBB, 1999, 9);
        assertEquals(brute, r.pValue(), 0.0);
        assertEquals(1999, r.draws());
    }

    @Test
    void rademacherEnumerationMatchesBruteForce() {
        Data d = data(8, 3, 1.0);
        double brute = bruteForceP(d, 2, 1, 0, false, 0, 0, true);
        WildClusterBootstrap.Result r = WildClusterBootstrap.test(d.blocks(2), 1, 0, Double.NaN,
                WildClusterBootstrap.Weights.RADEMACHER, 10_000, 1);
        assertTrue(r.enumerated());
        assertEquals(256, r.draws());
        assertEquals(brute, r.pValue(), 0.0);
        // the all-ones sign vector reproduces the data: at least 1/256, and the sign flip gives the same |t|
        assertTrue(r.pValue() >= 2.0 / 256);
    }

    @Test
    void deterministicForASeedAndIntervalInvertsTheTest() {
        Data d = data(12, 17, 1.2);
        List<ClusterBlock> blocks = d.blocks(2);
        WildClusterBootstrap.Result a = WildClusterBootstrap.test(blocks, 1, 0, 0.05, WildClusterBootstrap.Weights.WEBB,
                999, 5);
        WildClusterBootstrap.Result b = WildClusterBootstrap.test(blocks, 1, 0, 0.05, WildClusterBootstrap.Weights.WEBB,
                999, 5);
        assertEquals(a, b);
        assertTrue(a.ciLow() < a.coefficient() && a.coefficient() < a.ciHigh());
        assertEquals(a.pValue() >= 0.05, a.ciLow() <= 0 && 0 <= a.ciHigh());
        // at the interval's ends the p-value is alpha (just inside >= alpha, just outside < alpha)
        double width = a.ciHigh() - a.ciLow();
        assertTrue(WildClusterBootstrap.pValue(blocks, 1, a.ciHigh() - 1e-6 * width, WildClusterBootstrap.Weights.WEBB, 999, 5) >= 0.05);
        assertTrue(WildClusterBootstrap.pValue(blocks, 1, a.ciHigh() + 1e-6 * width, WildClusterBootstrap.Weights.WEBB, 999, 5) < 0.05);
    }

    /**
     * Size under the null: 400 datasets of 12 clusters (6 treated, sizes 50-150 rows, cluster effects with ICC 0.5),
     * rejection at 5% by the WCR bootstrap (Webb, 399 draws) and by exact randomization inference (924 assignments)
     * each within [2%, 9%].
     */
    @Test
    void sizeUnderTheNullWithTwelveClusters() {
        SplittableRandom rng = new SplittableRandom(2026);
        int g = 12;
        int reps = 400;
        int wcr = 0;
        int ri = 0;
        for (int rep = 0; rep < reps; rep++) {
            double[] n = new double[g];
            double[] s = new double[g];
            boolean[] t = new boolean[g];
            int[] order = shuffled(g, rng);
            for (int i = 0; i < g / 2; i++) {
                t[order[i]] = true;
            }
            for (int h = 0; h < g; h++) {
                n[h] = 50 + rng.nextInt(101);
                double u = rng.nextGaussian();
                // sum of n_h rows y = 1 + u + e, e ~ N(0,1): sum = n (1 + u) + sqrt(n) z
                s[h] = n[h] * (1 + u) + Math.sqrt(n[h]) * rng.nextGaussian();
            }
            double p = WildClusterBootstrap.pValue(TreatmentBlocks.of(n, s, t), 1, 0, WildClusterBootstrap.Weights.WEBB,
                    399, rep);
            if (p < 0.05) {
                wcr++;
            }
            ClusterRandomizationInference.Result r = ClusterRandomizationInference.test(n, s, t, null, Double.NaN,
                    10_000, rep);
            assertTrue(r.exact());
            if (r.pValue() < 0.05) {
                ri++;
            }
        }
        double wcrRate = (double) wcr / reps;
        double riRate = (double) ri / reps;
        System.out.println("size: WCR " + wcrRate + ", RI " + riRate);
        assertTrue(wcrRate >= 0.02 && wcrRate <= 0.09, "WCR rejection rate " + wcrRate);
        assertTrue(riRate >= 0.02 && riRate <= 0.09, "RI rejection rate " + riRate);
    }

    /**
     * The per-cluster-sum blocks give the same CR2 standard error and Satterthwaite df as the row-level blocks, and the
     * closed form of CR2 for a difference in means, {@code sum_g (S_g - n_g ybar_a)^2 / (N_a^2 (1 - n_g / N_a))}.
     */
    @Test
    void cr2FromClusterSumsMatchesRowLevelAndClosedForm() {
        Data d = data(10, 23, 0.4);
        List<ClusterBlock> rows = d.blocks(2);
        double[] n = new double[d.g];
        double[] s = new double[d.g];
        boolean[] t = new boolean[d.g];
        for (int i = 0; i < d.y.length; i++) {
            n[d.cluster[i]]++;
            s[d.cluster[i]] += d.y[i];
            t[d.cluster[i]] = d.x[i][1] == 1;
        }
        CoefficientTable fromRows = ClusterRobustOls.fit(rows).cr2();
        CoefficientTable fromSums = ClusterRobustOls.fit(TreatmentBlocks.of(n, s, t)).cr2();
        assertEquals(fromRows.coefficient(1), fromSums.coefficient(1), 1e-12);
        assertEquals(fromRows.se(1), fromSums.se(1), 1e-12 * fromRows.se(1));
        assertEquals(fromRows.df(1), fromSums.df(1), 1e-9 * fromRows.df(1));
        double[] bigN = new double[2];
        double[] bigS = new double[2];
        for (int h = 0; h < d.g; h++) {
            bigN[t[h] ? 1 : 0] += n[h];
            bigS[t[h] ? 1 : 0] += s[h];
        }
        double v = 0;
        for (int h = 0; h < d.g; h++) {
            int a = t[h] ? 1 : 0;
            double e = s[h] - n[h] * bigS[a] / bigN[a];
            v += e * e / (bigN[a] * bigN[a] * (1 - n[h] / bigN[a]));
        }
        assertEquals(Math.sqrt(v), fromSums.se(1), 1e-10 * Math.sqrt(v));
    }

    static int[] shuffled(int g, SplittableRandom rng) {
        int[] a = new int[g];
        for (int i = 0; i < g; i++) {
            a[i] = i;
        }
        for (int i = g - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
        return a;
    }
}

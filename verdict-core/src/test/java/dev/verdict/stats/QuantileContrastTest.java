package dev.verdict.stats;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Quantile contrasts: the probability grid, and nominal coverage of the true quantile difference with known truth
 * (lognormal latency), for request randomization and for user randomization with correlated requests, where the
 * request-level formula is the positive control that under-covers.
 */
class QuantileContrastTest {

    /** Type-7 quantile (R's default, DuckDB's quantile_cont) of sorted values. */
    static double type7(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    @Test
    void gridStaysInsideTheUnitInterval() {
        List<Double> ps = QuantileContrast.probabilities(0.99);
        assertEquals(0.99, ps.get(0));
        assertTrue(ps.stream().allMatch(p -> p > 0 && p < 1));
        assertTrue(ps.contains(QuantileContrast.round(0.99 + 0.005)));
        assertTrue(!ps.contains(QuantileContrast.round(0.99 + 0.02)), "0.99 + 0.02 is outside (0, 1)");
    }

    @ParameterizedTest
    @CsvSource({"0.5, 5", "0.95, 6", "0.99, 7"})
    void requestLevelIntervalsCoverTheTrueDifference(double p, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int reps = 300;
        int n = 4000;
        int covered = 0;
        for (int rep = 0; rep < reps; rep++) {
            double[] t = new double[n];
            double[] c = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = Math.exp(6 + 0.5 * DeltaMethodRatioTest.gaussian(rnd));
                c[i] = Math.exp(6 + 0.5 * DeltaMethodRatioTest.gaussian(rnd));
            }
            Arrays.sort(t);
            Arrays.sort(c);
            QuantileContrast.ArmQuantile qt = QuantileContrast.arm(p, x -> type7(t, x), p * (1 - p) / n, 0.05);
            QuantileContrast.ArmQuantile qc = QuantileContrast.arm(p, x -> type7(c, x), p * (1 - p) / n, 0.05);
            Estimate e = QuantileContrast.contrast(qt, qc, 0.05, "sparsity");
            covered += e.ciLow() <= 0 && 0 <= e.ciHigh() ? 1 : 0;
        }
        // Known truth: both arms share one distribution, so the true difference is 0. Nominal 95%; 300 replications
        // give a binomial SD of 1.3 points; [0.91, 0.99] is a 3-SD band.
        double coverage = covered / (double) reps;
        assertTrue(coverage > 0.91 && coverage < 0.99, "coverage " + coverage + " at p = " + p);
    }

    @Test
    void clusteredIntervalsCoverWhenRequestsOfAUserAreCorrelated() {
        SplittableRandom rnd = new SplittableRandom(9);
        double p = 0.9;
        int reps = 200;
        int coveredClustered = 0;
        int coveredNaive = 0;
        for (int rep = 0; rep < reps; rep++) {
            double[][] values = new double[2][];
            int[][] owner = new int[2][];
            int users = 400;
            double[][] buf = {new double[users * 20], new double[users * 20]};
            int[][] own = {new int[users * 20], new int[users * 20]};
            int[] len = new int[2];
            for (int u = 0; u < users; u++) {
                int arm = u % 2;
                double speed = 0.6 * DeltaMethodRatioTest.gaussian(rnd);
                int k = 1 + rnd.nextInt(19);
                for (int q = 0; q < k; q++) {
                    buf[arm][len[arm]] = Math.exp(6 + speed + 0.3 * DeltaMethodRatioTest.gaussian(rnd));
                    own[arm][len[arm]++] = u;
                }
            }
            QuantileContrast.ArmQuantile[] clustered = new QuantileContrast.ArmQuantile[2];
            QuantileContrast.ArmQuantile[] naive = new QuantileContrast.ArmQuantile[2];
            for (int arm = 0; arm < 2; arm++) {
                values[arm] = Arrays.copyOf(buf[arm], len[arm]);
                owner[arm] = Arrays.copyOf(own[arm], len[arm]);
                double[] sorted = values[arm].clone();
                Arrays.sort(sorted);
                double q = type7(sorted, p);
                double[] below = new double[users];
                double[] present = new double[users];
                for (int i = 0; i < len[arm]; i++) {
                    present[owner[arm][i]]++;
                    if (values[arm][i] <= q) {
                        below[owner[arm][i]]++;
                    }
                }
                Moments.Accumulator acc = new Moments.Accumulator(2);
                for (int u = arm; u < users; u += 2) {
                    acc.add(below[u], present[u]);
                }
                double v = QuantileContrast.clusteredEcdfVariance(acc.toMoments());
                clustered[arm] = QuantileContrast.arm(p, x -> type7(sorted, x), v, 0.05);
                naive[arm] = QuantileContrast.arm(p, x -> type7(sorted, x), p * (1 - p) / len[arm], 0.05);
            }
            Estimate ec = QuantileContrast.contrast(clustered[1], clustered[0], 0.05, "clustered");
            Estimate en = QuantileContrast.contrast(naive[1], naive[0], 0.05, "naive");
            coveredClustered += ec.ciLow() <= 0 && 0 <= ec.ciHigh() ? 1 : 0;
            coveredNaive += en.ciLow() <= 0 && 0 <= en.ciHigh() ? 1 : 0;
        }
        double cc = coveredClustered / (double) reps;
        double cn = coveredNaive / (double) reps;
        // Known truth: difference 0. Nominal 95%, 200 replications (SD 1.5 points): [0.90, 0.99].
        assertTrue(cc > 0.90 && cc < 0.99, "clustered coverage " + cc);
        // Positive control: the request-level formula ignores the user effect and under-covers.
        assertTrue(cn < 0.80, "naive coverage " + cn);
    }
}

package dev.verdict.switchback;

import dev.verdict.assign.SwitchbackSchedule;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HorvitzThompsonTest {
    private static final long ORIGIN = 1_767_571_200L;

    private static BlockSeries series(double[] y, boolean[] w) {
        long[] b = new long[y.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = i;
        }
        return BlockSeries.of(b, w, y, ORIGIN, 3600);
    }

    private static double ht(BlockSeries s, ScheduleDesign d, int m) {
        double[] p1 = d.pathProbabilities(s, m, true, 0, 0);
        double[] p0 = d.pathProbabilities(s, m, false, 0, 0);
        return BlockEstimators.horvitzThompson(s, s.arms(), m, p1, p0, s.runOfKnown());
    }

    @Test
    void handComputationOnASixBlockPath() {
        // arms 1 1 0 0 1 0, m = 1: eligible t = 1..5 (T - m = 5); all-treated path at t = 1 (y 12), all-control at
        // t = 3 (y 4); t = 2, 4, 5 mix both arms and contribute 0
        double[] y = {10, 12, 5, 4, 9, 3};
        boolean[] w = {true, true, false, false, true, false};
        BlockSeries s = series(y, w);
        // Bernoulli(1/2): both paths have probability 1/4: (12 / 0.25 - 4 / 0.25) / 5 = 6.4
        assertEquals(6.4, ht(s, new ScheduleDesign(ScheduleDesign.Kind.BERNOULLI, 0.5, 0), 1), 1e-12);
        // complete, 3 of 6 treated: Pr(two given blocks treated) = 3/6 * 2/5 = 0.2: (60 - 20) / 5 = 8
        assertEquals(8.0, ht(s, new ScheduleDesign(ScheduleDesign.Kind.COMPLETE, 0.5, 0), 1), 1e-12);
        // m = 0 under Bernoulli(1/2) is the plain Horvitz-Thompson contrast (2/6)(sum_T y - sum_C y)
        assertEquals((10 + 12 + 9 - 5 - 4 - 3) * 2 / 6.0, ht(s, new ScheduleDesign(ScheduleDesign.Kind.BERNOULLI, 0.5, 0), 0),
                1e-12);
    }

    @Test
    void minimaxRegretPathProbabilitiesCountTheSegmentsAWindowMeets() {
        // T = 8, m = 1: points 0, 2, 3, 4, 5, 6; window [t-1, t] meets 1 segment at t = 1 and t = 7, else 2
        BlockSeries s = series(new double[8], new boolean[8]);
        double[] p = new ScheduleDesign(ScheduleDesign.Kind.MINIMAX_REGRET, 0.5, 1).pathProbabilities(s, 1, true, 0, 0);
        assertTrue(Double.isNaN(p[0]));
        assertArrayEquals(new double[] {0.5, 0.25, 0.25, 0.25, 0.25, 0.25, 0.5},
                java.util.Arrays.copyOfRange(p, 1, 8), 0.0);
    }

    /** Outcomes with carryover of order 1: Y_t = base_t + 2 W_t + 1 W_{t-1}; the lag-1 effect is 3 at every t. */
    private static double[] outcomes(double[] base, boolean[] w) {
        double[] y = new double[w.length];
        for (int t = 0; t < w.length; t++) {
            y[t] = base[t] + (w[t] ? 2 : 0) + (t > 0 && w[t - 1] ? 1 : 0);
        }
        return y;
    }

    @Test
    void unbiasedForTheLagOneEffectOverEveryBernoulliAssignment() {
        double[] base = {5, 7, 3, 8, 2, 6, 4, 9};
        double total = 0;
        double naive = 0;
        int n = 1 << base.length;
        for (int mask = 0; mask < n; mask++) {
            boolean[] w = new boolean[base.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = (mask >>> i & 1) != 0;
            }
            BlockSeries s = series(outcomes(base, w), w);
            total += ht(s, new ScheduleDesign(ScheduleDesign.Kind.BERNOULLI, 0.5, 0), 1);
            double d = BlockEstimators.meanDifference(s, w);
            naive += Double.isNaN(d) ? 0 : d;
        }
        assertEquals(3.0, total / n, 1e-9); // exactly unbiased for the lag-1 effect
        assertTrue(Math.abs(naive / (n - 2) - 3.0) > 0.5, "the block difference in means misses the carryover part");
    }

    @Test
    void unbiasedOverEveryMinimaxRegretAssignment() {
        double[] base = {5, 7, 3, 8, 2, 6, 4, 9, 1, 5};
        int m = 1;
        int[] points = SwitchbackSchedule.minimaxRegretPoints(base.length, m);
        ScheduleDesign d = new ScheduleDesign(ScheduleDesign.Kind.MINIMAX_REGRET, 0.5, m);
        double total = 0;
        int n = 1 << points.length;
        for (int mask = 0; mask < n; mask++) {
            boolean[] w = new boolean[base.length];
            for (int i = 0; i < points.length; i++) {
                int end = i + 1 < points.length ? points[i + 1] : base.length;
                for (int b = points[i]; b < end; b++) {
                    w[b] = (mask >>> i & 1) != 0;
                }
            }
            total += ht(series(outcomes(base, w), w), d, m);
        }
        assertEquals(3.0, total / n, 1e-9);
    }

    /**
     * E[variance estimate] = Var(HT) + (1/N^2) sum over ordered incompatible pairs (Y_t(a) - Y_u(b))^2 / 2, both sides
     * computed by enumerating every assignment of the design's coins.
     */
    private static void checkVarianceIdentity(double[] base, int m, ScheduleDesign d, int[] points) {
        int coins = points.length;
        int n = 1 << coins;
        double sum = 0;
        double sumSq = 0;
        double sumV = 0;
        for (int mask = 0; mask < n; mask++) {
            boolean[] w = new boolean[base.length];
            for (int i = 0; i < coins; i++) {
                int end = i + 1 < coins ? points[i + 1] : base.length;
                for (int b = points[i]; b < end; b++) {
                    w[b] = (mask >>> i & 1) != 0;
                }
            }
            BlockSeries s = series(outcomes(base, w), w);
            double h = ht(s, d, m);
            sum += h;
            sumSq += h * h;
            sumV += HorvitzThompsonVariance.conservative(s, w, m, d);
        }
        double variance = sumSq / n - (sum / n) * (sum / n);
        // the slack: windows [t-m, t] and [u-m, u] sharing a coin, arms a != b; Y_t(1^{m+1}) = base + 3, Y_t(0) = base
        int[] seg = new int[base.length];
        for (int b = 0, i = 0; b < base.length; b++) {
            while (i + 1 < coins && points[i + 1] <= b) {
                i++;
            }
            seg[b] = i;
        }
        double slack = 0;
        int eligible = base.length - m;
        for (int t = m; t < base.length; t++) {
            for (int u = m; u < base.length; u++) {
                boolean overlap = !(seg[u] < seg[t - m] || seg[u - m] > seg[t]);
                if (overlap) {
                    for (int a = 0; a < 2; a++) {
                        double yt = base[t] + (a == 1 ? 3 : 0);
                        double yu = base[u] + (a == 1 ? 0 : 3);
                        slack += (yt - yu) * (yt - yu) / 2;
                    }
                }
            }
        }
        slack /= (double) eligible * eligible;
        assertEquals(variance + slack, sumV / n, 1e-9 * (variance + slack));
        assertTrue(sumV / n >= variance);
    }

    @Test
    void conservativeVarianceExceedsTheTrueVarianceByExactlyTheYoungSlackUnderBernoulli() {
        double[] base = {5, 7, 3, 8, 2, 6, 4, 9};
        checkVarianceIdentity(base, 1, new ScheduleDesign(ScheduleDesign.Kind.BERNOULLI, 0.5, 0),
                SwitchbackSchedule.minimaxRegretPoints(base.length, 0));
        checkVarianceIdentity(base, 2, new ScheduleDesign(ScheduleDesign.Kind.BERNOULLI, 0.5, 0),
                SwitchbackSchedule.minimaxRegretPoints(base.length, 0));
    }

    @Test
    void conservativeVarianceIdentityUnderTheMinimaxRegretDesign() {
        double[] base = {5, 7, 3, 8, 2, 6, 4, 9, 1, 5, 6, 2};
        checkVarianceIdentity(base, 1, new ScheduleDesign(ScheduleDesign.Kind.MINIMAX_REGRET, 0.5, 1),
                SwitchbackSchedule.minimaxRegretPoints(base.length, 1));
        checkVarianceIdentity(base, 2, new ScheduleDesign(ScheduleDesign.Kind.MINIMAX_REGRET, 0.5, 2),
                SwitchbackSchedule.minimaxRegretPoints(base.length, 2));
    }
}

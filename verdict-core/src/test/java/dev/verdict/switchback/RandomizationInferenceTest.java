package dev.verdict.switchback;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomizationInferenceTest {
    private static final long ORIGIN = 1_767_571_200L;

    private static BlockSeries series(double[] y, boolean[] w) {
        long[] b = new long[y.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = i;
        }
        return BlockSeries.of(b, w, y, ORIGIN, 3600);
    }

    /** p by brute force: every k-subset of n blocks, by recursion (not Gosper's hack). */
    private static double[] enumerate(BlockSeries s, int n, int k) {
        double obs = Math.abs(BlockEstimators.meanDifference(s, s.arms()));
        int[] counts = new int[2];
        recurse(s, new boolean[n], 0, k, obs, counts);
        return new double[] {counts[0] / (double) counts[1], counts[1]};
    }

    private static void recurse(BlockSeries s, boolean[] w, int from, int left, double obs, int[] counts) {
        if (left == 0) {
            counts[1]++;
            if (Math.abs(BlockEstimators.meanDifference(s, w)) >= obs * (1 - 1e-10)) {
                counts[0]++;
            }
            return;
        }
        for (int i = from; i <= w.length - left; i++) {
            w[i] = true;
            recurse(s, w, i + 1, left - 1, obs, counts);
            w[i] = false;
        }
    }

    @Test
    void eightBlocksCompleteRandomizationIsExactEnumerationOfSeventyAssignments() {
        double[] y = {3.1, 2.4, 5.0, 4.2, 1.0, 2.2, 3.9, 0.7};
        boolean[] w = {true, false, true, true, false, false, true, false};
        BlockSeries s = series(y, w);
        ScheduleDesign design = new ScheduleDesign(ScheduleDesign.Kind.COMPLETE, 0.5, 0);
        RandomizationInference.Result r = RandomizationInference.test(s, design,
                List.of(x -> BlockEstimators.meanDifference(s, x)), 10_000, 1)[0];
        double[] brute = enumerate(s, 8, 4);
        assertEquals(70, brute[1]);
        assertTrue(r.exact());
        assertEquals(70, r.draws());
        assertEquals(brute[0], r.pValue(), 0.0);
        // treated are the four largest values: mean 4.05 vs 1.575, difference 2.475; only this split and its mirror
        // reach it
        assertEquals(2.475, r.observed(), 1e-12);
        assertEquals(2.0 / 70, r.pValue(), 0.0);
        assertEquals(2.0 / 70, r.smallestP(), 0.0); // arms swapped gives -T: every |T| comes in pairs
    }

    @Test
    void monteCarloAgreesWithEnumerationWithinItsError() {
        double[] y = {3.1, 2.4, 5.0, 4.2, 1.0, 2.2, 3.9, 0.7, 2.8, 3.3, 1.9, 2.0, 4.4, 2.6, 3.0, 1.5};
        boolean[] w = {true, false, true, false, false, true, true, false, true, false, false, true, true, false,
                true, false};
        BlockSeries s = series(y, w);
        ScheduleDesign design = new ScheduleDesign(ScheduleDesign.Kind.COMPLETE, 0.5, 0);
        RandomizationInference.Result r = RandomizationInference.test(s, design,
                List.of(x -> BlockEstimators.meanDifference(s, x)), 10_000, 7)[0];
        double[] brute = enumerate(s, 16, 8); // 12,870 assignments: more than 10,000 draws, so Monte Carlo
        assertEquals(12_870, brute[1]);
        assertFalse(r.exact());
        assertEquals(10_000, r.draws());
        assertEquals(1 / 10_001.0, r.smallestP(), 0.0);
        double se = Math.sqrt(brute[0] * (1 - brute[0]) / 10_000);
        assertEquals(brute[0], r.pValue(), 4 * se + 1e-4, "exact " + brute[0] + ", Monte Carlo " + r.pValue());
    }

    @Test
    void pValuesAreUniformUnderTheNullForEveryGenerator() {
        // null data: block values do not depend on the arm; the RI p-value must reject about alpha of the time
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        for (ScheduleDesign.Kind kind : ScheduleDesign.Kind.values()) {
            ScheduleDesign design = new ScheduleDesign(kind, 0.5, kind == ScheduleDesign.Kind.MINIMAX_REGRET ? 1 : 0);
            int reps = 300;
            int rejected = 0;
            for (int rep = 0; rep < reps; rep++) {
                int n = 48;
                double[] y = new double[n];
                for (int i = 0; i < n; i++) {
                    y[i] = Math.sin(i / 3.0) + rng.nextGaussian();
                }
                BlockSeries proto = series(y, new boolean[n]);
                boolean[] w = new boolean[n];
                design.draw(proto, rng, w, new int[n]);
                if (kind == ScheduleDesign.Kind.COMPLETE) {
                    java.util.Arrays.fill(w, false);
                    for (int i = 0; i < n / 2; i++) {
                        w[i] = true;
                    }
                    for (int i = n - 1; i > 0; i--) {
                        int j = rng.nextInt(i + 1);
                        boolean t = w[i];
                        w[i] = w[j];
                        w[j] = t;
                    }
                }
                int k = 0;
                for (boolean b : w) {
                    k += b ? 1 : 0;
                }
                if (k < 2 || k > n - 2) {
                    rep--;
                    continue;
                }
                BlockSeries s = series(y, w);
                double p = RandomizationInference.test(s, design, List.of(x -> BlockEstimators.meanDifference(s, x)),
                        400, rep)[0].pValue();
                rejected += p <= 0.05 ? 1 : 0;
            }
            double rate = rejected / (double) reps;
            assertTrue(rate > 0.01 && rate < 0.10, kind + ": rejection rate " + rate);
        }
    }

    @Test
    void aLoggedScheduleThatTheDeclaredGeneratorCannotDrawIsNamed() {
        // minimax regret for m = 2 over 12 blocks: points 0, 4, 6, 8; a switch at block 2 is not a point
        boolean[] w = {true, true, false, false, true, true, false, false, true, true, true, true};
        BlockSeries s = series(new double[12], w);
        ScheduleDesign minimax = new ScheduleDesign(ScheduleDesign.Kind.MINIMAX_REGRET, 0.5, 2);
        assertTrue(minimax.inconsistency(s).contains("block 2"), minimax.inconsistency(s));
        boolean[] ok = {true, true, true, true, false, false, true, true, false, false, false, false};
        assertEquals(null, minimax.inconsistency(series(new double[12], ok)));
        // within day, hourly blocks at share 1/2: a full day with 13 treated blocks is not a draw
        boolean[] day = new boolean[48];
        for (int i = 0; i < 48; i++) {
            day[i] = i % 2 == 0;
        }
        ScheduleDesign withinDay = new ScheduleDesign(ScheduleDesign.Kind.WITHIN_DAY, 0.5, 0);
        assertEquals(null, withinDay.inconsistency(series(new double[48], day)));
        day[1] = true;
        assertTrue(withinDay.inconsistency(series(new double[48], day)).contains("treats 13 of its 24"),
                withinDay.inconsistency(series(new double[48], day)));
        assertEquals(null, new ScheduleDesign(ScheduleDesign.Kind.COMPLETE, 0.5, 0).inconsistency(series(new double[48],
                day)));
    }
}

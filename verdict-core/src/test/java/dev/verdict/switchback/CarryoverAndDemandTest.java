package dev.verdict.switchback;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CarryoverAndDemandTest {
    private static final long MONDAY = 1_767_571_200L; // 2026-01-05T00:00:00Z

    /**
     * Hourly blocks, Bernoulli(1/2); the policy's effect is 0.5, but in the first half of a block a share {@code carry}
     * of it still comes from the previous block's policy: {@code y1 = base + 0.5 ((1 - c) W_t + c W_{t-1})}, so the
     * first-half effect is {@code 0.5 (1 - c)} and the lag-1 effect on the whole block {@code 0.25 c}.
     */
    private static BlockSeries simulate(int n, double carry, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] stratum = new int[n];
        long[] block = new long[n];
        boolean[] w = new boolean[n];
        double[] num = new double[n];
        double[] den = new double[n];
        double[] y1 = new double[n];
        double[] y2 = new double[n];
        for (int i = 0; i < n; i++) {
            block[i] = i;
            w[i] = rng.nextBoolean();
            double base = 1 + 0.3 * Math.sin(2 * Math.PI * i / 24) + 0.1 * rng.nextGaussian();
            double prev = i > 0 && w[i - 1] ? 1 : 0;
            y1[i] = base + 0.5 * ((1 - carry) * (w[i] ? 1 : 0) + carry * prev) + 0.05 * rng.nextGaussian();
            y2[i] = base + (w[i] ? 0.5 : 0) + 0.05 * rng.nextGaussian();
            num[i] = (y1[i] + y2[i]) / 2 * 100;
            den[i] = 100;
        }
        return new BlockSeries(List.of(""), stratum, block, w, num, den, y1, y2, MONDAY, 3600, 0);
    }

    @Test
    void plantedCarryoverIsDetectedByBothTestsAndItsOrderEstimated() {
        CarryoverTest.Result r = CarryoverTest.run(simulate(400, 0.6, 1), 2, 0.05);
        assertTrue(r.lags().get(0).pValue() < 1e-4, "lag 1 p " + r.lags().get(0).pValue());
        assertEquals(0.15, r.lags().get(0).estimate(), 3 * r.lags().get(0).se()); // 0.25 c
        assertTrue(r.lags().get(1).pValue() > 0.01, "lag 2 p " + r.lags().get(1).pValue());
        assertTrue(r.estimatedOrder() >= 1, "order " + r.estimatedOrder()); // lag 2 is a chance 0.01 < p < 0.05 here
        assertTrue(r.halvesDiff().pValue() < 1e-6, "halves p " + r.halvesDiff().pValue());
        assertEquals(-0.3, r.halvesDiff().estimate(), 3 * r.halvesDiff().se()); // 0.5 (1 - c) - 0.5
        assertEquals(0.2, r.firstHalf().estimate(), 3 * r.firstHalf().se());
        // the second halves are clean: their effect is the true 0.5
        assertEquals(0.5, r.secondHalf().estimate(), 3 * r.secondHalf().se());
    }

    @Test
    void cleanLogsRejectAtTheNominalRate() {
        int reps = 200;
        int lagRejects = 0;
        int halvesRejects = 0;
        int orderZero = 0;
        for (int rep = 0; rep < reps; rep++) {
            CarryoverTest.Result r = CarryoverTest.run(simulate(120, 0, 100 + rep), 2, 0.05);
            lagRejects += r.lags().get(0).pValue() < 0.05 ? 1 : 0;
            halvesRejects += r.halvesDiff().pValue() < 0.05 ? 1 : 0;
            orderZero += r.estimatedOrder() == 0 ? 1 : 0;
        }
        assertTrue(lagRejects <= 20 && lagRejects >= 2, "lag-1 rejections " + lagRejects + " of " + reps);
        assertTrue(halvesRejects <= 20 && halvesRejects >= 2, "halves rejections " + halvesRejects + " of " + reps);
        assertTrue(orderZero >= 180, "order 0 estimated " + orderZero + " of " + reps);
    }

    @Test
    void demandAdjustmentRemovesAPlantedHourOfDayConfound() {
        // a week of hourly blocks; afternoons and evenings (12-23 UTC) are busier (+1) and treated with probability 0.8,
        // mornings with probability 0.2: the unadjusted comparison mixes the hour effect into the arm effect (0.2)
        SplittableRandom rng = new SplittableRandom(3);
        int n = 24 * 7;
        long[] block = new long[n];
        boolean[] w = new boolean[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            block[i] = i;
            int hour = i % 24;
            boolean busy = hour >= 12;
            w[i] = rng.nextDouble() < (busy ? 0.8 : 0.2);
            y[i] = (busy ? 1 : 0) + (w[i] ? 0.2 : 0) + 0.1 * rng.nextGaussian();
        }
        BlockSeries s = BlockSeries.of(block, w, y, MONDAY, 3600);
        double naive = BlockEstimators.meanDifference(s, w);
        assertTrue(naive > 0.6, "unadjusted " + naive);
        DemandAdjustment.Result r = DemandAdjustment.run(s, 0.05);
        assertTrue(r.estimate().isPresent(), r.reason().orElse(""));
        assertEquals(0.2, r.estimate().get().estimate(), 3 * r.estimate().get().se());
        assertTrue(r.estimate().get().se() < 0.03);
        assertEquals(24, r.hours());
        assertTrue(r.weekend());
    }

    @Test
    void aScheduleConfoundedWithTheHourIsNotIdentified() {
        int n = 24 * 3;
        long[] block = new long[n];
        boolean[] w = new boolean[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            block[i] = i;
            w[i] = i % 24 >= 12; // treatment every afternoon, never in the morning
            y[i] = i % 7;
        }
        DemandAdjustment.Result r = DemandAdjustment.run(BlockSeries.of(block, w, y, MONDAY, 3600), 0.05);
        assertFalse(r.estimate().isPresent());
        assertTrue(r.reason().orElseThrow().contains("did not balance hour of day"), r.reason().orElseThrow());
        assertEquals(0, r.hoursBothArms());
    }
}

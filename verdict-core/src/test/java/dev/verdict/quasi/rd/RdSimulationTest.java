package dev.verdict.quasi.rd;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Known truth from simulated designs (seeded {@link SplittableRandom}). */
class RdSimulationTest {
    static final double JUMP = 0.8;

    /** x ~ U(-1, 1), y = 0.5 + 0.9 x - 1.2 x^2 + JUMP 1{x >= 0} + N(0, 0.5^2). */
    static double[][] sharp(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 2 * r.nextDouble() - 1;
            y[i] = 0.5 + 0.9 * x[i] - 1.2 * x[i] * x[i] + (x[i] >= 0 ? JUMP : 0) + 0.5 * r.nextGaussian();
        }
        return new double[][] {y, x};
    }

    /**
     * Robust bias-corrected 95% intervals with MSE-optimal bandwidths cover the true jump close to nominally (CCT
     * 2014); 300 seeds give a binomial standard error of 1.3 points, so [0.90, 0.99] is a 4-sigma band around 0.95.
     */
    @Test
    void robustIntervalCoversTheKnownJump() {
        int seeds = 300;
        int covered = 0;
        double sum = 0;
        for (int s = 0; s < seeds; s++) {
            double[][] d = sharp(1000 + s, 1000);
            RdEstimate e = RdRobust.withDefaults().sharp(d[0], d[1], 0.0);
            if (e.robust().ciLow() <= JUMP && JUMP <= e.robust().ciHigh()) {
                covered++;
            }
            sum += e.robust().estimate();
        }
        double coverage = covered / (double) seeds;
        assertTrue(coverage >= 0.90 && coverage <= 0.99, "robust coverage " + coverage);
        assertEquals(JUMP, sum / seeds, 0.03, "mean bias-corrected estimate over seeds");
    }

    /** Fuzzy RD: take-up jumps from 0.2 to 0.7, outcome effect of take-up 2.0, so the Wald ratio is 2.0. */
    @Test
    void fuzzyRecoversTheLocalWaldRatio() {
        SplittableRandom r = new SplittableRandom(7);
        int n = 20_000;
        double[] x = new double[n];
        double[] d = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 2 * r.nextDouble() - 1;
            double pTake = (x[i] >= 0 ? 0.7 : 0.2) + 0.1 * x[i];
            d[i] = r.nextDouble() < pTake ? 1 : 0;
            y[i] = 1 + 0.5 * x[i] + 2.0 * d[i] + r.nextGaussian();
        }
        RdEstimate e = RdRobust.withDefaults().fuzzy(y, d, x, 0.0);
        assertTrue(e.fuzzy());
        assertTrue(e.robust().ciLow() < 2.0 && 2.0 < e.robust().ciHigh(), "robust CI " + e.robust());
        assertTrue(e.firstStage().robust().ciLow() < 0.5 && 0.5 < e.firstStage().robust().ciHigh(),
                "first stage " + e.firstStage().robust());
        assertEquals(2.0, e.conventional().estimate(), 0.5);
    }

    /** With take-up equal to the treatment indicator, fuzzy RD is sharp RD: same bandwidths, estimates and SEs. */
    @Test
    void fuzzyWithFullComplianceEqualsSharp() {
        double[][] s = sharp(3, 2000);
        double[] d = new double[s[1].length];
        for (int i = 0; i < d.length; i++) {
            d[i] = s[1][i] >= 0 ? 1 : 0;
        }
        RdEstimate sharp = RdRobust.withDefaults().sharp(s[0], s[1], 0.0);
        RdEstimate fuzzy = RdRobust.withDefaults().fuzzy(s[0], d, s[1], 0.0);
        assertEquals(sharp.bandwidths(), fuzzy.bandwidths());
        assertEquals(sharp.conventional().estimate(), fuzzy.conventional().estimate(), 1e-12);
        assertEquals(sharp.robust().estimate(), fuzzy.robust().estimate(), 1e-12);
        assertEquals(sharp.conventional().se(), fuzzy.conventional().se(), 1e-12);
        assertEquals(sharp.robust().se(), fuzzy.robust().se(), 1e-12);
        assertEquals(1.0, fuzzy.firstStage().conventional().estimate(), 1e-12);
    }

    /** Positive control: bunching just above the cutoff (units pushing themselves over it) fails the density test. */
    @Test
    void densityTestDetectsBunching() {
        SplittableRandom r = new SplittableRandom(11);
        int n = 4000;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 2 * r.nextDouble() - 1;
            if (x[i] < 0 && x[i] > -0.2 && r.nextDouble() < 0.5) {
                x[i] = -x[i];
            }
        }
        DensityTestResult d = DensityTest.withDefaults().test(x, 0.0);
        assertTrue(!d.passes(0.05), "bunching must fail the density test: " + d);
        assertTrue(d.statistic() > 0, "more mass above the cutoff gives T > 0");
        double[] clean = new double[n];
        SplittableRandom r2 = new SplittableRandom(11);
        for (int i = 0; i < n; i++) {
            clean[i] = 2 * r2.nextDouble() - 1;
        }
        assertTrue(DensityTest.withDefaults().test(clean, 0.0).passes(0.05), "a uniform running variable passes");
    }

    /** Positive control: a covariate that jumps at the cutoff fails continuity; a smooth one passes. */
    @Test
    void covariateContinuityDetectsAJump() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 3000;
        double[] x = new double[n];
        double[] smooth = new double[n];
        double[] jumps = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 2 * r.nextDouble() - 1;
            smooth[i] = 1 + x[i] + r.nextGaussian();
            jumps[i] = 1 + x[i] + (x[i] >= 0 ? 0.6 : 0) + r.nextGaussian();
        }
        var results = CovariateContinuity.check(RdRobust.withDefaults(), x, 0.0,
                java.util.List.of(new Covariate("smooth", smooth), new Covariate("jumps", jumps)), 0.05);
        assertEquals("smooth", results.get(0).name());
        assertTrue(results.get(0).passes(), "smooth covariate: " + results.get(0).estimate().robust());
        assertTrue(!results.get(1).passes(), "jumping covariate: " + results.get(1).estimate().robust());
        assertTrue(results.get(1).pHolm() >= results.get(1).estimate().robust().pValue(), "Holm never lowers p");
    }
}

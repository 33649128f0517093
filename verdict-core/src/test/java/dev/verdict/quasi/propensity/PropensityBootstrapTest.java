package dev.verdict.quasi.propensity;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two-step bootstrap: deterministic for a seed whatever the thread count, and its SE tracks the real spread. */
class PropensityBootstrapTest {

    private static PropensityData simulate(long seed, int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x1 = new double[n];
        double[] x2 = new double[n];
        double[] y = new double[n];
        boolean[] t = new boolean[n];
        for (int i = 0; i < n; i++) {
            x1[i] = rng.nextGaussian();
            x2[i] = rng.nextDouble() < 0.4 ? 1 : 0;
            t[i] = rng.nextDouble() < 1 / (1 + Math.exp(-(-0.3 + 0.9 * x1[i] + 0.7 * x2[i])));
            y[i] = 1 + 2 * x1[i] + x2[i] + (t[i] ? 0.5 + 0.5 * x1[i] : 0) + rng.nextGaussian();
        }
        return PropensityData.of(y, t, Covariates.of(List.of("x1", "x2"), new double[][] {x1, x2}));
    }

    @Test
    void oneAndFourThreadsGiveIdenticalResults() {
        PropensityData d = PropensityReference.lalonde().data();
        PropensityWeighting base = PropensityWeighting.withDefaults().withBootstrap(200, 2024)
                .withTrimming(TrimRule.interval(0.1), TrimRule.crump());
        PropensityResult one = base.withThreads(1).analyze(d);
        PropensityResult four = base.withThreads(4).analyze(d);
        assertEquals(one.effects(), four.effects(), "every estimate, interval and method string");
        assertEquals(one.trimmed(), four.trimmed());
        for (WeightedEffect e : one.effects()) {
            assertEquals(200, e.bootstrap().replicates());
            assertTrue(e.bootstrap().used() >= 195, e.effect() + " used " + e.bootstrap().used());
            assertTrue(e.inference().method().contains("bootstrap"), e.inference().method());
        }
        // and the raw replicate matrix is bitwise the same
        LogitDesign ps = LogitDesign.of(d.propensityCovariates(), "propensity model");
        LogisticRegression.Fitted f = LogisticRegression.fit(ps, d.treatedView(),
                LogisticRegression.Options.defaults());
        PropensityBootstrap b = new PropensityBootstrap(ps, LogitDesign.of(d.outcomeCovariates(), "outcome model"),
                d.outcomeView(), d.treatedView(), f.centredBeta(), LogisticRegression.Options.defaults(),
                List.of(TrimRule.crump()));
        double[][] r1 = b.run(64, 7, 1);
        double[][] r4 = b.run(64, 7, 4);
        for (int r = 0; r < 64; r++) {
            assertArrayEquals(r1[r], r4[r], "replicate " + r);
        }
        assertNotEquals(r1[0][0], b.run(1, 8, 1)[0][0], "another seed, another replicate");
    }

    @Test
    void replicateSeedsAreDistinct() {
        Set<Long> seen = new HashSet<>();
        for (int r = 0; r < 10_000; r++) {
            assertTrue(seen.add(PropensityBootstrap.replicateSeed(42, r)));
        }
        assertNotEquals(PropensityBootstrap.replicateSeed(1, 0), PropensityBootstrap.replicateSeed(2, 0));
    }

    @Test
    void bootstrapStandardErrorMatchesTheSpreadAcrossSamples() {
        // known truth by simulation: the SD of the ATT estimate over 60 independent samples against the bootstrap SE
        // of one sample; with 60 samples the SD itself is known to about +-10%, so allow 35%
        int n = 1500;
        int samples = 60;
        double[] est = new double[samples];
        for (int s = 0; s < samples; s++) {
            est[s] = PropensityWeighting.withDefaults().withBootstrap(0, 1).analyze(simulate(100 + s, n))
                    .effect(Effect.ATT_HAJEK).estimate();
        }
        double mean = java.util.Arrays.stream(est).average().orElseThrow();
        double sd = Math.sqrt(java.util.Arrays.stream(est).map(v -> (v - mean) * (v - mean)).sum() / (samples - 1));
        PropensityResult r = PropensityWeighting.withDefaults().withBootstrap(400, 5).withThreads(2)
                .analyze(simulate(99, n));
        BootstrapInterval b = r.effect(Effect.ATT_HAJEK).bootstrap();
        assertEquals(sd, b.se(), 0.35 * sd, "bootstrap SE " + b.se() + " vs Monte Carlo SD " + sd);
        assertTrue(b.percentileLow() < r.effect(Effect.ATT_HAJEK).estimate()
                && r.effect(Effect.ATT_HAJEK).estimate() < b.percentileHigh());
        assertEquals(r.effect(Effect.ATT_HAJEK).inference().ciLow(), b.normalLow(), 1e-12);
        assertEquals(0, b.failed());
    }
}

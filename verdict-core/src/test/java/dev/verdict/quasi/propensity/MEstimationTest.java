package dev.verdict.quasi.propensity;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The M-estimation standard error of the normalised IPW contrast against R's WeightIt, and its two defining
 * properties: it matches the bootstrap of the whole two-step procedure, and it differs from the standard error that
 * treats the weights as known.
 */
class MEstimationTest {
    /**
     * WeightIt's README (reference of {@code lm_weightit}): {@code weightit(treat ~ age + educ + nodegree + married +
     * race + re74 + re75, data = lalonde, method = "glm", estimand = "ATT")} on cobalt's lalonde (the same 614 rows as
     * MatchIt's), then {@code summary(lm_weightit(re78 ~ treat, weightit = W))}: "(Intercept) 5135.1 583.8; treat
     * 1214.1 798.2; Standard error: HC0 robust (adjusted for estimation of weights)". Printed to one decimal, so the
     * tolerance is 0.05.
     */
    @Test
    void lalondeAttMatchesWeightItsHc0AdjustedStandardError() {
        PropensityData data = PropensityReference.lalonde().data();
        PropensityResult r = PropensityWeighting.withDefaults().withEstimand(Estimand.ATT).withBootstrap(0, 1)
                .withAugmentation(false).analyze(data);
        MEstimation.Result m = MEstimation.hajek(data, r.propensity(), Estimand.ATT, 0, 1);
        assertEquals(1214.1, m.tau(), 0.05);
        assertEquals(798.2, m.seTau(), 0.05);
        assertEquals(5135.1, m.alpha(), 0.05);
        assertEquals(583.8, m.seAlpha(), 0.05);
    }

    /**
     * On a simulated confounded sample the M-estimation SE agrees with the bootstrap of the whole procedure (within
     * 10%: 2,000 replicates give the bootstrap SE about 1.6% Monte Carlo error), for ATE and ATT.
     */
    @Test
    void agreesWithTheBootstrapOfTheWholeProcedure() {
        SplittableRandom rnd = new SplittableRandom(11);
        int n = 3000;
        double[] x1 = new double[n];
        double[] x2 = new double[n];
        double[] y = new double[n];
        boolean[] t = new boolean[n];
        for (int i = 0; i < n; i++) {
            x1[i] = rnd.nextGaussian();
            x2[i] = rnd.nextGaussian();
            double p = 1 / (1 + Math.exp(-(-0.3 + 0.8 * x1[i] - 0.5 * x2[i])));
            t[i] = rnd.nextDouble() < p;
            y[i] = 1 + 2 * x1[i] + x2[i] + (t[i] ? 0.5 + 0.5 * x1[i] : 0) + rnd.nextGaussian();
        }
        PropensityData data = PropensityData.of(y, t, Covariates.of(java.util.List.of("x1", "x2"),
                new double[][] {x1, x2}));
        for (Estimand target : Estimand.values()) {
            PropensityResult r = PropensityWeighting.withDefaults().withEstimand(target).withBootstrap(2000, 5)
                    .withThreads(2).withAugmentation(false).analyze(data);
            Effect hajek = target == Estimand.ATE ? Effect.ATE_HAJEK : Effect.ATT_HAJEK;
            WeightedEffect w = r.effects().stream().filter(x -> x.effect() == hajek).findFirst().orElseThrow();
            MEstimation.Result m = MEstimation.hajek(data, r.propensity(), target, 0, 1);
            assertEquals(w.estimate(), m.tau(), 1e-9 * Math.abs(w.estimate()), target + " estimate");
            double boot = w.bootstrap().se();
            assertTrue(Math.abs(m.seTau() / boot - 1) < 0.10, target + ": M-estimation " + m.seTau() + " vs bootstrap "
                    + boot);
        }
    }

    /**
     * Positive control: ignoring the estimation of the propensity (weights taken as known) gives a different standard
     * error on LaLonde's ATT; the adjustment is not a no-op.
     */
    @Test
    void theAdjustmentForEstimatedWeightsMatters() {
        PropensityData data = PropensityReference.lalonde().data();
        PropensityResult r = PropensityWeighting.withDefaults().withEstimand(Estimand.ATT).withBootstrap(0, 1)
                .withAugmentation(false).analyze(data);
        WeightedEffect w = r.effects().stream().filter(x -> x.effect() == Effect.ATT_HAJEK).findFirst().orElseThrow();
        double known = w.knownPropensity().se();
        MEstimation.Result m = MEstimation.hajek(data, r.propensity(), Estimand.ATT, 0, 1);
        assertTrue(Math.abs(known - m.seTau()) > 5, "known-weights SE " + known + " vs adjusted " + m.seTau());
    }
}

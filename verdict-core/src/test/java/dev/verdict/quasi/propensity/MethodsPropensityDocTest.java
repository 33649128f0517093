package dev.verdict.quasi.propensity;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the example of docs/methods-propensity.md and checks the numbers quoted there. */
class MethodsPropensityDocTest {

    @Test
    void exampleRunsAndPrintsTheDocumentedNumbers() {
        PropensityReference.Lalonde l = PropensityReference.lalonde();
        double[] re78 = l.re78;
        boolean[] treat = l.treat;
        String[] race = l.race;
        double[] age = l.age;
        double[] educ = l.educ;
        double[] married = l.married;
        double[] nodegree = l.nodegree;
        double[] re74 = l.re74;
        double[] re75 = l.re75;
        // --- example (docs/methods-propensity.md) ---
        Covariates x = Covariates.of(List.of("age", "educ"), new double[][] {age, educ})
                .and(Covariates.indicators("race", race, List.of("black", "hispan", "white"), "black"))
                .and(Covariates.of(List.of("married", "nodegree", "re74", "re75"),
                        new double[][] {married, nodegree, re74, re75}));
        PropensityData data = PropensityData.of(re78, treat, x);
        PropensityResult r = PropensityWeighting.withDefaults()
                .withEstimand(Estimand.ATT)
                .withTrimming(TrimRule.interval(0.1))
                .withBootstrap(1000, 42)
                .analyze(data);
        WeightedEffect att = r.headline();          // ATT, normalised weights
        Balance check = r.identification();         // |SMD| < 0.1 after ATT weighting?
        // --- end of example ---
        assertTrue(r.estimable());
        assertEquals(1214.07122329292, att.estimate(), 1e-8 * 1214.07122329292);
        assertTrue(check.passed(), check.message());
        assertEquals("age", check.worst());
        assertEquals(0.0929086797963954, check.maxAbsAfter(), 1e-8);
        assertEquals(1000, att.bootstrap().replicates());
        assertTrue(att.inference().se() > 500 && att.inference().se() < 1200, "bootstrap SE " + att.inference().se());
        assertFalse(r.warnings().isEmpty());
        System.out.printf("ATT %.2f, bootstrap SE %.1f, normal [%.1f, %.1f], percentile [%.1f, %.1f], failed %d%n",
                att.estimate(), att.bootstrap().se(), att.bootstrap().normalLow(), att.bootstrap().normalHigh(),
                att.bootstrap().percentileLow(), att.bootstrap().percentileHigh(), att.bootstrap().failed());
        System.out.printf("ATE %.2f SE %.1f; AIPW ATE %.2f SE %.1f; AIPW ATT %.2f SE %.1f; trimmed ATT %.2f SE %.1f%n",
                r.effect(Effect.ATE_HAJEK).estimate(), r.effect(Effect.ATE_HAJEK).bootstrap().se(),
                r.effect(Effect.ATE_AUGMENTED).estimate(), r.effect(Effect.ATE_AUGMENTED).bootstrap().se(),
                r.effect(Effect.ATT_AUGMENTED).estimate(), r.effect(Effect.ATT_AUGMENTED).bootstrap().se(),
                r.trimmed().get(0).att().estimate(), r.trimmed().get(0).att().bootstrap().se());
        r.warnings().forEach(System.out::println);
    }
}

package dev.verdict.quasi.propensity;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Invariants and known truth of the weighting estimators on simulated data (seeded SplittableRandom). */
class WeightingEstimatorsTest {

    /** Confounded design: x1, x2 drive both treatment and outcome; true effect tau constant. */
    private static final class Sim {
        final double[] x1;
        final double[] x2;
        final double[] y;
        final boolean[] t;

        Sim(long seed, int n, double tau) {
            SplittableRandom rng = new SplittableRandom(seed);
            x1 = new double[n];
            x2 = new double[n];
            y = new double[n];
            t = new boolean[n];
            for (int i = 0; i < n; i++) {
                x1[i] = rng.nextGaussian();
                x2[i] = rng.nextGaussian();
                double e = 1 / (1 + Math.exp(-(-0.2 + 0.8 * x1[i] - 0.6 * x2[i])));
                t[i] = rng.nextDouble() < e;
                y[i] = 2 + 3 * x1[i] + 2 * x2[i] + (t[i] ? tau : 0) + rng.nextGaussian();
            }
        }

        Covariates both() {
            return Covariates.of(List.of("x1", "x2"), new double[][] {x1, x2});
        }
    }

    private static PropensityWeighting noBoot() {
        return PropensityWeighting.withDefaults().withBootstrap(0, 1);
    }

    @Test
    void correctPropensityModelRecoversTheEffectWhereTheNaiveDifferenceDoesNot() {
        Sim s = new Sim(21, 20_000, 1.0);
        PropensityResult r = noBoot().analyze(PropensityData.of(s.y, s.t, s.both()));
        for (Effect e : List.of(Effect.ATE_HAJEK, Effect.ATT_HAJEK, Effect.ATE_AUGMENTED, Effect.ATT_AUGMENTED)) {
            assertEquals(1.0, r.effect(e).estimate(), 0.15, e.wireName());
        }
        assertTrue(Math.abs(r.naive().estimate() - 1.0) > 0.5, "confounding biases the naive difference: "
                + r.naive().estimate());
        assertTrue(r.identification().passed(), r.identification().message());
    }

    @Test
    void augmentationIsDoublyRobust() {
        Sim s = new Sim(22, 20_000, 1.0);
        Covariates onlyX1 = Covariates.of(List.of("x1"), new double[][] {s.x1});
        // wrong propensity model (x2 left out), right outcome model: IPW biased, AIPW not
        PropensityResult wrongPs = noBoot().analyze(PropensityData.of(s.y, s.t, onlyX1)
                .withOutcomeCovariates(s.both()));
        assertTrue(Math.abs(wrongPs.effect(Effect.ATE_HAJEK).estimate() - 1) > 0.5,
                "IPW with x2 omitted is biased: " + wrongPs.effect(Effect.ATE_HAJEK).estimate());
        assertEquals(1.0, wrongPs.effect(Effect.ATE_AUGMENTED).estimate(), 0.1);
        assertEquals(1.0, wrongPs.effect(Effect.ATT_AUGMENTED).estimate(), 0.1);
        // and the balance check, on both covariates, catches the omitted confounder (positive control)
        PropensityResult checked = noBoot().analyze(PropensityData.of(s.y, s.t, onlyX1)
                .withBalanceCovariates(s.both()));
        assertFalse(checked.identification().passed(), checked.identification().message());
        assertEquals("x2", checked.identification().worst());
        // right propensity model, wrong outcome model (x2 left out): AIPW still right
        PropensityResult wrongOutcome = noBoot().analyze(PropensityData.of(s.y, s.t, s.both())
                .withOutcomeCovariates(onlyX1));
        assertEquals(1.0, wrongOutcome.effect(Effect.ATE_AUGMENTED).estimate(), 0.15);
        assertEquals(1.0, wrongOutcome.effect(Effect.ATT_AUGMENTED).estimate(), 0.15);
    }

    @Test
    void interceptOnlyOutcomeModelReducesAugmentedToHajek() {
        Sim s = new Sim(23, 3000, 0.5);
        PropensityResult r = noBoot().analyze(PropensityData.of(s.y, s.t, s.both())
                .withOutcomeCovariates(Covariates.none(s.y.length)));
        assertEquals(r.effect(Effect.ATE_HAJEK).estimate(), r.effect(Effect.ATE_AUGMENTED).estimate(), 1e-10);
        assertEquals(r.effect(Effect.ATT_HAJEK).estimate(), r.effect(Effect.ATT_AUGMENTED).estimate(), 1e-10);
    }

    @Test
    void noiselessLinearOutcomeMakesAugmentedExactWhateverTheWeights() {
        Sim s = new Sim(24, 3000, 0);
        double[] y = new double[s.y.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = 1 + 2 * s.x1[i] - s.x2[i] + (s.t[i] ? 0.7 + 0.3 * s.x1[i] : 0);
        }
        PropensityResult r = noBoot().analyze(PropensityData.of(y, s.t, Covariates.of(List.of("x1"),
                new double[][] {s.x1})).withOutcomeCovariates(s.both()));
        double ate = 0;
        double att = 0;
        int n1 = 0;
        for (int i = 0; i < y.length; i++) {
            ate += 0.7 + 0.3 * s.x1[i];
            if (s.t[i]) {
                att += 0.7 + 0.3 * s.x1[i];
                n1++;
            }
        }
        assertEquals(ate / y.length, r.effect(Effect.ATE_AUGMENTED).estimate(), 1e-9);
        assertEquals(att / n1, r.effect(Effect.ATT_AUGMENTED).estimate(), 1e-9);
    }

    @Test
    void hajekIsShiftInvariantHorvitzThompsonIsNot() {
        Sim s = new Sim(25, 2000, 0.5);
        double[] shifted = s.y.clone();
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] += 1000;
        }
        PropensityResult a = noBoot().analyze(PropensityData.of(s.y, s.t, s.both()));
        PropensityResult b = noBoot().analyze(PropensityData.of(shifted, s.t, s.both()));
        for (Effect e : List.of(Effect.ATE_HAJEK, Effect.ATT_HAJEK, Effect.ATE_AUGMENTED, Effect.ATT_AUGMENTED)) {
            assertEquals(a.effect(e).estimate(), b.effect(e).estimate(), 1e-9, e.wireName());
        }
        assertNotEquals(a.effect(Effect.ATE_HORVITZ_THOMPSON).estimate(),
                b.effect(Effect.ATE_HORVITZ_THOMPSON).estimate(), 1e-3);
    }

    @Test
    void crumpRuleKeepsEverythingWhenOverlapIsGood() {
        double[] e = new double[100];
        java.util.Arrays.fill(e, 0.5);
        e[0] = 0.3;
        assertEquals(0, TrimRule.crumpAlpha(e, null));
        // one extreme row among balanced ones is cut
        e[1] = 0.001;
        double a = TrimRule.crumpAlpha(e, null);
        assertTrue(a > 0.001 && a < 0.3, "alpha " + a);
    }

    @Test
    void indicatorsFollowRsModelMatrix() {
        String[] race = {"black", "white", "hispan", "white"};
        Covariates c = Covariates.indicators("race", race, List.of("black", "hispan", "white"), "black");
        assertEquals(List.of("racehispan", "racewhite"), c.names());
        assertEquals(List.of(0.0, 0.0, 1.0, 0.0), box(c.column("racehispan")));
        assertEquals(List.of(0.0, 1.0, 0.0, 1.0), box(c.column("racewhite")));
        Covariates all = Covariates.indicators("", race, List.of("black", "hispan", "white"), null);
        assertEquals(List.of("black", "hispan", "white"), all.names());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Covariates.indicators("race", new String[] {"asian"}, List.of("black", "white"), "black"));
        assertTrue(bad.getMessage().contains("'asian'"), bad.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Covariates.indicators("race", race, List.of("black", "hispan", "white"), "other"));
    }

    @Test
    void collinearOrConstantCovariatesAreRefusedByName() {
        String[] race = {"black", "white", "hispan", "white", "black", "hispan"};
        boolean[] t = {true, false, true, false, true, false};
        Covariates allLevels = Covariates.indicators("race", race, List.of("black", "hispan", "white"), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogisticRegression.fit(allLevels, t, LogisticRegression.Options.defaults()));
        assertTrue(e.getMessage().contains("'racewhite'") && e.getMessage().contains("collinear"), e.getMessage());
        Covariates constant = Covariates.of(List.of("k"), new double[][] {{2, 2, 2, 2, 2, 2}});
        e = assertThrows(IllegalArgumentException.class,
                () -> LogisticRegression.fit(constant, t, LogisticRegression.Options.defaults()));
        assertTrue(e.getMessage().contains("'k'") && e.getMessage().contains("constant"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PropensityData.of(new double[] {1, Double.NaN, 2, 3},
                new boolean[] {true, true, false, false}, Covariates.none(4)));
        assertTrue(e.getMessage().contains("outcome") && e.getMessage().contains("row 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PropensityData.of(new double[] {1, 2, 3},
                new boolean[] {true, false, false}, Covariates.none(3)));
        assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
    }

    private static List<Double> box(double[] v) {
        return java.util.Arrays.stream(v).boxed().toList();
    }
}

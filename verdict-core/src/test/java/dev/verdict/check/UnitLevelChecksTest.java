package dev.verdict.check;

import dev.verdict.check.UnitLevelChecks.BlockState;
import dev.verdict.check.UnitLevelChecks.Unit;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The rules of the unit-level checks on numbers worked by hand. */
class UnitLevelChecksTest {

    private static List<Unit> units(double[] control, double[] treatment) {
        List<Unit> out = new ArrayList<>();
        for (int i = 0; i < control.length; i++) {
            out.add(new Unit("c" + i, false, control[i]));
        }
        for (int i = 0; i < treatment.length; i++) {
            out.add(new Unit("t" + i, true, treatment[i]));
        }
        return out;
    }

    /** Means 2 and 3, both variances 1: d = 1 / sqrt((1 + 1) / 2) = 1. Shifted by 0.1 instead: d = 0.1. */
    @Test
    void standardizedDifferenceOfClusterMeans() {
        CheckResult warn = UnitLevelChecks.balance(Map.of("x", units(new double[] {1, 2, 3}, new double[] {2, 3, 4})), "pre");
        assertEquals(CheckStatus.WARN, warn.status());
        @SuppressWarnings("unchecked")
        Map<String, Object> row = ((List<Map<String, Object>>) warn.evidence().get("covariates")).get(0);
        assertEquals(1.0, (double) row.get("std_diff"), 1e-12);
        CheckResult pass = UnitLevelChecks.balance(Map.of("x", units(new double[] {1, 2, 3},
                new double[] {1.1, 2.1, 3.1})), "pre");
        assertEquals(CheckStatus.PASS, pass.status());
        // a cluster without pre-period rows is left out; one per arm left: not evaluated
        assertEquals(CheckStatus.NOT_EVALUATED, UnitLevelChecks.balance(Map.of("x", units(new double[] {1, Double.NaN},
                new double[] {2, 3})), "pre").status());
    }

    /** 1..8: q75 = 6 + 0.25 = 6.25, congested {7, 8}; 1..16: q75 = 12.25, congested {13..16}. */
    @Test
    void congestedUnitsNeedTwoInEachArm() {
        List<Unit> upper = new ArrayList<>();
        List<Unit> alternating = new ArrayList<>();
        for (int i = 1; i <= 16; i++) {
            upper.add(new Unit("u" + i, i > 8, i));
            alternating.add(new Unit("u" + i, i % 2 == 0, i));
        }
        CheckResult allTreated = UnitLevelChecks.boundaryUnits("cluster", "utilization", upper.subList(0, 8).stream()
                .map(u -> new Unit(u.id(), u.value() > 4, u.value())).toList());
        assertEquals(CheckStatus.WARN, allTreated.status());
        assertEquals(6.25, (double) allTreated.evidence().get("pooled_q75"), 1e-12);
        assertEquals(0L, allTreated.evidence().get("congested_control"));
        // one each is still too few
        assertEquals(CheckStatus.WARN, UnitLevelChecks.boundaryUnits("cluster", "utilization",
                alternating.subList(0, 8)).status());
        CheckResult two = UnitLevelChecks.boundaryUnits("cluster", "utilization", alternating);
        assertEquals(CheckStatus.PASS, two.status());
        assertEquals(12.25, (double) two.evidence().get("pooled_q75"), 1e-12);
        assertEquals(2L, two.evidence().get("congested_treatment"));
        assertEquals(CheckStatus.NOT_EVALUATED, UnitLevelChecks.boundaryUnits("cluster", null, List.of()).status());
    }

    /**
     * Steady states: treatment 10, control 0. Three switches into treatment with first halves 8, 8.5, 7.5 (second 10):
     * z = 2, 1.5, 2.5, t = 2 / (0.5 / sqrt 3) = 6.928 on 2 df, one-sided p = 1/2 - t / (2 sqrt(t^2 + 2)) = 0.0102 <
     * 0.05 / 2: warn. With first halves 8, 9, 7: z = 2, 1, 3, t = 3.464, p = 0.0371 > 0.025: pass (Bonferroni over the
     * two arms).
     */
    @Test
    void washoutDriftTowardsThePreviousArm() {
        CheckResult warn = UnitLevelChecks.washout(Map.of("queue_depth", blocks(8, 8.5, 7.5)), 0.05);
        assertEquals(CheckStatus.WARN, warn.status(), warn.summary());
        double t = 2 / (0.5 / Math.sqrt(3));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tests = (List<Map<String, Object>>) warn.evidence().get("tests");
        Map<String, Object> into = tests.get(1);
        assertEquals("treatment", into.get("arm"));
        assertEquals(2.0, (double) into.get("drift_towards_previous_arm"), 1e-12);
        assertEquals(0.5 - t / (2 * Math.sqrt(t * t + 2)), (double) into.get("p_value_one_sided"), 1e-12);
        assertEquals(0.025, (double) warn.evidence().get("level"), 1e-15);
        CheckResult pass = UnitLevelChecks.washout(Map.of("queue_depth", blocks(8, 9, 7)), 0.05);
        assertEquals(CheckStatus.PASS, pass.status(), pass.summary());
        assertEquals(CheckStatus.NOT_EVALUATED, UnitLevelChecks.washout(Map.of(), 0.05).status());
    }

    private static List<BlockState> blocks(double... firstHalvesIntoTreatment) {
        List<BlockState> out = new ArrayList<>();
        for (double f : firstHalvesIntoTreatment) {
            out.add(new BlockState(true, false, f, 10));
            out.add(new BlockState(false, true, 0, 0));
        }
        return out;
    }
}

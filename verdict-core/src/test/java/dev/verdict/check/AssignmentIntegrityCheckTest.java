package dev.verdict.check;

import dev.verdict.reduce.Reduction.ArmCounters;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.verdict.check.SpecFixture.ARMS;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AssignmentIntegrityCheckTest {
    private static Map<String, ArmCounters> counters(long mixedC, long mixedT, long earlyC, long earlyT) {
        return Map.of("control", new ArmCounters(100000, 10000, mixedC, -1, -1, -1, -1, earlyC),
                "treatment", new ArmCounters(100000, 10000, mixedT, -1, -1, -1, -1, earlyT));
    }

    @Test
    void cleanAssignmentPasses() {
        CheckResult r = AssignmentIntegrityCheck.of(counters(0, 0, 0, 0), ARMS);
        assertEquals(CheckStatus.PASS, r.status());
    }

    @Test
    void positiveControlLeakedUnitsFail() {
        CheckResult r = AssignmentIntegrityCheck.of(counters(30, 20, 0, 0), ARMS);
        assertEquals(CheckStatus.FAIL, r.status());
        assertEquals(0.0025, (Double) r.evidence().get("units_in_both_arms_share"), 1e-15); // known truth: 50 / 20000
    }

    @Test
    void positiveControlEarlyRowsFail() {
        assertEquals(CheckStatus.FAIL, AssignmentIntegrityCheck.of(counters(0, 0, 150, 100), ARMS).status()); // 0.125%
    }

    @Test
    void tinyLeakWarns() {
        CheckResult r = AssignmentIntegrityCheck.of(counters(1, 1, 0, 0), ARMS); // 0.01% of units
        assertEquals(CheckStatus.WARN, r.status());
    }

    @Test
    void shareAtTheLimitWarnsNotFails() {
        assertEquals(CheckStatus.WARN, AssignmentIntegrityCheck.of(counters(10, 10, 0, 0), ARMS).status()); // exactly 0.1%
    }

    @Test
    void absentCountersAreNotEvaluated() {
        assertEquals(CheckStatus.NOT_EVALUATED, AssignmentIntegrityCheck.of(counters(-1, -1, -1, -1), ARMS).status());
        assertEquals(CheckStatus.NOT_EVALUATED, AssignmentIntegrityCheck.of(Map.of(), ARMS).status());
    }

    @Test
    void requestDesignEvaluatesExposureOnly() {
        CheckResult r = AssignmentIntegrityCheck.of(counters(-1, -1, 0, 0), ARMS);
        assertEquals(CheckStatus.PASS, r.status());
        assertEquals(1, ((java.util.List<?>) r.evidence().get("not_evaluated")).size());
    }
}

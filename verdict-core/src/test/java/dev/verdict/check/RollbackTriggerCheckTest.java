package dev.verdict.check;

import dev.verdict.check.RollbackTriggerCheck.TreatmentLevels;
import dev.verdict.spec.Rollback;
import org.junit.jupiter.api.Test;

import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RollbackTriggerCheckTest {
    private static final Rollback TRIGGERS = new Rollback(OptionalDouble.of(0.005), OptionalDouble.of(2500),
            OptionalDouble.empty(), OptionalDouble.empty());

    private static TreatmentLevels levels(double error, double p99) {
        return new TreatmentLevels(OptionalDouble.of(error), OptionalDouble.of(p99), OptionalDouble.of(0.01),
                OptionalDouble.of(0.2));
    }

    @Test
    void levelsBelowTriggersPass() {
        CheckResult r = RollbackTriggerCheck.of(TRIGGERS, levels(0.004, 2400));
        assertEquals(CheckStatus.PASS, r.status());
        assertEquals(CheckCategory.ROLLBACK_TRIGGER, r.category());
    }

    @Test
    void positiveControlFiredTriggerFailsAndIsNamed() {
        CheckResult r = RollbackTriggerCheck.of(TRIGGERS, levels(0.004, 2600));
        assertEquals(CheckStatus.FAIL, r.status());
        assertTrue(r.summary().contains("p99_latency_ms"));
    }

    @Test
    void levelEqualToTriggerDoesNotFire() {
        assertEquals(CheckStatus.PASS, RollbackTriggerCheck.of(TRIGGERS, levels(0.005, 2500)).status());
    }

    @Test
    void noTriggersDeclaredIsNotEvaluated() {
        assertEquals(CheckStatus.NOT_EVALUATED, RollbackTriggerCheck.of(Rollback.NONE, levels(0.5, 1e6)).status());
    }

    @Test
    void unavailableLevelIsNotEvaluatedAndSaid() {
        TreatmentLevels noLatency = new TreatmentLevels(OptionalDouble.of(0.001), OptionalDouble.empty(),
                OptionalDouble.empty(), OptionalDouble.empty());
        CheckResult r = RollbackTriggerCheck.of(TRIGGERS, noLatency);
        assertEquals(CheckStatus.NOT_EVALUATED, r.status());
        assertTrue(r.summary().contains("p99_latency_ms"));
        TreatmentLevels nan = new TreatmentLevels(OptionalDouble.of(Double.NaN), OptionalDouble.of(100),
                OptionalDouble.empty(), OptionalDouble.empty());
        assertEquals(CheckStatus.NOT_EVALUATED, RollbackTriggerCheck.of(TRIGGERS, nan).status());
    }
}

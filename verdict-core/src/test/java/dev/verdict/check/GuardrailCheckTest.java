package dev.verdict.check;

import dev.verdict.spec.Direction;
import dev.verdict.spec.Guardrail;
import dev.verdict.spec.MetricKind;
import dev.verdict.spec.Threshold;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static dev.verdict.check.EffectFixture.effect;
import static dev.verdict.check.SpecFixture.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GuardrailCheckTest {
    /** p99 latency, lower is better, at most 5% worse than control. */
    private static final Guardrail LATENCY = new Guardrail(
            metric("latency_ms", MetricKind.P99, Direction.DECREASE, Optional.empty()), new Threshold(0.05, true));
    /** completion, higher is better, at most 0.01 lower (absolute). */
    private static final Guardrail COMPLETION = new Guardrail(
            metric("completed", MetricKind.MEAN, Direction.INCREASE, Optional.empty()), new Threshold(0.01, false));

    private static CheckStatus latency(double estimate, double se) {
        // control p99 = 1000 ms, so max_harm = 50 ms
        return GuardrailCheck.of(LATENCY, Optional.of(effect("p99(latency_ms)", 1000, estimate, se)), 0.05).status();
    }

    @Test
    void nonInferiorityShownPasses() {
        CheckResult r = GuardrailCheck.of(LATENCY, Optional.of(effect("p99(latency_ms)", 1000, 10, 10)), 0.05);
        assertEquals(CheckStatus.PASS, r.status()); // upper 10 + 1.96 * 10 = 29.6 < 50
        assertEquals("guardrail:p99(latency_ms)", r.name());
        assertEquals(50.0, (Double) r.evidence().get("max_harm_absolute"), 1e-12); // 5% of 1000
        assertEquals(0.025, (Double) r.evidence().get("one_sided_level"), 0.0);
    }

    @Test
    void positiveControlSignificantHarmBeyondMarginFails() {
        assertEquals(CheckStatus.FAIL, latency(80, 10)); // CI [60.4, 99.6] beyond 50
        assertEquals(CheckStatus.FAIL, latency(55, 20)); // CI [15.8, 94.2]: significant harm, estimate > 50
    }

    @Test
    void inconclusiveWarns() {
        assertEquals(CheckStatus.WARN, latency(30, 15)); // CI [0.6, 59.4]: significant but estimate < 50
        assertEquals(CheckStatus.WARN, latency(60, 40)); // CI [-18.4, 138.4]: not significant
    }

    @Test
    void improvementPasses() {
        assertEquals(CheckStatus.PASS, latency(-100, 10));
    }

    @Test
    void harmDirectionFollowsTheMetric() {
        // completion falls 0.03 +- 0.005: harm for an increase-is-good metric
        CheckResult down = GuardrailCheck.of(COMPLETION, Optional.of(effect("completed", 0.9, -0.03, 0.005)), 0.05);
        assertEquals(CheckStatus.FAIL, down.status());
        assertEquals(0.03, (Double) down.evidence().get("harm"), 1e-15);
        CheckResult up = GuardrailCheck.of(COMPLETION, Optional.of(effect("completed", 0.9, 0.03, 0.005)), 0.05);
        assertEquals(CheckStatus.PASS, up.status());
    }

    @Test
    void absentOrNanEffectIsNotEvaluated() {
        assertEquals(CheckStatus.NOT_EVALUATED, GuardrailCheck.of(LATENCY, Optional.empty(), 0.05).status());
        assertEquals(CheckStatus.NOT_EVALUATED, latency(Double.NaN, 10));
        assertTrue(GuardrailCheck.of(LATENCY, Optional.empty(), 0.05).summary().contains("not evaluated"));
    }
}

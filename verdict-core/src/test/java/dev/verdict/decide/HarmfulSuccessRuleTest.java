package dev.verdict.decide;

import dev.verdict.check.EffectFixture;
import dev.verdict.check.SpecFixture;
import dev.verdict.spec.Direction;
import dev.verdict.spec.MetricKind;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static dev.verdict.decide.InputFixture.allPass;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class HarmfulSuccessRuleTest {
    private final HarmfulSuccessRule rule = new HarmfulSuccessRule();

    @Test
    void significantDropInAnIncreaseMetricFires() {
        RuleOutcome o = rule.evaluate(allPass().success(0.8, -0.02, 0.005).build()); // CI [-0.0298, -0.0102]
        assertEquals(Recommendation.ROLL_BACK, o.verdict().orElseThrow().recommendation());
    }

    @Test
    void significantRiseInADecreaseMetricFires() {
        var spec = SpecFixture.spec().success(SpecFixture.metric("latency_ms", MetricKind.MEAN, Direction.DECREASE,
                Optional.empty())).build();
        RuleOutcome o = rule.evaluate(allPass().spec(spec).success(EffectFixture.effect("latency_ms", 400, 30, 10)).build());
        assertEquals(Recommendation.ROLL_BACK, o.verdict().orElseThrow().recommendation());
        // a significant fall of latency is good, not harmful
        assertFalse(rule.evaluate(allPass().spec(spec).success(EffectFixture.effect("latency_ms", 400, -30, 10)).build()).fired());
    }

    @Test
    void flatOrGoodDoesNotFire() {
        assertFalse(rule.evaluate(allPass().success(0.8, -0.005, 0.005).build()).fired()); // CI covers 0
        assertFalse(rule.evaluate(allPass().success(0.8, 0.02, 0.005).build()).fired());
    }
}

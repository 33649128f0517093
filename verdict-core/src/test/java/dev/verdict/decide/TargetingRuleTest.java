package dev.verdict.decide;

import dev.verdict.check.SpecFixture;
import dev.verdict.readout.SegmentEffects;
import dev.verdict.spec.Threshold;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.verdict.check.EffectFixture.segment;
import static dev.verdict.decide.InputFixture.allPass;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetingRuleTest {
    private final TargetingRule rule = new TargetingRule();

    /** tier: pro gains 0.05 +- 0.01 (adjusted p 1e-6), free is flat 0.001 +- 0.01 (adjusted p 0.9). */
    private static SegmentEffects tier(double heterogeneityP, double proGain) {
        return new SegmentEffects("tier", List.of(segment("tier", "pro", 0.8, proGain, 0.01),
                segment("tier", "free", 0.8, 0.001, 0.01)), List.of(1e-6, 0.9), 12.0, 1, heterogeneityP);
    }

    private static InputFixture declared() {
        return allPass().spec(SpecFixture.spec().segments("tier", "workload").build());
    }

    @Test
    void winnersAndFlatSegmentsWithHeterogeneityFire() {
        RuleOutcome o = rule.evaluate(declared().segments(tier(0.001, 0.05)).build());
        Verdict v = o.verdict().orElseThrow();
        assertEquals(Recommendation.TARGET, v.recommendation());
        assertTrue(v.contingency().orElseThrow().contains("tier pro"), v.contingency().get());
        assertTrue(v.contingency().get().contains("holdout on tier free"));
    }

    @Test
    void noHeterogeneityDoesNotFire() {
        assertFalse(rule.evaluate(declared().segments(tier(0.2, 0.05)).build()).fired());
    }

    @Test
    void winnerBelowMinEffectDoesNotFire() {
        InputFixture f = allPass().spec(SpecFixture.spec().segments("tier").minEffect(new Threshold(0.1, true)).build());
        // min_effect 10% of control 0.8 = 0.08 > 0.05
        assertFalse(rule.evaluate(f.segments(tier(0.001, 0.05)).build()).fired());
    }

    @Test
    void noFlatSegmentDoesNotFire() {
        SegmentEffects allWin = new SegmentEffects("tier", List.of(segment("tier", "pro", 0.8, 0.05, 0.01),
                segment("tier", "free", 0.8, 0.02, 0.005)), List.of(1e-6, 1e-4), 5.0, 1, 0.02);
        assertFalse(rule.evaluate(declared().segments(allWin).build()).fired());
    }

    @Test
    void undeclaredSegmentIsIgnored() {
        InputFixture f = allPass().spec(SpecFixture.spec().segments("workload").build());
        RuleOutcome o = rule.evaluate(f.segments(tier(0.001, 0.05)).build());
        assertFalse(o.fired());
        assertTrue(o.finding().contains("not a declared segment"));
    }

    @Test
    void smallestHeterogeneityPValueWins() {
        SegmentEffects workload = new SegmentEffects("workload", List.of(segment("workload", "batch", 0.8, 0.06, 0.01),
                segment("workload", "chat", 0.8, -0.001, 0.01)), List.of(1e-7, 0.9), 30.0, 1, 1e-5);
        Verdict v = rule.evaluate(declared().segments(tier(0.001, 0.05)).segments(workload).build()).verdict().orElseThrow();
        assertTrue(v.reason().startsWith("Effects differ across workload"), v.reason());
    }
}

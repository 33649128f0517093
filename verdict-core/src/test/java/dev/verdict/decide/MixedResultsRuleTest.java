package dev.verdict.decide;

import dev.verdict.check.CheckCategory;
import dev.verdict.check.CheckStatus;
import dev.verdict.check.EffectFixture;
import dev.verdict.check.SpecFixture;
import dev.verdict.spec.Threshold;
import org.junit.jupiter.api.Test;

import static dev.verdict.decide.InputFixture.allPass;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MixedResultsRuleTest {
    private final MixedResultsRule rule = new MixedResultsRule();

    private static InputFixture withMin(double absolute) {
        return allPass().spec(SpecFixture.spec().minEffect(new Threshold(absolute, false)).build());
    }

    private Verdict verdict(InputFixture f) {
        RuleOutcome o = rule.evaluate(f.build());
        assertTrue(o.fired(), "the mixed rule always fires");
        return o.verdict().orElseThrow();
    }

    @Test
    void significantButTooSmallPauses() {
        Verdict v = verdict(withMin(0.05)); // gain 0.02 [0.0102, 0.0298] < 0.05
        assertEquals(Recommendation.PAUSE, v.recommendation());
        assertEquals("too_small", v.branch());
    }

    @Test
    void leverAbsentRollsBack() {
        Verdict v = verdict(withMin(0.01).success(0.8, 0.001, 0.002)); // CI [-0.0029, 0.0049] < 0.01
        assertEquals(Recommendation.ROLL_BACK, v.recommendation());
        assertEquals("lever_absent", v.branch());
    }

    @Test
    void underpoweredPausesAndSaysHowMuchMoreData() {
        Verdict v = verdict(withMin(0.01).success(0.8, 0.01, 0.01)); // CI [-0.0096, 0.0296] reaches 0.01
        assertEquals(Recommendation.PAUSE, v.recommendation());
        assertEquals("underpowered", v.branch());
        // known truth: (1.959963984540054 * 0.01 / 0.01)^2 = 3.841 times the sample
        assertTrue(v.whatWouldChange().get(0).contains("3.841 times"), v.whatWouldChange().get(0));
    }

    @Test
    void noMinEffectMeansNotSignificantIsUnderpowered() {
        assertEquals("underpowered", verdict(allPass().success(0.8, 0.001, 0.002)).branch());
    }

    @Test
    void guardrailWarnBlockingProceedPausesNotRamps() {
        Verdict v = verdict(allPass().check(CheckCategory.GUARDRAIL, CheckStatus.WARN));
        assertEquals(Recommendation.PAUSE, v.recommendation());
        assertEquals("blocked", v.branch());
    }

    @Test
    void nonFiniteSuccessPauses() {
        Verdict v = verdict(allPass().success(EffectFixture.effect("completed", 0.8, Double.NaN, 0.01)));
        assertEquals("not_estimable", v.branch());
    }

    @Test
    void finiteEstimateWithAnUnboundedIntervalSaysSo() {
        Verdict v = verdict(allPass().success(EffectFixture.effect("completed", 0.8, 0.05, Double.POSITIVE_INFINITY)));
        assertEquals("not_estimable", v.branch());
        org.junit.jupiter.api.Assertions.assertTrue(v.reason().contains("has an estimate but no finite interval"),
                v.reason());
    }
}

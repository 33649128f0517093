package dev.verdict.decide;

import dev.verdict.check.CheckCategory;
import dev.verdict.check.CheckStatus;
import dev.verdict.check.SpecFixture;
import dev.verdict.spec.Direction;
import dev.verdict.spec.Guardrail;
import dev.verdict.spec.MetricKind;
import dev.verdict.spec.Threshold;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static dev.verdict.decide.InputFixture.allPass;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProceedRuleTest {
    private final ProceedRule rule = new ProceedRule();

    private Recommendation fired(InputFixture f) {
        RuleOutcome o = rule.evaluate(f.build());
        assertTrue(o.fired(), o.finding());
        return o.verdict().orElseThrow().recommendation();
    }

    @Test
    void everythingPassingShips() {
        assertEquals(Recommendation.SHIP, fired(allPass())); // gain 0.02, CI [0.0102, 0.0298]
    }

    @Test
    void limitedBoundaryCoverageRamps() {
        assertEquals(Recommendation.RAMP, fired(allPass().check(CheckCategory.BOUNDARY_COVERAGE, CheckStatus.WARN)));
        assertEquals(Recommendation.RAMP, fired(allPass().check(CheckCategory.BOUNDARY_COVERAGE, CheckStatus.NOT_EVALUATED)));
        assertEquals(Recommendation.RAMP, fired(allPass().check(CheckCategory.SPILLOVER, CheckStatus.WARN)));
    }

    @Test
    void missingBoundaryCheckRamps() {
        InputFixture f = InputFixture.input().check(CheckCategory.DATA_QUALITY, CheckStatus.PASS);
        assertEquals(Recommendation.RAMP, fired(f));
    }

    @Test
    void unobservedLongRunHoldsOut() {
        InputFixture f = allPass().spec(SpecFixture.spec().longRun("retention_30d", false).build());
        assertEquals(Recommendation.HOLDOUT, fired(f));
        InputFixture observed = allPass().spec(SpecFixture.spec().longRun("retention_30d", true).build());
        assertEquals(Recommendation.SHIP, fired(observed));
    }

    @Test
    void assumptionWarningPausesBeforeHoldoutAndRamp() {
        InputFixture f = allPass().spec(SpecFixture.spec().longRun("retention_30d", false).build())
                .check(CheckCategory.IDENTIFICATION, CheckStatus.WARN).check(CheckCategory.BOUNDARY_COVERAGE, CheckStatus.WARN);
        assertEquals(Recommendation.PAUSE, fired(f));
        assertEquals(Recommendation.PAUSE, fired(allPass().check(CheckCategory.EXECUTION_FIDELITY, CheckStatus.WARN)));
    }

    @Test
    void guardrailWarnBlocksProceed() {
        RuleOutcome o = rule.evaluate(allPass().check(CheckCategory.GUARDRAIL, CheckStatus.WARN).build());
        assertFalse(o.fired());
        assertTrue(o.finding().contains("guardrails not shown non-inferior"), o.finding());
        assertFalse(rule.evaluate(allPass().check(CheckCategory.GUARDRAIL, CheckStatus.NOT_EVALUATED).build()).fired());
    }

    @Test
    void missingGuardrailResultBlocksProceed() {
        Guardrail g = new Guardrail(SpecFixture.metric("latency_ms", MetricKind.P99, Direction.DECREASE, Optional.empty()),
                new Threshold(0.05, true));
        InputFixture f = InputFixture.input().spec(SpecFixture.spec().guardrail(g).build())
                .check(CheckCategory.BOUNDARY_COVERAGE, CheckStatus.PASS);
        assertFalse(rule.evaluate(f.build()).fired());
    }

    @Test
    void economicWarnBlocksButNotEvaluatedDoesNot() {
        assertFalse(rule.evaluate(allPass().check(CheckCategory.ECONOMIC, CheckStatus.WARN).build()).fired());
        assertEquals(Recommendation.SHIP, fired(allPass().check(CheckCategory.ECONOMIC, CheckStatus.NOT_EVALUATED)));
    }

    @Test
    void minEffectAbsoluteAndRelative() {
        // gain 0.02 on control 0.8: absolute 0.02 is met (at the bar), 0.03 is not; relative 2% = 0.016 is met, 3% = 0.024 not
        assertEquals(Recommendation.SHIP, fired(allPass().spec(SpecFixture.spec().minEffect(new Threshold(0.02, false)).build())));
        assertFalse(rule.evaluate(allPass().spec(SpecFixture.spec().minEffect(new Threshold(0.03, false)).build()).build()).fired());
        assertEquals(Recommendation.SHIP, fired(allPass().spec(SpecFixture.spec().minEffect(new Threshold(0.02, true)).build())));
        assertFalse(rule.evaluate(allPass().spec(SpecFixture.spec().minEffect(new Threshold(0.03, true)).build()).build()).fired());
    }

    @Test
    void notSignificantDoesNotFire() {
        assertFalse(rule.evaluate(allPass().success(0.8, 0.005, 0.005).build()).fired());
    }

    @Test
    void failedCheckDoesNotFire() {
        assertFalse(rule.evaluate(allPass().check(CheckCategory.SPILLOVER, CheckStatus.FAIL).build()).fired());
    }
}

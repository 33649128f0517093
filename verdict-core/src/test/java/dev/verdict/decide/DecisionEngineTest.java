package dev.verdict.decide;

import dev.verdict.check.CheckCategory;
import dev.verdict.check.CheckStatus;
import dev.verdict.check.SpecFixture;
import dev.verdict.readout.SegmentEffects;
import dev.verdict.spec.Direction;
import dev.verdict.spec.ExperimentSpec.Design;
import dev.verdict.spec.Guardrail;
import dev.verdict.spec.MetricKind;
import dev.verdict.spec.Threshold;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.verdict.check.EffectFixture.segment;
import static dev.verdict.decide.InputFixture.allPass;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecisionEngineTest {
    private final DecisionEngine engine = DecisionEngine.standard();

    @Test
    void rulesRunInTheFrameworkOrder() {
        assertEquals(List.of("stop_gates", "harmful_success", "targeting", "proceed", "mixed"),
                engine.rules().stream().map(DecisionRule::name).toList());
    }

    @Test
    void shipRecordsEveryRuleUpToProceed() {
        Decision d = engine.decide(allPass().build());
        assertEquals(Recommendation.SHIP, d.recommendation());
        assertEquals("proceed.all_criteria", d.rule());
        assertEquals(List.of("stop_gates", "harmful_success", "targeting", "proceed"),
                d.trail().stream().map(RuleStep::rule).toList());
        assertEquals(DecisionMatrix.contingency(Recommendation.SHIP), d.contingency());
        assertTrue(!d.whatWouldChange().isEmpty());
    }

    @Test
    void stopGateEndsTheTrail() {
        Decision d = engine.decide(allPass().check(CheckCategory.DATA_QUALITY, CheckStatus.FAIL).build());
        assertEquals(Recommendation.INSTRUMENT_MORE, d.recommendation());
        assertEquals("stop_gates.instrument_more", d.rule());
        assertEquals(1, d.trail().size());
    }

    @Test
    void declaredContingencyWins() {
        Decision d = engine.decide(allPass().spec(SpecFixture.spec()
                .contingency("if error rate > 0.5% in the next two weeks, roll back").build()).build());
        assertEquals("if error rate > 0.5% in the next two weeks, roll back", d.contingency());
    }

    @Test
    void targetContingencyNamesTheWinners() {
        SegmentEffects tier = new SegmentEffects("tier", List.of(segment("tier", "pro", 0.8, 0.05, 0.01),
                segment("tier", "free", 0.8, 0.001, 0.01)), List.of(1e-6, 0.9), 12.0, 1, 0.001);
        Decision d = engine.decide(allPass().spec(SpecFixture.spec().segments("tier").build()).segments(tier).build());
        assertEquals(Recommendation.TARGET, d.recommendation());
        assertEquals("Deploy to tier pro; keep a holdout on tier free.", d.contingency());
    }

    @Test
    void harmfulSuccessRollsBackBeforeTargeting() {
        Decision d = engine.decide(allPass().success(0.8, -0.02, 0.005).build());
        assertEquals(Recommendation.ROLL_BACK, d.recommendation());
        assertEquals("harmful_success.harmful", d.rule());
    }

    @Test
    void sameInputSameDecision() {
        DecisionInput in = allPass().check(CheckCategory.BOUNDARY_COVERAGE, CheckStatus.WARN).build();
        assertEquals(engine.decide(in), engine.decide(in));
    }

    /** The worked example of docs/methods-checks.md; keep the two in step. */
    @Test
    void documentedExampleRamps() {
        Guardrail latency = new Guardrail(SpecFixture.metric("latency_ms",
                MetricKind.P99, Direction.DECREASE, Optional.empty()),
                new Threshold(0.05, true));
        InputFixture f = allPass().spec(SpecFixture.spec().design(Design.USER_RCT)
                        .minEffect(new Threshold(0.005, false)).guardrail(latency).economics(0).build())
                .check(CheckCategory.BOUNDARY_COVERAGE, CheckStatus.WARN)
                .success(0.80, 0.012, 0.003); // CI 0.012 -+ 1.959964 * 0.003 = [0.00612, 0.01788]
        Decision d = engine.decide(f.build());
        assertEquals(Recommendation.RAMP, d.recommendation());
        assertEquals("proceed.limited_coverage", d.rule());
        assertEquals(DecisionMatrix.contingency(Recommendation.RAMP), d.contingency());
        // the same result with the boundary check passing ships
        assertEquals(Recommendation.SHIP, engine.decide(f.check(CheckCategory.BOUNDARY_COVERAGE, CheckStatus.PASS).build())
                .recommendation());
    }
}

package dev.verdict.decide;

import dev.verdict.check.CheckCategory;
import dev.verdict.check.CheckStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.verdict.decide.InputFixture.allPass;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StopGateRuleTest {
    private final StopGateRule rule = new StopGateRule();

    private Recommendation fired(InputFixture f) {
        RuleOutcome o = rule.evaluate(f.build());
        assertTrue(o.fired(), o.finding());
        return o.verdict().orElseThrow().recommendation();
    }

    @Test
    void noFailureDoesNotFire() {
        InputFixture f = allPass().check(CheckCategory.GUARDRAIL, CheckStatus.WARN)
                .check(CheckCategory.BOUNDARY_COVERAGE, CheckStatus.NOT_EVALUATED);
        assertFalse(rule.evaluate(f.build()).fired());
    }

    @ParameterizedTest
    @EnumSource(CheckCategory.class)
    void eachFailedCategoryFiresItsGate(CheckCategory category) {
        Recommendation expected = switch (category) {
            case DATA_QUALITY, ASSIGNMENT_INTEGRITY -> Recommendation.INSTRUMENT_MORE;
            case ROLLBACK_TRIGGER, GUARDRAIL, ECONOMIC -> Recommendation.ROLL_BACK;
            case IDENTIFICATION, EXECUTION_FIDELITY, BOUNDARY_COVERAGE, SPILLOVER -> Recommendation.PAUSE;
        };
        assertEquals(expected, fired(allPass().check(category, CheckStatus.FAIL)));
    }

    @Test
    void instrumentMoreTakesPrecedence() {
        InputFixture f = allPass().check(CheckCategory.BOUNDARY_COVERAGE, CheckStatus.FAIL)
                .check(CheckCategory.GUARDRAIL, CheckStatus.FAIL).check(CheckCategory.DATA_QUALITY, CheckStatus.FAIL);
        assertEquals(Recommendation.INSTRUMENT_MORE, fired(f));
    }

    @Test
    void rollBackBeatsPause() {
        InputFixture f = allPass().check(CheckCategory.EXECUTION_FIDELITY, CheckStatus.FAIL)
                .check(CheckCategory.ROLLBACK_TRIGGER, CheckStatus.FAIL);
        assertEquals(Recommendation.ROLL_BACK, fired(f));
        Verdict v = rule.evaluate(f.build()).verdict().orElseThrow();
        assertTrue(v.reason().contains("Also failed: execution_fidelity"), v.reason());
        assertEquals(3, v.whatWouldChange().size()); // one per failed check plus the closing statement
    }

    @Test
    void assignmentBeatsEconomic() {
        InputFixture f = allPass().check(CheckCategory.ECONOMIC, CheckStatus.FAIL)
                .check(CheckCategory.ASSIGNMENT_INTEGRITY, CheckStatus.FAIL);
        assertEquals(Recommendation.INSTRUMENT_MORE, fired(f));
    }
}

package dev.verdict.check;

import dev.verdict.decide.Recommendation;
import dev.verdict.decide.StopGateRule;
import dev.verdict.spec.ExperimentSpec.Design;
import dev.verdict.spec.ExperimentSpec.SharedState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpilloverCheckTest {
    @Test
    void requestRctOfASharedStateChangeIsAStopGateThatPauses() {
        CheckResult r = SpilloverCheck.of(Design.REQUEST_RCT, List.of(SharedState.CACHE));
        assertEquals(CheckStatus.FAIL, r.status());
        assertEquals(CheckCategory.SPILLOVER, r.category());
        assertEquals(Recommendation.PAUSE, StopGateRule.consequence(r.category()));
        assertTrue(r.summary().contains("cache") && r.summary().contains("switchback"), r.summary());
    }

    @Test
    void stateNeutralRequestRctPasses() {
        assertEquals(CheckStatus.PASS, SpilloverCheck.of(Design.REQUEST_RCT, List.of()).status());
    }

    @Test
    void userRctWarnsAndUnitsThatHoldTheStatePass() {
        assertEquals(CheckStatus.WARN, SpilloverCheck.of(Design.USER_RCT, List.of(SharedState.QUEUE)).status());
        assertEquals(CheckStatus.PASS, SpilloverCheck.of(Design.CLUSTER_RCT, List.of(SharedState.CACHE)).status());
        assertEquals(CheckStatus.PASS, SpilloverCheck.of(Design.SWITCHBACK, List.of(SharedState.BATCHING)).status());
        assertEquals(CheckStatus.NOT_EVALUATED, SpilloverCheck.of(Design.DID, List.of(SharedState.CACHE)).status());
    }
}

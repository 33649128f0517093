package dev.verdict.check;

import dev.verdict.spec.ExperimentSpec.Design;
import dev.verdict.spec.ExperimentSpec.SharedState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedStateCheckTest {
    @Test
    void stateNeutralChangePasses() {
        CheckResult r = SharedStateCheck.of(Design.REQUEST_RCT, List.of());
        assertEquals(CheckStatus.PASS, r.status());
        assertEquals(CheckCategory.IDENTIFICATION, r.category());
        assertEquals("design_fit", r.name());
    }

    @Test
    void positiveControlRequestRctOnSharedStateWarns() {
        CheckResult r = SharedStateCheck.of(Design.REQUEST_RCT, List.of(SharedState.CACHE));
        assertEquals(CheckStatus.WARN, r.status());
        assertTrue(r.summary().contains("cluster RCT") && r.summary().contains("switchback"));
    }

    @Test
    void userRctOnSharedStateWarnsOfSpillover() {
        CheckResult r = SharedStateCheck.of(Design.USER_RCT, List.of(SharedState.QUEUE, SharedState.BATCHING));
        assertEquals(CheckStatus.WARN, r.status());
        assertTrue(r.summary().contains("spillover"));
    }

    @Test
    void clusterDesignsContainTheInterference() {
        assertEquals(CheckStatus.PASS, SharedStateCheck.of(Design.CLUSTER_RCT, List.of(SharedState.CACHE)).status());
        assertEquals(CheckStatus.PASS, SharedStateCheck.of(Design.SWITCHBACK, List.of(SharedState.ROUTING)).status());
    }
}

package dev.verdict.check;

import dev.verdict.reduce.Reduction;
import dev.verdict.reduce.Reduction.LabelCount;
import dev.verdict.spec.ExperimentSpec.DataQuality;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.verdict.check.SpecFixture.ARMS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataQualityCheckTest {
    private static final DataQuality LIMITS = new DataQuality(0.01, 0.001);

    @Test
    void smallUnknownSharePassesAndIsReported() {
        Map<String, LabelCount> labels = Map.of("control", new LabelCount(50000, 50000),
                "treatment", new LabelCount(49990, 49990), "Treatment", new LabelCount(6, 6),
                Reduction.NULL_LABEL, new LabelCount(4, 4));
        CheckResult r = DataQualityCheck.of(labels, ARMS, 99990, 99900, LIMITS);
        assertEquals(CheckStatus.PASS, r.status());
        // known truth: 10 unknown of 100000 rows; 90 missing of 99990
        assertEquals(10L, r.evidence().get("unknown_arm_rows"));
        assertEquals(1e-4, (Double) r.evidence().get("unknown_arm_share"), 1e-18);
        assertEquals(90L, r.evidence().get("missing_outcome_rows"));
        @SuppressWarnings("unchecked")
        Map<String, Object> unknown = (Map<String, Object>) r.evidence().get("unknown_labels");
        assertEquals(List.of("Treatment", Reduction.NULL_LABEL), List.copyOf(unknown.keySet())); // by rows, descending
        assertEquals(6L, unknown.get("Treatment"));
        assertTrue(r.summary().contains("Treatment"));
    }

    @Test
    void positiveControlUnknownArmsFail() {
        Map<String, LabelCount> labels = Map.of("control", new LabelCount(5000, 5000),
                "treatment", new LabelCount(4900, 4900), "tretment", new LabelCount(100, 100));
        CheckResult r = DataQualityCheck.of(labels, ARMS, 9900, 9900, LIMITS);
        assertEquals(CheckStatus.FAIL, r.status()); // 1% unknown > 0.1%
    }

    @Test
    void positiveControlMissingOutcomesFail() {
        Map<String, LabelCount> labels = Map.of("control", new LabelCount(5000, 5000), "treatment", new LabelCount(5000, 5000));
        CheckResult r = DataQualityCheck.of(labels, ARMS, 10000, 9800, LIMITS);
        assertEquals(CheckStatus.FAIL, r.status()); // 2% missing > 1%
        assertEquals(0.02, (Double) r.evidence().get("missing_outcome_share"), 1e-15);
    }

    @Test
    void shareAtTheThresholdPasses() {
        Map<String, LabelCount> labels = Map.of("control", new LabelCount(5000, 5000), "treatment", new LabelCount(5000, 5000));
        assertEquals(CheckStatus.PASS, DataQualityCheck.of(labels, ARMS, 10000, 9900, LIMITS).status()); // exactly 1%
    }

    @Test
    void absentInputsAreNotEvaluated() {
        CheckResult r = DataQualityCheck.of(Map.of(), ARMS, 0, -1, LIMITS);
        assertEquals(CheckStatus.NOT_EVALUATED, r.status());
    }

    @Test
    void missingCompleteCountIsNamedNotPassedSilently() {
        Map<String, LabelCount> labels = Map.of("control", new LabelCount(5000, 5000), "treatment", new LabelCount(5000, 5000));
        CheckResult r = DataQualityCheck.of(labels, ARMS, 10000, -1, LIMITS);
        assertTrue(r.summary().contains("not evaluated"));
        assertEquals(1, ((List<?>) r.evidence().get("not_evaluated")).size());
    }
}

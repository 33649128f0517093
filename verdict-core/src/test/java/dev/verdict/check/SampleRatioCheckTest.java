package dev.verdict.check;

import dev.verdict.reduce.Reduction;
import dev.verdict.reduce.Reduction.Cell;
import dev.verdict.reduce.Reduction.SegmentValue;
import dev.verdict.spec.ExperimentSpec.Allocation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.verdict.check.SpecFixture.ARMS;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SampleRatioCheckTest {
    private static final double REL = 1e-8;
    private static final Allocation HALF = new Allocation(0.5, 0.5);

    static Cell cell(String arm, long units, long rows) {
        return new Cell(arm, Optional.empty(), units, rows, Map.of());
    }

    static Cell cell(String arm, String column, String value, long units) {
        return new Cell(arm, Optional.of(new SegmentValue(column, value)), units, units, Map.of());
    }

    static Reduction reduction(List<Cell> cells) {
        long rows = cells.stream().filter(c -> c.segment().isEmpty()).mapToLong(Cell::rows).sum();
        return new Reduction(rows, cells, Map.of(), Map.of(), Map.of());
    }

    private static double p(CheckResult r) {
        return (Double) r.evidence().get("p_value");
    }

    @Test
    void balancedSplitPasses() {
        CheckResult r = SampleRatioCheck.of(reduction(List.of(cell("control", 50123, 50123), cell("treatment", 49877, 49877))),
                ARMS, HALF, List.of(), SampleRatioCheck.DEFAULT_ALPHA);
        assertEquals(CheckStatus.PASS, r.status());
        assertEquals(CheckCategory.ASSIGNMENT_INTEGRITY, r.category());
        assertEquals("sample_ratio", r.name());
        // R 4.2.2: chisq.test(c(50123, 49877), p = c(0.5, 0.5)) (reference.json srm_50123_49877)
        assertEquals(0.436615997443964, p(r), REL * 0.436615997443964);
        assertEquals(0.60516, (Double) r.evidence().get("chi_square"), REL * 0.60516);
    }

    @Test
    void unequalAllocationUsesDeclaredShares() {
        CheckResult r = SampleRatioCheck.of(reduction(List.of(cell("control", 9000, 9000), cell("treatment", 1050, 1050))),
                ARMS, new Allocation(0.9, 0.1), List.of(), SampleRatioCheck.DEFAULT_ALPHA);
        assertEquals(CheckStatus.PASS, r.status());
        // R 4.2.2: chisq.test(c(9000, 1050), p = c(0.9, 0.1)) (reference.json srm_90_10)
        assertEquals(0.134584871391077, p(r), REL * 0.134584871391077);
    }

    @Test
    void positiveControlGrossMismatchFails() {
        CheckResult r = SampleRatioCheck.of(reduction(List.of(cell("control", 51000, 51000), cell("treatment", 49000, 49000))),
                ARMS, HALF, List.of(), SampleRatioCheck.DEFAULT_ALPHA);
        assertEquals(CheckStatus.FAIL, r.status());
        // known truth: 2 * 1000^2 / 50000 = 40
        assertEquals(40.0, (Double) r.evidence().get("chi_square"), 1e-12);
    }

    @Test
    void levelIsConfigurable() {
        Reduction red = reduction(List.of(cell("control", 10000, 10000), cell("treatment", 10250, 10250)));
        // R 4.2.2: chisq.test(c(10000, 10250), p = c(0.5, 0.5)) gives p = 0.0789483377160013 (srm_10000_10250)
        assertEquals(CheckStatus.PASS, SampleRatioCheck.of(red, ARMS, HALF, List.of(), 0.001).status());
        CheckResult loose = SampleRatioCheck.of(red, ARMS, HALF, List.of(), 0.1);
        assertEquals(CheckStatus.FAIL, loose.status());
        assertEquals(0.0789483377160013, p(loose), REL * 0.0789483377160013);
    }

    @Test
    void countsUnitsNotRequests() {
        // users split 5000/5000, but treatment users send far fewer requests: not an SRM
        CheckResult r = SampleRatioCheck.of(reduction(List.of(cell("control", 5000, 90000), cell("treatment", 5000, 10000))),
                ARMS, HALF, List.of(), SampleRatioCheck.DEFAULT_ALPHA);
        assertEquals(CheckStatus.PASS, r.status());
        assertEquals(1.0, p(r), 0.0); // invariant: equal counts give p = 1
    }

    @Test
    void segmentMismatchWithOverallFineWarns() {
        List<Cell> cells = new ArrayList<>(List.of(cell("control", 10000, 10000), cell("treatment", 10000, 10000)));
        cells.add(cell("control", "tier", "free", 6000));
        cells.add(cell("treatment", "tier", "free", 4000));
        cells.add(cell("control", "tier", "pro", 4000));
        cells.add(cell("treatment", "tier", "pro", 6000));
        CheckResult r = SampleRatioCheck.of(reduction(cells), ARMS, HALF, List.of("tier"), SampleRatioCheck.DEFAULT_ALPHA);
        assertEquals(CheckStatus.WARN, r.status());
        assertEquals(2, r.evidence().get("bonferroni_k"));
        @SuppressWarnings("unchecked")
        Map<String, Object> worst = (Map<String, Object>) r.evidence().get("worst_segment");
        assertEquals("free", worst.get("value")); // ties broken by value order
    }

    @Test
    void bonferroniCorrectionAppliesOverSegmentCells() {
        List<Cell> cells = new ArrayList<>(List.of(cell("control", 20250, 20250), cell("treatment", 20250, 20250)));
        cells.add(cell("control", "tier", "a", 10000));
        cells.add(cell("treatment", "tier", "a", 10250));
        cells.add(cell("control", "tier", "b", 10250));
        cells.add(cell("treatment", "tier", "b", 10000));
        CheckResult r = SampleRatioCheck.of(reduction(cells), ARMS, HALF, List.of("tier"), 0.1);
        // each segment: p = 0.0789483377160013 (R chisq.test(c(10000, 10250), p = c(0.5, 0.5))) < 0.1,
        // but Bonferroni over K = 2 cells gives 0.1578966754320026 > 0.1
        assertEquals(CheckStatus.PASS, r.status());
        @SuppressWarnings("unchecked")
        Map<String, Object> worst = (Map<String, Object>) r.evidence().get("worst_segment");
        assertEquals(2 * 0.0789483377160013, (Double) worst.get("adjusted_p_value"), REL * 0.158);
    }

    @Test
    void noUnitsIsNotEvaluated() {
        CheckResult r = SampleRatioCheck.of(reduction(List.of()), ARMS, HALF, List.of(), SampleRatioCheck.DEFAULT_ALPHA);
        assertEquals(CheckStatus.NOT_EVALUATED, r.status());
    }

    @Test
    void emptyArmFails() {
        CheckResult r = SampleRatioCheck.of(reduction(List.of(cell("control", 1000, 1000))), ARMS, HALF, List.of(),
                SampleRatioCheck.DEFAULT_ALPHA);
        assertEquals(CheckStatus.FAIL, r.status());
    }
}

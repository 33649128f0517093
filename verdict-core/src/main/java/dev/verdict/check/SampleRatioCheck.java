package dev.verdict.check;

import dev.verdict.reduce.Reduction;
import dev.verdict.reduce.Reduction.Cell;
import dev.verdict.spec.ExperimentSpec;
import dev.verdict.spec.ExperimentSpec.Allocation;
import dev.verdict.spec.ExperimentSpec.Arms;
import dev.verdict.stats.ChiSquareGoodnessOfFit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sample ratio mismatch (SRM) check: are the randomization units split between the arms as the
 * spec declared?
 *
 * <p>It runs Pearson's chi-square goodness-of-fit test ({@link ChiSquareGoodnessOfFit}) of the
 * unit counts per declared arm (the cells' {@code units}: users when users were randomized, never their
 * requests) against the declared allocation. Following the convention of most experimentation
 * platforms (Fabijan et al. 2019, doi:10.1145/3292500.3330722), the overall test fails at
 * {@code p < 0.001} by default: a strict level, because SRM is screened on every experiment and
 * large samples make tiny, harmless imbalances "significant" at 0.05.
 *
 * <p>The same test runs within every value of every declared segment column. Those tests are
 * Bonferroni-corrected over the {@code K} segment cells tested ({@code p_adj = min(1, K p)}); a segment
 * whose adjusted p-value is below the level while the overall split is fine is a {@link CheckStatus#WARN}
 * (assignment or logging broken for part of the traffic). Segment values whose expected count in some
 * arm is below {@value #MIN_EXPECTED} are not tested (the chi-square approximation fails there) and are
 * counted in the evidence.
 *
 * <p>Statuses: FAIL when the overall p-value is below the level; WARN as above; PASS otherwise;
 * NOT_EVALUATED when no units were counted in the declared arms.
 */
public final class SampleRatioCheck {
    /** Check name in the readout. */
    public static final String NAME = "sample_ratio";
    /** Default significance level of the overall test. */
    public static final double DEFAULT_ALPHA = 0.001;
    /** Smallest expected count per arm for a segment value to be tested. */
    public static final double MIN_EXPECTED = 5;

    private SampleRatioCheck() {
    }

    /** The check with the spec's arms, allocation and segments at the default level. */
    public static CheckResult of(Reduction reduction, ExperimentSpec spec) {
        return of(reduction, spec.arms(), spec.allocation(), spec.segments().stream().map(spec::column).toList(),
                DEFAULT_ALPHA);
    }

    /**
     * The check.
     *
     * @param reduction      the engine's cells (their {@code units})
     * @param arms           the declared arm labels
     * @param allocation     the declared shares
     * @param segmentColumns the segment columns as named in the reduction's cells
     * @param alpha          significance level of the overall test, in (0, 1)
     */
    public static CheckResult of(Reduction reduction, Arms arms, Allocation allocation, List<String> segmentColumns,
                                 double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("sample ratio alpha must be in (0, 1), got " + alpha);
        }
        double[] p = {allocation.control(), allocation.treatment()};
        long[] overall = {units(reduction.cells(), arms.control(), Optional.empty()),
                units(reduction.cells(), arms.treatment(), Optional.empty())};
        CheckResult.Evidence ev = CheckResult.evidenceBuilder()
                .put("unit_counts", counts(arms, overall))
                .put("allocation", counts(arms, p))
                .put("alpha", alpha);
        if (overall[0] + overall[1] == 0) {
            return new CheckResult(NAME, CheckCategory.ASSIGNMENT_INTEGRITY, CheckStatus.NOT_EVALUATED,
                    "Sample ratio not evaluated: no units were counted in the declared arms.", ev.map());
        }
        ChiSquareGoodnessOfFit.Result all = ChiSquareGoodnessOfFit.test(overall, p);
        double observedShare = (double) overall[1] / (overall[0] + overall[1]);
        ev.put("expected", counts(arms, all.expected()))
                .put("observed_treatment_share", observedShare)
                .put("chi_square", all.statistic())
                .put("df", all.df())
                .put("p_value", all.pValue());

        List<SegmentTest> tests = new ArrayList<>();
        int skipped = 0;
        for (String column : segmentColumns) {
            List<Cell> cells = reduction.segmentCells(column);
            List<String> values = cells.stream().map(c -> c.segment().orElseThrow().value()).distinct().sorted().toList();
            for (String value : values) {
                Optional<Reduction.SegmentValue> sv = Optional.of(new Reduction.SegmentValue(column, value));
                long[] n = {units(cells, arms.control(), sv), units(cells, arms.treatment(), sv)};
                long total = n[0] + n[1];
                if (total * Math.min(p[0], p[1]) < MIN_EXPECTED) {
                    skipped++;
                    continue;
                }
                tests.add(new SegmentTest(column, value, n, ChiSquareGoodnessOfFit.test(n, p).pValue()));
            }
        }
        int k = tests.size();
        Optional<SegmentTest> worst = tests.stream().min((a, b) -> Double.compare(a.p, b.p));
        double worstAdjusted = worst.map(w -> Math.min(1, w.p * k)).orElse(Double.NaN);
        ev.put("segment_cells_tested", k).put("segment_cells_skipped_small", skipped).put("bonferroni_k", k);
        worst.ifPresent(w -> ev.put("worst_segment", segmentEvidence(arms, w, worstAdjusted)));

        String split = arms.control() + " " + overall[0] + " / " + arms.treatment() + " " + overall[1] + " units (expected "
                + CheckText.num(all.expected()[0]) + " / " + CheckText.num(all.expected()[1]) + ")";
        if (all.pValue() < alpha) {
            return new CheckResult(NAME, CheckCategory.ASSIGNMENT_INTEGRITY, CheckStatus.FAIL,
                    "Sample ratio mismatch: " + split + ", chi-square " + CheckText.num(all.statistic()) + ", p = "
                            + CheckText.num(all.pValue()) + " < " + CheckText.num(alpha) + ".", ev.map());
        }
        if (worst.isPresent() && worstAdjusted < alpha) {
            SegmentTest w = worst.get();
            return new CheckResult(NAME, CheckCategory.ASSIGNMENT_INTEGRITY, CheckStatus.WARN,
                    "Overall split fine (" + split + ", p = " + CheckText.num(all.pValue()) + ") but segment " + w.column
                            + "=" + w.value + " is mismatched (" + w.n[0] + " / " + w.n[1] + ", Bonferroni-adjusted p = "
                            + CheckText.num(worstAdjusted) + " over " + k + " segment cells).", ev.map());
        }
        return new CheckResult(NAME, CheckCategory.ASSIGNMENT_INTEGRITY, CheckStatus.PASS,
                "No sample ratio mismatch: " + split + ", p = " + CheckText.num(all.pValue())
                        + (k > 0 ? "; worst of " + k + " segment cells adjusted p = " + CheckText.num(worstAdjusted) : "")
                        + ".", ev.map());
    }

    private static long units(List<Cell> cells, String arm, Optional<Reduction.SegmentValue> segment) {
        return cells.stream().filter(c -> c.arm().equals(arm) && c.segment().equals(segment))
                .mapToLong(Cell::units).sum();
    }

    private static Map<String, Object> counts(Arms arms, long[] n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(arms.control(), n[0]);
        m.put(arms.treatment(), n[1]);
        return m;
    }

    private static Map<String, Object> counts(Arms arms, double[] n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(arms.control(), n[0]);
        m.put(arms.treatment(), n[1]);
        return m;
    }

    private static Map<String, Object> segmentEvidence(Arms arms, SegmentTest w, double adjusted) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("column", w.column);
        m.put("value", w.value);
        m.put("unit_counts", counts(arms, w.n));
        m.put("p_value", w.p);
        m.put("adjusted_p_value", adjusted);
        return m;
    }

    private record SegmentTest(String column, String value, long[] n, double p) { }
}

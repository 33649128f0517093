package dev.verdict.check;

import dev.verdict.reduce.Reduction.LabelCount;
import dev.verdict.spec.ExperimentSpec.Arms;
import dev.verdict.spec.ExperimentSpec.DataQuality;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data-quality check: how many rows carry an arm label the spec does not declare (or none), and how
 * many rows lack the decision metric's outcome.
 *
 * <p>Two shares, each against its threshold in {@link DataQuality}:
 * <ul>
 *   <li>unknown arm: rows whose label is not a declared arm (missing labels included) over all rows
 *       read, from the engine's {@code armLabelCounts};</li>
 *   <li>missing outcome: {@code (rows - completeRows) / rows} for the decision metric, over the rows of
 *       the declared arms.</li>
 * </ul>
 * A share strictly above its threshold FAILs (broken logging: instrument more). A share at or below it
 * PASSes, and the counts are still reported: every unknown label is listed with its row count, so
 * nothing is dropped silently. A part whose input is absent ({@code completeRows < 0}, no label counts)
 * is not evaluated and named in the summary; with neither part evaluable the check is NOT_EVALUATED.
 */
public final class DataQualityCheck {
    /** Check name in the readout. */
    public static final String NAME = "data_quality";

    private DataQualityCheck() {
    }

    /**
     * The check.
     *
     * @param armLabelCounts every arm label seen with its rows (declared or not)
     * @param arms           the declared labels
     * @param outcomeRows    rows of the declared arms the decision metric is computed on
     * @param completeRows   of those, rows with a non-missing outcome; negative when unknown
     * @param limits         the spec's thresholds
     */
    public static CheckResult of(Map<String, LabelCount> armLabelCounts, Arms arms, long outcomeRows,
                                 long completeRows, DataQuality limits) {
        CheckResult.Evidence ev = CheckResult.evidenceBuilder();
        List<String> problems = new ArrayList<>();
        List<String> fine = new ArrayList<>();
        List<String> notEvaluated = new ArrayList<>();

        long allRows = armLabelCounts.values().stream().mapToLong(LabelCount::rows).sum();
        if (allRows > 0) {
            Map<String, Object> unknown = new LinkedHashMap<>();
            armLabelCounts.entrySet().stream()
                    .filter(e -> !e.getKey().equals(arms.control()) && !e.getKey().equals(arms.treatment()))
                    .sorted(Comparator.<Map.Entry<String, LabelCount>>comparingLong(e -> -e.getValue().rows())
                            .thenComparing(Map.Entry::getKey))
                    .forEach(e -> unknown.put(e.getKey(), e.getValue().rows()));
            long unknownRows = unknown.values().stream().mapToLong(v -> (Long) v).sum();
            double share = (double) unknownRows / allRows;
            ev.put("rows", allRows).put("unknown_arm_rows", unknownRows).put("unknown_arm_share", share)
                    .put("max_unknown_arm_share", limits.maxUnknownArmShare()).put("unknown_labels", unknown);
            String text = unknownRows + " of " + allRows + " rows (" + CheckText.pct(share) + ") have an undeclared or missing arm"
                    + (unknown.isEmpty() ? "" : " " + unknown.keySet());
            if (share > limits.maxUnknownArmShare()) {
                problems.add(text + ", above " + CheckText.pct(limits.maxUnknownArmShare()));
            } else {
                fine.add(text);
            }
        } else {
            notEvaluated.add("arm labels (no rows counted)");
        }

        if (completeRows >= 0 && outcomeRows > 0) {
            if (completeRows > outcomeRows) {
                throw new IllegalArgumentException("complete outcome rows (" + completeRows
                        + ") cannot exceed outcome rows (" + outcomeRows + ")");
            }
            long missing = outcomeRows - completeRows;
            double share = (double) missing / outcomeRows;
            ev.put("outcome_rows", outcomeRows).put("missing_outcome_rows", missing).put("missing_outcome_share", share)
                    .put("max_missing_share", limits.maxMissingShare());
            String text = missing + " of " + outcomeRows + " rows (" + CheckText.pct(share) + ") lack the decision-metric outcome";
            if (share > limits.maxMissingShare()) {
                problems.add(text + ", above " + CheckText.pct(limits.maxMissingShare()));
            } else {
                fine.add(text);
            }
        } else {
            notEvaluated.add("missing outcomes (no complete-row count)");
        }
        ev.put("not_evaluated", List.copyOf(notEvaluated));

        String rest = notEvaluated.isEmpty() ? "" : "; not evaluated: " + String.join(", ", notEvaluated);
        if (!problems.isEmpty()) {
            return new CheckResult(NAME, CheckCategory.DATA_QUALITY, CheckStatus.FAIL,
                    "Data quality fails: " + String.join("; ", problems) + rest + ".", ev.map());
        }
        if (fine.isEmpty()) {
            return new CheckResult(NAME, CheckCategory.DATA_QUALITY, CheckStatus.NOT_EVALUATED,
                    "Data quality not evaluated: " + String.join(", ", notEvaluated) + ".", ev.map());
        }
        return new CheckResult(NAME, CheckCategory.DATA_QUALITY, CheckStatus.PASS,
                "Data quality within limits: " + String.join("; ", fine) + rest + ".", ev.map());
    }
}

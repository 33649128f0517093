package dev.verdict.check;

import dev.verdict.reduce.Reduction.ArmCounters;
import dev.verdict.spec.ExperimentSpec.Arms;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The assignment-integrity check: did each unit stay in one arm, and did exposure start when the spec
 * says it did?
 *
 * <p>Two shares, summed over the declared arms' counters:
 * <ul>
 *   <li>units seen in both arms: {@code sum unitsInBothArms / sum units} (unit-randomized designs only;
 *       the engine books a mixed unit once, in the arm of its first row);</li>
 *   <li>rows before the declared start: {@code sum beforeStart / sum rows}.</li>
 * </ul>
 * A share above {@link #DEFAULT_FAIL_SHARE} (0.1%) FAILs: contamination of that size biases the
 * comparison towards zero and signals broken bucketing or a start time that does not match the logs.
 * A share above 0 and at most that WARNs (a handful of leaked units or early rows). Zero PASSes. A part
 * whose counter is -1 (request design, no start declared, no time column) is not evaluated and named in
 * the summary; with neither part evaluable the check is NOT_EVALUATED.
 */
public final class AssignmentIntegrityCheck {
    /** Check name in the readout. */
    public static final String NAME = "assignment_integrity";
    /** Share of units (or rows) above which the check fails. */
    public static final double DEFAULT_FAIL_SHARE = 0.001;

    private AssignmentIntegrityCheck() {
    }

    /** The check at {@link #DEFAULT_FAIL_SHARE}. */
    public static CheckResult of(Map<String, ArmCounters> counters, Arms arms) {
        return of(counters, arms, DEFAULT_FAIL_SHARE);
    }

    /**
     * The check.
     *
     * @param counters  the engine's counters per declared arm
     * @param arms      the declared labels
     * @param failShare share in [0, 1) above which a part fails
     */
    public static CheckResult of(Map<String, ArmCounters> counters, Arms arms, double failShare) {
        if (!(failShare >= 0 && failShare < 1)) {
            throw new IllegalArgumentException("assignment integrity fail share must be in [0, 1), got " + failShare);
        }
        List<ArmCounters> declared = new ArrayList<>();
        for (String arm : List.of(arms.control(), arms.treatment())) {
            ArmCounters c = counters.get(arm);
            if (c != null) {
                declared.add(c);
            }
        }
        CheckResult.Evidence ev = CheckResult.evidenceBuilder().put("fail_share", failShare);
        List<String> failed = new ArrayList<>();
        List<String> warned = new ArrayList<>();
        List<String> fine = new ArrayList<>();
        List<String> notEvaluated = new ArrayList<>();

        long units = declared.stream().mapToLong(ArmCounters::units).sum();
        if (!declared.isEmpty() && declared.stream().allMatch(c -> c.unitsInBothArms() >= 0) && units > 0) {
            long mixed = declared.stream().mapToLong(ArmCounters::unitsInBothArms).sum();
            double share = (double) mixed / units;
            ev.put("units", units).put("units_in_both_arms", mixed).put("units_in_both_arms_share", share);
            classify(mixed + " of " + units + " units (" + CheckText.pct(share) + ") seen in both arms", mixed, share,
                    failShare, failed, warned, fine);
        } else {
            notEvaluated.add("units in both arms (not a unit-randomized reduction)");
        }

        long rows = declared.stream().mapToLong(ArmCounters::rows).sum();
        if (!declared.isEmpty() && declared.stream().allMatch(c -> c.beforeStart() >= 0) && rows > 0) {
            long early = declared.stream().mapToLong(ArmCounters::beforeStart).sum();
            double share = (double) early / rows;
            ev.put("rows", rows).put("rows_before_start", early).put("rows_before_start_share", share);
            classify(early + " of " + rows + " rows (" + CheckText.pct(share) + ") before the declared start", early, share,
                    failShare, failed, warned, fine);
        } else {
            notEvaluated.add("rows before start (no start or time column)");
        }
        ev.put("not_evaluated", List.copyOf(notEvaluated));

        String rest = notEvaluated.isEmpty() ? "" : "; not evaluated: " + String.join(", ", notEvaluated);
        String limit = " (limit " + CheckText.pct(failShare) + ")";
        if (!failed.isEmpty()) {
            return new CheckResult(NAME, CheckCategory.ASSIGNMENT_INTEGRITY, CheckStatus.FAIL,
                    "Assignment broken: " + String.join("; ", failed) + limit + rest + ".", ev.map());
        }
        if (!warned.isEmpty()) {
            return new CheckResult(NAME, CheckCategory.ASSIGNMENT_INTEGRITY, CheckStatus.WARN,
                    "Minor assignment leakage: " + String.join("; ", warned) + limit + rest + ".", ev.map());
        }
        if (fine.isEmpty()) {
            return new CheckResult(NAME, CheckCategory.ASSIGNMENT_INTEGRITY, CheckStatus.NOT_EVALUATED,
                    "Assignment integrity not evaluated: " + String.join(", ", notEvaluated) + ".", ev.map());
        }
        return new CheckResult(NAME, CheckCategory.ASSIGNMENT_INTEGRITY, CheckStatus.PASS,
                "Assignment intact: " + String.join("; ", fine) + rest + ".", ev.map());
    }

    private static void classify(String text, long count, double share, double failShare, List<String> failed,
                                 List<String> warned, List<String> fine) {
        if (share > failShare) {
            failed.add(text);
        } else if (count > 0) {
            warned.add(text);
        } else {
            fine.add(text);
        }
    }
}

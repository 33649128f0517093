package dev.verdict.check;

import dev.verdict.reduce.Reduction;
import dev.verdict.spec.CanonicalColumns;
import dev.verdict.spec.ExperimentSpec;
import dev.verdict.spec.ExperimentSpec.Arms;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The boundary-coverage check: did both arms see the congested, failure-prone states (the top decile of
 * the decision-time system state), so that the result speaks for peak load too?
 *
 * <p>Input: one state column (the first of {@code utilization}, {@code queue_depth}, {@code kv_util}
 * that the log has), its quantiles at probabilities {@link #PROBABILITIES} = [0.5, 0.9, 0.99] per arm and
 * pooled over the arms, and the rows per arm. With {@code P50, P90} the pooled quantiles and
 * {@code a90, a99} an arm's:
 * <ul>
 *   <li>FAIL when some arm has {@code a99 < P90}: fewer than 1% of its rows reached the pooled top
 *       decile, so the congested regime was essentially never observed under it (no broad rollout);</li>
 *   <li>WARN (thin coverage: ramp, not ship) when every arm reaches it but some arm has
 *       {@code a90 < P90 - (P90 - P50) / 2} (its own top decile sits well below the pooled one, so well
 *       under 10% of its rows are congested), or the guaranteed number of its rows at or above {@code P90}
 *       ({@code 0.10 n} when {@code a90 >= P90}, else {@code 0.01 n}) is below {@value #MIN_BOUNDARY_ROWS};</li>
 *   <li>PASS otherwise;</li>
 *   <li>NOT_EVALUATED when no state column was logged or a quantile is not finite (an arm with no state
 *       values).</li>
 * </ul>
 * The rule is relative to the experiment's own pooled distribution: an experiment run entirely off-peak
 * passes it. That is a limitation the readout should state next to the state's pooled p99.
 */
public final class BoundaryCoverageCheck {
    /** Check name in the readout. */
    public static final String NAME = "boundary_coverage";
    /** The probabilities the quantiles must be given at, in this order. */
    public static final List<Double> PROBABILITIES = List.of(0.5, 0.9, 0.99);
    /** Fewest rows at or above the pooled p90 an arm must be guaranteed to have for a pass. */
    public static final long MIN_BOUNDARY_ROWS = 100;

    private BoundaryCoverageCheck() {
    }

    /**
     * The check on the first state column (in {@link CanonicalColumns#STATE} order) whose quantiles the
     * reduction holds, with rows from the arms' cells.
     */
    public static CheckResult of(Reduction reduction, ExperimentSpec spec) {
        Arms arms = spec.arms();
        Optional<String> column = CanonicalColumns.STATE.stream().map(spec::column)
                .filter(reduction.quantiles()::containsKey).findFirst();
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String arm : List.of(arms.control(), arms.treatment())) {
            rows.put(arm, reduction.cells().stream().filter(c -> c.arm().equals(arm) && c.segment().isEmpty())
                    .mapToLong(Reduction.Cell::rows).sum());
        }
        return of(column, column.map(reduction.quantiles()::get).orElse(Map.of()), rows, arms);
    }

    /**
     * The check.
     *
     * @param stateColumn the state column used; empty when the log has none
     * @param quantiles   per arm label and {@link Reduction#POOLED}, the values at {@link #PROBABILITIES}
     * @param armRows     rows per arm
     * @param arms        the declared labels
     */
    public static CheckResult of(Optional<String> stateColumn, Map<String, double[]> quantiles,
                                 Map<String, Long> armRows, Arms arms) {
        CheckResult.Evidence ev = CheckResult.evidenceBuilder().put("state_column", stateColumn.orElse("(none)"))
                .put("probabilities", PROBABILITIES);
        if (stateColumn.isEmpty()) {
            return notEvaluated(ev, "no decision-time state column (" + String.join(", ", CanonicalColumns.STATE)
                    + ") in the log");
        }
        String col = stateColumn.get();
        double[] pooled = quantiles.get(Reduction.POOLED);
        if (!usable(pooled)) {
            return notEvaluated(ev, "no pooled quantiles of " + col);
        }
        double p50 = pooled[0];
        double p90 = pooled[1];
        double thinBelow = p90 - (p90 - p50) / 2;
        ev.put("pooled", quantileMap(pooled)).put("thin_below_p90", thinBelow);
        Map<String, Object> perArm = new LinkedHashMap<>();
        StringBuilder never = new StringBuilder();
        StringBuilder thin = new StringBuilder();
        for (String arm : List.of(arms.control(), arms.treatment())) {
            double[] q = quantiles.get(arm);
            if (!usable(q)) {
                ev.put("arms", perArm);
                return notEvaluated(ev, "no quantiles of " + col + " for arm " + arm);
            }
            long n = armRows.getOrDefault(arm, 0L);
            long guaranteed = q[1] >= p90 ? (long) Math.floor(0.10 * n) : q[2] >= p90 ? (long) Math.floor(0.01 * n) : 0;
            Map<String, Object> m = quantileMap(q);
            m.put("rows", n);
            m.put("rows_at_or_above_pooled_p90_at_least", guaranteed);
            perArm.put(arm, m);
            if (q[2] < p90) {
                never.append(never.length() == 0 ? "" : "; ").append(arm).append(" p99 ").append(CheckText.num(q[2]));
            } else if (q[1] < thinBelow || guaranteed < MIN_BOUNDARY_ROWS) {
                thin.append(thin.length() == 0 ? "" : "; ").append(arm).append(" p90 ").append(CheckText.num(q[1]))
                        .append(", at least ").append(guaranteed).append(" rows there");
            }
        }
        ev.put("arms", perArm);
        String top = col + " pooled p90 " + CheckText.num(p90);
        if (never.length() > 0) {
            return new CheckResult(NAME, CheckCategory.BOUNDARY_COVERAGE, CheckStatus.FAIL,
                    "Congested states never reached by an arm: " + top + " exceeds " + never + ".", ev.map());
        }
        if (thin.length() > 0) {
            return new CheckResult(NAME, CheckCategory.BOUNDARY_COVERAGE, CheckStatus.WARN,
                    "Congested states covered only thinly (" + top + ", thin below " + CheckText.num(thinBelow)
                            + " or under " + MIN_BOUNDARY_ROWS + " rows): " + thin + ".", ev.map());
        }
        return new CheckResult(NAME, CheckCategory.BOUNDARY_COVERAGE, CheckStatus.PASS,
                "Both arms observed the congested top decile of " + col + " (pooled p90 " + CheckText.num(p90) + ").",
                ev.map());
    }

    private static boolean usable(double[] q) {
        if (q == null || q.length != PROBABILITIES.size()) {
            return false;
        }
        for (double v : q) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Object> quantileMap(double[] q) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", q[0]);
        m.put("p90", q[1]);
        m.put("p99", q[2]);
        return m;
    }

    private static CheckResult notEvaluated(CheckResult.Evidence ev, String why) {
        return new CheckResult(NAME, CheckCategory.BOUNDARY_COVERAGE, CheckStatus.NOT_EVALUATED,
                "Boundary coverage not evaluated: " + why + ".", ev.map());
    }
}

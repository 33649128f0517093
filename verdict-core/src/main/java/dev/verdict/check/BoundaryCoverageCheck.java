package dev.verdict.check;

import dev.verdict.reduce.Reduction;
import dev.verdict.spec.CanonicalColumns;
import dev.verdict.spec.ExperimentSpec;
import dev.verdict.spec.ExperimentSpec.Arms;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The boundary-coverage check: did both arms see the congested, failure-prone states (the top decile of
 * the decision-time system state), so that the result speaks for peak load too?
 *
 * <p>Input: one state column (the first of {@code utilization}, {@code queue_depth}, {@code kv_util}
 * that the log has), its quantiles at probabilities {@link #PROBABILITIES} = [0.5, 0.75, 0.8, 0.85, 0.9,
 * 0.95, 0.975, 0.99] per arm and pooled over the arms, and the rows {@code n} per arm. With {@code P90}
 * the pooled p90, each arm's share of rows at or above it, {@code s}, is estimated by inverting the arm's
 * quantile function, taken as piecewise linear through its grid points {@code (p_k, a_k)}:
 * {@code s = 1 - (p_k + (p_{k+1} - p_k) (P90 - a_k) / (a_{k+1} - a_k))} for the {@code k} with
 * {@code a_k < P90 <= a_{k+1}}; {@code s = 0.5} (a lower bound) when {@code P90 <= a_0}, the arm's p50; and
 * {@code s = 0.01} (an upper bound) when {@code P90 > a99}. Its estimated rows there are {@code s n}. Under
 * randomization every arm has {@code s} close to 0.10. Then:
 * <ul>
 *   <li>FAIL when some arm has {@code a99 < P90}: fewer than 1% of its rows reached the pooled top
 *       decile, so the congested regime was essentially never observed under it (no broad rollout);</li>
 *   <li>WARN (thin coverage: ramp, not ship) when every arm reaches it but some arm has
 *       {@code s < }{@value #MIN_SHARE} (under half the 10% randomization implies) or {@code s n <}
 *       {@value #MIN_BOUNDARY_ROWS};</li>
 *   <li>PASS otherwise;</li>
 *   <li>NOT_EVALUATED when no state column was logged, or a quantile vector is missing, has a value that
 *       is not finite (an arm with no state values) or is decreasing.</li>
 * </ul>
 * The inversion is hand-written (a few lines of linear interpolation on an 8-point grid; no library call
 * fits). It is exact when the arm's distribution is uniform between neighbouring grid points, and within
 * the grid's resolution otherwise. The rule is relative to the experiment's own pooled distribution: an
 * experiment run entirely off-peak passes it. That is a limitation the readout should state next to the
 * state's pooled p99.
 */
public final class BoundaryCoverageCheck {
    /** Check name in the readout. */
    public static final String NAME = "boundary_coverage";
    /** The probabilities the quantiles must be given at, in this order (ascending). */
    public static final List<Double> PROBABILITIES = List.of(0.5, 0.75, 0.8, 0.85, 0.9, 0.95, 0.975, 0.99);
    /** Fewest estimated rows at or above the pooled p90 an arm must have for a pass. */
    public static final long MIN_BOUNDARY_ROWS = 100;
    /** Smallest estimated share of an arm's rows at or above the pooled p90 for a pass: half of 10%. */
    public static final double MIN_SHARE = 0.05;

    private static final int P90 = PROBABILITIES.indexOf(0.9);
    private static final int P99 = PROBABILITIES.size() - 1;

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
            return notEvaluated(ev, "no usable pooled quantiles of " + col);
        }
        double p90 = pooled[P90];
        ev.put("pooled", quantileMap(pooled)).put("min_share", MIN_SHARE).put("min_rows", MIN_BOUNDARY_ROWS);
        Map<String, Object> perArm = new LinkedHashMap<>();
        StringBuilder never = new StringBuilder();
        StringBuilder thin = new StringBuilder();
        StringBuilder all = new StringBuilder();
        for (String arm : List.of(arms.control(), arms.treatment())) {
            double[] q = quantiles.get(arm);
            if (!usable(q)) {
                ev.put("arms", perArm);
                return notEvaluated(ev, "no usable quantiles of " + col + " for arm " + arm);
            }
            long n = armRows.getOrDefault(arm, 0L);
            double share = shareAtOrAbove(q, p90);
            double estRows = share * n;
            Map<String, Object> m = quantileMap(q);
            m.put("rows", n);
            m.put("share_at_or_above_pooled_p90", share);
            m.put("share_is", p90 <= q[0] ? "lower_bound" : p90 > q[P99] ? "upper_bound" : "interpolated");
            m.put("rows_at_or_above_pooled_p90", estRows);
            perArm.put(arm, m);
            String line = arm + " " + (p90 > q[P99] ? "under " : "") + CheckText.pct(share) + " of " + n
                    + " rows (about " + Math.round(estRows) + ")";
            all.append(all.length() == 0 ? "" : "; ").append(line);
            if (q[P99] < p90) {
                never.append(never.length() == 0 ? "" : "; ").append(arm).append(" p99 ")
                        .append(CheckText.num(q[P99]));
            } else if (share < MIN_SHARE || estRows < MIN_BOUNDARY_ROWS) {
                thin.append(thin.length() == 0 ? "" : "; ").append(line);
            }
        }
        ev.put("arms", perArm);
        String top = col + " pooled p90 " + CheckText.num(p90);
        if (never.length() > 0) {
            return new CheckResult(NAME, CheckCategory.BOUNDARY_COVERAGE, CheckStatus.FAIL,
                    "Congested states never reached by an arm (under 1% of its rows): " + top + " exceeds "
                            + never + ".", ev.map());
        }
        if (thin.length() > 0) {
            return new CheckResult(NAME, CheckCategory.BOUNDARY_COVERAGE, CheckStatus.WARN,
                    "Congested states covered only thinly (" + top + "; an arm needs at least "
                            + CheckText.pct(MIN_SHARE) + " and " + MIN_BOUNDARY_ROWS + " rows at or above it): "
                            + thin + ".", ev.map());
        }
        return new CheckResult(NAME, CheckCategory.BOUNDARY_COVERAGE, CheckStatus.PASS,
                "Both arms observed the congested top decile of " + col + " (pooled p90 " + CheckText.num(p90)
                        + "; estimated at or above it: " + all + ").", ev.map());
    }

    /**
     * An arm's estimated share of rows at or above {@code threshold}: one minus the inverse at
     * {@code threshold} of its piecewise-linear quantile function through {@code (PROBABILITIES[k], q[k])},
     * {@code 1 - p50} = 0.5 when {@code threshold <= q[0]} (a lower bound) and {@code 1 - p99} = 0.01 when
     * {@code threshold > q[last]} (an upper bound). For a flat stretch {@code q[k] = ... = threshold} the
     * smallest such probability is used, so a point mass at the threshold counts as at or above it.
     *
     * @param q         quantiles at {@link #PROBABILITIES}, finite and non-decreasing
     * @param threshold a finite value
     */
    static double shareAtOrAbove(double[] q, double threshold) {
        if (threshold <= q[0]) {
            return 1 - PROBABILITIES.get(0);
        }
        for (int k = 0; k + 1 < q.length; k++) {
            if (q[k] < threshold && threshold <= q[k + 1]) {
                double pk = PROBABILITIES.get(k);
                double pk1 = PROBABILITIES.get(k + 1);
                return 1 - (pk + (pk1 - pk) * (threshold - q[k]) / (q[k + 1] - q[k]));
            }
        }
        return 1 - PROBABILITIES.get(P99);
    }

    private static boolean usable(double[] q) {
        if (q == null || q.length != PROBABILITIES.size()) {
            return false;
        }
        for (int i = 0; i < q.length; i++) {
            if (!Double.isFinite(q[i]) || (i > 0 && q[i] < q[i - 1])) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Object> quantileMap(double[] q) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < q.length; i++) {
            m.put(label(PROBABILITIES.get(i)), q[i]);
        }
        return m;
    }

    /** {@code 0.975} as {@code p97.5}, {@code 0.5} as {@code p50}. */
    private static String label(double p) {
        return "p" + BigDecimal.valueOf(p).movePointRight(2).stripTrailingZeros().toPlainString();
    }

    private static CheckResult notEvaluated(CheckResult.Evidence ev, String why) {
        return new CheckResult(NAME, CheckCategory.BOUNDARY_COVERAGE, CheckStatus.NOT_EVALUATED,
                "Boundary coverage not evaluated: " + why + ".", ev.map());
    }
}

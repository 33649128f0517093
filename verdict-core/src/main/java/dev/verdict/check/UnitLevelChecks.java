package dev.verdict.check;

import org.apache.commons.statistics.distribution.TDistribution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The identification and boundary checks computed from unit-level summaries of a cluster RCT or a switchback (issue 5):
 * {@value #BALANCE} (pre-period covariates, standardized differences), {@value #WASHOUT} (is the system state still
 * moving after the washout?) and {@value #BOUNDARY_UNITS} (congested units observed in both arms). Pure functions of
 * per-unit numbers; {@code dev.verdict.design.UnitSummaries} gets them from the engine.
 */
public final class UnitLevelChecks {
    public static final String BALANCE = "cluster_balance";
    public static final String WASHOUT = "washout_clearance";
    public static final String BOUNDARY_UNITS = "boundary_units";
    /** |standardized difference| above which a covariate is called imbalanced (Austin 2009; Imbens-Rubin 2015). */
    public static final double MAX_STD_DIFF = 0.25;
    /** Units needed in the congested top quartile in each arm. */
    public static final int MIN_CONGESTED_UNITS = 2;

    private UnitLevelChecks() {
    }

    /** One unit: its arm (true = treatment) and its value (NaN when it has none). */
    public record Unit(String id, boolean treated, double value) { }

    // ------------------------------------------------------------------------------------------ cluster balance

    /**
     * Standardized differences of pre-period cluster means between arms.
     *
     * @param covariates per covariate name, one {@link Unit} per cluster with its pre-period mean (NaN: no pre rows)
     */
    public static CheckResult balance(Map<String, List<Unit>> covariates, String startNote) {
        List<Object> rows = new ArrayList<>();
        String worst = null;
        double worstD = 0;
        boolean any = false;
        for (Map.Entry<String, List<Unit>> e : covariates.entrySet()) {
            double[] t = values(e.getValue(), true);
            double[] c = values(e.getValue(), false);
            if (t.length < 2 || c.length < 2) {
                continue;
            }
            any = true;
            double mt = mean(t);
            double mc = mean(c);
            double sd = Math.sqrt((var(t) + var(c)) / 2);
            double d = sd > 0 ? (mt - mc) / sd : mt == mc ? 0 : Math.copySign(Double.POSITIVE_INFINITY, mt - mc);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("covariate", e.getKey());
            row.put("clusters_control", c.length);
            row.put("clusters_treatment", t.length);
            row.put("mean_control", mc);
            row.put("mean_treatment", mt);
            row.put("pooled_sd", sd);
            row.put("std_diff", Double.isFinite(d) ? d : null);
            rows.add(row);
            if (worst == null || Math.abs(d) > Math.abs(worstD)) {
                worst = e.getKey();
                worstD = d;
            }
        }
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("threshold", MAX_STD_DIFF);
        ev.put("pre_period", startNote);
        ev.put("covariates", rows);
        if (!any) {
            return new CheckResult(BALANCE, CheckCategory.IDENTIFICATION, CheckStatus.NOT_EVALUATED,
                    "Cluster balance not evaluated: fewer than 2 clusters per arm have rows in the pre-period ("
                            + startNote + ").", ev);
        }
        boolean bad = !(Math.abs(worstD) <= MAX_STD_DIFF);
        String summary = String.format(Locale.ROOT, "Largest |standardized difference| of pre-period cluster means: "
                        + "%s on %s (threshold %s). %s", num(worstD), worst, num(MAX_STD_DIFF),
                bad ? "The arms differed before the start: a chance imbalance that the effect may partly reflect; "
                        + "adjust for the pre-period or re-randomize with balance constraints."
                        : "The arms were comparable before the start.");
        return new CheckResult(BALANCE, CheckCategory.IDENTIFICATION, bad ? CheckStatus.WARN : CheckStatus.PASS,
                summary, ev);
    }

    // ---------------------------------------------------------------------------------------- washout clearance

    /**
     * One switched block's state: the mean in the first and second half of its post-washout window, its arm and the
     * previous block's arm.
     */
    public record BlockState(boolean treated, boolean previousTreated, double firstHalf, double secondHalf) { }

    /**
     * Per state column and arm, over blocks whose previous block had the other arm: {@code z_b = (first_b - second_b)
     * sign(L_prev - L_cur)}, with {@code L_a} the arm's steady state (mean of its blocks' second halves); a one-sided
     * t-test that mean z &gt; 0 (the first half still leans towards the previous arm's level), Bonferroni over the
     * columns and arms tested.
     */
    public static CheckResult washout(Map<String, List<BlockState>> columns, double alpha) {
        List<Object> rows = new ArrayList<>();
        int tests = 0;
        List<Map<String, Object>> pending = new ArrayList<>();
        for (Map.Entry<String, List<BlockState>> e : columns.entrySet()) {
            double l1 = mean(e.getValue().stream().filter(BlockState::treated).mapToDouble(BlockState::secondHalf)
                    .filter(Double::isFinite).toArray());
            double l0 = mean(e.getValue().stream().filter(b -> !b.treated()).mapToDouble(BlockState::secondHalf)
                    .filter(Double::isFinite).toArray());
            for (boolean arm : new boolean[] {false, true}) {
                double sign = Math.signum(arm ? l0 - l1 : l1 - l0);
                double[] z = e.getValue().stream().filter(b -> b.treated() == arm && b.previousTreated() != arm
                        && Double.isFinite(b.firstHalf()) && Double.isFinite(b.secondHalf()))
                        .mapToDouble(b -> (b.firstHalf() - b.secondHalf()) * sign).toArray();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("column", e.getKey());
                row.put("arm", arm ? "treatment" : "control");
                row.put("steady_state_this_arm", arm ? l1 : l0);
                row.put("steady_state_previous_arm", arm ? l0 : l1);
                row.put("switched_blocks", z.length);
                if (z.length >= 2 && sign != 0) {
                    double m = mean(z);
                    double se = Math.sqrt(var(z) / z.length);
                    double p = se > 0 ? TDistribution.of(z.length - 1).survivalProbability(m / se) : m > 0 ? 0 : 1;
                    row.put("drift_towards_previous_arm", m);
                    row.put("se", se);
                    row.put("p_value_one_sided", p);
                    tests++;
                    pending.add(row);
                }
                rows.add(row);
            }
        }
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("level", tests == 0 ? alpha : alpha / tests);
        ev.put("tests", rows);
        if (tests == 0) {
            return new CheckResult(WASHOUT, CheckCategory.IDENTIFICATION, CheckStatus.NOT_EVALUATED, columns.isEmpty()
                    ? "Washout clearance not evaluated: no state column (queue_depth, cache_hit, latency) is logged."
                    : "Washout clearance not evaluated: fewer than 2 switched blocks per arm, or both arms at the same "
                    + "steady state.", ev);
        }
        double level = alpha / tests;
        Map<String, Object> worst = pending.stream().min((a, b) -> Double.compare((double) a.get("p_value_one_sided"),
                (double) b.get("p_value_one_sided"))).orElseThrow();
        double p = (double) worst.get("p_value_one_sided");
        boolean warn = p < level;
        String summary = String.format(Locale.ROOT, "After the washout, %s in %s blocks moves by %s towards the previous "
                        + "arm's level between the first and second half (one-sided p = %s, level %s over %d tests). %s",
                worst.get("column"), worst.get("arm"), num((double) worst.get("drift_towards_previous_arm")), num(p),
                num(level), tests, warn ? "The state is still moving after the washout: carryover; lengthen the washout."
                        : "The state is at the arm's steady state after the washout.");
        return new CheckResult(WASHOUT, CheckCategory.IDENTIFICATION, warn ? CheckStatus.WARN : CheckStatus.PASS,
                summary, ev);
    }

    // -------------------------------------------------------------------------------------------- boundary units

    /**
     * Units whose mean state is at or above the pooled 0.75 quantile (type 7) of unit means must number at least
     * {@value #MIN_CONGESTED_UNITS} in each arm.
     */
    public static CheckResult boundaryUnits(String unitName, String stateColumn, List<Unit> units) {
        List<Unit> ok = units.stream().filter(u -> Double.isFinite(u.value())).toList();
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("unit", unitName);
        ev.put("state_column", stateColumn);
        ev.put("min_units_per_arm", MIN_CONGESTED_UNITS);
        if (stateColumn == null || ok.size() < 2) {
            return new CheckResult(BOUNDARY_UNITS, CheckCategory.BOUNDARY_COVERAGE, CheckStatus.NOT_EVALUATED,
                    stateColumn == null ? "Congested units not evaluated: no state column (utilization, queue_depth, "
                            + "kv_util) is logged." : "Congested units not evaluated: fewer than 2 units with a state.", ev);
        }
        double[] v = ok.stream().mapToDouble(Unit::value).sorted().toArray();
        double h = (v.length - 1) * 0.75;
        int lo = (int) Math.floor(h);
        double q75 = v[lo] + (h - lo) * (v[Math.min(lo + 1, v.length - 1)] - v[lo]);
        long t = ok.stream().filter(u -> u.value() >= q75 && u.treated()).count();
        long c = ok.stream().filter(u -> u.value() >= q75 && !u.treated()).count();
        ev.put("units", ok.size());
        ev.put("pooled_q75", q75);
        ev.put("congested_control", c);
        ev.put("congested_treatment", t);
        ev.put("congested_ids", ok.stream().filter(u -> u.value() >= q75).map(u -> u.id() + (u.treated() ? ":t" : ":c"))
                .toList());
        boolean warn = Math.min(t, c) < MIN_CONGESTED_UNITS;
        String summary = String.format(Locale.ROOT, "%d of %d %s units have a mean %s at or above the pooled 0.75 "
                        + "quantile of units (%s): %d control, %d treatment. %s", t + c, ok.size(), unitName, stateColumn,
                num(q75), c, t, warn ? "The congested units are not observed in both arms (at least "
                        + MIN_CONGESTED_UNITS + " each): ramp, not ship." : "Congested units observed in both arms.");
        return new CheckResult(BOUNDARY_UNITS, CheckCategory.BOUNDARY_COVERAGE, warn ? CheckStatus.WARN : CheckStatus.PASS,
                summary, ev);
    }

    // -------------------------------------------------------------------------------------------------- helpers

    private static double[] values(List<Unit> units, boolean treated) {
        return units.stream().filter(u -> u.treated() == treated && Double.isFinite(u.value()))
                .mapToDouble(Unit::value).toArray();
    }

    static double mean(double[] x) {
        return x.length == 0 ? Double.NaN : Arrays.stream(x).sum() / x.length;
    }

    static double var(double[] x) {
        if (x.length < 2) {
            return Double.NaN;
        }
        double m = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return s / (x.length - 1);
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : String.valueOf(v);
    }
}

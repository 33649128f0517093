package dev.verdict.quasi.did;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A panel of units observed over periods for a difference-in-differences analysis: one row per (unit, period)
 * cell with its outcome, an optional cell weight (typically the request count behind a cell mean), and the
 * period in which each unit was first treated (absorbing adoption: once treated, a unit stays treated).
 *
 * <p>Balanced and unbalanced panels are accepted. Periods are integers (a day index, a year); the distinct
 * observed periods, sorted, form the period grid and event time is counted in grid steps: a unit first treated
 * at grid index {@code g} is at event time {@code e = t - g} in grid period {@code t}. A first-treated period
 * that falls between grid points is moved to the next observed period.
 *
 * <p>Two kinds of unit are set aside when the panel is built, each with a note in {@link #notes()}: units
 * treated in or before the first period (always treated: they have no untreated period to difference against,
 * as in the {@code did} R package), and units first treated after the last period are kept as never treated
 * (they are untreated throughout the window).
 *
 * <p>Units are ordered by name and rows by (unit, period), so every estimator sees the same order whatever the
 * input order. Immutable.
 */
public final class Panel {
    /** First-treated value meaning "never treated" in {@link #withFirstTreated}. */
    public static final long NEVER_TREATED = Long.MAX_VALUE;
    /** Cohort index of a never-treated unit, see {@link #cohort(int)}. */
    static final int NEVER = Integer.MAX_VALUE;

    private final List<String> units;
    private final long[] periods;
    private final int[] unitStart;
    private final int[] periodOf;
    private final double[] outcome;
    private final double[] weight;
    private final boolean weighted;
    private final int[] cohort;
    private final List<String> notes;

    private Panel(List<String> units, long[] periods, int[] unitStart, int[] periodOf, double[] outcome,
                  double[] weight, boolean weighted, int[] cohort, List<String> notes) {
        this.units = units;
        this.periods = periods;
        this.unitStart = unitStart;
        this.periodOf = periodOf;
        this.outcome = outcome;
        this.weight = weight;
        this.weighted = weighted;
        this.cohort = cohort;
        this.notes = List.copyOf(notes);
    }

    /**
     * A panel from row columns with each unit's first-treated period.
     *
     * @param unit         unit id of each row (e.g. cluster or region name); non-null
     * @param period       period of each row; a (unit, period) pair may appear once
     * @param outcome      finite outcome of each row (e.g. a cell mean)
     * @param firstTreated each row's unit's first treated period, {@link #NEVER_TREATED} for never; constant
     *                     within a unit
     * @param weight       positive cell weight of each row (e.g. request count), or null for equal weights
     * @throws IllegalArgumentException on mismatched lengths, duplicates, non-finite values, a first-treated
     *                                  period that changes within a unit, or no treated or no comparison unit
     */
    public static Panel withFirstTreated(String[] unit, long[] period, double[] outcome, long[] firstTreated,
                                         double[] weight) {
        int n = checkColumns(unit, period, outcome, weight);
        if (firstTreated == null || firstTreated.length != n) {
            throw new IllegalArgumentException("firstTreated must have one value per row (" + n + "), got "
                    + (firstTreated == null ? "null" : firstTreated.length + " values"));
        }
        Map<String, Long> first = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            Long prev = first.putIfAbsent(unit[i], firstTreated[i]);
            if (prev != null && prev != firstTreated[i]) {
                throw new IllegalArgumentException("unit '" + unit[i] + "' has first-treated period " + prev + " and "
                        + firstTreated[i] + " in different rows; give each unit one first-treated period");
            }
        }
        return build(unit, period, outcome, weight, first);
    }

    /**
     * A panel from row columns with a treated indicator per row. Treatment must be absorbing: in period order a
     * unit's indicator may switch from false to true once and never back.
     *
     * @param treated whether the unit is treated in that row's period
     * @throws IllegalArgumentException as {@link #withFirstTreated}, or if a unit's treatment switches off
     */
    public static Panel withIndicator(String[] unit, long[] period, double[] outcome, boolean[] treated,
                                      double[] weight) {
        int n = checkColumns(unit, period, outcome, weight);
        if (treated == null || treated.length != n) {
            throw new IllegalArgumentException("treated must have one value per row (" + n + "), got "
                    + (treated == null ? "null" : treated.length + " values"));
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer, String>comparing(i -> unit[i]).thenComparingLong(i -> period[i]));
        Map<String, Long> first = new TreeMap<>();
        for (int r = 0; r < n; r++) {
            int i = order[r];
            Long f = first.get(unit[i]);
            if (f == null) {
                first.put(unit[i], treated[i] ? period[i] : NEVER_TREATED);
            } else if (f != NEVER_TREATED && !treated[i]) {
                throw new IllegalArgumentException("unit '" + unit[i] + "' is treated from period " + f
                        + " but untreated again in period " + period[i] + "; difference-in-differences here needs"
                        + " absorbing treatment (drop the unit or recode its adoption)");
            } else if (f == NEVER_TREATED && treated[i]) {
                first.put(unit[i], period[i]);
            }
        }
        return build(unit, period, outcome, weight, first);
    }

    private static int checkColumns(String[] unit, long[] period, double[] outcome, double[] weight) {
        if (unit == null || period == null || outcome == null) {
            throw new IllegalArgumentException("unit, period and outcome columns are required, got a null column");
        }
        int n = unit.length;
        if (period.length != n || outcome.length != n || (weight != null && weight.length != n)) {
            throw new IllegalArgumentException("columns must have equal lengths, got unit " + n + ", period "
                    + period.length + ", outcome " + outcome.length + (weight == null ? "" : ", weight " + weight.length));
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            if (unit[i] == null) {
                throw new IllegalArgumentException("row " + i + " has a null unit id; give every row a unit");
            }
            if (!Double.isFinite(outcome[i])) {
                throw new IllegalArgumentException("outcome of row " + i + " (unit '" + unit[i] + "', period "
                        + period[i] + ") must be finite, got " + outcome[i] + "; drop or impute the cell");
            }
            if (weight != null && !(weight[i] > 0 && weight[i] < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("weight of row " + i + " (unit '" + unit[i] + "', period "
                        + period[i] + ") must be finite and > 0, got " + weight[i] + "; drop empty cells");
            }
            if (!seen.add(unit[i] + '\u0000' + period[i])) {
                throw new IllegalArgumentException("unit '" + unit[i] + "' has two rows for period " + period[i]
                        + "; aggregate to one row per unit and period");
            }
        }
        return n;
    }

    private static Panel build(String[] unit, long[] period, double[] outcome, double[] weight,
                               Map<String, Long> first) {
        int n = unit.length;
        long[] grid = Arrays.stream(period).distinct().sorted().toArray();
        if (grid.length < 2) {
            throw new IllegalArgumentException("a difference-in-differences panel needs at least 2 periods, got "
                    + grid.length);
        }
        List<String> notes = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        List<String> always = new ArrayList<>();
        List<String> late = new ArrayList<>();
        for (Map.Entry<String, Long> e : first.entrySet()) {
            long f = e.getValue();
            if (f != NEVER_TREATED && f <= grid[0]) {
                always.add(e.getKey());
            } else {
                if (f != NEVER_TREATED && f > grid[grid.length - 1]) {
                    late.add(e.getKey());
                }
                kept.add(e.getKey());
            }
        }
        if (!always.isEmpty()) {
            notes.add(always.size() + " unit(s) treated in or before the first period " + grid[0]
                    + " were dropped (no untreated period to compare): " + abbreviate(always));
        }
        if (!late.isEmpty()) {
            notes.add(late.size() + " unit(s) first treated after the last period " + grid[grid.length - 1]
                    + " are never treated within the panel: " + abbreviate(late));
        }
        Map<String, Integer> index = new TreeMap<>();
        for (String u : kept) {
            index.put(u, index.size());
        }
        int[] cohort = new int[kept.size()];
        boolean anyTreated = false;
        boolean anyControl = false;
        for (int u = 0; u < kept.size(); u++) {
            long f = first.get(kept.get(u));
            if (f == NEVER_TREATED || f > grid[grid.length - 1]) {
                cohort[u] = NEVER;
            } else {
                int g = Arrays.binarySearch(grid, f);
                cohort[u] = g >= 0 ? g : -g - 1;
            }
        }
        Integer[] order = new Integer[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (index.containsKey(unit[i])) {
                order[m++] = i;
            }
        }
        Integer[] rows = Arrays.copyOf(order, m);
        Arrays.sort(rows, Comparator.<Integer>comparingInt(i -> index.get(unit[i])).thenComparingLong(i -> period[i]));
        int[] unitStart = new int[kept.size() + 1];
        int[] periodOf = new int[m];
        double[] y = new double[m];
        double[] w = new double[m];
        int prevUnit = -1;
        for (int r = 0; r < m; r++) {
            int i = rows[r];
            int u = index.get(unit[i]);
            int t = Arrays.binarySearch(grid, period[i]);
            while (prevUnit < u) {
                unitStart[++prevUnit] = r;
            }
            periodOf[r] = t;
            y[r] = outcome[i];
            w[r] = weight == null ? 1.0 : weight[i];
        }
        while (prevUnit < kept.size()) {
            unitStart[++prevUnit] = m;
        }
        for (int u = 0; u < kept.size(); u++) {
            if (cohort[u] == NEVER) {
                anyControl = true;
            } else {
                anyTreated = true;
                if (!anyControl) {
                    // a unit treated later than another cohort also serves as a not-yet-treated comparison
                    for (int v = 0; v < kept.size(); v++) {
                        if (cohort[v] != NEVER && cohort[v] > cohort[u]) {
                            anyControl = true;
                            break;
                        }
                    }
                }
            }
        }
        if (!anyTreated) {
            throw new IllegalArgumentException("no unit is treated within the panel's periods " + grid[0] + ".."
                    + grid[grid.length - 1] + "; check the treated column or first-treated periods");
        }
        if (!anyControl) {
            throw new IllegalArgumentException("every unit is treated at the same period, so there is no comparison"
                    + " unit; add never-treated (or later-treated) units");
        }
        return new Panel(Collections.unmodifiableList(kept), grid, unitStart, periodOf, y, w, weight != null, cohort,
                notes);
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 5 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 5)) + ", ... (" + (names.size() - 5) + " more)";
    }

    /** Unit ids in analysis order (sorted by name), always-treated units excluded. */
    public List<String> units() {
        return units;
    }

    /** The period grid: distinct observed periods, sorted. */
    public long[] periods() {
        return periods.clone();
    }

    /** Number of rows (cells) kept. */
    public int rows() {
        return outcome.length;
    }

    /** True when cell weights were given. */
    public boolean weighted() {
        return weighted;
    }

    /** True when every unit is observed in every period. */
    public boolean balanced() {
        return outcome.length == (long) units.size() * periods.length;
    }

    /** What was set aside or recoded while building the panel, in words. */
    public List<String> notes() {
        return notes;
    }

    /**
     * The first-treated period of a unit (a value of {@link #periods()}), or {@link #NEVER_TREATED}.
     *
     * @param unit index into {@link #units()}
     */
    public long firstTreated(int unit) {
        return cohort[unit] == NEVER ? NEVER_TREATED : periods[cohort[unit]];
    }

    /** Number of units ever treated within the panel. */
    public int treatedUnits() {
        int c = 0;
        for (int g : cohort) {
            if (g != NEVER) {
                c++;
            }
        }
        return c;
    }

    /** Number of never-treated units. */
    public int neverTreatedUnits() {
        return units.size() - treatedUnits();
    }

    /** Sorted distinct adoption periods (grid indices) of the treated cohorts. */
    int[] cohortIndices() {
        return Arrays.stream(cohort).filter(g -> g != NEVER).distinct().sorted().toArray();
    }

    int unitCount() {
        return units.size();
    }

    int periodCount() {
        return periods.length;
    }

    /** Grid index of the first treated period of unit u, or {@link #NEVER}. */
    int cohort(int u) {
        return cohort[u];
    }

    int start(int u) {
        return unitStart[u];
    }

    int end(int u) {
        return unitStart[u + 1];
    }

    int periodIndex(int row) {
        return periodOf[row];
    }

    double outcome(int row) {
        return outcome[row];
    }

    double weight(int row) {
        return weight[row];
    }

    /** 1 when unit u is treated in grid period t. */
    boolean treatedAt(int u, int t) {
        return cohort[u] != NEVER && t >= cohort[u];
    }
}

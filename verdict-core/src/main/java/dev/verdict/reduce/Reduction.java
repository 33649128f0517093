package dev.verdict.reduce;

import dev.verdict.stats.Moments;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sufficient statistics an engine returns for a {@link ReductionPlan}: no raw rows, only
 * per-cell moments, counters and quantiles.
 *
 * @param rows            rows read
 * @param cells           one per (declared arm) and per (declared arm, segment value)
 * @param armLabelCounts  every arm label seen with its row count and unit count, declared or not
 *                        ({@code null} labels reported as {@link #NULL_LABEL})
 * @param counters        per declared arm, the integrity and fidelity counters
 * @param quantiles       per requested column, per declared arm (and {@link #POOLED}), the values at the
 *                        requested probabilities, in request order
 */
public record Reduction(
        long rows,
        List<Cell> cells,
        Map<String, LabelCount> armLabelCounts,
        Map<String, ArmCounters> counters,
        Map<String, Map<String, double[]>> quantiles) {

    /** Label used for rows whose arm is missing. */
    public static final String NULL_LABEL = "(missing)";
    /** Key of the quantiles pooled over the declared arms. */
    public static final String POOLED = "(pooled)";

    public Reduction {
        cells = List.copyOf(cells);
        armLabelCounts = Map.copyOf(armLabelCounts);
        counters = Map.copyOf(counters);
        quantiles = Map.copyOf(quantiles);
    }

    /**
     * The reduction of the union of two disjoint parts of a log (two partitions, two daily files): counts and counters
     * add, moments merge by the Chan–Golub–LeVeque update ({@link Moments#merge}), so merging is commutative and
     * associative up to floating-point rounding and counts combine exactly. Valid for request-level reductions, and for
     * unit-level ones when no unit has rows in both parts (per-unit sums cannot be split). Quantiles are order
     * statistics of the union and cannot be merged from the parts' quantiles: the merge carries none, and engines
     * compute them on the union ({@link ExactQuantiles}).
     */
    public Reduction merge(Reduction other) {
        Map<List<String>, Cell> byKey = new java.util.TreeMap<>(Reduction::compareKeys);
        for (Reduction r : List.of(this, other)) {
            for (Cell c : r.cells) {
                List<String> key = List.of(c.segment().map(SegmentValue::column).orElse(""),
                        c.segment().map(SegmentValue::value).orElse(""), c.arm());
                byKey.merge(key, c, Reduction::mergeCells);
            }
        }
        Map<String, LabelCount> labels = new java.util.TreeMap<>(armLabelCounts);
        other.armLabelCounts.forEach((k, v) -> labels.merge(k, v,
                (a, b) -> new LabelCount(a.rows() + b.rows(), a.units() + b.units())));
        Map<String, ArmCounters> counters = new java.util.TreeMap<>(this.counters);
        other.counters.forEach((k, v) -> counters.merge(k, v, Reduction::addCounters));
        List<Cell> merged = new java.util.ArrayList<>(byKey.values());
        List<String> armOrder = new java.util.ArrayList<>();
        cells.forEach(c -> { if (!armOrder.contains(c.arm())) { armOrder.add(c.arm()); } });
        other.cells.forEach(c -> { if (!armOrder.contains(c.arm())) { armOrder.add(c.arm()); } });
        merged.sort(java.util.Comparator.comparing((Cell c) -> c.segment().map(SegmentValue::column).orElse(""))
                .thenComparing(c -> c.segment().map(SegmentValue::value).orElse(""))
                .thenComparing(c -> armOrder.indexOf(c.arm())));
        return new Reduction(rows + other.rows, merged, labels, counters, Map.of());
    }

    private static int compareKeys(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static Cell mergeCells(Cell a, Cell b) {
        Map<String, Moments> m = new java.util.TreeMap<>(a.moments());
        b.moments().forEach((k, v) -> m.merge(k, v, Moments::merge));
        return new Cell(a.arm(), a.segment(), a.units() + b.units(), a.rows() + b.rows(), m);
    }

    private static long add(long a, long b) {
        return a < 0 || b < 0 ? -1 : a + b;
    }

    private static ArmCounters addCounters(ArmCounters a, ArmCounters b) {
        return new ArmCounters(a.rows() + b.rows(), a.units() + b.units(), add(a.unitsInBothArms(), b.unitsInBothArms()),
                add(a.executedMismatch(), b.executedMismatch()), add(a.executedKnown(), b.executedKnown()),
                add(a.fallbacks(), b.fallbacks()), add(a.timeouts(), b.timeouts()), add(a.beforeStart(), b.beforeStart()));
    }

    /** The cell of an arm without segment. */
    public Cell arm(String arm) {
        return cells.stream().filter(c -> c.arm().equals(arm) && c.segment().isEmpty()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no cell for arm " + arm));
    }

    /** The cells of one segment column, all values and arms. */
    public List<Cell> segmentCells(String column) {
        return cells.stream().filter(c -> c.segment().map(s -> s.column().equals(column)).orElse(false)).toList();
    }

    /**
     * Moments for one cell.
     *
     * @param arm     the declared arm label
     * @param segment the segment column and value, when reduced per segment
     * @param units   randomization units in the cell (rows, for request-level reductions)
     * @param rows    rows in the cell
     * @param moments per variable group name, the moments (layout in {@link VariableGroup})
     */
    public record Cell(String arm, Optional<SegmentValue> segment, long units, long rows,
                       Map<String, Moments> moments) {
        public Cell {
            moments = Map.copyOf(moments);
        }
    }

    /** One value of a segment column; {@link #NULL_LABEL} for missing values. */
    public record SegmentValue(String column, String value) { }

    /** Rows and units carrying one arm label. */
    public record LabelCount(long rows, long units) { }

    /**
     * Integrity and fidelity counters for one declared arm, counted in rows unless named otherwise.
     * A counter is -1 when the column it needs is absent.
     *
     * @param rows              rows
     * @param units             units of randomization
     * @param unitsInBothArms   units whose rows carry more than one arm label (unit-level only; -1 otherwise)
     * @param executedMismatch  rows whose executed arm differs from the assigned one
     * @param executedKnown     rows with a non-missing executed arm
     * @param fallbacks         rows with a non-empty fallback reason
     * @param timeouts          rows that timed out
     * @param beforeStart       rows with a decision time before the declared start
     */
    public record ArmCounters(long rows, long units, long unitsInBothArms, long executedMismatch,
                              long executedKnown, long fallbacks, long timeouts, long beforeStart) { }
}

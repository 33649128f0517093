package dev.verdict.quasi.synth;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A balanced panel of one outcome: units (rows) by periods (columns, in time order), every cell finite. Immutable; the
 * unit order is the order given, and it is the order in which donors are offered to the weight solver (which breaks
 * ties towards the first), so the same panel always gives the same weights.
 */
public final class Panel {
    private final List<String> units;
    private final List<String> periods;
    private final double[][] outcomes;
    private final Map<String, Integer> unitIndex = new HashMap<>();
    private final Map<String, Integer> periodIndex = new HashMap<>();

    private Panel(List<String> units, List<String> periods, double[][] outcomes) {
        this.units = List.copyOf(units);
        this.periods = List.copyOf(periods);
        if (this.units.isEmpty() || this.periods.isEmpty()) {
            throw new IllegalArgumentException("a panel needs at least one unit and one period, got " + units.size()
                    + " units and " + periods.size() + " periods");
        }
        if (outcomes.length != this.units.size()) {
            throw new IllegalArgumentException("the outcome matrix has " + outcomes.length + " rows for "
                    + this.units.size() + " units; pass one row per unit");
        }
        this.outcomes = new double[outcomes.length][];
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null || outcomes[i].length != this.periods.size()) {
                throw new IllegalArgumentException("unit '" + this.units.get(i) + "' has "
                        + (outcomes[i] == null ? 0 : outcomes[i].length) + " outcomes for " + this.periods.size()
                        + " periods; the panel must be balanced");
            }
            for (int t = 0; t < outcomes[i].length; t++) {
                if (!Double.isFinite(outcomes[i][t])) {
                    throw new IllegalArgumentException("unit '" + this.units.get(i) + "' has outcome " + outcomes[i][t]
                            + " in period '" + this.periods.get(t) + "'; every cell must be finite (drop or fill it)");
                }
            }
            this.outcomes[i] = outcomes[i].clone();
        }
        for (int i = 0; i < this.units.size(); i++) {
            if (unitIndex.put(this.units.get(i), i) != null) {
                throw new IllegalArgumentException("unit '" + this.units.get(i) + "' appears twice; unit names must be unique");
            }
        }
        for (int t = 0; t < this.periods.size(); t++) {
            if (periodIndex.put(this.periods.get(t), t) != null) {
                throw new IllegalArgumentException("period '" + this.periods.get(t)
                        + "' appears twice; period labels must be unique");
            }
        }
    }

    /**
     * A panel from a matrix.
     *
     * @param units    unit names, one per row, unique
     * @param periods  period labels in time order, one per column, unique
     * @param outcomes units x periods, finite; copied
     */
    public static Panel of(List<String> units, List<String> periods, double[][] outcomes) {
        return new Panel(units, periods, outcomes);
    }

    /** One observation of a long panel: unit, period label and outcome. */
    public record Observation(String unit, String period, double outcome) { }

    /**
     * A panel from long rows (one per unit and period). Units keep their order of first appearance; periods are in
     * the order given by {@code periodOrder} (for example sorted years).
     *
     * @throws IllegalArgumentException when a unit-period cell is missing or repeated, or a period is not listed
     */
    public static Panel fromObservations(List<Observation> rows, List<String> periodOrder) {
        Map<String, Integer> pIdx = new HashMap<>();
        for (int t = 0; t < periodOrder.size(); t++) {
            pIdx.put(periodOrder.get(t), t);
        }
        Map<String, double[]> byUnit = new LinkedHashMap<>();
        Map<String, boolean[]> seen = new HashMap<>();
        for (Observation o : rows) {
            Integer t = pIdx.get(o.period());
            if (t == null) {
                throw new IllegalArgumentException("period '" + o.period() + "' of unit '" + o.unit()
                        + "' is not in the period order; list every period");
            }
            double[] row = byUnit.computeIfAbsent(o.unit(), u -> new double[periodOrder.size()]);
            boolean[] s = seen.computeIfAbsent(o.unit(), u -> new boolean[periodOrder.size()]);
            if (s[t]) {
                throw new IllegalArgumentException("unit '" + o.unit() + "' has two outcomes in period '" + o.period()
                        + "'; aggregate to one value per unit and period first");
            }
            s[t] = true;
            row[t] = o.outcome();
        }
        List<String> units = new ArrayList<>(byUnit.keySet());
        double[][] y = new double[units.size()][];
        for (int i = 0; i < units.size(); i++) {
            boolean[] s = seen.get(units.get(i));
            for (int t = 0; t < s.length; t++) {
                if (!s[t]) {
                    throw new IllegalArgumentException("unit '" + units.get(i) + "' has no outcome in period '"
                            + periodOrder.get(t) + "'; synthetic control needs a balanced panel");
                }
            }
            y[i] = byUnit.get(units.get(i));
        }
        return new Panel(units, periodOrder, y);
    }

    /** Unit names in row order. */
    public List<String> units() {
        return units;
    }

    /** Period labels in column (time) order. */
    public List<String> periods() {
        return periods;
    }

    /** The outcome of unit row i in period column t. */
    public double outcome(int unit, int period) {
        return outcomes[unit][period];
    }

    /** A copy of unit i's outcome series. */
    public double[] series(int unit) {
        return outcomes[unit].clone();
    }

    /** Row of a unit, or -1. */
    public int unitIndex(String unit) {
        return unitIndex.getOrDefault(unit, -1);
    }

    /** Column of a period, or -1. */
    public int periodIndex(String period) {
        return periodIndex.getOrDefault(period, -1);
    }

    /** Rows of the panel (not copied), for the estimators of this package. */
    double[] row(int unit) {
        return outcomes[unit];
    }
}

package dev.verdict.reduce;

import dev.verdict.reduce.Reduction.ArmCounters;
import dev.verdict.reduce.Reduction.Cell;
import dev.verdict.reduce.Reduction.LabelCount;
import dev.verdict.reduce.Reduction.SegmentValue;
import dev.verdict.stats.Moments;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How every engine turns the rows of its one aggregation (fine cells: an arm label and a value of every segment
 * column) into a {@link Reduction}, so that engines differ only in how they compute the fine cells, never in how
 * they combine them. Fine cells merge in the sorted order of their keys, so the result does not depend on the order
 * an engine returned them in.
 */
public final class FineCells {
    private FineCells() {
    }

    /**
     * One fine cell.
     *
     * @param arm      its arm label ({@link Reduction#NULL_LABEL} when missing)
     * @param segments its value of each segment column, in plan order
     * @param rows     rows in the cell
     * @param units    randomization units in the cell (rows, for request-level reductions)
     * @param mixed    units whose rows carry more than one arm label (unit level; -1 otherwise)
     * @param moments  per variable group, the moments (empty for undeclared arm labels)
     * @param counters executed-arm mismatches, executed arm known, fallbacks, timeouts, rows before the start (-1 when
     *                 the column is absent)
     */
    public record FineCell(String arm, List<String> segments, long rows, long units, long mixed,
                           Map<String, Moments> moments, long[] counters) {
        public FineCell {
            segments = List.copyOf(segments);
        }

        List<String> key() {
            List<String> k = new ArrayList<>();
            k.add(arm);
            k.addAll(segments);
            return k;
        }
    }

    /** The reduction of the plan from its fine cells: cells per declared arm and per (arm, segment value). */
    public static Reduction assemble(ReductionPlan plan, List<FineCell> fineCells, boolean unitLevel) {
        List<FineCell> fine = new ArrayList<>(fineCells);
        fine.sort((a, b) -> {
            List<String> x = a.key();
            List<String> y = b.key();
            for (int i = 0; i < x.size(); i++) {
                int c = x.get(i).compareTo(y.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        });
        Map<String, LabelCount> labels = new TreeMap<>();
        long rows = 0;
        for (FineCell f : fine) {
            rows += f.rows();
            labels.merge(f.arm(), new LabelCount(f.rows(), f.units()),
                    (x, y) -> new LabelCount(x.rows() + y.rows(), x.units() + y.units()));
        }
        List<Cell> cells = new ArrayList<>();
        Map<String, ArmCounters> counters = new TreeMap<>();
        for (String arm : plan.armLabels()) {
            List<FineCell> mine = fine.stream().filter(f -> f.arm().equals(arm)).toList();
            if (mine.isEmpty()) {
                continue;
            }
            cells.add(merge(plan, arm, Optional.empty(), mine));
            long[] c = new long[5];
            long mixed = 0;
            long r = 0;
            long u = 0;
            for (FineCell f : mine) {
                for (int i = 0; i < 5; i++) {
                    c[i] = f.counters()[i] < 0 ? -1 : c[i] + f.counters()[i];
                }
                mixed += f.mixed();
                r += f.rows();
                u += f.units();
            }
            counters.put(arm, new ArmCounters(r, u, unitLevel ? mixed : -1, c[0], c[1], c[2], c[3], c[4]));
            for (int sg = 0; sg < plan.segments().size(); sg++) {
                final int index = sg;
                TreeSet<String> values = new TreeSet<>();
                mine.forEach(f -> values.add(f.segments().get(index)));
                for (String v : values) {
                    cells.add(merge(plan, arm, Optional.of(new SegmentValue(plan.segments().get(sg), v)),
                            mine.stream().filter(f -> f.segments().get(index).equals(v)).toList()));
                }
            }
        }
        cells.sort(Comparator.comparing((Cell c) -> c.segment().map(SegmentValue::column).orElse(""))
                .thenComparing(c -> c.segment().map(SegmentValue::value).orElse(""))
                .thenComparing(c -> plan.armLabels().indexOf(c.arm())));
        return new Reduction(rows, cells, labels, counters, Map.of());
    }

    private static Cell merge(ReductionPlan plan, String arm, Optional<SegmentValue> segment, List<FineCell> parts) {
        Map<String, Moments> moments = new LinkedHashMap<>();
        long rows = 0;
        long units = 0;
        for (VariableGroup g : plan.groups()) {
            Moments m = Moments.empty(g.dimension());
            for (FineCell f : parts) {
                m = m.merge(f.moments().get(g.name()));
            }
            moments.put(g.name(), m);
        }
        for (FineCell f : parts) {
            rows += f.rows();
            units += f.units();
        }
        return new Cell(arm, segment, units, rows, moments);
    }
}

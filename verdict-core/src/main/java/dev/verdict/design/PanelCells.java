package dev.verdict.design;

import dev.verdict.InputException;
import dev.verdict.reduce.BlockSums;
import dev.verdict.reduce.CellQuantiles;
import dev.verdict.reduce.Engine;
import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.ReductionPlan;
import dev.verdict.reduce.UnitKey;
import dev.verdict.reduce.VariableGroup;
import dev.verdict.spec.ExperimentSpec;
import dev.verdict.spec.QuasiDesign;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The unit x period panel of a log for difference-in-differences and synthetic control: one cell per (unit, UTC
 * period) with the outcome over the cell's requests (the mean for kinds mean and proportion, the type-7 quantile for
 * kinds p50 to p99) and the arm that ran there. It is the engine's per-block reduction ({@link Engine#blockSums},
 * or {@link Engine#cellQuantiles} for a quantile) with the unit as the schedule's {@code by} column, periods as blocks
 * from the epoch (weeks from Monday 1970-01-05) and no washout, so both engines build it with the same tested code. A cell
 * whose requests carry both arms (the policy switched within the period) is left out and counted: its value mixes
 * the two policies. A log that already holds one row per unit and period (a panel file) passes through unchanged.
 */
final class PanelCells {
    /** The origin of weekly periods: a Monday. */
    static final long MONDAY = Instant.parse("1970-01-05T00:00:00Z").getEpochSecond();

    /**
     * One cell.
     *
     * @param unit    the unit's value
     * @param period  the period's index since the origin
     * @param start   the period's first instant
     * @param treated whether the cell's requests ran the treatment arm
     * @param rows    requests with the outcome present
     * @param value   the outcome over them: their mean, or their quantile for a quantile metric
     */
    record Cell(String unit, long period, Instant start, boolean treated, long rows, double value) { }

    /** The cells of one outcome, and how many mixed cells were left out. */
    record Cells(List<Cell> cells, int mixed) { }

    private PanelCells() {
    }

    static long seconds(QuasiDesign.Period p) {
        return switch (p) {
            case HOUR -> 3_600;
            case DAY -> 86_400;
            case WEEK -> 604_800;
        };
    }

    static Cells of(Engine engine, ExperimentSpec spec, LogSource source, String armColumn, String unitColumn,
                    String timeColumn, QuasiDesign.Period period, MetricPlan metric) {
        long origin = period == QuasiDesign.Period.WEEK ? MONDAY : 0;
        long length = seconds(period);
        UnitKey.TimeBlocks key = new UnitKey.TimeBlocks(timeColumn, origin, length, 0, Optional.of(unitColumn));
        ReductionPlan plan = new ReductionPlan(source, armColumn, List.of(spec.arms().control(), spec.arms().treatment()),
                Optional.of(key), List.of(metric.group()), List.of(), List.of(), ReductionPlan.Fidelity.NONE,
                Optional.empty());
        Cells out = metric.quantile() ? quantiles(engine, spec, plan, metric, origin, length)
                : means(engine, spec, plan, metric, origin, length);
        if (out.cells().isEmpty()) {
            throw InputException.data("column '" + metric.column() + "' (spec key '" + metric.key() + "'): no unit and "
                    + "period of the log has rows of a single declared arm with the outcome present; check columns.ts, "
                    + "the unit and the arm labels");
        }
        return out;
    }

    /** The cells of a mean or proportion: each block's whole-window sum over its rows. */
    private static Cells means(Engine engine, ExperimentSpec spec, ReductionPlan plan, MetricPlan metric, long origin,
                               long length) {
        VariableGroup g = new VariableGroup(metric.group().name(), List.of(metric.column()), Optional.empty());
        BlockSums sums = engine.blockSums(plan, g);
        List<Cell> cells = new ArrayList<>();
        int mixed = 0;
        for (BlockSums.Block b : sums.blocks()) {
            if (b.armCount() > 1) {
                mixed++;
                continue;
            }
            BlockSums.Half w = b.whole();
            if (w.rows() == 0) {
                continue;
            }
            cells.add(new Cell(b.by().orElseThrow(), b.block(), Instant.ofEpochSecond(origin + b.block() * length),
                    b.arm().equals(spec.arms().treatment()), w.rows(), w.sums()[0] / w.rows()));
        }
        return new Cells(cells, mixed);
    }

    /**
     * The cells of a quantile metric: each (unit, period)'s quantile; a unit and period that has a quantile for both
     * arms (they come sorted by unit, period, arm) is mixed.
     */
    private static Cells quantiles(Engine engine, ExperimentSpec spec, ReductionPlan plan, MetricPlan metric,
                                   long origin, long length) {
        List<CellQuantiles.Cell> all = engine.cellQuantiles(plan, metric.column(),
                metric.metric().kind().probability()).cells();
        List<Cell> cells = new ArrayList<>();
        int mixed = 0;
        for (int i = 0; i < all.size(); ) {
            CellQuantiles.Cell c = all.get(i);
            int j = i + 1;
            while (j < all.size() && all.get(j).by().equals(c.by()) && all.get(j).block() == c.block()) {
                j++;
            }
            if (j - i > 1) {
                mixed++;
            } else {
                cells.add(new Cell(c.by().orElseThrow(), c.block(), Instant.ofEpochSecond(origin + c.block() * length),
                        c.arm().equals(spec.arms().treatment()), c.rows(), c.quantile()));
            }
            i = j;
        }
        return new Cells(cells, mixed);
    }
}

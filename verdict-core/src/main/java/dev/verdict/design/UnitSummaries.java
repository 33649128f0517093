package dev.verdict.design;

import dev.verdict.check.CheckResult;
import dev.verdict.check.UnitLevelChecks;
import dev.verdict.check.UnitLevelChecks.BlockState;
import dev.verdict.check.UnitLevelChecks.Unit;
import dev.verdict.readout.Effect;
import dev.verdict.reduce.BlockSums;
import dev.verdict.reduce.Engine;
import dev.verdict.reduce.Panel;
import dev.verdict.reduce.Reduction;
import dev.verdict.reduce.ReductionPlan;
import dev.verdict.reduce.UnitKey;
import dev.verdict.reduce.VariableGroup;
import dev.verdict.spec.CanonicalColumns;
import dev.verdict.spec.ExperimentSpec;
import dev.verdict.stats.Moments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Gets the per-unit numbers of {@link UnitLevelChecks} from the engine with reductions every engine runs: a unit-level
 * reduction with the cluster as segment (each cell one cluster), the hourly panel (pre-period cluster means) and the
 * switchback's per-block sums (state columns by half block).
 */
final class UnitSummaries {
    private UnitSummaries() {
    }

    /** The checks for a cluster RCT or a switchback, in readout order: identification first, then boundary. */
    static List<CheckResult> run(ExperimentSpec spec, ReductionPlan plan, Engine engine, List<MetricPlan> metrics,
                                 Function<String, Optional<String>> column, Optional<String> stateColumn,
                                 String unitName) {
        List<CheckResult> out = new ArrayList<>();
        if (plan.timeBlocks().isPresent()) {
            out.add(washout(spec, plan, engine, metrics, column));
            out.add(UnitLevelChecks.boundaryUnits(unitName, stateColumn.orElse(null),
                    stateColumn.map(c -> blockUnits(spec, plan, engine, c)).orElse(List.of())));
        } else if (plan.unit().isPresent() && plan.unit().get() instanceof UnitKey.Column key) {
            out.add(balance(spec, plan, engine, metrics, key.column()));
            out.add(UnitLevelChecks.boundaryUnits(unitName, stateColumn.orElse(null), stateColumn
                    .map(c -> clusterUnits(spec, plan, engine, key.column(), c)).orElse(List.of())));
        }
        return out;
    }

    /**
     * Inserts the checks in readout order: identification checks before execution fidelity, boundary checks right after
     * {@code boundary_coverage}.
     */
    static void place(List<CheckResult> checks, List<CheckResult> add) {
        for (CheckResult c : add) {
            List<String> names = checks.stream().map(CheckResult::name).toList();
            int at = c.category() == dev.verdict.check.CheckCategory.BOUNDARY_COVERAGE
                    ? names.indexOf(dev.verdict.check.BoundaryCoverageCheck.NAME) + 1
                    : names.indexOf(dev.verdict.check.ExecutionFidelityCheck.NAME);
            checks.add(at <= 0 ? checks.size() : at, c);
        }
    }

    /** Each cluster's arm and its mean of {@code stateColumn} over the analysis rows. */
    private static List<Unit> clusterUnits(ExperimentSpec spec, ReductionPlan plan, Engine engine, String cluster,
                                           String stateColumn) {
        VariableGroup g = new VariableGroup("unit_state", List.of(stateColumn), Optional.empty());
        ReductionPlan p = new ReductionPlan(plan.source(), plan.armColumn(), plan.armLabels(), plan.unit(), List.of(g),
                List.of(cluster), List.of(), ReductionPlan.Fidelity.NONE, plan.exposure());
        List<Unit> out = new ArrayList<>();
        for (Reduction.Cell c : engine.reduce(p).segmentCells(cluster)) {
            Moments m = c.moments().get(g.name());
            if (m == null || m.count() != 1) {
                continue;
            }
            double[] x = m.means();
            out.add(new Unit(c.segment().orElseThrow().value(), c.arm().equals(spec.arms().treatment()),
                    x[1] > 0 ? x[0] / x[1] : Double.NaN));
        }
        return out;
    }

    private static Map<String, Boolean> clusterArms(ExperimentSpec spec, ReductionPlan plan, Engine engine,
                                                    String cluster) {
        ReductionPlan p = new ReductionPlan(plan.source(), plan.armColumn(), plan.armLabels(), plan.unit(), List.of(),
                List.of(cluster), List.of(), ReductionPlan.Fidelity.NONE, plan.exposure());
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (Reduction.Cell c : engine.reduce(p).segmentCells(cluster)) {
            if (c.units() > 0) {
                out.put(c.segment().orElseThrow().value(), c.arm().equals(spec.arms().treatment()));
            }
        }
        return out;
    }

    /** Pre-period covariates: each metric's column averaged per cluster over whole UTC hours before the start. */
    private static CheckResult balance(ExperimentSpec spec, ReductionPlan plan, Engine engine, List<MetricPlan> metrics,
                                       String cluster) {
        if (plan.exposure().isEmpty()) {
            return UnitLevelChecks.balance(Map.of(), "no start declared, or no decision-time column");
        }
        LinkedHashSet<String> cols = new LinkedHashSet<>();
        for (MetricPlan m : metrics) {
            if (m.role().equals(Effect.ROLE_SUCCESS) || m.role().equals(Effect.ROLE_GUARDRAIL)) {
                cols.add(m.column());
            }
        }
        PrePeriodMeans means = prePeriodMeans(spec, plan, engine, cluster, List.copyOf(cols));
        return UnitLevelChecks.balance(means.covariates(), means.note());
    }

    /**
     * Per-cluster pre-period means of some columns, as {@code cluster_balance} compares them.
     *
     * @param covariates per column, one {@link Unit} per cluster of the analysis (its arm) with its pre-period mean (NaN:
     *                   no pre-period value)
     * @param note       which rows are the pre-period
     */
    record PrePeriodMeans(Map<String, List<Unit>> covariates, String note) { }

    /**
     * Each column averaged per cluster over the rows in whole UTC hours that end at or before the start (the hourly
     * panel of the whole log, pre-period included); clusters and their arms from the analysis rows. Needs the plan's
     * exposure (a start and a time column).
     */
    static PrePeriodMeans prePeriodMeans(ExperimentSpec spec, ReductionPlan plan, Engine engine, String cluster,
                                         List<String> cols) {
        ReductionPlan.Exposure x = plan.exposure().orElseThrow(() -> new IllegalStateException("no start or time"));
        long start = x.start().getEpochSecond();
        String note = "rows in whole UTC hours ending at or before " + x.start();
        Map<String, Boolean> arms = clusterArms(spec, plan, engine, cluster);
        Map<String, List<Unit>> cov = new LinkedHashMap<>();
        for (String col : cols) { // one panel per column: a missing value in one metric drops no row of another
            Panel panel = engine.panel(new Panel.Request(plan.source().whole(), cluster, x.timeColumn(), Panel.Period.HOUR,
                    List.of(col)));
            Map<String, double[]> sums = new LinkedHashMap<>();
            for (Panel.Row r : panel.rows()) {
                if (r.periodStart() + Panel.Period.HOUR.seconds() > start || r.moments().count() == 0) {
                    continue;
                }
                double[] s = sums.computeIfAbsent(r.unit(), k -> new double[2]);
                s[0] += r.moments().count() * r.moments().mean(0);
                s[1] += r.moments().count();
            }
            List<Unit> units = new ArrayList<>();
            arms.forEach((id, treated) -> {
                double[] s = sums.get(id);
                units.add(new Unit(id, treated, s == null ? Double.NaN : s[0] / s[1]));
            });
            cov.put(col, units);
        }
        return new PrePeriodMeans(cov, note);
    }

    /** The state columns a washout can leave moving: queue depth, cache hit rate, latency (as logged). */
    private static CheckResult washout(ExperimentSpec spec, ReductionPlan plan, Engine engine, List<MetricPlan> metrics,
                                       Function<String, Optional<String>> column) {
        LinkedHashSet<String> cols = new LinkedHashSet<>();
        column.apply(CanonicalColumns.QUEUE_DEPTH).ifPresent(cols::add);
        column.apply(CanonicalColumns.CACHE_HIT).ifPresent(cols::add);
        Optional<String> latency = metrics.stream().filter(m -> m.role().equals(Effect.ROLE_GUARDRAIL)
                && m.metric().metric().contains("latency")).map(MetricPlan::column).findFirst();
        latency.or(() -> column.apply(CanonicalColumns.LATENCY_MS)).ifPresent(cols::add);
        Map<String, List<BlockState>> states = new LinkedHashMap<>();
        for (String col : cols) {
            BlockSums sums;
            try {
                sums = engine.blockSums(plan, new VariableGroup("washout_" + col, List.of(col), Optional.empty()));
            } catch (UnsupportedOperationException e) {
                return UnitLevelChecks.washout(Map.of(), spec.alpha());
            }
            Map<String, BlockSums.Block> byKey = new LinkedHashMap<>();
            sums.blocks().forEach(b -> byKey.put(b.by().orElse("") + "#" + b.block(), b));
            List<BlockState> list = new ArrayList<>();
            for (BlockSums.Block b : sums.blocks()) {
                BlockSums.Block prev = byKey.get(b.by().orElse("") + "#" + (b.block() - 1));
                if (prev == null || b.armCount() != 1 || prev.armCount() != 1) {
                    continue;
                }
                list.add(new BlockState(b.arm().equals(spec.arms().treatment()),
                        prev.arm().equals(spec.arms().treatment()), mean(b.first()), mean(b.second())));
            }
            states.put(col, list);
        }
        return UnitLevelChecks.washout(states, spec.alpha());
    }

    private static List<Unit> blockUnits(ExperimentSpec spec, ReductionPlan plan, Engine engine, String stateColumn) {
        try {
            BlockSums sums = engine.blockSums(plan, new VariableGroup("unit_state", List.of(stateColumn),
                    Optional.empty()));
            List<Unit> out = new ArrayList<>();
            for (BlockSums.Block b : sums.blocks()) {
                if (b.armCount() == 1) {
                    out.add(new Unit(b.by().map(v -> v + ":").orElse("") + b.block(),
                            b.arm().equals(spec.arms().treatment()), mean(b.whole())));
                }
            }
            return out;
        } catch (UnsupportedOperationException e) {
            return List.of();
        }
    }

    private static double mean(BlockSums.Half h) {
        return h.rows() > 0 ? h.sums()[0] / h.rows() : Double.NaN;
    }
}

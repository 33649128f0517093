package dev.verdict.design;

import dev.verdict.InputException;
import dev.verdict.check.BoundaryCoverageCheck;
import dev.verdict.check.RollbackTriggerCheck;
import dev.verdict.readout.Effect;
import dev.verdict.readout.SegmentEffects;
import dev.verdict.reduce.Engine;
import dev.verdict.reduce.LogSchema;
import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.Reduction;
import dev.verdict.reduce.Reduction.Cell;
import dev.verdict.reduce.ReductionPlan;
import dev.verdict.reduce.ReductionPlan.QuantileRequest;
import dev.verdict.reduce.UnitKey;
import dev.verdict.reduce.VariableGroup;
import dev.verdict.spec.CanonicalColumns;
import dev.verdict.spec.Direction;
import dev.verdict.spec.Economics;
import dev.verdict.spec.ExperimentSpec;
import dev.verdict.spec.Guardrail;
import dev.verdict.spec.MetricKind;
import dev.verdict.spec.MetricSpec;
import dev.verdict.stats.DeltaMethodRatio;
import dev.verdict.stats.Estimate;
import dev.verdict.stats.Moments;
import dev.verdict.stats.MultipleComparisons;
import dev.verdict.stats.QuantileContrast;
import dev.verdict.stats.TwoProportionTest;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The analysis of the two randomized designs whose unit is a request or a user/workspace.
 *
 * <p>Request RCT: every request is a unit; means are compared with Welch's test (the delta method with unit count
 * 1 is exactly Welch), proportions with the two-proportion Wald interval, quantiles with the order-statistic
 * (sparsity) standard error. User RCT: the log is aggregated to one row per user in the same scan; every
 * request-level metric is a ratio of per-user sums and its variance is the delta method over users, and quantile
 * standard errors use the clustered delta method, so nothing treats correlated requests of one user as independent.
 * Both: regression adjustment on a declared pre-period covariate (CUPED), per-segment effects with the joint
 * heterogeneity test and Holm-adjusted p-values, and unit economics in one currency.
 */
final class RandomizedDesign implements DesignAnalysis {
    private static final List<Double> STATE_PROBABILITIES = BoundaryCoverageCheck.PROBABILITIES;

    private final ExperimentSpec spec;
    private final ReductionPlan plan;
    private final MetricColumns columns;
    private final List<MetricPlan> metrics = new ArrayList<>();
    private final Optional<String> stateColumn;
    private final Optional<String> latencyColumn;
    private final Optional<MetricPlan> errorRate;
    private final Optional<MetricPlan> costPerSuccess;
    private final List<String> notes = new ArrayList<>();
    /** The unit's name in method names and the readout: request_id, user_id, cluster, block, region_block ... */
    private final String unitName;
    /** Cluster RCT with a declared re-randomization: the log's names of its covariates. */
    private final List<String> rerandomizationColumns = new ArrayList<>();

    RandomizedDesign(ExperimentSpec spec, LogSource source, LogSchema schema) {
        this.spec = spec;
        this.columns = new MetricColumns(spec, schema);
        String arm = columns.require(CanonicalColumns.ARM, "columns.arm");
        Optional<UnitKey> unit = unitKey(spec, columns);
        this.unitName = switch (spec.design()) {
            case REQUEST_RCT -> CanonicalColumns.REQUEST_ID;
            case SWITCHBACK -> spec.switchback().orElseThrow().by().map(b -> b + "_block").orElse("block");
            default -> spec.unit();
        };
        source.since().ifPresent(x -> notes.add("pre_period: rows with " + x.timeColumn() + " before " + x.from()
                + " are the pre-period and are left out of every effect and check"
                + (spec.design() != ExperimentSpec.Design.CLUSTER_RCT ? "" : spec.rerandomization().isPresent()
                ? " except cluster_balance and rerandomization, which compare the arms on them"
                : " except cluster_balance, which compares the arms on them")));
        metrics.add(metricPlan(spec.success(), Effect.ROLE_SUCCESS, "success", "success"));
        for (int i = 0; i < spec.guardrails().size(); i++) {
            Guardrail g = spec.guardrails().get(i);
            metrics.add(metricPlan(g.metric(), Effect.ROLE_GUARDRAIL, "guardrails[" + i + "]", "guardrail_" + i));
        }
        Optional<MetricPlan> cps = Optional.empty();
        if (spec.economics().isPresent()) {
            cps = economicsPlans(spec.economics().get());
        }
        this.costPerSuccess = cps;
        this.errorRate = spec.rollback().errorRateAbove().isPresent()
                ? columns.optional(CanonicalColumns.ERROR).map(this::errorRatePlan) : Optional.empty();
        this.stateColumn = CanonicalColumns.STATE.stream().map(columns::optional).flatMap(Optional::stream).findFirst();
        this.latencyColumn = spec.rollback().p99LatencyMsAbove().isPresent()
                ? columns.optional(CanonicalColumns.LATENCY_MS) : Optional.empty();
        if (spec.design() == ExperimentSpec.Design.CLUSTER_RCT && spec.rerandomization().isPresent()) {
            List<String> covariates = spec.rerandomization().get().covariates();
            for (int i = 0; i < covariates.size(); i++) {
                rerandomizationColumns.add(columns.requireNumeric(covariates.get(i),
                        "rerandomization.covariates[" + i + "]"));
            }
        }
        List<String> segments = new ArrayList<>();
        for (int i = 0; i < spec.segments().size(); i++) {
            segments.add(columns.require(spec.segments().get(i), "segments[" + i + "]"));
        }
        List<VariableGroup> groups = new ArrayList<>();
        metrics.forEach(m -> groups.add(m.group()));
        errorRate.ifPresent(m -> groups.add(m.group()));
        this.plan = new ReductionPlan(source, arm, List.of(spec.arms().control(), spec.arms().treatment()), unit,
                distinct(groups), segments, quantileRequests(), new ReductionPlan.Fidelity(
                columns.optional(CanonicalColumns.EXECUTED_ARM), columns.optional(CanonicalColumns.FALLBACK_REASON),
                columns.optional(CanonicalColumns.TIMED_OUT)),
                spec.start().flatMap(s -> columns.optional(CanonicalColumns.TS)
                        .map(t -> new ReductionPlan.Exposure(t, Instant.parse(s)))));
    }

    /**
     * The unit key of the design: none for a request RCT, the unit's column for a user or cluster RCT, the time blocks
     * of the decision-time column (per value of {@code switchback.by}) for a switchback.
     */
    private static Optional<UnitKey> unitKey(ExperimentSpec spec, MetricColumns columns) {
        return switch (spec.design()) {
            case REQUEST_RCT -> Optional.empty();
            case SWITCHBACK -> {
                ExperimentSpec.Switchback sb = spec.switchback().orElseThrow(() -> new IllegalStateException(
                        "a switchback spec without its switchback block"));
                String time = columns.require(CanonicalColumns.TS, "columns.ts");
                Optional<String> by = sb.by().map(b -> columns.require(b, "switchback.by"));
                yield Optional.of(new UnitKey.TimeBlocks(time, Instant.parse(sb.origin()), sb.blockSeconds(),
                        sb.washoutSeconds(), by));
            }
            default -> Optional.of(UnitKey.column(columns.require(spec.unit(), "unit")));
        };
    }

    /** The error-rate plan of the rollback trigger, sharing a declared metric's group when one already reduces it. */
    private MetricPlan errorRatePlan(String column) {
        return metrics.stream().filter(m -> m.group().columns().equals(List.of(column)) && m.group().covariate().isEmpty())
                .findFirst().orElseGet(() -> MetricPlan.of(new MetricSpec(CanonicalColumns.ERROR, MetricKind.MEAN,
                        Direction.DECREASE, Optional.empty(), Optional.empty(), Optional.empty()), "rollback",
                        "rollback.error_rate_above", "rollback_error", column, Optional.empty(), Optional.empty()));
    }

    private MetricPlan metricPlan(MetricSpec m, String role, String key, String group) {
        String column = columns.requireNumeric(m.metric(), key + ".metric");
        Optional<String> den = m.denominator().map(d -> columns.requireNumeric(d, key + ".denominator"));
        Optional<String> cov = m.covariate().map(c -> columns.requireNumeric(c, key + ".covariate"));
        return MetricPlan.of(m, role, key, group, column, den, cov);
    }

    private Optional<MetricPlan> economicsPlans(Economics e) {
        List<String> cols = new ArrayList<>();
        Optional<String> value = e.value().map(v -> columns.requireNumeric(v, "economics.value"));
        Optional<String> cost = e.cost().map(v -> columns.requireNumeric(v, "economics.cost"));
        Optional<String> gpu = e.gpu().map(v -> columns.requireNumeric(v, "economics.gpu"));
        String success = columns.requireNumeric(e.success(), "economics.success");
        value.ifPresent(cols::add);
        cost.ifPresent(cols::add);
        gpu.ifPresent(cols::add);
        cols.add(success);
        VariableGroup g = new VariableGroup("economics", List.copyOf(new java.util.LinkedHashSet<>(cols)), Optional.empty());
        int d = g.dimension();
        MetricSpec money = new MetricSpec("net_value", MetricKind.MEAN, Direction.INCREASE, Optional.empty(),
                Optional.empty(), Optional.empty());
        double[] count = unitVector(d, g.countIndex());
        double[] net = new double[d];
        value.ifPresent(v -> net[g.columns().indexOf(v)] += 1);
        cost.ifPresent(c -> net[g.columns().indexOf(c)] -= 1);
        metrics.add(MetricPlan.economics(money, EconomicsLabels.NET_VALUE, g, net, count));
        Optional<MetricPlan> cps = Optional.empty();
        if (cost.isPresent()) {
            MetricSpec m = new MetricSpec("cost_per_success", MetricKind.RATIO, Direction.DECREASE, Optional.empty(),
                    Optional.of(success), Optional.empty());
            cps = Optional.of(MetricPlan.economics(m, EconomicsLabels.COST_PER_SUCCESS, g,
                    unitVector(d, g.columns().indexOf(cost.get())), unitVector(d, g.columns().indexOf(success))));
            metrics.add(cps.get());
        }
        if (value.isPresent() && gpu.isPresent()) {
            MetricSpec m = new MetricSpec("value_per_gpu_hour", MetricKind.RATIO, Direction.INCREASE, Optional.empty(),
                    Optional.of(gpu.get()), Optional.empty());
            double[] hours = new double[d];
            hours[g.columns().indexOf(gpu.get())] = 1.0 / 3600.0;
            metrics.add(MetricPlan.economics(m, EconomicsLabels.VALUE_PER_GPU_HOUR, g,
                    unitVector(d, g.columns().indexOf(value.get())), hours));
        }
        return cps;
    }

    private static double[] unitVector(int d, int i) {
        double[] v = new double[d];
        v[i] = 1;
        return v;
    }

    private static List<VariableGroup> distinct(List<VariableGroup> groups) {
        Map<String, VariableGroup> byName = new LinkedHashMap<>();
        groups.forEach(g -> byName.putIfAbsent(g.name(), g));
        return List.copyOf(byName.values());
    }

    private List<QuantileRequest> quantileRequests() {
        Map<String, TreeSet<Double>> byColumn = new TreeMap<>();
        for (MetricPlan m : metrics) {
            if (m.quantile()) {
                byColumn.computeIfAbsent(m.column(), k -> new TreeSet<>())
                        .addAll(QuantileContrast.probabilities(m.metric().kind().probability()));
            }
        }
        stateColumn.ifPresent(c -> byColumn.computeIfAbsent(c, k -> new TreeSet<>()).addAll(STATE_PROBABILITIES));
        latencyColumn.ifPresent(c -> byColumn.computeIfAbsent(c, k -> new TreeSet<>()).add(0.99));
        List<QuantileRequest> out = new ArrayList<>();
        // only the state column's pooled distribution is used (boundary coverage)
        byColumn.forEach((c, ps) -> out.add(new QuantileRequest(c, List.copyOf(ps), stateColumn.map(c::equals).orElse(false))));
        return out;
    }

    @Override
    public ReductionPlan plan() {
        return plan;
    }

    @Override
    public Map<String, String> textColumnsToCheck() {
        return columns.textColumnsToCheck();
    }

    // ------------------------------------------------------------------------------------------------ analysis

    @Override
    public Analysis analyze(Reduction r, Engine engine) {
        requireArms(r);
        List<Effect> effects = new ArrayList<>();
        for (MetricPlan m : metrics) {
            effects.add(effect(m, r, engine, Optional.empty()));
        }
        Map<String, Object> details = new LinkedHashMap<>(); // chart data: switchback timeline, cluster outcomes
        Optional<ClusterRerandomization> rerandomization = rerandomizationColumns.isEmpty() ? Optional.empty()
                : Optional.of(ClusterRerandomization.of(spec, plan, engine, rerandomizationColumns));
        Optional<ClusterInference.Summary> cluster = spec.design() == ExperimentSpec.Design.CLUSTER_RCT
                ? ClusterInference.apply(spec, plan, metrics, effects, engine, unitName, notes, rerandomization)
                : Optional.empty();
        List<SegmentEffects> segments = segmentEffects(r);
        List<dev.verdict.check.CheckResult> checks = RandomizedChecks.run(spec, plan, r, effects, metrics.get(0),
                treatmentLevels(r), stateColumn);
        if (plan.unitLevel() && spec.design() != ExperimentSpec.Design.USER_RCT) {
            int at = checks.stream().map(dev.verdict.check.CheckResult::name).toList()
                    .indexOf(dev.verdict.check.SharedStateCheck.NAME) + 1;
            checks.addAll(at, UnitDesignChecks.run(spec, plan, r, engine, unitName, notes, cluster));
        }
        if (spec.design() == ExperimentSpec.Design.SWITCHBACK) { // block-level inference and carryover (issue 5)
            int at = checks.stream().map(dev.verdict.check.CheckResult::name).toList()
                    .indexOf(dev.verdict.check.TimeBlocksCheck.NAME) + 1;
            checks.addAll(at, SwitchbackInference.run(spec, plan, engine, metrics.get(0), effects.get(0), notes,
                    details));
        }
        if (plan.unitLevel() && spec.design() != ExperimentSpec.Design.USER_RCT) { // issue 5: balance, washout, units
            UnitSummaries.place(checks, UnitSummaries.run(spec, plan, engine, metrics, columns::optional, stateColumn,
                    unitName));
        }
        rerandomization.ifPresent(x -> UnitSummaries.place(checks, List.of(x.check(ClusterInference.RI_BUDGET,
                spec.seed()))));
        cluster.flatMap(ClusterInference.Summary::outcomes).ifPresent(o -> details.put("cluster_outcomes", o));
        return new Analysis(spec.design().name().toLowerCase(Locale.ROOT), unitName, effects, segments, checks, notes,
                IdealExperiments.of(spec, plan, stateColumn.isPresent()), details);
    }

    private void requireArms(Reduction r) {
        for (String arm : plan.armLabels()) {
            Reduction.ArmCounters c = r.counters().get(arm);
            if (c == null || c.units() == 0) {
                String key = arm.equals(spec.arms().control()) ? "arms.control" : "arms.treatment";
                throw InputException.data("spec key '" + key + "': no row of column '" + plan.armColumn()
                        + "' carries the label '" + arm + "'; labels seen: " + String.join(", ", r.armLabelCounts().keySet())
                        + "; fix the label in the spec or the log");
            }
        }
    }

    private Effect effect(MetricPlan m, Reduction r, Engine engine, Optional<Reduction.SegmentValue> segment) {
        Moments mt;
        Moments mc;
        if (segment.isEmpty()) {
            mt = r.arm(spec.arms().treatment()).moments().get(m.group().name());
            mc = r.arm(spec.arms().control()).moments().get(m.group().name());
        } else {
            mt = segmentCell(r, segment.get(), spec.arms().treatment()).map(c -> c.moments().get(m.group().name()))
                    .orElse(Moments.empty(m.group().dimension()));
            mc = segmentCell(r, segment.get(), spec.arms().control()).map(c -> c.moments().get(m.group().name()))
                    .orElse(Moments.empty(m.group().dimension()));
            if (mt.count() < 2 || mc.count() < 2) {
                return new Effect(m.label(), m.metric().kind().wireName(), m.role(), segment.map(s -> new Effect.Segment(
                        s.column(), s.value())), Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN, Double.NaN, Double.NaN, mc.count(), mt.count(), "too_few_units");
            }
        }
        if (segment.isEmpty()) {
            validate(m, mt, mc);
        }
        Estimate est;
        double control;
        double treatment;
        if (m.quantile()) {
            double p = m.metric().kind().probability();
            Map<String, double[]> qs = r.quantiles().get(m.column());
            QuantileRequest req = plan.quantiles().stream().filter(q -> q.column().equals(m.column())).findFirst()
                    .orElseThrow();
            QuantileContrast.ArmQuantile qt = armQuantile(p, req, qs.get(spec.arms().treatment()), mt, m, engine,
                    spec.arms().treatment());
            QuantileContrast.ArmQuantile qc = armQuantile(p, req, qs.get(spec.arms().control()), mc, m, engine,
                    spec.arms().control());
            String method = spec.requestRandomized() ? "quantile_sparsity_order_statistic"
                    : "quantile_clustered_delta_method_over_" + unitName;
            est = QuantileContrast.contrast(qt, qc, spec.alpha(), method);
            control = qc.value();
            treatment = qt.value();
        } else if (m.metric().kind() == MetricKind.PROPORTION && spec.requestRandomized() && m.covariateIndex().isEmpty()) {
            double pt = mt.mean(0);
            double pc = mc.mean(0);
            Estimate u = TwoProportionTest.compare(Math.round(pt * mt.count()), mt.count(), Math.round(pc * mc.count()),
                    mc.count(), spec.alpha(), false).unpooled();
            est = new Estimate(u.estimate(), u.se(), u.df(), u.ciLow(), u.ciHigh(), u.pValue(), "two_proportion_unpooled");
            control = pc;
            treatment = pt;
        } else {
            String method = method(m);
            OptionalInt cov = m.covariateIndex();
            DeltaMethodRatio.Contrast c;
            try {
                c = DeltaMethodRatio.contrast(mt, mc, m.numerator(), m.denominator(), cov, spec.alpha(), method);
            } catch (IllegalArgumentException e) {
                throw InputException.data("column '" + m.group().covariate().orElse("?") + "' (spec key '" + m.key()
                        + ".covariate') is constant within both arms: the regression adjustment is singular; drop the covariate");
            }
            est = c.result();
            control = c.control().value();
            treatment = c.treatment().value();
            if (cov.isPresent() && segment.isEmpty()) {
                notes.add(m.label() + ": regression-adjusted (CUPED) on " + m.group().covariate().orElseThrow()
                        + " with common slope theta = " + fmt(c.theta()) + "; unadjusted difference "
                        + fmt(c.treatment().value() - c.control().value()));
            }
        }
        return new Effect(m.label(), m.metric().kind().wireName(), m.role(),
                segment.map(s -> new Effect.Segment(s.column(), s.value())), control, treatment, est.estimate(), est.se(),
                est.df(), est.ciLow(), est.ciHigh(), est.pValue(), control == 0 ? Double.NaN : est.estimate() / Math.abs(control),
                mc.count(), mt.count(), est.method());
    }

    private String method(MetricPlan m) {
        boolean ratio = m.metric().kind() == MetricKind.RATIO || m.role().equals(Effect.ROLE_ECONOMICS)
                && m.metric().kind() == MetricKind.RATIO;
        String base;
        if (spec.requestRandomized()) {
            base = ratio ? "delta_method_ratio" : "welch";
        } else {
            base = (ratio ? "delta_method_ratio" : "delta_method_mean") + "_over_" + unitName;
        }
        return m.covariateIndex().isPresent() ? "cuped_" + base : base;
    }

    private QuantileContrast.ArmQuantile armQuantile(double p, QuantileRequest req, double[] values, Moments counts,
                                                     MetricPlan m, Engine engine, String arm) {
        java.util.function.DoubleUnaryOperator q = prob -> {
            int i = req.probabilities().indexOf(QuantileContrast.round(prob));
            return i < 0 ? Double.NaN : values[i];
        };
        double variance;
        if (spec.requestRandomized()) {
            variance = p * (1 - p) / counts.count();
        } else {
            Map<String, Double> thresholds = Map.of(arm, q.applyAsDouble(p));
            Moments below = engine.unitCountsBelow(plan, m.column(), thresholds).get(arm);
            variance = QuantileContrast.clusteredEcdfVariance(below);
        }
        return QuantileContrast.arm(p, q, variance, spec.alpha());
    }

    private void validate(MetricPlan m, Moments mt, Moments mc) {
        String col = String.join(", ", m.group().allColumns());
        if (!mt.isFinite() || !mc.isFinite()) {
            throw InputException.data("column '" + col + "' (spec key '" + m.key() + "') contains NaN or infinite values; "
                    + "clean or filter them in the log");
        }
        for (Moments x : List.of(mt, mc)) {
            if (x.count() < 2 && !(x.count() == 1 && ClusterInference.eligible(spec, m))) {
                String arm = x == mt ? spec.arms().treatment() : spec.arms().control();
                throw InputException.data("column '" + m.column() + "' (spec key '" + m.key() + "'): arm '" + arm + "' has "
                        + x.count() + " unit(s) with a value; at least 2 per arm are needed");
            }
        }
        if (m.role().equals(Effect.ROLE_ECONOMICS)) {
            return;
        }
        DeltaMethodRatio.ArmRatio rt = DeltaMethodRatio.arm(mt, m.numerator(), m.denominator());
        DeltaMethodRatio.ArmRatio rc = DeltaMethodRatio.arm(mc, m.numerator(), m.denominator());
        if (rt.variance() == 0 && rc.variance() == 0 && rt.value() == rc.value()) {
            throw InputException.data("column '" + m.column() + "' (spec key '" + m.key() + "') is constant (every value is "
                    + fmt(rt.value()) + " in both arms): no effect can be estimated; choose another metric");
        }
        if (m.metric().kind() == MetricKind.PROPORTION && !plan.unitLevel()) {
            for (Moments x : List.of(mt, mc)) {
                double p = x.mean(0);
                double binary = p * (1 - p) * x.count() / (x.count() - 1);
                if (p < 0 || p > 1 || Math.abs(x.variance(0) - binary) > 1e-9 * Math.max(1e-12, binary) + 1e-12) {
                    throw InputException.data("column '" + m.column() + "' (spec key '" + m.key() + ".kind'): kind "
                            + "proportion needs a 0/1 column but its values are not all 0 or 1 (mean " + fmt(p)
                            + "); use kind mean");
                }
            }
        }
    }

    private static Optional<Cell> segmentCell(Reduction r, Reduction.SegmentValue s, String arm) {
        return r.cells().stream().filter(c -> c.arm().equals(arm) && c.segment().equals(Optional.of(s))).findFirst();
    }

    private List<SegmentEffects> segmentEffects(Reduction r) {
        MetricPlan success = metrics.get(0);
        if (plan.segments().isEmpty()) {
            return List.of();
        }
        if (success.quantile()) {
            notes.add("segments: per-segment effects are not estimated for a quantile decision metric in this version");
            return List.of();
        }
        if (spec.design() == ExperimentSpec.Design.CLUSTER_RCT || spec.design() == ExperimentSpec.Design.SWITCHBACK) {
            notes.add("segments: per-segment effects are not estimated for " + spec.design().name().toLowerCase(
                    java.util.Locale.ROOT) + " in this version: a cluster or time block holds requests of every segment, "
                    + "and a unit's first-exposure segment would misstate them (per unit-and-segment cells are planned)");
            return List.of();
        }
        List<List<Effect>> perColumn = new ArrayList<>();
        List<Double> allP = new ArrayList<>();
        for (String column : plan.segments()) {
            TreeSet<String> values = new TreeSet<>();
            r.segmentCells(column).forEach(c -> values.add(c.segment().orElseThrow().value()));
            List<Effect> list = new ArrayList<>();
            for (String v : values) {
                Effect e = effect(success, r, null, Optional.of(new Reduction.SegmentValue(column, v)));
                list.add(e);
                allP.add(e.pValue());
            }
            perColumn.add(list);
        }
        // cells with too few units have no p-value: they are reported, but not counted in the Holm family
        double[] finite = allP.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).toArray();
        double[] holm = MultipleComparisons.holm(finite);
        double[] adjusted = new double[allP.size()];
        for (int i = 0, j = 0; i < adjusted.length; i++) {
            adjusted[i] = Double.isFinite(allP.get(i)) ? holm[j++] : Double.NaN;
        }
        notes.add("segments: p-values Holm-adjusted over all " + allP.size() + " segment cells of "
                + plan.segments().size() + " declared segment column(s); heterogeneity by the Wald test that all of a "
                + "column's segment effects are equal (the interaction terms of OLS y ~ T * segment)");
        List<SegmentEffects> out = new ArrayList<>();
        int k = 0;
        for (int s = 0; s < plan.segments().size(); s++) {
            List<Effect> list = perColumn.get(s);
            List<Double> adj = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                adj.add(adjusted[k++]);
            }
            double[] q = heterogeneity(list);
            out.add(new SegmentEffects(plan.segments().get(s), list, adj, q[0], (int) q[1], q[2]));
        }
        return out;
    }

    /**
     * Cochran's Q, {@code sum w_i (e_i - ebar)^2} with {@code w_i = 1 / se_i^2}: the Wald statistic for equality of
     * independent segment effects, chi-square with (values - 1) df. Returns {statistic, df, p}.
     */
    static double[] heterogeneity(List<Effect> effects) {
        double sw = 0;
        double swe = 0;
        int m = 0;
        for (Effect e : effects) {
            if (e.se() > 0 && Double.isFinite(e.estimate())) {
                double w = 1 / (e.se() * e.se());
                sw += w;
                swe += w * e.estimate();
                m++;
            }
        }
        if (m < 2) {
            return new double[] {Double.NaN, 0, Double.NaN};
        }
        double mean = swe / sw;
        double q = 0;
        for (Effect e : effects) {
            if (e.se() > 0 && Double.isFinite(e.estimate())) {
                q += (e.estimate() - mean) * (e.estimate() - mean) / (e.se() * e.se());
            }
        }
        return new double[] {q, m - 1, ChiSquaredDistribution.of(m - 1).survivalProbability(q)};
    }

    private RollbackTriggerCheck.TreatmentLevels treatmentLevels(Reduction r) {
        String t = spec.arms().treatment();
        Cell cell = r.arm(t);
        OptionalDouble error = errorRate.map(m -> OptionalDouble.of(DeltaMethodRatio.arm(cell.moments().get(m.group()
                .name()), m.numerator(), m.denominator()).value())).orElse(OptionalDouble.empty());
        OptionalDouble p99 = latencyColumn.map(c -> {
            QuantileRequest req = plan.quantiles().stream().filter(q -> q.column().equals(c)).findFirst().orElseThrow();
            return OptionalDouble.of(r.quantiles().get(c).get(t)[req.probabilities().indexOf(0.99)]);
        }).orElse(OptionalDouble.empty());
        OptionalDouble cps = costPerSuccess.map(m -> OptionalDouble.of(DeltaMethodRatio.arm(cell.moments().get(
                m.group().name()), m.numerator(), m.denominator()).value())).orElse(OptionalDouble.empty());
        Reduction.ArmCounters counters = r.counters().get(t);
        OptionalDouble fallback = counters.fallbacks() < 0 ? OptionalDouble.empty()
                : OptionalDouble.of((double) counters.fallbacks() / counters.rows());
        return new RollbackTriggerCheck.TreatmentLevels(error, p99, cps, fallback);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}

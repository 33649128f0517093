package dev.verdict.design;

import dev.verdict.InputException;
import dev.verdict.check.CheckCategory;
import dev.verdict.check.CheckResult;
import dev.verdict.check.CheckStatus;
import dev.verdict.check.GuardrailCheck;
import dev.verdict.check.SampleRatioCheck;
import dev.verdict.check.SaturationChecks;
import dev.verdict.check.SharedStateCheck;
import dev.verdict.check.SpilloverCheck;
import dev.verdict.readout.Effect;
import dev.verdict.reduce.Engine;
import dev.verdict.reduce.LogSchema;
import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.Reduction;
import dev.verdict.reduce.ReductionPlan;
import dev.verdict.reduce.VariableGroup;
import dev.verdict.spec.CanonicalColumns;
import dev.verdict.spec.ExperimentSpec;
import dev.verdict.spec.Guardrail;
import dev.verdict.spec.MetricKind;
import dev.verdict.spec.MetricSpec;
import dev.verdict.spec.Saturation;
import dev.verdict.stats.ChiSquareGoodnessOfFit;
import dev.verdict.stats.DeltaMethodRatio;
import dev.verdict.stats.Estimate;
import dev.verdict.stats.Moments;
import dev.verdict.stats.SaturationAnalysis;
import org.apache.commons.statistics.distribution.BinomialDistribution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The analysis of a saturation (two-stage) design: a cluster RCT whose spec declares {@code saturation.levels}, with
 * requests randomized within each cluster at its level (Hudgens and Halloran 2008; Baird et al. 2018).
 *
 * <p>The log is first analyzed request by request (as a request RCT: data quality, fidelity, boundary coverage, rollback
 * triggers, economics, and the guardrails that are not mean or proportion metrics). One extra reduction with the
 * cluster column as the only segment gives per-(arm, cluster) moments; each cluster's level is the declared level
 * nearest its observed treated share, checked by a two-sided binomial test at {@value #LEVEL_ALPHA}. Then
 * {@link SaturationAnalysis} estimates, with inference across clusters, the spillover on the untreated per level, the
 * direct effect per level, the effect of full treatment and the request-vs-cluster gap. The decision metric's headline
 * (and each mean or proportion guardrail's effect) is the total effect when fully treated clusters exist, else the
 * pooled direct effect with a note that the effect of shipping is not identified.
 */
final class SaturationDesignAnalysis implements DesignAnalysis {
    /** Threshold of the binomial test of a cluster's observed treated share against its level. */
    static final double LEVEL_ALPHA = 1e-3;

    private final ExperimentSpec spec;
    private final Saturation saturation;
    private final RandomizedDesign pooled;
    private final String clusterColumn;
    private final List<MetricPlan> metrics = new ArrayList<>();

    SaturationDesignAnalysis(ExperimentSpec spec, LogSource source, LogSchema schema) {
        this.spec = spec;
        this.saturation = spec.saturation().orElseThrow();
        MetricSpec success = spec.success();
        if (success.kind() != MetricKind.MEAN && success.kind() != MetricKind.PROPORTION) {
            throw InputException.spec("spec key 'success.kind': '" + success.kind().wireName() + "' is not analyzed for "
                    + "a saturation design, whose effects are differences of per-cluster means; use kind mean or "
                    + "proportion");
        }
        this.pooled = new RandomizedDesign(asRequestRct(spec), source, schema);
        MetricColumns columns = new MetricColumns(spec, schema);
        this.clusterColumn = columns.require(spec.unit(), "unit");
        metrics.add(MetricPlan.of(success, Effect.ROLE_SUCCESS, "success", "sat_success",
                columns.requireNumeric(success.metric(), "success.metric"), Optional.empty(), Optional.empty()));
        for (int i = 0; i < spec.guardrails().size(); i++) {
            MetricSpec g = spec.guardrails().get(i).metric();
            if ((g.kind() == MetricKind.MEAN || g.kind() == MetricKind.PROPORTION)) {
                metrics.add(MetricPlan.of(g, Effect.ROLE_GUARDRAIL, "guardrails[" + i + "]", "sat_guardrail_" + i,
                        columns.requireNumeric(g.metric(), "guardrails[" + i + "].metric"), Optional.empty(),
                        Optional.empty()));
            }
        }
    }

    /** The same spec read as a request RCT, for the request-level part of the analysis. */
    private static ExperimentSpec asRequestRct(ExperimentSpec s) {
        return new ExperimentSpec(s.name(), s.decision(), ExperimentSpec.Design.REQUEST_RCT, s.data(), s.format(),
                s.columns(), CanonicalColumns.REQUEST_ID, s.arms(), s.allocation(), s.start(), s.success(),
                s.guardrails(), s.economics(), List.of(), s.rollback(), s.contingency(), s.alpha(), s.sharedState(),
                s.dataQuality(), s.longRun(), s.seed(), s.specFile(), Optional.empty(), Optional.empty(), Optional.empty(),
                s.prePeriod());
    }

    @Override
    public ReductionPlan plan() {
        return pooled.plan();
    }

    @Override
    public Map<String, String> textColumnsToCheck() {
        return pooled.textColumnsToCheck();
    }

    @Override
    public Analysis analyze(Reduction reduction, Engine engine) {
        Analysis a = pooled.analyze(reduction, engine);
        List<String> notes = new ArrayList<>(a.notes());
        ReductionPlan p = pooled.plan();
        Map<String, VariableGroup> groups = new LinkedHashMap<>();
        metrics.forEach(m -> groups.putIfAbsent(m.group().name(), m.group()));
        Reduction r = engine.reduce(new ReductionPlan(p.source(), p.armColumn(), p.armLabels(), Optional.empty(),
                List.copyOf(groups.values()), List.of(clusterColumn), List.of(), ReductionPlan.Fidelity.NONE,
                p.exposure()));
        String control = spec.arms().control();
        String treatment = spec.arms().treatment();
        // per cluster: [control cell, treatment cell]
        TreeMap<String, Reduction.Cell[]> byCluster = new TreeMap<>();
        for (Reduction.Cell c : r.segmentCells(clusterColumn)) {
            int arm = c.arm().equals(control) ? 0 : c.arm().equals(treatment) ? 1 : -1;
            if (arm >= 0) {
                byCluster.computeIfAbsent(c.segment().orElseThrow().value(), k -> new Reduction.Cell[2])[arm] = c;
            }
        }
        // levels
        Map<String, Double> level = new LinkedHashMap<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> implausible = new ArrayList<>();
        for (var e : byCluster.entrySet()) {
            long nc = e.getValue()[0] == null ? 0 : e.getValue()[0].rows();
            long nt = e.getValue()[1] == null ? 0 : e.getValue()[1].rows();
            double share = (double) nt / (nc + nt);
            double s = saturation.nearest(share);
            double pv = binomialP(nt, nc + nt, s);
            level.put(e.getKey(), s);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("cluster", e.getKey());
            row.put("requests", nc + nt);
            row.put("treated_share", share);
            row.put("level", s);
            row.put("p_value", pv);
            rows.add(row);
            if (pv < LEVEL_ALPHA) {
                implausible.add(e.getKey());
            }
        }
        List<Effect> effects = new ArrayList<>(a.effects());
        List<CheckResult> checks = new ArrayList<>(a.checks());
        Optional<SaturationAnalysis.Result> decision = Optional.empty();
        double[] decisionControl = {Double.NaN};
        Map<String, Object> details = new LinkedHashMap<>();
        for (MetricPlan m : metrics) {
            List<SaturationAnalysis.ClusterArms> arms = new ArrayList<>();
            for (var e : byCluster.entrySet()) {
                arms.add(new SaturationAnalysis.ClusterArms(e.getKey(), level.get(e.getKey()),
                        cellMoments(e.getValue()[0], m), cellMoments(e.getValue()[1], m)));
            }
            long pure = arms.stream().filter(c -> c.saturation() == 0.0 && c.untreated().count() > 0).count();
            if (pure < 2) {
                throw InputException.data("saturation design: " + pure + " cluster(s) of column '" + clusterColumn
                        + "' look pure control (observed treated share nearest level 0) with outcomes of '"
                        + m.column() + "'; spillover and the effect of shipping need at least 2; check the declared "
                        + "saturation.levels and the log");
            }
            SaturationAnalysis.Result res = SaturationAnalysis.analyze(arms, spec.alpha());
            double pureMean = arms.stream().filter(c -> c.saturation() == 0.0 && c.untreated().count() > 0)
                    .mapToDouble(c -> c.untreated().mean(0)).average().orElse(Double.NaN);
            int at = indexOf(effects, m);
            Effect old = effects.get(at);
            Optional<Effect> replaced = headline(m, old, res, arms, pureMean);
            replaced.ifPresent(x -> effects.set(at, x));
            if (m.role().equals(Effect.ROLE_SUCCESS)) {
                decision = Optional.of(res);
                decisionControl[0] = pureMean;
                details.put("saturation_clusters", clusterMeans(m, arms));
                notes.add(String.format(Locale.ROOT, "saturation: %s; request-level contrast (treated vs untreated "
                        + "requests over all clusters, as a request RCT would read it) %s", summary(res), num(
                        old.estimate())));
                if (res.total().isEmpty()) {
                    notes.add("saturation: the effect of shipping is not identified without at least two fully "
                            + "treated clusters (level 1); the headline is the direct effect within mixed clusters, "
                            + "which omits the spillover a full rollout brings");
                }
            } else if (replaced.isPresent()) {
                int i = Integer.parseInt(m.key().replaceAll("\\D", ""));
                Guardrail g = spec.guardrails().get(i);
                String name = GuardrailCheck.NAME_PREFIX + g.metric().label();
                for (int c = 0; c < checks.size(); c++) {
                    if (checks.get(c).name().equals(name)) {
                        checks.set(c, GuardrailCheck.of(g, replaced, spec.alpha()));
                    }
                }
            }
        }
        SaturationAnalysis.Result res = decision.orElseThrow();
        Optional<Double> materiality = spec.success().minEffect().map(t -> t.absolute(decisionControl[0]));
        int spill = names(checks).indexOf(SpilloverCheck.NAME);
        checks.set(spill, SaturationChecks.spillover(res, spec.success().direction(), materiality, spec.alpha()));
        checks.add(spill + 1, SaturationChecks.gap(res, spec.alpha()));
        int fit = names(checks).indexOf(SharedStateCheck.NAME);
        checks.set(fit, new CheckResult(SharedStateCheck.NAME, CheckCategory.IDENTIFICATION, CheckStatus.PASS,
                "Design fits: a saturation design with pure-control clusters measures the spillover of shared state "
                        + "instead of assuming it away, with inference across clusters.",
                CheckResult.evidenceBuilder().put("design", "saturation").put("levels", saturation.levels()).map()));
        int srm = names(checks).indexOf(SampleRatioCheck.NAME);
        checks.set(srm, sampleRatio(level));
        checks.add(srm + 1, SaturationChecks.levels(rows, implausible, LEVEL_ALPHA));
        notes.add("saturation: " + byCluster.size() + " clusters of column '" + clusterColumn + "', each at the declared "
                + "level nearest its observed treated share (levels " + saturation.levels() + "); effects of mean and "
                + "proportion metrics are differences of unweighted per-cluster means with Welch (or one-sample) t "
                + "intervals across clusters; other guardrails and unit economics are request-level contrasts over all "
                + "clusters; segments are not estimated for a saturation design in this version");
        List<String> gaps = new ArrayList<>();
        for (String gap : a.ideal().gaps()) {
            gaps.add(gap.startsWith("The change moves shared state")
                    ? "The change moves shared state: pure-control and fully treated clusters contain it and mixed "
                    + "clusters measure the spillover, but with few clusters the cluster-level intervals are wide."
                    : gap);
        }
        return new Analysis("saturation", spec.unit(), effects, List.of(), checks, notes,
                new Analysis.IdealExperiment(a.ideal().description(), gaps), details);
    }

    /**
     * The decision metric's per-cluster means of untreated and of treated requests with the cluster's level: the
     * numbers the spillover and direct effects average (the readout's saturation chart).
     */
    private static Map<String, Object> clusterMeans(MetricPlan m, List<SaturationAnalysis.ClusterArms> arms) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("metric", m.label());
        List<Object> rows = new ArrayList<>();
        for (SaturationAnalysis.ClusterArms c : arms) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("cluster", c.cluster());
            row.put("level", c.saturation());
            row.put("untreated_requests", c.untreated().count());
            row.put("untreated_mean", c.untreated().count() > 0 ? c.untreated().mean(0) : null);
            row.put("treated_requests", c.treated().count());
            row.put("treated_mean", c.treated().count() > 0 ? c.treated().mean(0) : null);
            rows.add(row);
        }
        out.put("clusters", rows);
        return out;
    }

    private Optional<Effect> headline(MetricPlan m, Effect old, SaturationAnalysis.Result res,
                                      List<SaturationAnalysis.ClusterArms> arms, double pureMean) {
        if (res.total().isPresent()) {
            Estimate t = res.total().get();
            long full = arms.stream().filter(c -> c.saturation() == 1.0 && c.treated().count() > 0).count();
            long pure = arms.stream().filter(c -> c.saturation() == 0.0 && c.untreated().count() > 0).count();
            return Optional.of(effect(old, pureMean, t, pure, full));
        }
        if (res.pooledDirect().isPresent()) {
            List<SaturationAnalysis.ClusterArms> mixed = arms.stream().filter(c -> c.saturation() > 0 && c.saturation() < 1
                    && c.untreated().count() > 0 && c.treated().count() > 0).toList();
            double base = mixed.stream().mapToDouble(c -> c.untreated().mean(0)).average().orElse(Double.NaN);
            return Optional.of(effect(old, base, res.pooledDirect().get(), mixed.size(), mixed.size()));
        }
        return Optional.empty();
    }

    private static Effect effect(Effect old, double control, Estimate e, long nControl, long nTreatment) {
        return new Effect(old.metric(), old.kind(), old.role(), Optional.empty(), control, control + e.estimate(),
                e.estimate(), e.se(), e.df(), e.ciLow(), e.ciHigh(), e.pValue(),
                control == 0 ? Double.NaN : e.estimate() / Math.abs(control), nControl, nTreatment, e.method());
    }

    private CheckResult sampleRatio(Map<String, Double> level) {
        List<Double> levels = saturation.levels();
        long[] counts = new long[levels.size()];
        level.values().forEach(s -> counts[levels.indexOf(s)]++);
        Map<String, Object> observed = new LinkedHashMap<>();
        for (int i = 0; i < levels.size(); i++) {
            observed.put(num(levels.get(i)), counts[i]);
        }
        CheckResult.Evidence ev = CheckResult.evidenceBuilder().put("unit", "cluster").put("clusters_per_level", observed);
        if (saturation.shares().isEmpty()) {
            return new CheckResult(SampleRatioCheck.NAME, CheckCategory.ASSIGNMENT_INTEGRITY, CheckStatus.NOT_EVALUATED,
                    "Clusters per saturation level not checked: the spec declares no saturation.shares (the levels' "
                            + "shares of clusters); the within-cluster shares are checked by " + SaturationChecks.LEVELS
                            + ".", ev.map());
        }
        double[] shares = saturation.shares().get().stream().mapToDouble(Double::doubleValue).toArray();
        ChiSquareGoodnessOfFit.Result t = ChiSquareGoodnessOfFit.test(counts, shares);
        ev.put("declared_shares", saturation.shares().get()).put("chi_square", t.statistic()).put("df", t.df())
                .put("p_value", t.pValue()).put("alpha", SampleRatioCheck.DEFAULT_ALPHA);
        if (t.pValue() < SampleRatioCheck.DEFAULT_ALPHA) {
            return new CheckResult(SampleRatioCheck.NAME, CheckCategory.ASSIGNMENT_INTEGRITY, CheckStatus.FAIL,
                    "Sample ratio mismatch across saturation levels: clusters per level " + observed + " against "
                            + "declared shares " + saturation.shares().get() + " (chi-square p = "
                            + String.format(Locale.ROOT, "%.3g", t.pValue()) + ").", ev.map());
        }
        return new CheckResult(SampleRatioCheck.NAME, CheckCategory.ASSIGNMENT_INTEGRITY, CheckStatus.PASS,
                "Clusters per saturation level " + observed + " match the declared shares "
                        + saturation.shares().get() + " (chi-square p = " + String.format(Locale.ROOT, "%.3g", t.pValue())
                        + "; approximate with few clusters).", ev.map());
    }

    /** Two-sided binomial p-value of {@code k} treated of {@code n} at share {@code s} (0 or 1 when s is 0 or 1). */
    static double binomialP(long k, long n, double s) {
        if (s == 0.0) {
            return k == 0 ? 1 : 0;
        }
        if (s == 1.0) {
            return k == n ? 1 : 0;
        }
        BinomialDistribution b = BinomialDistribution.of((int) Math.min(n, Integer.MAX_VALUE), s);
        return Math.min(1, 2 * Math.min(b.cumulativeProbability((int) k), b.survivalProbability((int) k - 1)));
    }

    private static Moments cellMoments(Reduction.Cell cell, MetricPlan m) {
        Moments mo = cell == null ? null : cell.moments().get(m.group().name());
        if (mo == null || mo.count() == 0) {
            return Moments.empty(1);
        }
        double v = DeltaMethodRatio.arm(mo, m.numerator(), m.denominator()).value();
        return Moments.ofCovariance(mo.count(), new double[] {v}, new double[][] {{0}});
    }

    private static int indexOf(List<Effect> effects, MetricPlan m) {
        for (int i = 0; i < effects.size(); i++) {
            Effect e = effects.get(i);
            if (e.role().equals(m.role()) && e.metric().equals(m.label()) && e.segment().isEmpty()) {
                return i;
            }
        }
        throw new IllegalStateException("no effect for " + m.label());
    }

    private static List<String> names(List<CheckResult> checks) {
        return checks.stream().map(CheckResult::name).toList();
    }

    private static String summary(SaturationAnalysis.Result res) {
        StringBuilder b = new StringBuilder();
        res.total().ifPresent(t -> b.append("total effect ").append(est(t)).append("; "));
        res.pooledDirect().ifPresent(t -> b.append("pooled direct effect ").append(est(t)).append("; "));
        res.gap().ifPresent(t -> b.append("gap (request-level minus cluster-level) ").append(est(t)).append("; "));
        for (SaturationAnalysis.LevelEffect l : res.spillover()) {
            b.append("spillover on the untreated at ").append(num(l.saturation())).append(' ').append(est(l.estimate()))
                    .append("; ");
        }
        for (SaturationAnalysis.LevelEffect l : res.direct()) {
            b.append("direct effect at ").append(num(l.saturation())).append(' ').append(est(l.estimate())).append("; ");
        }
        return b.length() > 2 ? b.substring(0, b.length() - 2) : "nothing estimable";
    }

    private static String est(Estimate e) {
        return String.format(Locale.ROOT, "%s [%s, %s] p = %.3g", num(e.estimate()), num(e.ciLow()), num(e.ciHigh()),
                e.pValue());
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}

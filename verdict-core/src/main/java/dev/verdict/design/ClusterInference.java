package dev.verdict.design;

import dev.verdict.readout.Effect;
import dev.verdict.reduce.Engine;
import dev.verdict.reduce.Reduction;
import dev.verdict.reduce.ReductionPlan;
import dev.verdict.reduce.UnitKey;
import dev.verdict.reduce.VariableGroup;
import dev.verdict.spec.ExperimentSpec;
import dev.verdict.spec.MetricKind;
import dev.verdict.stats.ClusterRandomizationInference;
import dev.verdict.stats.ClusterRobustOls;
import dev.verdict.stats.CoefficientTable;
import dev.verdict.stats.Estimate;
import dev.verdict.stats.Moments;
import dev.verdict.stats.TreatmentBlocks;
import dev.verdict.stats.WildClusterBootstrap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Cluster-level inference of a cluster RCT for the mean and proportion metrics (decision metric and guardrails without
 * a covariate): the row-level model {@code y ~ 1 + T} fitted from per-cluster sums, with CR2 (Bell-McCaffrey) and its
 * Satterthwaite df; with fewer than {@value #SMALL} clusters also the restricted wild cluster bootstrap-t (Webb
 * weights) and randomization inference under the assignment rule, and the effect reports the most conservative of the
 * three (largest p-value, the hull of the three intervals). With one treated (or one control) cluster a clustered
 * standard error is meaningless, and randomization inference alone is reported.
 *
 * <p>Per-cluster sums come from one extra reduction of the log with the cluster column as the only segment: for a
 * unit-level plan each (arm, segment value) cell is then one cluster, whose moment "means" are its sums. Ratio,
 * quantile, economics and regression-adjusted (CUPED) metrics stay on the delta method over clusters, which a note says.
 */
final class ClusterInference {
    /** Clusters below which the small-sample methods (WCR bootstrap, randomization inference) are added. */
    static final int SMALL = 30;
    /** WCR bootstrap draws. */
    static final int DRAWS = 9_999;
    /** Randomization inference: enumerate up to this many assignments, else draw this many. */
    static final int RI_BUDGET = 9_999;

    /**
     * What the small-sample check reports: per metric, the inference and its numbers; and the decision metric's value
     * per cluster with its arm and stratum (the readout's cluster chart), when the decision metric was eligible.
     */
    record Summary(int clusters, int treated, int control, String inference, String why, List<Map<String, Object>> metrics,
                   boolean oneTreated, double smallestP, Optional<Map<String, Object>> outcomes) { }

    private ClusterInference() {
    }

    /** Replaces the eligible effects in place; returns the summary, empty when no metric was eligible. */
    static Optional<Summary> apply(ExperimentSpec spec, ReductionPlan plan, List<MetricPlan> metrics, List<Effect> effects,
                                   Engine engine, String unitName, List<String> notes) {
        return apply(spec, plan, metrics, effects, engine, unitName, notes, Optional.empty());
    }

    /**
     * As above; with a declared re-randomization, randomization inference re-draws only the assignments its criterion
     * accepts when that is evaluable and the logged assignment meets it, and plain complete randomization otherwise, and
     * every RI row, method name and the note say which and why.
     */
    static Optional<Summary> apply(ExperimentSpec spec, ReductionPlan plan, List<MetricPlan> metrics, List<Effect> effects,
                                   Engine engine, String unitName, List<String> notes,
                                   Optional<ClusterRerandomization> rerandomization) {
        List<Integer> eligible = new ArrayList<>();
        Map<String, VariableGroup> groups = new LinkedHashMap<>();
        for (int i = 0; i < metrics.size(); i++) {
            MetricPlan m = metrics.get(i);
            if (eligible(spec, m)) {
                eligible.add(i);
                groups.putIfAbsent(m.group().name(), m.group());
            }
        }
        if (eligible.isEmpty() || plan.unit().isEmpty() || !(plan.unit().get() instanceof UnitKey.Column key)) {
            return Optional.empty();
        }
        String column = key.column();
        ReductionPlan perCluster = new ReductionPlan(plan.source(), plan.armColumn(), plan.armLabels(), plan.unit(),
                List.copyOf(groups.values()), List.of(column), List.of(), ReductionPlan.Fidelity.NONE, plan.exposure());
        Reduction r = engine.reduce(perCluster);
        Optional<String> strataColumn = spec.strata().map(x -> spec.column(x));
        Map<String, String> strataOf = strataColumn.map(sc -> ClusterStrata.of(plan, column, sc, engine))
                .orElse(Map.of());
        String control = spec.arms().control();
        String treatment = spec.arms().treatment();
        List<Reduction.Cell> cells = r.segmentCells(column).stream()
                .filter(c -> c.arm().equals(control) || c.arm().equals(treatment)).toList();
        List<Map<String, Object>> rows = new ArrayList<>();
        int clusters = 0;
        int treatedClusters = 0;
        double smallest = Double.NaN;
        boolean oneTreated = false;
        boolean restrictedAll = rerandomization.isPresent();
        List<String> plainMetrics = new ArrayList<>();
        Map<String, Object> outcomes = null;
        for (int i : eligible) {
            MetricPlan m = metrics.get(i);
            List<double[]> ns = new ArrayList<>();
            List<Boolean> arms = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (Reduction.Cell c : cells) {
                Moments mo = c.moments().get(m.group().name());
                if (mo == null || mo.count() != 1) {
                    continue;
                }
                double n = dot(m.denominator(), mo.means());
                double s = dot(m.numerator(), mo.means());
                if (n > 0 && Double.isFinite(s)) {
                    ns.add(new double[] {n, s});
                    arms.add(c.arm().equals(treatment));
                    labels.add(strataOf.get(c.segment().orElseThrow().value()));
                    ids.add(c.segment().orElseThrow().value());
                }
            }
            int g = ns.size();
            double[] n = new double[g];
            double[] s = new double[g];
            boolean[] t = new boolean[g];
            int gt = 0;
            for (int h = 0; h < g; h++) {
                n[h] = ns.get(h)[0];
                s[h] = ns.get(h)[1];
                t[h] = arms.get(h);
                gt += t[h] ? 1 : 0;
            }
            int gc = g - gt;
            String[] strata = strataColumn.isPresent() ? labels.toArray(new String[0]) : null;
            if (gt == 0 || gc == 0) {
                continue;
            }
            clusters = Math.max(clusters, g);
            treatedClusters = Math.max(treatedClusters, gt);
            if (m.role().equals(Effect.ROLE_SUCCESS)) {
                outcomes = outcomes(m, strataColumn, ids, labels, n, s, t, control, treatment);
            }
            Effect old = effects.get(i);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("metric", m.label());
            row.put("clusters", g);
            double alpha = spec.alpha();
            long seed = spec.seed();
            Estimate est;
            String method;
            java.util.function.Predicate<boolean[]> accept = rerandomization.flatMap(x -> x.predicate(ids)).orElse(null);
            String riName = accept == null ? "ri" : "rerandomized_ri";
            boolean usesRi = gt == 1 || gc == 1 || g < SMALL;
            if (rerandomization.isPresent() && usesRi && accept == null) {
                restrictedAll = false;
                plainMetrics.add(m.label());
            }
            if (gt == 1 || gc == 1) {
                oneTreated = true;
                ClusterRandomizationInference.Result ri = ClusterRandomizationInference.test(n, s, t, strata, accept,
                        alpha, RI_BUDGET, seed);
                method = (accept == null ? "randomization_inference" : "randomization_inference_under_rerandomization")
                        + "_over_" + unitName;
                est = new Estimate(ri.estimate(), Double.NaN, Double.NaN, ri.ciLow(), ri.ciHigh(), ri.pValue(), method);
                putRi(row, ri, rerandomization, ids);
                smallest = min(smallest, ri.smallestP());
            } else {
                CoefficientTable cr2 = ClusterRobustOls.fit(TreatmentBlocks.of(n, s, t)).cr2();
                Estimate c = cr2.estimate(1, alpha);
                row.put("cr2_se", c.se());
                row.put("cr2_df", c.df());
                row.put("cr2_p_value", c.pValue());
                if (g >= SMALL) {
                    method = "cr2_satterthwaite_over_" + unitName;
                    est = new Estimate(c.estimate(), c.se(), c.df(), c.ciLow(), c.ciHigh(), c.pValue(), method);
                } else {
                    WildClusterBootstrap.Result wcr = WildClusterBootstrap.test(TreatmentBlocks.of(n, s, t), 1, 0, alpha,
                            WildClusterBootstrap.Weights.WEBB, DRAWS, seed);
                    ClusterRandomizationInference.Result ri = ClusterRandomizationInference.test(n, s, t, strata, accept,
                            alpha, RI_BUDGET, seed);
                    row.put("wcr_p_value", wcr.pValue());
                    row.put("wcr_ci_low", wcr.ciLow());
                    row.put("wcr_ci_high", wcr.ciHigh());
                    row.put("wcr_draws", wcr.draws());
                    row.put("wcr_weights", wcr.weights().wireName());
                    putRi(row, ri, rerandomization, ids);
                    smallest = min(smallest, ri.smallestP());
                    method = "most_conservative_of_cr2_wcr_" + riName + "_over_" + unitName;
                    double p = Math.max(c.pValue(), Math.max(wcr.pValue(), ri.pValue()));
                    double lo = Math.min(c.ciLow(), Math.min(wcr.ciLow(), ri.ciLow()));
                    double hi = Math.max(c.ciHigh(), Math.max(wcr.ciHigh(), ri.ciHigh()));
                    est = new Estimate(c.estimate(), c.se(), c.df(), lo, hi, p, method);
                }
            }
            row.put("method", method);
            row.put("p_value", est.pValue());
            rows.add(row);
            double controlValue = old.control();
            effects.set(i, new Effect(old.metric(), old.kind(), old.role(), old.segment(), controlValue, old.treatment(),
                    est.estimate(), est.se(), est.df(), est.ciLow(), est.ciHigh(), est.pValue(),
                    controlValue == 0 ? Double.NaN : est.estimate() / Math.abs(controlValue), old.nControl(),
                    old.nTreatment(), est.method()));
        }
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        String inference;
        String why;
        boolean restricted = rerandomization.isPresent() && restrictedAll;
        if (oneTreated) {
            inference = restricted ? "randomization_inference_under_rerandomization" : "randomization_inference";
            why = "one cluster in an arm: a clustered standard error is meaningless (its residual is fitted exactly), so "
                    + "only randomization inference is reported";
        } else if (clusters < SMALL) {
            inference = restricted ? "most_conservative_of_cr2_wcr_rerandomized_ri" : "most_conservative_of_cr2_wcr_ri";
            why = "fewer than " + SMALL + " clusters: CR2 with Satterthwaite df, the restricted wild cluster bootstrap "
                    + "(Webb weights, " + DRAWS + " draws) and randomization inference can disagree, and the effect "
                    + "reports the most conservative (largest p-value, hull of the intervals)";
        } else {
            inference = "cr2_satterthwaite";
            why = SMALL + " or more clusters: CR2 (Bell-McCaffrey) with Satterthwaite df is reliable";
        }
        notes.add("cluster_rct: mean and proportion metrics estimated as y ~ 1 + T over rows from per-" + unitName
                + " sums, inference " + inference + " (" + why + "); randomization inference re-draws the assignment "
                + strataColumn.map(sc -> "within the strata of " + sc + " (" + new java.util.TreeSet<>(strataOf.values())
                .size() + " strata; treated clusters per stratum as observed)").orElse("unstratified (the spec declares "
                + "no strata)") + ", seed " + spec.seed() + "; ratio, quantile, economics and "
                + "CUPED metrics stay on the delta method over " + unitName + " units");
        boolean riReported = oneTreated || clusters < SMALL;
        if (rerandomization.isPresent() && riReported) {
            why += restricted ? "; randomization inference re-draws only assignments the declared re-randomization "
                    + "criterion accepts" : "; randomization inference re-draws plain complete randomizations: "
                    + rerandomization.get().plainBecause().orElse("some metric's clusters are not the clusters with "
                    + "pre-period covariates");
        }
        rerandomization.ifPresent(x -> notes.add(rerandomizationNote(x, restricted, plainMetrics, riReported, unitName)));
        return Optional.of(new Summary(clusters, treatedClusters, clusters - treatedClusters, inference, why, rows,
                oneTreated, smallest, Optional.ofNullable(outcomes)));
    }

    /** Per cluster: its id, stratum, arm, the metric's value (numerator over denominator) and its denominator. */
    private static Map<String, Object> outcomes(MetricPlan m, Optional<String> strataColumn, List<String> ids,
                                                List<String> strata, double[] n, double[] s, boolean[] t, String control,
                                                String treatment) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("metric", m.label());
        out.put("strata_column", strataColumn.orElse(null));
        List<Object> rows = new ArrayList<>();
        for (int h = 0; h < n.length; h++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("cluster", ids.get(h));
            row.put("stratum", strata.get(h));
            row.put("arm", t[h] ? treatment : control);
            row.put("treated", t[h]);
            row.put("outcome", s[h] / n[h]);
            row.put("denominator", n[h]);
            rows.add(row);
        }
        out.put("clusters", rows);
        return out;
    }

    /**
     * Whether a metric gets cluster-level inference: a cluster RCT's decision metric or guardrail of kind mean or
     * proportion without a covariate (such a metric may have a single cluster in an arm: randomization inference only).
     */
    static boolean eligible(ExperimentSpec spec, MetricPlan m) {
        MetricKind kind = m.metric().kind();
        return spec.design() == ExperimentSpec.Design.CLUSTER_RCT
                && (m.role().equals(Effect.ROLE_SUCCESS) || m.role().equals(Effect.ROLE_GUARDRAIL))
                && (kind == MetricKind.MEAN || kind == MetricKind.PROPORTION) && m.covariateIndex().isEmpty();
    }

    private static void putRi(Map<String, Object> row, ClusterRandomizationInference.Result ri,
                              Optional<ClusterRerandomization> rerandomization, List<String> ids) {
        row.put("ri_p_value", ri.pValue());
        row.put("ri_ci_low", ri.ciLow());
        row.put("ri_ci_high", ri.ciHigh());
        row.put("ri_exact", ri.exact());
        row.put("ri_assignments_used", ri.used());
        row.put("ri_smallest_p", ri.smallestP());
        if (rerandomization.isPresent()) {
            row.put("ri_reference", ri.restricted() ? "rerandomization" : "complete_randomization");
            row.put("ri_assignments_examined", ri.attempts());
            if (!ri.restricted()) {
                row.put("ri_plain_because", rerandomization.get().plainBecause().orElse("the metric's clusters are not "
                        + "the clusters with pre-period covariates (" + ids.size() + " clusters with values of the metric)"));
            }
        }
    }

    /** Which randomization inference a declared re-randomization got, and why; CR2 and WCR stay valid but conservative. */
    private static String rerandomizationNote(ClusterRerandomization x, boolean restricted, List<String> plainMetrics,
                                              boolean riReported, String unitName) {
        String reference = "Li, Ding and Rubin 2018, PNAS 115:9157-9162";
        String conservative = "CR2 and the wild cluster bootstrap ignore the re-randomization: they remain valid but "
                + "conservative under it (" + reference + ")";
        if (!riReported) {
            return "rerandomization: declared (" + x.describe() + "); with " + SMALL + " or more " + unitName
                    + " units the effects use CR2 alone, which ignores the re-randomization: valid but conservative "
                    + "under it (" + reference + ")";
        }
        if (restricted) {
            return "rerandomization: randomization inference re-draws only the assignments the declared criterion "
                    + "accepts (" + x.describe() + "; complete randomizations within strata, the rejected ones "
                    + "discarded, the logged assignment among those accepted); " + conservative;
        }
        return "rerandomization: randomization inference re-draws plain complete randomizations"
                + (plainMetrics.isEmpty() ? "" : " for " + String.join(", ", plainMetrics)) + " because "
                + x.plainBecause().orElse("those metrics' " + unitName + " units are not the units with pre-period "
                + "covariates") + "; plain RI ignores the re-randomization and is conservative under it, as are CR2 and "
                + "the wild cluster bootstrap";
    }

    private static double min(double a, double b) {
        return Double.isNaN(a) ? b : Math.min(a, b);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static String describe(Summary s) {
        return String.format(Locale.ROOT, "%d clusters (%d treated, %d control)", s.clusters(), s.treated(), s.control());
    }
}

package dev.verdict.check;

import dev.verdict.spec.Direction;
import dev.verdict.stats.Estimate;
import dev.verdict.stats.SaturationAnalysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The checks a saturation (two-stage) design measures instead of assuming (FRAMEWORK.md section 7, system spillover).
 *
 * <p>{@code spillover}, MEASURED on the decision metric: per saturation level s, the spillover on the untreated
 * (untreated requests of s-clusters minus pure-control clusters, inference across clusters). With {@code m} the
 * decision metric's {@code min_effect} in its own unit (relative thresholds against the pure-control mean):
 * <ul>
 *   <li>FAIL when at some level the spillover is significant (p &lt; alpha), in the harmful direction (against the
 *       metric's declared direction) and at least {@code m} in size: untreated traffic is materially harmed;</li>
 *   <li>WARN when some level's spillover is significant but not a material harm (smaller than {@code m}, or
 *       beneficial: the request-level contrast then understates the effect), or when an interval reaches beyond
 *       {@code +-m} (a material spillover is not ruled out);</li>
 *   <li>PASS when no level is significant and every interval lies within {@code (-m, m)} (without a min_effect: when
 *       no level is significant);</li>
 *   <li>NOT_EVALUATED when no level has two clusters with untreated requests.</li>
 * </ul>
 *
 * <p>{@code interference_gap}: the request-level (direct, within-cluster) estimate minus the cluster-level total
 * effect. WARN when significant (interference: a request RCT would misstate the effect of shipping; the readout's
 * headline is the total effect), PASS when not, NOT_EVALUATED without fully treated or mixed clusters.
 */
public final class SaturationChecks {
    /** Name of the gap check. */
    public static final String GAP = "interference_gap";
    /** Name of the per-cluster level check. */
    public static final String LEVELS = "saturation_levels";

    private SaturationChecks() {
    }

    /**
     * The measured spillover check.
     *
     * @param result      the decision metric's saturation analysis
     * @param direction   the decision metric's declared direction
     * @param materiality the smallest material change in the metric's unit, empty when no min_effect is declared
     * @param alpha       significance level
     */
    public static CheckResult spillover(SaturationAnalysis.Result result, Direction direction, Optional<Double> materiality,
                                        double alpha) {
        CheckResult.Evidence ev = CheckResult.evidenceBuilder().put("design", "saturation")
                .put("measured", true)
                .put("spillover", levels(result.spillover()))
                .put("direct", levels(result.direct()));
        materiality.ifPresent(x -> ev.put("materiality", x));
        result.total().ifPresent(t -> ev.put("total", row(t)));
        result.pooledDirect().ifPresent(t -> ev.put("pooled_direct", row(t)));
        if (result.spillover().isEmpty()) {
            return new CheckResult(SpilloverCheck.NAME, CheckCategory.SPILLOVER, CheckStatus.NOT_EVALUATED,
                    "Spillover not measurable: no saturation level has two clusters with untreated requests.", ev.map());
        }
        double m = materiality.orElse(0.0);
        SaturationAnalysis.LevelEffect harm = null;
        SaturationAnalysis.LevelEffect significant = null;
        SaturationAnalysis.LevelEffect open = null;
        for (SaturationAnalysis.LevelEffect l : result.spillover()) {
            Estimate e = l.estimate();
            boolean sig = e.pValue() < alpha;
            boolean harmful = -direction.sign() * e.estimate() > 0;
            if (sig && harmful && Math.abs(e.estimate()) >= m && harm == null) {
                harm = l;
            } else if (sig && significant == null) {
                significant = l;
            } else if (materiality.isPresent() && (e.ciLow() <= -m || e.ciHigh() >= m) && open == null) {
                open = l;
            }
        }
        if (harm != null) {
            return new CheckResult(SpilloverCheck.NAME, CheckCategory.SPILLOVER, CheckStatus.FAIL,
                    "Spillover measured and material: untreated requests in clusters at saturation "
                            + fmt(harm.saturation()) + " moved " + describe(harm.estimate()) + " against pure-control "
                            + "clusters, a harm at least the min_effect (" + fmt(m) + "); treated traffic hurts "
                            + "untreated traffic through shared state, so any partial rollout harms the rest.", ev.map());
        }
        if (significant != null) {
            boolean harmful = -direction.sign() * significant.estimate().estimate() > 0;
            return new CheckResult(SpilloverCheck.NAME, CheckCategory.SPILLOVER, CheckStatus.WARN,
                    "Spillover measured: untreated requests in clusters at saturation " + fmt(significant.saturation())
                            + " moved " + describe(significant.estimate()) + " against pure-control clusters ("
                            + (harmful ? "a harm smaller than the min_effect " + fmt(m)
                            : "a benefit: a request-level contrast understates the effect") + "); the headline "
                            + "effect is the cluster-level one.", ev.map());
        }
        if (open != null) {
            return new CheckResult(SpilloverCheck.NAME, CheckCategory.SPILLOVER, CheckStatus.WARN,
                    "Spillover not ruled out: at saturation " + fmt(open.saturation()) + " the spillover on untreated "
                            + "requests is " + describe(open.estimate()) + ", whose interval reaches a material size ("
                            + fmt(m) + "); more clusters would settle it.", ev.map());
        }
        return new CheckResult(SpilloverCheck.NAME, CheckCategory.SPILLOVER, CheckStatus.PASS,
                materiality.isPresent()
                        ? "Spillover ruled out: at every saturation level the interval of the spillover on untreated "
                        + "requests lies within +-" + fmt(m) + " (the min_effect)."
                        : "No significant spillover on untreated requests at any saturation level (no min_effect "
                        + "declared, so materiality is not judged).", ev.map());
    }

    /** The request-vs-cluster interference gap. */
    public static CheckResult gap(SaturationAnalysis.Result result, double alpha) {
        CheckResult.Evidence ev = CheckResult.evidenceBuilder();
        result.pooledDirect().ifPresent(t -> ev.put("request_level", row(t)));
        result.total().ifPresent(t -> ev.put("cluster_level", row(t)));
        if (result.gap().isEmpty()) {
            return new CheckResult(GAP, CheckCategory.SPILLOVER, CheckStatus.NOT_EVALUATED,
                    "Interference gap not estimable: it needs two mixed clusters with both arms and two fully treated "
                            + "clusters (declare level 1).", ev.map());
        }
        Estimate g = result.gap().get();
        ev.put("gap", row(g));
        if (g.pValue() < alpha) {
            return new CheckResult(GAP, CheckCategory.SPILLOVER, CheckStatus.WARN,
                    "Interference: the request-level estimate differs from the cluster-level effect of full treatment by "
                            + describe(g) + "; a request RCT would misstate the effect of shipping, and the headline "
                            + "is the cluster-level total effect.", ev.map());
        }
        return new CheckResult(GAP, CheckCategory.SPILLOVER, CheckStatus.PASS,
                "No significant gap between the request-level and the cluster-level estimate (" + describe(g) + ").",
                ev.map());
    }

    /** The per-cluster level check: FAIL names the clusters whose observed treated share is implausible for its level. */
    public static CheckResult levels(List<Map<String, Object>> clusters, List<String> implausible, double threshold) {
        CheckResult.Evidence ev = CheckResult.evidenceBuilder().put("threshold", threshold).put("clusters", clusters)
                .put("implausible", implausible);
        if (!implausible.isEmpty()) {
            return new CheckResult(LEVELS, CheckCategory.ASSIGNMENT_INTEGRITY, CheckStatus.FAIL,
                    "Assignment broken: the observed treated share of cluster(s) " + String.join(", ", implausible)
                            + " is implausible for the nearest declared saturation level (binomial p < " + threshold
                            + "); check the within-cluster assignment or the declared levels.", ev.map());
        }
        return new CheckResult(LEVELS, CheckCategory.ASSIGNMENT_INTEGRITY, CheckStatus.PASS,
                "Every cluster's treated share is plausible for its nearest declared saturation level (" + clusters.size()
                        + " clusters).", ev.map());
    }

    private static List<Map<String, Object>> levels(List<SaturationAnalysis.LevelEffect> list) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SaturationAnalysis.LevelEffect l : list) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("saturation", l.saturation());
            r.putAll(row(l.estimate()));
            r.put("clusters", l.clusters());
            if (l.referenceClusters() > 0) {
                r.put("reference_clusters", l.referenceClusters());
            }
            out.add(r);
        }
        return out;
    }

    static Map<String, Object> row(Estimate e) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("estimate", e.estimate());
        r.put("se", e.se());
        r.put("df", e.df());
        r.put("ci_low", e.ciLow());
        r.put("ci_high", e.ciHigh());
        r.put("p_value", e.pValue());
        r.put("method", e.method());
        return r;
    }

    private static String describe(Estimate e) {
        return String.format(Locale.ROOT, "%s [%s, %s], p = %s", fmt(e.estimate()), fmt(e.ciLow()), fmt(e.ciHigh()),
                String.format(Locale.ROOT, "%.3g", e.pValue()));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}

package dev.verdict.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Direct and spillover effects from a saturation (two-stage) design: clusters are randomized to a treated share
 * ("saturation") among declared levels, some pure control (0), and units within each cluster are randomized at its
 * share (Hudgens and Halloran 2008; Baird, Bohren, McIntosh and Özler 2018). Inference is across clusters, the unit
 * of the first stage: each estimate is a difference of unweighted cluster means with a Welch (or one-sample) t
 * interval over clusters, so requests in one cluster are never treated as independent.
 * <ul>
 *   <li>spillover on the untreated at level s: mean over s-clusters of the untreated mean, minus the same over
 *       pure-control clusters;</li>
 *   <li>direct effect at level s (0 &lt; s &lt; 1): mean over s-clusters of (treated mean - untreated mean), the
 *       within-cluster contrast a request RCT measures;</li>
 *   <li>total effect: mean over fully treated clusters (s = 1) of the treated mean minus the pure-control clusters'
 *       untreated mean: the effect of shipping;</li>
 *   <li>interference gap: the request-level (direct) estimate minus the cluster-level total effect, from disjoint
 *       clusters so their variances add; a significant gap is evidence that the request-level contrast misstates the
 *       effect of shipping.</li>
 * </ul>
 * Hand-written: the estimators are a few lines on per-cluster means, and no JVM library offers them.
 */
public final class SaturationAnalysis {
    private SaturationAnalysis() {
    }

    /**
     * One cluster's arms.
     *
     * @param cluster    the cluster id
     * @param saturation the cluster's assigned treated share (one of the declared levels)
     * @param untreated  moments (dimension 1: the outcome) of its untreated units; count 0 when none
     * @param treated    moments of its treated units; count 0 when none
     */
    public record ClusterArms(String cluster, double saturation, Moments untreated, Moments treated) { }

    /** An effect at one saturation level; {@code clusters} counts the clusters it averages (per side). */
    public record LevelEffect(double saturation, Estimate estimate, int clusters, int referenceClusters) { }

    /**
     * Everything the design identifies.
     *
     * @param spillover     spillover on the untreated, per level above 0 that has untreated units
     * @param direct        direct effect per level strictly between 0 and 1
     * @param total         effect of full treatment, when fully treated clusters exist
     * @param pooledDirect  the direct effect over all mixed clusters (the request-level contrast, cluster-robust)
     * @param gap           pooledDirect minus total, when both exist
     */
    public record Result(List<LevelEffect> spillover, List<LevelEffect> direct, Optional<Estimate> total,
                         Optional<Estimate> pooledDirect, Optional<Estimate> gap) { }

    /** The analysis at level {@code alpha}; needs at least two pure-control clusters. */
    public static Result analyze(List<ClusterArms> clusters, double alpha) {
        TreeMap<Double, List<ClusterArms>> byLevel = new TreeMap<>();
        for (ClusterArms c : clusters) {
            byLevel.computeIfAbsent(c.saturation(), k -> new ArrayList<>()).add(c);
        }
        List<ClusterArms> pure = byLevel.getOrDefault(0.0, List.of());
        if (pure.size() < 2) {
            throw new IllegalArgumentException("a saturation design needs at least 2 pure-control clusters, got " + pure.size());
        }
        double[] pureMeans = pure.stream().mapToDouble(c -> c.untreated().mean(0)).toArray();
        List<LevelEffect> spill = new ArrayList<>();
        List<LevelEffect> direct = new ArrayList<>();
        List<Double> mixedDiffs = new ArrayList<>();
        for (var e : byLevel.entrySet()) {
            double s = e.getKey();
            if (s <= 0) {
                continue;
            }
            double[] untreated = e.getValue().stream().filter(c -> c.untreated().count() > 0)
                    .mapToDouble(c -> c.untreated().mean(0)).toArray();
            if (untreated.length >= 2) {
                spill.add(new LevelEffect(s, welch(untreated, pureMeans, alpha, "saturation_spillover_over_clusters"),
                        untreated.length, pureMeans.length));
            }
            if (s < 1) {
                double[] diffs = e.getValue().stream().filter(c -> c.untreated().count() > 0 && c.treated().count() > 0)
                        .mapToDouble(c -> c.treated().mean(0) - c.untreated().mean(0)).toArray();
                for (double x : diffs) {
                    mixedDiffs.add(x);
                }
                if (diffs.length >= 2) {
                    direct.add(new LevelEffect(s, oneSample(diffs, alpha, "saturation_direct_over_clusters"),
                            diffs.length, 0));
                }
            }
        }
        Optional<Estimate> pooled = mixedDiffs.size() >= 2
                ? Optional.of(oneSample(mixedDiffs.stream().mapToDouble(Double::doubleValue).toArray(), alpha,
                "saturation_direct_over_clusters"))
                : Optional.empty();
        double[] full = byLevel.getOrDefault(1.0, List.of()).stream().filter(c -> c.treated().count() > 0)
                .mapToDouble(c -> c.treated().mean(0)).toArray();
        Optional<Estimate> total = full.length >= 2
                ? Optional.of(welch(full, pureMeans, alpha, "saturation_total_over_clusters"))
                : Optional.empty();
        Optional<Estimate> gap = Optional.empty();
        if (pooled.isPresent() && total.isPresent()) {
            Estimate a = pooled.get();
            Estimate b = total.get();
            double se = Math.sqrt(a.se() * a.se() + b.se() * b.se());
            // Welch-Satterthwaite df for a sum of two independent variance estimates
            double df = Math.pow(a.se() * a.se() + b.se() * b.se(), 2)
                    / (Math.pow(a.se(), 4) / a.df() + Math.pow(b.se(), 4) / b.df());
            gap = Optional.of(Estimate.ofT(a.estimate() - b.estimate(), se, df, alpha, "saturation_gap_request_vs_cluster"));
        }
        return new Result(spill, direct, total, pooled, gap);
    }

    private static Estimate welch(double[] a, double[] b, double alpha, String method) {
        Estimate w = WelchTest.welch(a.length, mean(a), var(a), b.length, mean(b), var(b), alpha);
        return Estimate.ofT(w.estimate(), w.se(), w.df(), alpha, method);
    }

    private static Estimate oneSample(double[] x, double alpha, String method) {
        return Estimate.ofT(mean(x), Math.sqrt(var(x) / x.length), x.length - 1, alpha, method);
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double var(double[] x) {
        double m = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return s / (x.length - 1);
    }
}

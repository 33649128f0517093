package dev.verdict.quasi.propensity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Overlap diagnostics of an estimated propensity score: its distribution in each arm (quantiles and the histogram
 * bins of the overlap plot), and for the ATE and ATT weights the Kish effective sample size per arm and the largest
 * normalised weights.
 *
 * @param treated  propensity distribution among treated rows
 * @param control  propensity distribution among control rows
 * @param binEdges histogram bin edges on [0, 1] ({@code bins + 1} values); bin b is {@code [edge_b, edge_(b+1))},
 *                 the last bin closed
 * @param ate      weight diagnostics of the ATE weights
 * @param att      weight diagnostics of the ATT weights
 */
public record Overlap(Distribution treated, Distribution control, double[] binEdges, WeightDiagnostics ate,
                     WeightDiagnostics att) {

    /** Probabilities at which {@link Distribution#quantiles()} are given. */
    public static final double[] PROBABILITIES = {0, 0.01, 0.05, 0.10, 0.25, 0.5, 0.75, 0.90, 0.95, 0.99, 1};

    /**
     * The propensity in one arm.
     *
     * @param n          rows
     * @param mean       mean propensity
     * @param quantiles  R type-7 quantiles at {@link #PROBABILITIES} (first = min, last = max)
     * @param histogram  counts per bin of {@link Overlap#binEdges()}
     */
    public record Distribution(int n, double mean, double[] quantiles, long[] histogram) { }

    /**
     * One of the largest weights.
     *
     * @param row        row index in the input
     * @param treated    its arm
     * @param propensity its estimated propensity
     * @param weight     its raw weight (1/e, 1/(1-e), or e/(1-e))
     * @param normalized weight / sum of the weights in its arm
     */
    public record ExtremeWeight(int row, boolean treated, double propensity, double weight, double normalized) { }

    /**
     * Weights of one estimand.
     *
     * @param estimand          ATE or ATT
     * @param essTreated        Kish effective size {@code (sum w)^2 / sum w^2} of the treated weights
     * @param essControl        same for the control weights
     * @param largestTreated    the largest normalised treated weights, descending
     * @param largestControl    the largest normalised control weights, descending
     * @param topShareTreated   share of the treated arm's total weight held by {@code largestTreated}
     * @param topShareControl   share of the control arm's total weight held by {@code largestControl}
     */
    public record WeightDiagnostics(Estimand estimand, double essTreated, double essControl,
                                    List<ExtremeWeight> largestTreated, List<ExtremeWeight> largestControl,
                                    double topShareTreated, double topShareControl) { }

    static Overlap of(double[] e, boolean[] t, int bins, int largest) {
        double[] edges = new double[bins + 1];
        for (int b = 0; b <= bins; b++) {
            edges[b] = (double) b / bins;
        }
        return new Overlap(distribution(e, t, true, bins), distribution(e, t, false, bins), edges,
                weights(e, t, Estimand.ATE, largest), weights(e, t, Estimand.ATT, largest));
    }

    private static Distribution distribution(double[] e, boolean[] t, boolean arm, int bins) {
        int n = 0;
        for (boolean b : t) {
            n += b == arm ? 1 : 0;
        }
        double[] v = new double[n];
        long[] hist = new long[bins];
        double sum = 0;
        int at = 0;
        for (int i = 0; i < e.length; i++) {
            if (t[i] == arm) {
                v[at++] = e[i];
                sum += e[i];
                hist[Math.min((int) Math.floor(e[i] * bins), bins - 1)]++;
            }
        }
        Arrays.sort(v);
        double[] q = new double[PROBABILITIES.length];
        for (int j = 0; j < q.length; j++) {
            q[j] = quantile7(v, PROBABILITIES[j]);
        }
        return new Distribution(n, sum / n, q, hist);
    }

    /** R's type-7 quantile of sorted values. */
    static double quantile7(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /** The weight of row i under an estimand. */
    static double weight(double e, boolean treated, Estimand estimand) {
        if (treated) {
            return estimand == Estimand.ATE ? 1 / e : 1;
        }
        return estimand == Estimand.ATE ? 1 / (1 - e) : e / (1 - e);
    }

    private static WeightDiagnostics weights(double[] e, boolean[] t, Estimand estimand, int largest) {
        double[] sum = new double[2];
        double[] sumSq = new double[2];
        for (int i = 0; i < e.length; i++) {
            double w = weight(e[i], t[i], estimand);
            int a = t[i] ? 1 : 0;
            sum[a] += w;
            sumSq[a] += w * w;
        }
        List<List<ExtremeWeight>> top = new ArrayList<>();
        double[] share = new double[2];
        for (int a = 0; a < 2; a++) {
            boolean arm = a == 1;
            List<ExtremeWeight> all = new ArrayList<>();
            for (int i = 0; i < e.length; i++) {
                if (t[i] == arm) {
                    double w = weight(e[i], arm, estimand);
                    all.add(new ExtremeWeight(i, arm, e[i], w, w / sum[a]));
                }
            }
            all.sort(Comparator.comparingDouble(ExtremeWeight::normalized).reversed()
                    .thenComparingInt(ExtremeWeight::row));
            List<ExtremeWeight> keep = List.copyOf(all.subList(0, Math.min(largest, all.size())));
            for (ExtremeWeight x : keep) {
                share[a] += x.normalized();
            }
            top.add(keep);
        }
        return new WeightDiagnostics(estimand, sum[1] * sum[1] / sumSq[1], sum[0] * sum[0] / sumSq[0], top.get(1),
                top.get(0), share[1], share[0]);
    }
}

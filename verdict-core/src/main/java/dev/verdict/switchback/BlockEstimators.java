package dev.verdict.switchback;

import dev.verdict.stats.Estimate;
import dev.verdict.stats.WelchTest;

/**
 * Block-level estimators of a switchback, each a function of the blocks' values and an assignment, so that
 * randomization inference can recompute them under re-drawn schedules in O(blocks).
 */
public final class BlockEstimators {
    private BlockEstimators() {
    }

    /**
     * The pooled ratio contrast {@code sum_T num / sum_T den - sum_C num / sum_C den}: the headline estimate of the
     * delta method over blocks (each block weighted by its rows, or by its denominator for a ratio metric). NaN when an
     * arm has no block.
     */
    public static double pooledDifference(BlockSeries s, boolean[] treated) {
        // branch-free over a random assignment: the control sums are the totals minus the treated ones
        double nt = 0;
        double dt = 0;
        for (int i = 0; i < treated.length; i++) {
            double t = treated[i] ? 1 : 0;
            nt += t * s.num(i);
            dt += t * s.den(i);
        }
        double dc = s.totalDen() - dt;
        return dt > 0 && dc > 0 ? nt / dt - (s.totalNum() - nt) / dc : Double.NaN;
    }

    /** The difference of the arms' averages of block values, every block weighted equally. */
    public static double meanDifference(BlockSeries s, boolean[] treated) {
        double st = 0;
        double kt = 0;
        for (int i = 0; i < treated.length; i++) {
            double t = treated[i] ? 1 : 0;
            st += t * s.y(i);
            kt += t;
        }
        double kc = treated.length - kt;
        return kt > 0 && kc > 0 ? st / kt - (s.totalY() - st) / kc : Double.NaN;
    }

    /**
     * The equal-weight difference in means of block values with Welch's standard error across blocks (never per
     * request), method {@code block_difference_in_means}.
     */
    public static Estimate meanDifferenceEstimate(BlockSeries s, double alpha) {
        double[] y = new double[s.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = s.y(i);
        }
        return welch(y, s.arms(), alpha, "block_difference_in_means");
    }

    /** Welch's contrast of {@code v} between treated and control entries (NaN entries skipped). */
    static Estimate welch(double[] v, boolean[] treated, double alpha, String method) {
        double[] sum = new double[2];
        long[] n = new long[2];
        for (int i = 0; i < v.length; i++) {
            if (Double.isFinite(v[i])) {
                int a = treated[i] ? 1 : 0;
                sum[a] += v[i];
                n[a]++;
            }
        }
        if (n[0] < 2 || n[1] < 2) {
            return new Estimate(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, method);
        }
        double[] mean = {sum[0] / n[0], sum[1] / n[1]};
        double[] ss = new double[2];
        for (int i = 0; i < v.length; i++) {
            if (Double.isFinite(v[i])) {
                int a = treated[i] ? 1 : 0;
                ss[a] += (v[i] - mean[a]) * (v[i] - mean[a]);
            }
        }
        Estimate w = WelchTest.welch(n[1], mean[1], ss[1] / (n[1] - 1), n[0], mean[0], ss[0] / (n[0] - 1), alpha);
        return new Estimate(w.estimate(), w.se(), w.df(), w.ciLow(), w.ciHigh(), w.pValue(), method);
    }

    /**
     * The Horvitz-Thompson estimator of the lag-{@code m} causal effect of Bojinov, Simchi-Levi and Zhao (2023,
     * section 3): over the eligible blocks t (the block and its {@code m} predecessors in its schedule observed),
     * {@code (1 / T_e) sum_t [ y_t 1{W_{t-m..t} = 1} / p1_t - y_t 1{W_{t-m..t} = 0} / p0_t ]} with the design's path
     * probabilities {@code p1}, {@code p0} ({@link ScheduleDesign#pathProbabilities}); {@code T_e} is the number of
     * eligible blocks (the paper's {@code T - m}). NaN when no block is eligible.
     *
     * @param run per block, {@link BlockSeries#runOfKnown()}
     */
    public static double horvitzThompson(BlockSeries s, boolean[] treated, int m, double[] p1, double[] p0, int[] run) {
        double total = 0;
        int eligible = 0;
        int same = 0;
        for (int i = 0; i < treated.length; i++) {
            same = i > 0 && run[i] > 1 && treated[i] == treated[i - 1] ? same + 1 : 1;
            if (run[i] <= m) {
                continue;
            }
            eligible++;
            if (same > m) {
                total += treated[i] ? s.y(i) / p1[i] : -s.y(i) / p0[i];
            }
        }
        return eligible == 0 ? Double.NaN : total / eligible;
    }
}

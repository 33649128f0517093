package dev.verdict.plan;

import dev.verdict.stats.Moments;

import java.util.List;

/**
 * Variance components of an outcome from per-group moments (groups: clusters, users).
 *
 * <p><b>ICC, one-way ANOVA estimator.</b> With {@code k} groups of sizes {@code n_i}, means {@code ybar_i} and
 * variances {@code s_i^2}, {@code N = sum n_i} and grand mean {@code ybar}: {@code MSB = sum n_i (ybar_i - ybar)^2 /
 * (k - 1)}, {@code MSW = sum (n_i - 1) s_i^2 / (N - k)}, {@code n0 = (N - sum n_i^2 / N) / (k - 1)} and
 * {@code ICC = (MSB - MSW) / (MSB + (n0 - 1) MSW)}, truncated at 0 (Donner 1986).
 *
 * @param groups number of groups {@code k}
 * @param n      number of observations {@code N}
 * @param mean   grand mean
 * @param sd     total standard deviation of one observation (sample, {@code N - 1})
 * @param icc    the intraclass correlation, in [0, 1]; NaN with fewer than 2 groups or no within-group replication
 */
public record VarianceComponents(int groups, long n, double mean, double sd, double icc) {

    /** The components of groups given by their moments (dimension 1 or the first coordinate used). */
    public static VarianceComponents of(List<Moments> groups) {
        long n = 0;
        double sum = 0;
        for (Moments m : groups) {
            n += m.count();
            sum += m.sum(0);
        }
        double grand = sum / n;
        double ssb = 0;
        double ssw = 0;
        double sumSq = 0;
        int k = 0;
        for (Moments m : groups) {
            if (m.count() == 0) {
                continue;
            }
            k++;
            double d = m.mean(0) - grand;
            ssb += m.count() * d * d;
            ssw += m.comoment(0, 0);
            sumSq += (double) m.count() * m.count();
        }
        double sd = n > 1 ? Math.sqrt((ssb + ssw) / (n - 1)) : Double.NaN;
        double icc = Double.NaN;
        if (k >= 2 && n > k) {
            double msb = ssb / (k - 1);
            double msw = ssw / (n - k);
            double n0 = (n - sumSq / n) / (k - 1);
            double denom = msb + (n0 - 1) * msw;
            icc = denom > 0 ? Math.max(0, Math.min(1, (msb - msw) / denom)) : 0;
        }
        return new VarianceComponents(k, n, grand, sd, icc);
    }
}

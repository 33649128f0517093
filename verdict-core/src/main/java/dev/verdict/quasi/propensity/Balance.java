package dev.verdict.quasi.propensity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Covariate balance before and after weighting, and the identification check built on it.
 *
 * <p>Standardised mean difference of covariate x: {@code (m_t - m_c) / s}, with {@code m} the weighted arm means
 * ({@code sum w x / sum w}; w = 1 before weighting) and, in the reference's convention, the denominator from
 * <em>unweighted</em> sample variances (divisor n - 1) so that before and after share one scale:
 * {@code s = sqrt((var_t + var_c) / 2)} ({@link Denominator#POOLED}, the default) or {@code s = sd_t}
 * ({@link Denominator#TREATED}, cobalt's ATT convention). Binary covariates use the same formula.
 *
 * <p>The check passes when every {@code |SMD|} after weighting is below the threshold (default 0.1, the common rule
 * of thumb; Austin 2009, Statistics in Medicine 28:3083-3107).
 *
 * @param estimand    whose weights
 * @param denominator the SMD scale
 * @param rows        one row per balance covariate, in input order
 * @param threshold   the |SMD| bound
 * @param maxAbsBefore largest |SMD| before weighting
 * @param maxAbsAfter  largest |SMD| after weighting
 * @param worst        the covariate with the largest |SMD| after weighting
 * @param passed       every |SMD| after weighting is below the threshold
 * @param message      one sentence for the readout
 */
public record Balance(Estimand estimand, Denominator denominator, List<Row> rows, double threshold,
                      double maxAbsBefore, double maxAbsAfter, String worst, boolean passed, String message) {

    /** The SMD denominator. */
    public enum Denominator {
        /** {@code sqrt((var_t + var_c)/2)}, unweighted sample variances. */
        POOLED,
        /** The treated arm's unweighted sample standard deviation. */
        TREATED
    }

    /**
     * One covariate.
     *
     * @param name                covariate name
     * @param meanTreated         unweighted treated mean
     * @param meanControl         unweighted control mean
     * @param weightedMeanTreated weighted treated mean
     * @param weightedMeanControl weighted control mean
     * @param smdBefore           standardised difference before weighting
     * @param smdAfter            standardised difference after weighting
     */
    public record Row(String name, double meanTreated, double meanControl, double weightedMeanTreated,
                      double weightedMeanControl, double smdBefore, double smdAfter) { }

    static Balance of(Covariates x, boolean[] t, double[] e, Estimand estimand, Denominator denominator,
                      double threshold) {
        List<Row> rows = new ArrayList<>();
        double maxBefore = 0;
        double maxAfter = 0;
        String worst = null;
        boolean allFinite = true;
        for (int j = 0; j < x.size(); j++) {
            double[] v = x.columnView(j);
            double[] s = new double[8]; // n1, n0, sum1, sum0, w1, w0, wsum1, wsum0
            for (int i = 0; i < v.length; i++) {
                double w = Overlap.weight(e[i], t[i], estimand);
                int a = t[i] ? 0 : 1;
                s[a] += 1;
                s[2 + a] += v[i];
                s[4 + a] += w;
                s[6 + a] += w * v[i];
            }
            double m1 = s[2] / s[0];
            double m0 = s[3] / s[1];
            double ss1 = 0;
            double ss0 = 0;
            for (int i = 0; i < v.length; i++) {
                if (t[i]) {
                    ss1 += (v[i] - m1) * (v[i] - m1);
                } else {
                    ss0 += (v[i] - m0) * (v[i] - m0);
                }
            }
            double var1 = ss1 / (s[0] - 1);
            double var0 = ss0 / (s[1] - 1);
            double scale = denominator == Denominator.POOLED ? Math.sqrt((var1 + var0) / 2) : Math.sqrt(var1);
            double wm1 = s[6] / s[4];
            double wm0 = s[7] / s[5];
            double before = (m1 - m0) / scale;
            double after = (wm1 - wm0) / scale;
            rows.add(new Row(x.names().get(j), m1, m0, wm1, wm0, before, after));
            allFinite &= Double.isFinite(after);
            maxBefore = Math.max(maxBefore, Math.abs(before));
            if (worst == null || Math.abs(after) > maxAfter) {
                maxAfter = Math.abs(after);
                worst = x.names().get(j);
            }
        }
        boolean passed = allFinite && maxAfter < threshold;
        String message;
        if (!allFinite) {
            message = "balance not assessable: a covariate has zero variance in the SMD denominator";
        } else {
            message = String.format(Locale.ROOT, "%s weights %s: largest |SMD| after weighting %.3f (%s) %s %.3g "
                    + "(%.3f before weighting)", estimand.name(), passed ? "balance the covariates" : "leave imbalance",
                    maxAfter, worst, passed ? "<" : ">=", threshold, maxBefore);
        }
        return new Balance(estimand, denominator, List.copyOf(rows), threshold, maxBefore, maxAfter, worst, passed,
                message);
    }

    /** The row of a covariate. */
    public Row row(String name) {
        for (Row r : rows) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no balance row for '" + name + "'");
    }
}

package dev.verdict.stats;

import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * A point estimate with its standard error, reference degrees of freedom, two-sided interval and p-value.
 *
 * @param estimate the point estimate
 * @param se       its standard error
 * @param df       degrees of freedom of the reference t distribution; infinite for the normal
 * @param ciLow    lower end of the two-sided {@code 1 - alpha} interval
 * @param ciHigh   upper end
 * @param pValue   two-sided p-value against zero
 * @param method   the estimator and variance actually used
 */
public record Estimate(double estimate, double se, double df, double ciLow, double ciHigh, double pValue, String method) {

    /**
     * The interval {@code estimate +/- t_{1-alpha/2, df} se} and the two-sided p-value of {@code estimate / se}
     * against Student's t with {@code df} degrees of freedom (the normal when {@code df} is infinite). NaN
     * interval and p-value when {@code se} is NaN or {@code df} is not positive.
     */
    public static Estimate ofT(double estimate, double se, double df, double alpha, String method) {
        if (!(se >= 0) || !(df > 0) || !Double.isFinite(estimate)) {
            return new Estimate(estimate, se, df, Double.NaN, Double.NaN, Double.NaN, method);
        }
        boolean normal = Double.isInfinite(df) || df > 1e7;
        double crit = normal ? NormalDistribution.of(0, 1).inverseSurvivalProbability(alpha / 2)
                : TDistribution.of(df).inverseSurvivalProbability(alpha / 2);
        double p;
        if (se == 0) {
            p = estimate == 0 ? 1.0 : 0.0;
        } else {
            double t = Math.abs(estimate / se);
            p = 2 * (normal ? NormalDistribution.of(0, 1).survivalProbability(t) : TDistribution.of(df).survivalProbability(t));
        }
        return new Estimate(estimate, se, df, estimate - crit * se, estimate + crit * se, Math.min(1.0, p), method);
    }
}

package dev.verdict.stats;

import org.apache.commons.statistics.distribution.ContinuousDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * A point estimate with its standard error, reference degrees of freedom, two-sided confidence
 * interval and two-sided p-value for the null that the estimand is zero, plus the name of the method
 * that produced it.
 *
 * <p>This is the result shape every estimator in verdict returns. {@link #ofT} fills it from a
 * Student t reference distribution: {@code t = estimate / se}, {@code p = 2 P(T_df > |t|)} and
 * {@code CI = estimate -/+ t_{df, 1 - alpha/2} se}; {@code df = +infinity} means the standard
 * normal. Estimators whose interval is not of that form (for example {@code prop.test}'s continuity
 * correction) use the canonical constructor.
 *
 * @param estimate the point estimate
 * @param se       its standard error; NaN when it cannot be estimated
 * @param df       reference degrees of freedom; {@code Double.POSITIVE_INFINITY} for the normal
 * @param ciLow    lower end of the two-sided confidence interval (NaN when se is NaN)
 * @param ciHigh   upper end of the two-sided confidence interval (NaN when se is NaN)
 * @param pValue   two-sided p-value for estimand = 0 (NaN when se is NaN)
 * @param method   what produced the numbers, in words a statistician recognises (e.g. {@code "welch"})
 */
public record Estimate(double estimate, double se, double df, double ciLow, double ciHigh, double pValue,
                       String method) {

    public Estimate {
        if (method == null || method.isBlank()) {
            throw new IllegalArgumentException("an estimate needs a method name");
        }
    }

    /**
     * An estimate with a t-based two-sided {@code 1 - alpha} interval and p-value.
     *
     * <p>Edge cases: NaN se or NaN df give NaN interval and p-value; se = 0 gives a degenerate interval
     * {@code [estimate, estimate]} and p = 0 (p = NaN when the estimate is also 0).
     *
     * @param estimate the point estimate (finite, or NaN to propagate "not estimable")
     * @param se       standard error, &gt;= 0 or NaN
     * @param df       degrees of freedom &gt; 0, {@code Double.POSITIVE_INFINITY} for the normal, or NaN
     * @param alpha    in (0, 1); 0.05 gives a 95% interval
     * @param method   method name carried into the result
     * @throws IllegalArgumentException if alpha is not in (0, 1), se is negative or df is not positive
     */
    public static Estimate ofT(double estimate, double se, double df, double alpha, String method) {
        Arguments.alpha(alpha);
        if (se < 0 || se == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("standard error must be finite and >= 0 (or NaN), got " + se);
        }
        if (df <= 0) {
            throw new IllegalArgumentException("degrees of freedom must be > 0 (or NaN), got " + df);
        }
        if (Double.isNaN(se) || Double.isNaN(df) || Double.isNaN(estimate)) {
            return new Estimate(estimate, se, df, Double.NaN, Double.NaN, Double.NaN, method);
        }
        ContinuousDistribution ref = reference(df);
        double crit = ref.inverseSurvivalProbability(alpha / 2);
        double p;
        if (se == 0) {
            p = estimate == 0 ? Double.NaN : 0.0;
        } else {
            p = Math.min(1.0, 2 * ref.survivalProbability(Math.abs(estimate / se)));
        }
        return new Estimate(estimate, se, df, estimate - crit * se, estimate + crit * se, p, method);
    }

    /** The test statistic {@code estimate / se} (a t or z value); NaN when se is NaN. */
    public double statistic() {
        return estimate / se;
    }

    /** True when the two-sided p-value is below alpha; false when it is NaN. */
    public boolean significantAt(double alpha) {
        return pValue < Arguments.alpha(alpha);
    }

    /** Student t with df degrees of freedom, or the standard normal when df is infinite. */
    static ContinuousDistribution reference(double df) {
        return df == Double.POSITIVE_INFINITY ? NormalDistribution.of(0, 1) : TDistribution.of(df);
    }
}

package dev.verdict.stats;

/**
 * The comparison of two proportions as R's {@code prop.test(c(x1, x0), c(n1, n0))} reports it, arm 1
 * first.
 *
 * @param p1                  x1 / n1
 * @param p0                  x0 / n0
 * @param difference          p1 - p0
 * @param sePooled            {@code sqrt(p (1 - p) (1/n1 + 1/n0))} with the pooled {@code p = (x1 + x0) / (n1 + n0)}
 * @param zPooled             difference / sePooled (never continuity-corrected; NaN if p is 0 or 1)
 * @param chiSquare           prop.test's Pearson statistic on the 2 x 2 table, with Yates' correction when asked
 *                            ({@code = zPooled^2} without it)
 * @param pValue              prop.test's p-value, {@code P(chi2_1 > chiSquare)}
 * @param continuityCorrection whether Yates' correction was applied
 * @param unpooled            the difference with the unpooled (Wald) SE; its interval is prop.test's
 *                            {@code conf.int}; its p-value is the unpooled Wald z test (with the same
 *                            continuity correction), so interval and p-value agree with each other
 */
public record TwoProportionResult(double p1, double p0, double difference, double sePooled, double zPooled,
                                  double chiSquare, double pValue, boolean continuityCorrection,
                                  Estimate unpooled) {
}

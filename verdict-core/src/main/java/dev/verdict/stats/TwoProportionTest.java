package dev.verdict.stats;

import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * The two-sample test for equality of proportions, arm 1 (treatment) against arm 0 (control), matching
 * R's {@code prop.test(c(x1, x0), c(n1, n0), correct = ...)} for two groups.
 *
 * <p>Pearson's chi-square on the 2 x 2 table of successes and failures with expected counts from the
 * pooled proportion {@code p = (x1 + x0)/(n1 + n0)}: {@code X^2 = sum (|O - E| - c)^2 / E}, where the
 * Yates correction is {@code c = min(0.5, |p1 - p0| / (1/n1 + 1/n0))} when requested and 0 otherwise;
 * p-value from chi-square with 1 df. The interval is prop.test's: {@code (p1 - p0) -/+ (z_{1-alpha/2}
 * se_u + c' (1/n1 + 1/n0))}, {@code se_u = sqrt(p1(1-p1)/n1 + p0(1-p0)/n0)}, with {@code c'} = c
 * (0 without correction), clipped to [-1, 1].
 *
 * <p>Edge cases: pooled p of 0 or 1 (no successes or no failures anywhere) gives NaN statistic and
 * p-value, as in R; both arms at 0 or 1 give a zero unpooled SE.
 */
public final class TwoProportionTest {
    private TwoProportionTest() {
    }

    /**
     * Compares x1/n1 with x0/n0.
     *
     * @throws IllegalArgumentException unless {@code 0 <= x <= n} and {@code n >= 1} in each arm and alpha is in (0, 1)
     */
    public static TwoProportionResult compare(long x1, long n1, long x0, long n0, double alpha,
                                              boolean continuityCorrection) {
        Arguments.atLeast("treatment trials n1", n1, 1);
        Arguments.atLeast("control trials n0", n0, 1);
        if (x1 < 0 || x1 > n1 || x0 < 0 || x0 > n0) {
            throw new IllegalArgumentException("successes must lie in [0, n]: got x1 = " + x1 + " of n1 = " + n1
                    + ", x0 = " + x0 + " of n0 = " + n0);
        }
        Arguments.alpha(alpha);
        double p1 = (double) x1 / n1;
        double p0 = (double) x0 / n0;
        double diff = p1 - p0;
        double inv = 1.0 / n1 + 1.0 / n0;
        double pooled = (double) (x1 + x0) / (n1 + n0);
        double sePooled = Math.sqrt(pooled * (1 - pooled) * inv);
        double yates = continuityCorrection ? Math.min(0.5, Math.abs(diff) / inv) : 0.0;

        double[] observed = {x1, n1 - x1, x0, n0 - x0};
        double[] expected = {n1 * pooled, n1 * (1 - pooled), n0 * pooled, n0 * (1 - pooled)};
        double chi = 0;
        for (int i = 0; i < 4; i++) {
            double d = Math.abs(observed[i] - expected[i]) - yates;
            chi += d * d / expected[i];
        }
        double p = Double.isFinite(chi) ? ChiSquaredDistribution.of(1).survivalProbability(chi) : Double.NaN;

        double seU = Math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0);
        NormalDistribution z = NormalDistribution.of(0, 1);
        double width = z.inverseSurvivalProbability(alpha / 2) * seU + yates * inv;
        double pU;
        if (seU == 0) {
            pU = Math.abs(diff) - yates * inv > 0 ? 0.0 : Double.NaN;
        } else {
            double zu = Math.max(0, Math.abs(diff) - yates * inv) / seU;
            pU = Math.min(1, 2 * z.survivalProbability(zu));
        }
        String method = continuityCorrection ? "two-proportion (unpooled Wald, continuity-corrected)"
                : "two-proportion (unpooled Wald)";
        Estimate unpooled = new Estimate(diff, seU, Double.POSITIVE_INFINITY, Math.max(diff - width, -1),
                Math.min(diff + width, 1), pU, method);
        return new TwoProportionResult(p1, p0, diff, sePooled, diff / sePooled, chi, p, continuityCorrection, unpooled);
    }
}

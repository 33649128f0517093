package dev.verdict.stats;

/**
 * Two-sample t tests for a difference in means, treatment (arm 1) minus control (arm 0), from per-arm
 * count, mean and sample variance: Welch's unequal-variance test and Student's pooled-variance test.
 *
 * <p>Welch: {@code se = sqrt(v1/n1 + v0/n0)} with the Welch-Satterthwaite degrees of freedom
 * {@code df = (v1/n1 + v0/n0)^2 / ((v1/n1)^2/(n1-1) + (v0/n0)^2/(n0-1))}. Student:
 * {@code s^2 = ((n1-1) v1 + (n0-1) v0) / (n1 + n0 - 2)}, {@code se = s sqrt(1/n1 + 1/n0)},
 * {@code df = n1 + n0 - 2}. Both match R's {@code t.test(y1, y0, var.equal = FALSE / TRUE)}.
 * Variances are sample variances (divisor n - 1).
 *
 * <p>Edge cases: each arm needs n &gt;= 2; both variances 0 give se = 0 and (Welch) df NaN, so the
 * interval and p-value are NaN rather than a spurious certainty.
 */
public final class WelchTest {
    private WelchTest() {
    }

    /** Welch's t test of mean1 - mean0; method {@code "welch"}. */
    public static Estimate welch(long n1, double mean1, double var1, long n0, double mean0, double var0, double alpha) {
        check(n1, mean1, var1, n0, mean0, var0);
        double a = var1 / n1;
        double b = var0 / n0;
        double se = Math.sqrt(a + b);
        double df = (a + b) * (a + b) / (a * a / (n1 - 1) + b * b / (n0 - 1));
        return Estimate.ofT(mean1 - mean0, se, df, alpha, "welch");
    }

    /** Student's pooled-variance t test of mean1 - mean0, df n1 + n0 - 2; method {@code "student"}. */
    public static Estimate student(long n1, double mean1, double var1, long n0, double mean0, double var0, double alpha) {
        check(n1, mean1, var1, n0, mean0, var0);
        double df = (double) n1 + n0 - 2;
        double pooled = ((n1 - 1) * var1 + (n0 - 1) * var0) / df;
        double se = Math.sqrt(pooled * (1.0 / n1 + 1.0 / n0));
        return Estimate.ofT(mean1 - mean0, se, se == 0 ? Double.NaN : df, alpha, "student");
    }

    /** Welch's test on variable {@code index} of two arms' moments (treatment minus control). */
    public static Estimate welch(Moments treatment, Moments control, int index, double alpha) {
        return welch(treatment.count(), treatment.mean(index), treatment.variance(index),
                control.count(), control.mean(index), control.variance(index), alpha);
    }

    /** Student's test on variable {@code index} of two arms' moments (treatment minus control). */
    public static Estimate student(Moments treatment, Moments control, int index, double alpha) {
        return student(treatment.count(), treatment.mean(index), treatment.variance(index),
                control.count(), control.mean(index), control.variance(index), alpha);
    }

    private static void check(long n1, double mean1, double var1, long n0, double mean0, double var0) {
        Arguments.atLeast("treatment count n1", n1, 2);
        Arguments.atLeast("control count n0", n0, 2);
        Arguments.finite("treatment mean", mean1);
        Arguments.finite("control mean", mean0);
        Arguments.nonNegative("treatment variance", var1);
        Arguments.nonNegative("control variance", var0);
    }
}

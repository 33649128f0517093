package dev.verdict.stats;

import java.util.OptionalInt;

/**
 * The difference between two arms of a ratio of linear combinations of per-unit sums,
 * {@code R = (a' mean(v)) / (b' mean(v))}, with its variance by the delta method over units of randomization, and
 * optional regression adjustment on a pre-period covariate (CUPED).
 *
 * <p>One estimator serves every moment-based metric: a mean of a request-level outcome under user randomization
 * is {@code sum y / count} per user (Deng, Knoblich and Lu 2018, "Applying the delta method in metric analytics",
 * KDD, doi:10.1145/3219819.3219919); a request-randomized mean is the special case where every unit's count is 1,
 * where the variance reduces exactly to Welch's; ratio metrics (cost per successful request, value per GPU-hour)
 * and net value per request ({@code (value - cost) / count}) are other choices of {@code a} and {@code b}.
 *
 * <p>Per arm with {@code n} units, mean vector {@code mu} and sample covariance {@code S} of the unit vectors,
 * the linearized outcome is {@code L = (a - R b)' v / (b' mu)} with variance {@code (a - R b)' S (a - R b) / (b' mu)^2},
 * and {@code Var(R) = Var(L) / n}. With a covariate {@code x}, the adjusted contrast is
 * {@code (R_1 - theta xbar_1) - (R_0 - theta xbar_0)} with the common slope
 * {@code theta = sum_arms (n-1) Cov(L, x) / sum_arms (n-1) Var(x)} (Deng, Xu, Kohavi and Walker 2013, WSDM,
 * doi:10.1145/2433396.2433413), and per-arm variance {@code (Var(L) - 2 theta Cov(L, x) + theta^2 Var(x)) / n}.
 * Degrees of freedom are Welch–Satterthwaite's on the per-arm variances.
 *
 * <p>Hand-written: no library computes the delta method on streamed moments.
 */
public final class DeltaMethodRatio {
    private DeltaMethodRatio() {
    }

    /**
     * One arm's ratio and its linearized variance.
     *
     * @param value    the ratio {@code a' mu / b' mu}
     * @param variance the variance of the ratio estimate, {@code Var(L) / n} (adjusted when a covariate is used)
     * @param units    units of randomization
     */
    public record ArmRatio(double value, double variance, long units) { }

    /**
     * The contrast treatment minus control.
     *
     * @param treatment the treatment arm's ratio (unadjusted value, adjusted variance)
     * @param control   the control arm's ratio
     * @param estimate  the (adjusted) difference
     * @param theta     the CUPED slope; NaN without covariate
     * @param result    estimate, SE, Welch–Satterthwaite df, interval and p-value
     */
    public record Contrast(ArmRatio treatment, ArmRatio control, double estimate, double theta, Estimate result) { }

    /** The ratio of one arm, without covariate. NaN variance when fewer than 2 units. */
    public static ArmRatio arm(Moments m, double[] a, double[] b) {
        double num = dot(a, m);
        double den = dot(b, m);
        double r = num / den;
        double[] w = weights(a, b, r);
        double var = quad(w, m) / (den * den) / m.count();
        return new ArmRatio(r, m.count() < 2 ? Double.NaN : var, m.count());
    }

    /**
     * The contrast treatment minus control of the ratio, optionally adjusted on the covariate at
     * {@code covariate} in the moment vector.
     *
     * @throws IllegalArgumentException when the covariate is constant within both arms (the adjustment is singular)
     */
    public static Contrast contrast(Moments treatment, Moments control, double[] a, double[] b, OptionalInt covariate,
                                    double alpha, String method) {
        ArmRatio t = arm(treatment, a, b);
        ArmRatio c = arm(control, a, b);
        double estimate = t.value() - c.value();
        double vt = t.variance();
        double vc = c.variance();
        double theta = Double.NaN;
        if (covariate.isPresent()) {
            int x = covariate.getAsInt();
            double[] wt = weights(a, b, t.value());
            double[] wc = weights(a, b, c.value());
            double dt = dot(b, treatment);
            double dc = dot(b, control);
            double covT = cross(wt, x, treatment) / dt;
            double covC = cross(wc, x, control) / dc;
            double sxx = treatment.comoment(x, x) + control.comoment(x, x);
            if (!(sxx > 0)) {
                throw new IllegalArgumentException("covariate is constant within both arms");
            }
            theta = (covT * (treatment.count() - 1) + covC * (control.count() - 1)) / sxx;
            estimate -= theta * (treatment.mean(x) - control.mean(x));
            vt = adjusted(vt * treatment.count(), covT, treatment.variance(x), theta) / treatment.count();
            vc = adjusted(vc * control.count(), covC, control.variance(x), theta) / control.count();
        }
        double se = Math.sqrt(vt + vc);
        double df = welchDf(vt, treatment.count(), vc, control.count());
        return new Contrast(new ArmRatio(t.value(), vt, t.units()), new ArmRatio(c.value(), vc, c.units()), estimate,
                theta, Estimate.ofT(estimate, se, df, alpha, method));
    }

    /** Welch–Satterthwaite degrees of freedom of a sum of two independent variance estimates. */
    public static double welchDf(double v1, long n1, double v0, long n0) {
        double num = (v1 + v0) * (v1 + v0);
        double den = v1 * v1 / (n1 - 1) + v0 * v0 / (n0 - 1);
        return den > 0 ? num / den : Double.POSITIVE_INFINITY;
    }

    private static double adjusted(double varL, double covLx, double varX, double theta) {
        return Math.max(0.0, varL - 2 * theta * covLx + theta * theta * varX);
    }

    private static double[] weights(double[] a, double[] b, double r) {
        double[] w = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            w[i] = a[i] - r * b[i];
        }
        return w;
    }

    private static double dot(double[] a, Moments m) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != 0) {
                s += a[i] * m.mean(i);
            }
        }
        return s;
    }

    private static double quad(double[] w, Moments m) {
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            for (int j = 0; j < w.length; j++) {
                if (w[i] != 0 && w[j] != 0) {
                    s += w[i] * w[j] * m.covariance(i, j);
                }
            }
        }
        return s;
    }

    private static double cross(double[] w, int x, Moments m) {
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            if (w[i] != 0) {
                s += w[i] * m.covariance(i, x);
            }
        }
        return s;
    }
}

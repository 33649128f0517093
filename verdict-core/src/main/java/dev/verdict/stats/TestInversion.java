package dev.verdict.stats;

import java.util.function.DoubleUnaryOperator;

/**
 * One end of a confidence interval by test inversion: starting at the estimate, step outward (doubling) until the
 * p-value of the null {@code beta0} falls below alpha, then bisect between the last accepted and the first rejected
 * value. Used by the randomization-inference and wild-bootstrap intervals. When the p-value is not monotone in beta0
 * this finds a crossing, not necessarily the outermost one. Hand-written: a few lines of bracketing.
 */
final class TestInversion {
    private TestInversion() {
    }

    /**
     * @param pValue the p-value of the null beta0
     * @param est    the point estimate (inside the interval)
     * @param side   -1 for the lower end, +1 for the upper end
     * @param step   the first step outward (&gt; 0)
     * @param scale  the resolution scale: bisection stops at 1e-9 of it
     * @param alpha  the level
     * @return the end, or an infinite value of the side's sign when no rejection is found within 60 doublings
     */
    static double bound(DoubleUnaryOperator pValue, double est, int side, double step, double scale, double alpha) {
        double inside = est;
        double outside = est + side * step;
        int guard = 0;
        while (pValue.applyAsDouble(outside) >= alpha) {
            inside = outside;
            step *= 2;
            outside = est + side * step;
            if (++guard > 60) {
                return side * Double.POSITIVE_INFINITY;
            }
        }
        for (int it = 0; it < 200 && Math.abs(outside - inside) > 1e-9 * scale; it++) {
            double mid = 0.5 * (inside + outside);
            if (pValue.applyAsDouble(mid) >= alpha) {
                inside = mid;
            } else {
                outside = mid;
            }
        }
        return 0.5 * (inside + outside);
    }
}

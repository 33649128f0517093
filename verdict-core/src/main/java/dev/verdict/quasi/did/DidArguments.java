package dev.verdict.quasi.did;

import dev.verdict.stats.Estimate;

import java.math.BigDecimal;
import java.math.MathContext;

/** The validation and formatting helper of the package; each check is written so that NaN fails. */
final class DidArguments {
    private DidArguments() {
    }

    static double level(String what, double v) {
        if (!(v > 0 && v < 1)) {
            throw new IllegalArgumentException(what + " must be in (0, 1), got " + v);
        }
        return v;
    }

    /** A number for explanation text: six significant digits, no trailing zeros ({@code -40}, {@code -27.3491}). */
    static String format(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        if (v == 0) {
            return "0";
        }
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** An estimate without a standard error: NaN SE, df, interval and p, the reason in the method name. */
    static Estimate pointOnly(double estimate, String method, String reason) {
        return new Estimate(estimate, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                method + "; standard error not available: " + reason);
    }
}

package dev.verdict.quasi.rd;

/**
 * The one validation helper of the RD package: each check is written so that NaN fails, and each message names the
 * input, the value that arrived and what to do instead.
 */
final class RdArguments {
    private RdArguments() {
    }

    static double positive(String what, double v) {
        if (!(v > 0 && v < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(what + " must be finite and > 0, got " + v);
        }
        return v;
    }

    static double finite(String what, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be finite, got " + v);
        }
        return v;
    }

    static int inRange(String what, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    static double level(double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("confidence level must be in (0, 1) (0.95 for a 95% interval), got "
                    + level);
        }
        return level;
    }

    static void sameLength(String what, double[] a, double[] x) {
        if (a == null) {
            throw new IllegalArgumentException(what + " is missing: pass one value per observation");
        }
        if (a.length != x.length) {
            throw new IllegalArgumentException(what + " has " + a.length + " values but the running variable has "
                    + x.length + "; pass one value per observation");
        }
    }
}

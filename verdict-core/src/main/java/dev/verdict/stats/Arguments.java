package dev.verdict.stats;

/**
 * The one validation helper of the statistics package: each check is written so that NaN fails, and
 * each message says what was expected and what arrived.
 */
final class Arguments {
    private Arguments() {
    }

    /** A significance level strictly between 0 and 1. */
    static double alpha(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        return alpha;
    }

    /** A finite value. */
    static double finite(String what, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be finite, got " + v);
        }
        return v;
    }

    /** A finite value that is zero or more. */
    static double nonNegative(String what, double v) {
        if (!(v >= 0 && v < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(what + " must be finite and >= 0, got " + v);
        }
        return v;
    }

    /** A count of at least {@code min}. */
    static long atLeast(String what, long v, long min) {
        if (v < min) {
            throw new IllegalArgumentException(what + " must be >= " + min + ", got " + v);
        }
        return v;
    }

    /** A probability in [0, 1]. */
    static double probability(String what, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(what + " must be a probability in [0, 1], got " + p);
        }
        return p;
    }
}

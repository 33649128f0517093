package dev.verdict.quasi.propensity;

/**
 * The one validation helper of the propensity package: each check is written so that NaN fails, and each
 * message names the input, the value that arrived and what would fix it.
 */
final class Arguments {
    private Arguments() {
    }

    static double openUnit(String what, double v, String fix) {
        if (!(v > 0 && v < 1)) {
            throw new IllegalArgumentException(what + " must be strictly between 0 and 1, got " + v + "; " + fix);
        }
        return v;
    }

    static double positive(String what, double v, String fix) {
        if (!(v > 0 && v < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(what + " must be finite and > 0, got " + v + "; " + fix);
        }
        return v;
    }

    static int atLeast(String what, int v, int min, String fix) {
        if (v < min) {
            throw new IllegalArgumentException(what + " must be >= " + min + ", got " + v + "; " + fix);
        }
        return v;
    }

    static void finite(String what, double[] values, String fix) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(what + " must be finite, got " + values[i] + " at row " + i + "; "
                        + fix);
            }
        }
    }

    static void sameLength(String what, int length, int expected) {
        if (length != expected) {
            throw new IllegalArgumentException(what + " has " + length + " rows but the outcome has " + expected
                    + "; pass one value per row");
        }
    }
}

package dev.verdict.quasi.synth;

/**
 * The one validation helper of the synthetic control package: each check is written so that NaN fails, and each
 * message names the input, the value that arrived and the fix.
 */
final class Arguments {
    private Arguments() {
    }

    /** A finite value that is zero or more. */
    static double nonNegative(String what, double v) {
        if (!(v >= 0 && v < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(what + " must be finite and >= 0, got " + v);
        }
        return v;
    }

    /** A finite value above zero. */
    static double positive(String what, double v) {
        if (!(v > 0 && v < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(what + " must be finite and > 0, got " + v);
        }
        return v;
    }

    /** A significance level strictly between 0 and 1. */
    static double alpha(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha + "; use e.g. 0.05");
        }
        return alpha;
    }

    /** A rectangular finite matrix with 2 &lt;= n0 &lt; rows and 2 &lt;= t0 &lt; columns. */
    static void panelMatrix(double[][] y, int n0, int t0) {
        if (y == null || y.length == 0 || y[0] == null || y[0].length == 0) {
            throw new IllegalArgumentException("the outcome matrix is empty; pass units as rows and periods as columns");
        }
        int tt = y[0].length;
        for (int i = 0; i < y.length; i++) {
            if (y[i] == null || y[i].length != tt) {
                throw new IllegalArgumentException("outcome row " + i + " has " + (y[i] == null ? 0 : y[i].length)
                        + " periods, expected " + tt + "; the panel must be balanced");
            }
            for (int t = 0; t < tt; t++) {
                if (!Double.isFinite(y[i][t])) {
                    throw new IllegalArgumentException("outcome of row " + i + " in period " + t + " is " + y[i][t]
                            + "; every unit needs a finite outcome in every period");
                }
            }
        }
        if (n0 < 2 || n0 >= y.length) {
            throw new IllegalArgumentException("the number of control units must be in [2, " + (y.length - 1)
                    + "], got " + n0 + "; the treated units are the last rows of the matrix");
        }
        if (t0 < 2 || t0 >= tt) {
            throw new IllegalArgumentException("the number of pre-treatment periods must be in [2, " + (tt - 1)
                    + "], got " + t0 + "; at least two pre-periods and one treated period are needed");
        }
    }
}

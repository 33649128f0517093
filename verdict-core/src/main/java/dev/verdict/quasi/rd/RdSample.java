package dev.verdict.quasi.rd;

/**
 * A running variable with its outcome (and optional treatment take-up), rows with a missing value removed, sorted
 * by x and split at the cutoff: below ({@code x < c}) and at-or-above ({@code x >= c}), as rdrobust splits.
 */
final class RdSample {
    final double c;
    final Side left;
    final Side right;
    /** All kept x, sorted ascending. */
    final double[] xSorted;
    final boolean fuzzy;

    /** One side of the cutoff: x ascending with y (and t) aligned. */
    static final class Side {
        final double[] x;
        final double[] y;
        final double[] t;

        Side(double[] x, double[] y, double[] t) {
            this.x = x;
            this.y = y;
            this.t = t;
        }

        int n() {
            return x.length;
        }

        /** Number of distinct x values. */
        int distinct() {
            int m = x.length == 0 ? 0 : 1;
            for (int i = 1; i < x.length; i++) {
                if (x[i] != x[i - 1]) {
                    m++;
                }
            }
            return m;
        }
    }

    private RdSample(double c, Side left, Side right, double[] xSorted, boolean fuzzy) {
        this.c = c;
        this.left = left;
        this.right = right;
        this.xSorted = xSorted;
        this.fuzzy = fuzzy;
    }

    int n() {
        return left.n() + right.n();
    }

    /**
     * Prepares a sample. Rows whose x, y or t is NaN are dropped (as rdrobust drops incomplete rows); infinite values
     * are refused.
     *
     * @param y     outcome
     * @param t     treatment take-up for fuzzy RD, or null
     * @param x     running variable
     * @param c     cutoff, strictly between the smallest and the largest kept x
     * @param yName the outcome's name for messages
     */
    static RdSample of(double[] y, double[] t, double[] x, double c, String yName) {
        if (x == null || x.length == 0) {
            throw new IllegalArgumentException("running variable is empty: pass one value per observation");
        }
        RdArguments.sameLength(yName, y, x);
        if (t != null) {
            RdArguments.sameLength("treatment take-up", t, x);
        }
        RdArguments.finite("cutoff", c);
        int n = x.length;
        int[] keep = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(x[i]) || Double.isNaN(y[i]) || (t != null && Double.isNaN(t[i]))) {
                continue;
            }
            if (Double.isInfinite(x[i])) {
                throw new IllegalArgumentException("running variable row " + i + " is " + x[i]
                        + "; remove the row or give it a finite value");
            }
            if (Double.isInfinite(y[i])) {
                throw new IllegalArgumentException(yName + " row " + i + " is " + y[i]
                        + "; remove the row or give it a finite value");
            }
            if (t != null && Double.isInfinite(t[i])) {
                throw new IllegalArgumentException("treatment take-up row " + i + " is " + t[i]
                        + "; remove the row or give it a finite value");
            }
            keep[k++] = i;
        }
        int[] order = SortIndex.byValue(x, java.util.Arrays.copyOf(keep, k));
        double[] xs = new double[k];
        for (int i = 0; i < k; i++) {
            xs[i] = x[order[i]];
        }
        if (k == 0 || !(c > xs[0] && c < xs[k - 1])) {
            throw new IllegalArgumentException("cutoff " + c + " must lie strictly inside the range of the running "
                    + "variable" + (k == 0 ? " (no complete rows)" : " [" + xs[0] + ", " + xs[k - 1] + "]")
                    + "; check the cutoff and the units of x");
        }
        int nl = 0;
        while (nl < k && xs[nl] < c) {
            nl++;
        }
        Side left = side(order, 0, nl, x, y, t);
        Side right = side(order, nl, k, x, y, t);
        return new RdSample(c, left, right, xs, t != null);
    }

    private static Side side(int[] order, int from, int to, double[] x, double[] y, double[] t) {
        int m = to - from;
        double[] sx = new double[m];
        double[] sy = new double[m];
        double[] st = t == null ? null : new double[m];
        for (int i = 0; i < m; i++) {
            int r = order[from + i];
            sx[i] = x[r];
            sy[i] = y[r];
            if (st != null) {
                st[i] = t[r];
            }
        }
        return new Side(sx, sy, st);
    }

    /** The same rows without the take-up column (bandwidths chosen as for a sharp design). */
    RdSample sharpView() {
        return new RdSample(c, new Side(left.x, left.y, null), new Side(right.x, right.y, null), xSorted, false);
    }

    /** The sample with another outcome column (same rows must be complete; used for covariates). */
    static RdSample withOutcome(double[] y, double[] x, double c, String name) {
        return of(y, null, x, c, name);
    }

    /** Sample standard deviation (n - 1) of the sorted x, by two passes. */
    double sdX() {
        int n = xSorted.length;
        double mean = 0;
        for (double v : xSorted) {
            mean += v;
        }
        mean /= n;
        double ss = 0;
        for (double v : xSorted) {
            double d = v - mean;
            ss += d * d;
        }
        return Math.sqrt(ss / (n - 1));
    }

    /** Quantile of type 2 in R's numbering (inverse of the empirical CDF, averaging at jumps). */
    double quantileType2(double prob) {
        int n = xSorted.length;
        double fuzz = 4 * Math.ulp(1.0);
        double nppm = n * prob;
        int j = (int) Math.floor(nppm + fuzz);
        boolean above = nppm > j;
        double lo = xSorted[Math.max(0, Math.min(n - 1, j - 1))];
        double hi = xSorted[Math.max(0, Math.min(n - 1, j))];
        return above ? hi : (lo + hi) / 2;
    }
}

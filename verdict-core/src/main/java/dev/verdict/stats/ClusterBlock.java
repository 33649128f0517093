package dev.verdict.stats;

import java.util.Arrays;
import java.util.Collection;

/**
 * The sufficient statistic of one cluster for least squares: row count {@code n}, the cross-product
 * matrix {@code X'X} (k x k), {@code X'y} (k) and {@code y'y}, where the rows of {@code X} are the
 * cluster's regressor vectors (including the constant, when the model has one).
 *
 * <p>OLS with classical, CR1 and CR2 variances needs nothing else (see {@link ClusterRobustOls}).
 * Blocks of disjoint row sets combine by {@link #merge}, which adds the sums: exact in exact arithmetic,
 * hence associative and commutative; in floating point the order changes only rounding. These are raw
 * (uncentred) sums: cheap and mergeable, but they lose about {@code log10(mean^2 / variance)} digits when
 * a regressor's mean is large relative to its spread; centre such columns (e.g. subtract a known
 * reference value) before accumulating.
 *
 * <p>Instances are immutable. {@link Accumulator} builds one row at a time without allocating.
 */
public final class ClusterBlock {
    private final long n;
    private final int k;
    private final double[] xtx; // packed upper triangle, row-major: (0,0),(0,1)..(0,k-1),(1,1)..
    private final double[] xty;
    private final double yty;

    private ClusterBlock(long n, int k, double[] xtx, double[] xty, double yty) {
        this.n = n;
        this.k = k;
        this.xtx = xtx;
        this.xty = xty;
        this.yty = yty;
    }

    /**
     * A block from its sums.
     *
     * @param n   rows in the cluster, &gt;= 0
     * @param xtx symmetric k x k matrix {@code sum x x'} (only the upper triangle is read; it must be finite)
     * @param xty {@code sum x y}, length k
     * @param yty {@code sum y^2}, finite and &gt;= 0
     * @throws IllegalArgumentException on a shape mismatch, a negative count or a non-finite sum
     */
    public static ClusterBlock of(long n, double[][] xtx, double[] xty, double yty) {
        int k = xty.length;
        if (k < 1 || xtx.length != k) {
            throw new IllegalArgumentException("X'X must be " + k + " x " + k + " to match X'y of length " + k
                    + ", got " + xtx.length + " rows");
        }
        Arguments.atLeast("cluster row count", n, 0);
        double[] packed = new double[k * (k + 1) / 2];
        int p = 0;
        for (int i = 0; i < k; i++) {
            if (xtx[i].length != k) {
                throw new IllegalArgumentException("X'X row " + i + " has " + xtx[i].length + " entries, expected " + k);
            }
            for (int j = i; j < k; j++) {
                packed[p++] = Arguments.finite("X'X[" + i + "][" + j + "]", xtx[i][j]);
            }
            Arguments.finite("X'y[" + i + "]", xty[i]);
        }
        Arguments.nonNegative("y'y", yty);
        return new ClusterBlock(n, k, packed, xty.clone(), yty);
    }

    /** The block of the given rows: {@code x[i]} is row i's regressor vector, {@code y[i]} its outcome. */
    public static ClusterBlock ofRows(double[][] x, double[] y) {
        if (x.length == 0 || x.length != y.length) {
            throw new IllegalArgumentException("need at least one row and as many outcomes as rows, got "
                    + x.length + " rows and " + y.length + " outcomes");
        }
        Accumulator a = new Accumulator(x[0].length);
        for (int i = 0; i < x.length; i++) {
            a.add(x[i], y[i]);
        }
        return a.toBlock();
    }

    /** The sum of the given blocks (at least one, all of the same k), merged in iteration order. */
    public static ClusterBlock sum(Collection<ClusterBlock> blocks) {
        ClusterBlock out = null;
        for (ClusterBlock b : blocks) {
            out = out == null ? b : out.merge(b);
        }
        if (out == null) {
            throw new IllegalArgumentException("cannot sum an empty collection of cluster blocks");
        }
        return out;
    }

    /** The block of the union of this block's rows and the other's (disjoint) rows. */
    public ClusterBlock merge(ClusterBlock o) {
        if (o.k != k) {
            throw new IllegalArgumentException("cannot merge cluster blocks with k = " + k + " and k = " + o.k);
        }
        double[] a = new double[xtx.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = xtx[i] + o.xtx[i];
        }
        double[] b = new double[k];
        for (int i = 0; i < k; i++) {
            b[i] = xty[i] + o.xty[i];
        }
        return new ClusterBlock(n + o.n, k, a, b, yty + o.yty);
    }

    public long n() {
        return n;
    }

    public int k() {
        return k;
    }

    /** {@code (X'X)[i][j]}. */
    public double xtx(int i, int j) {
        return i <= j ? xtx[index(k, i, j)] : xtx[index(k, j, i)];
    }

    /** A fresh copy of {@code X'X} as a full k x k array. */
    public double[][] xtxMatrix() {
        double[][] m = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                m[i][j] = xtx[index(k, i, j)];
                m[j][i] = m[i][j];
            }
        }
        return m;
    }

    /** {@code (X'y)[i]}. */
    public double xty(int i) {
        return xty[i];
    }

    /** A fresh copy of {@code X'y}. */
    public double[] xtyVector() {
        return xty.clone();
    }

    public double yty() {
        return yty;
    }

    static int index(int k, int i, int j) {
        return i * k - i * (i - 1) / 2 + (j - i);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterBlock b && b.n == n && b.k == k && Arrays.equals(b.xtx, xtx)
                && Arrays.equals(b.xty, xty) && Double.compare(b.yty, yty) == 0;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(n) * 31 + Arrays.hashCode(xty);
    }

    @Override
    public String toString() {
        return "ClusterBlock[n=" + n + ", k=" + k + ", X'y=" + Arrays.toString(xty) + "]";
    }

    /**
     * Row-at-a-time accumulation of one cluster's block: {@link #add} updates the upper triangle of
     * {@code X'X}, {@code X'y} and {@code y'y} in place, allocating nothing. Not thread-safe; use one per
     * thread and {@link ClusterBlock#merge} the results.
     */
    public static final class Accumulator {
        private final int k;
        private final double[] xtx;
        private final double[] xty;
        private double yty;
        private long n;

        /** An empty accumulator for rows of {@code k} regressors (k &gt;= 1). */
        public Accumulator(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("need at least one regressor, got k = " + k);
            }
            this.k = k;
            this.xtx = new double[k * (k + 1) / 2];
            this.xty = new double[k];
        }

        /**
         * Adds one row. No validation beyond the length: a NaN or infinite value poisons the block, and
         * {@link #toBlock()} reports it.
         */
        public void add(double[] x, double y) {
            if (x.length != k) {
                throw new IllegalArgumentException("row has " + x.length + " regressors, expected " + k);
            }
            int p = 0;
            for (int i = 0; i < k; i++) {
                double xi = x[i];
                for (int j = i; j < k; j++) {
                    xtx[p++] += xi * x[j];
                }
                xty[i] += xi * y;
            }
            yty += y * y;
            n++;
        }

        /**
         * Adds rows {@code from} (inclusive) to {@code to} (exclusive) of a column-major batch:
         * {@code columns[j][r]} is regressor j of row r, {@code y[r]} its outcome. Equivalent to
         * calling {@link #add} per row, but each sum runs down contiguous columns with four independent
         * partial sums, which the JIT keeps in registers (so results can differ from {@link #add} in the
         * last bits).
         */
        public void addColumns(double[][] columns, double[] y, int from, int to) {
            if (columns.length != k) {
                throw new IllegalArgumentException("batch has " + columns.length + " columns, expected " + k);
            }
            if (from < 0 || to > y.length || from > to) {
                throw new IllegalArgumentException("row range [" + from + ", " + to + ") outside [0, " + y.length + ")");
            }
            int p = 0;
            for (int i = 0; i < k; i++) {
                double[] ci = columns[i];
                for (int j = i; j < k; j++) {
                    xtx[p++] += dot(ci, columns[j], from, to);
                }
                xty[i] += dot(ci, y, from, to);
            }
            yty += dot(y, y, from, to);
            n += to - from;
        }

        private static double dot(double[] a, double[] b, int from, int to) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int r = from;
            for (; r + 3 < to; r += 4) {
                s0 += a[r] * b[r];
                s1 += a[r + 1] * b[r + 1];
                s2 += a[r + 2] * b[r + 2];
                s3 += a[r + 3] * b[r + 3];
            }
            for (; r < to; r++) {
                s0 += a[r] * b[r];
            }
            return (s0 + s1) + (s2 + s3);
        }

        /** Rows added so far. */
        public long count() {
            return n;
        }

        /** Forgets every row, to reuse the accumulator for the next cluster. */
        public void reset() {
            Arrays.fill(xtx, 0);
            Arrays.fill(xty, 0);
            yty = 0;
            n = 0;
        }

        /**
         * The block of the rows added so far.
         *
         * @throws IllegalArgumentException if a NaN or infinite value reached the sums
         */
        public ClusterBlock toBlock() {
            for (double v : xtx) {
                Arguments.finite("X'X entry (a regressor value is NaN or infinite)", v);
            }
            for (double v : xty) {
                Arguments.finite("X'y entry (a regressor or outcome is NaN or infinite)", v);
            }
            Arguments.finite("y'y (an outcome is NaN or infinite)", yty);
            return new ClusterBlock(n, k, xtx.clone(), xty.clone(), yty);
        }
    }
}

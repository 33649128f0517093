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
        /** Rows per tile in {@link #addColumns}: 9 columns of 256 doubles stay in the L1 cache. */
        private static final int TILE = 256;
        private final int k;
        private final double[] xtx;
        private final double[] xty;
        private final double[] scratch;
        private final double[][] col;
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
            this.scratch = new double[(k + 1) * (k + 1)];
            this.col = new double[k + 1][];
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
         * {@code columns[j][r]} is regressor j of row r, {@code y[r]} its outcome. Equivalent to calling
         * {@link #add} per row (up to the order of rounding), but faster: the sums run down contiguous
         * columns in tiles of {@value #TILE} rows, eight sums at a time held in registers (a 2 x 4 tile
         * of the cross-product matrix); k = 8 has a fully unrolled kernel (three passes over the rows with
         * 17, 13 and 15 register accumulators). Hand-written because EJML has no mergeable in-place
         * rank-n update of a packed triangle, and this loop is the hot path of the regression reduction.
         */
        public void addColumns(double[][] columns, double[] y, int from, int to) {
            if (columns.length != k) {
                throw new IllegalArgumentException("batch has " + columns.length + " columns, expected " + k);
            }
            if (from < 0 || to > y.length || from > to) {
                throw new IllegalArgumentException("row range [" + from + ", " + to + ") outside [0, " + y.length + ")");
            }
            for (double[] c : columns) {
                if (c.length < to) {
                    throw new IllegalArgumentException("a column has " + c.length + " rows, the batch needs " + to);
                }
            }
            if (k == 8) {
                addColumns8(columns, y, from, to);
            } else {
                addColumnsTiled(columns, y, from, to);
            }
            n += to - from;
        }

        private void addColumnsTiled(double[][] columns, double[] y, int from, int to) {
            int m = k + 1;
            double[][] col = this.col;
            System.arraycopy(columns, 0, col, 0, k);
            col[k] = y;
            double[] full = scratch;
            for (int t = from; t < to; t += TILE) {
                int te = Math.min(to, t + TILE);
                for (int i = 0; i < m; i += 2) {
                    if (i + 1 == m) {
                        double[] a = col[i];
                        double s = 0;
                        for (int r = t; r < te; r++) {
                            s += a[r] * a[r];
                        }
                        full[i * m + i] += s;
                        break;
                    }
                    double[] a0 = col[i];
                    double[] a1 = col[i + 1];
                    int j = i;
                    for (; j + 3 < m; j += 4) {
                        double[] b0 = col[j];
                        double[] b1 = col[j + 1];
                        double[] b2 = col[j + 2];
                        double[] b3 = col[j + 3];
                        double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
                        for (int r = t; r < te; r++) {
                            double x0 = a0[r], x1 = a1[r], y0 = b0[r], y1 = b1[r], y2 = b2[r], y3 = b3[r];
                            s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
                            s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
                        }
                        int p0 = i * m + j;
                        int p1 = p0 + m;
                        full[p0] += s00; full[p0 + 1] += s01; full[p0 + 2] += s02; full[p0 + 3] += s03;
                        full[p1] += s10; full[p1 + 1] += s11; full[p1 + 2] += s12; full[p1 + 3] += s13;
                    }
                    for (; j < m; j++) {
                        double[] bj = col[j];
                        double s0 = 0, s1 = 0;
                        for (int r = t; r < te; r++) {
                            double v = bj[r];
                            s0 += a0[r] * v;
                            s1 += a1[r] * v;
                        }
                        full[i * m + j] += s0;
                        full[(i + 1) * m + j] += s1;
                    }
                }
            }
            // fold the upper triangle of the (k+1) x (k+1) scratch into the sums (the (i+1, i) entries of
            // each 2 x 4 tile are below the diagonal and ignored)
            int p = 0;
            for (int i = 0; i < k; i++) {
                for (int j = i; j < k; j++) {
                    xtx[p++] += full[i * m + j];
                }
                xty[i] += full[i * m + k];
            }
            yty += full[k * m + k];
            Arrays.fill(full, 0);
            col[k] = null;
        }

        private void addColumns8(double[][] c, double[] y, int from, int to) {
            double[] c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3], c4 = c[4], c5 = c[5], c6 = c[6], c7 = c[7];
            double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s04 = 0, s05 = 0, s06 = 0, s07 = 0, s08 = 0;
            double s11 = 0, s12 = 0, s13 = 0, s14 = 0, s15 = 0, s16 = 0, s17 = 0, s18 = 0;
            for (int r = from; r < to; r++) {
                double x0 = c0[r], x1 = c1[r], x2 = c2[r], x3 = c3[r], x4 = c4[r], x5 = c5[r], x6 = c6[r], x7 = c7[r];
                double yr = y[r];
                s00 += x0 * x0; s01 += x0 * x1; s02 += x0 * x2; s03 += x0 * x3;
                s04 += x0 * x4; s05 += x0 * x5; s06 += x0 * x6; s07 += x0 * x7; s08 += x0 * yr;
                s11 += x1 * x1; s12 += x1 * x2; s13 += x1 * x3; s14 += x1 * x4;
                s15 += x1 * x5; s16 += x1 * x6; s17 += x1 * x7; s18 += x1 * yr;
            }
            double s22 = 0, s23 = 0, s24 = 0, s25 = 0, s26 = 0, s27 = 0, s28 = 0;
            double s33 = 0, s34 = 0, s35 = 0, s36 = 0, s37 = 0, s38 = 0;
            for (int r = from; r < to; r++) {
                double x2 = c2[r], x3 = c3[r], x4 = c4[r], x5 = c5[r], x6 = c6[r], x7 = c7[r];
                double yr = y[r];
                s22 += x2 * x2; s23 += x2 * x3; s24 += x2 * x4; s25 += x2 * x5; s26 += x2 * x6; s27 += x2 * x7; s28 += x2 * yr;
                s33 += x3 * x3; s34 += x3 * x4; s35 += x3 * x5; s36 += x3 * x6; s37 += x3 * x7; s38 += x3 * yr;
            }
            double s44 = 0, s45 = 0, s46 = 0, s47 = 0, s48 = 0, s55 = 0, s56 = 0, s57 = 0, s58 = 0;
            double s66 = 0, s67 = 0, s68 = 0, s77 = 0, s78 = 0, s88 = 0;
            for (int r = from; r < to; r++) {
                double x4 = c4[r], x5 = c5[r], x6 = c6[r], x7 = c7[r];
                double yr = y[r];
                s44 += x4 * x4; s45 += x4 * x5; s46 += x4 * x6; s47 += x4 * x7; s48 += x4 * yr;
                s55 += x5 * x5; s56 += x5 * x6; s57 += x5 * x7; s58 += x5 * yr;
                s66 += x6 * x6; s67 += x6 * x7; s68 += x6 * yr;
                s77 += x7 * x7; s78 += x7 * yr;
                s88 += yr * yr;
            }
            double[] a = xtx;
            a[0] += s00; a[1] += s01; a[2] += s02; a[3] += s03; a[4] += s04; a[5] += s05; a[6] += s06; a[7] += s07;
            a[8] += s11; a[9] += s12; a[10] += s13; a[11] += s14; a[12] += s15; a[13] += s16; a[14] += s17;
            a[15] += s22; a[16] += s23; a[17] += s24; a[18] += s25; a[19] += s26; a[20] += s27;
            a[21] += s33; a[22] += s34; a[23] += s35; a[24] += s36; a[25] += s37;
            a[26] += s44; a[27] += s45; a[28] += s46; a[29] += s47;
            a[30] += s55; a[31] += s56; a[32] += s57;
            a[33] += s66; a[34] += s67;
            a[35] += s77;
            double[] b = xty;
            b[0] += s08; b[1] += s18; b[2] += s28; b[3] += s38; b[4] += s48; b[5] += s58; b[6] += s68; b[7] += s78;
            yty += s88;
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

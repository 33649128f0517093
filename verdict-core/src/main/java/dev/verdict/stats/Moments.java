package dev.verdict.stats;

import java.util.Arrays;

/**
 * Mergeable first and second moments of a vector-valued variable: count, means and the
 * co-moment matrix {@code C = sum (x - mean)(x - mean)'}.
 *
 * <p>This is the sufficient statistic every moment-based estimator in verdict runs on. Partial
 * moments from different partitions, files or engines combine exactly with {@link #merge}, using
 * the pairwise update of Chan, Golub and LeVeque (1979), so the order of combination does not
 * change the result beyond rounding. Accumulating centred co-moments (Welford) instead of raw sums
 * of squares keeps precision when the mean is large relative to the spread (latency in ms).
 *
 * <p>Instances are immutable; {@link Accumulator} builds one row at a time.
 */
public final class Moments {
    private final long n;
    private final double[] mean;
    private final double[] comoment; // row-major d x d, symmetric

    private Moments(long n, double[] mean, double[] comoment) {
        this.n = n;
        this.mean = mean;
        this.comoment = comoment;
    }

    /** Empty moments of dimension {@code d}. */
    public static Moments empty(int d) {
        return new Moments(0, new double[d], new double[d * d]);
    }

    /**
     * Moments from a count, a mean vector and a sample covariance matrix (divisor n - 1), the form in
     * which SQL engines return {@code avg} and {@code covar_samp}. With n &lt; 2 the covariance is ignored.
     */
    public static Moments ofCovariance(long n, double[] mean, double[][] covariance) {
        int d = mean.length;
        double[] c = new double[d * d];
        if (n >= 2) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    c[i * d + j] = covariance[i][j] * (n - 1);
                }
            }
        }
        return new Moments(n, mean.clone(), c);
    }

    /**
     * Moments from a count, a mean vector and the centred co-moment matrix {@code sum (x - mean)(x - mean)'}, the form
     * in which engines that return (shifted) sums and sums of products are converted. The matrix is symmetrized.
     */
    public static Moments ofComoments(long n, double[] mean, double[][] comoment) {
        int d = mean.length;
        double[] c = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                c[i * d + j] = i <= j ? comoment[i][j] : comoment[j][i];
            }
        }
        return new Moments(n, mean.clone(), c);
    }

    /**
     * Moments from sums taken about shifts {@code c}: {@code n}, {@code S_i = sum (x_i - c_i)} and
     * {@code P_ij = sum (x_i - c_i)(x_j - c_j)} (only {@code i <= j} is read), the form in which engines return exact
     * sums. Means are {@code c_i + S_i / n}, co-moments {@code P_ij - S_i S_j / n}.
     */
    public static Moments ofShiftedSums(long n, double[] shift, double[] sums, double[][] products) {
        int d = shift.length;
        double[] mean = new double[d];
        double[][] co = new double[d][d];
        for (int i = 0; i < d; i++) {
            mean[i] = n > 0 ? shift[i] + sums[i] / n : 0.0;
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                co[i][j] = n > 0 ? products[i][j] - sums[i] * sums[j] / n : 0.0;
                co[j][i] = co[i][j];
            }
        }
        return ofComoments(n, mean, co);
    }

    /** Moments of the rows given, computed in one pass. */
    public static Moments of(double[]... rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("Moments.of needs at least one row to know the dimension");
        }
        Accumulator a = new Accumulator(rows[0].length);
        for (double[] r : rows) {
            a.add(r);
        }
        return a.toMoments();
    }

    public long count() {
        return n;
    }

    public int dimension() {
        return mean.length;
    }

    public double mean(int i) {
        return mean[i];
    }

    public double[] means() {
        return mean.clone();
    }

    /** Sample covariance (divisor n - 1); NaN when n &lt; 2. */
    public double covariance(int i, int j) {
        return n < 2 ? Double.NaN : comoment[i * mean.length + j] / (n - 1);
    }

    /** Sample variance (divisor n - 1); NaN when n &lt; 2. */
    public double variance(int i) {
        return covariance(i, i);
    }

    /** Centred co-moment {@code sum (x_i - mean_i)(x_j - mean_j)}. */
    public double comoment(int i, int j) {
        return comoment[i * mean.length + j];
    }

    /** Sum of variable {@code i}, {@code n * mean_i}. */
    public double sum(int i) {
        return n * mean[i];
    }

    /** True when every mean and co-moment is finite (no NaN or infinite input reached the sums). */
    public boolean isFinite() {
        for (double v : mean) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        for (double v : comoment) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** Exact combination of two disjoint samples (Chan, Golub, LeVeque 1979). */
    public Moments merge(Moments o) {
        if (o.mean.length != mean.length) {
            throw new IllegalArgumentException("cannot merge moments of dimension " + mean.length + " and " + o.mean.length);
        }
        if (o.n == 0) {
            return this;
        }
        if (n == 0) {
            return o;
        }
        int d = mean.length;
        long nn = n + o.n;
        double wa = (double) n / nn;
        double wb = (double) o.n / nn;
        double[] delta = new double[d];
        double[] m = new double[d];
        for (int i = 0; i < d; i++) {
            delta[i] = o.mean[i] - mean[i];
            m[i] = wa * mean[i] + wb * o.mean[i];
        }
        double f = (double) n * o.n / nn;
        double[] c = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                c[i * d + j] = comoment[i * d + j] + o.comoment[i * d + j] + f * delta[i] * delta[j];
            }
        }
        return new Moments(nn, m, c);
    }

    /** The moments of the sub-vector with the given indices, in that order. */
    public Moments select(int... indices) {
        int d = mean.length;
        int k = indices.length;
        double[] m = new double[k];
        double[] c = new double[k * k];
        for (int a = 0; a < k; a++) {
            m[a] = mean[indices[a]];
            for (int b = 0; b < k; b++) {
                c[a * k + b] = comoment[indices[a] * d + indices[b]];
            }
        }
        return new Moments(n, m, c);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Moments other && other.n == n && Arrays.equals(other.mean, mean)
                && Arrays.equals(other.comoment, comoment);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(n) * 31 + Arrays.hashCode(mean);
    }

    @Override
    public String toString() {
        return "Moments[n=" + n + ", mean=" + Arrays.toString(mean) + "]";
    }

    /** Welford accumulation of rows into {@link Moments}; not thread-safe. */
    public static final class Accumulator {
        private final int d;
        private long n;
        private final double[] mean;
        private final double[] c;
        private final double[] delta;

        public Accumulator(int d) {
            this.d = d;
            this.mean = new double[d];
            this.c = new double[d * d];
            this.delta = new double[d];
        }

        public void add(double... x) {
            if (x.length != d) {
                throw new IllegalArgumentException("row has " + x.length + " values, expected " + d);
            }
            n++;
            for (int i = 0; i < d; i++) {
                delta[i] = x[i] - mean[i];
                mean[i] += delta[i] / n;
            }
            for (int i = 0; i < d; i++) {
                double after = x[i] - mean[i];
                for (int j = 0; j < d; j++) {
                    c[i * d + j] += delta[j] * after;
                }
            }
        }

        public Moments toMoments() {
            // symmetrize: the Welford update is asymmetric in rounding
            double[] s = c.clone();
            for (int i = 0; i < d; i++) {
                for (int j = i + 1; j < d; j++) {
                    double v = 0.5 * (s[i * d + j] + s[j * d + i]);
                    s[i * d + j] = v;
                    s[j * d + i] = v;
                }
            }
            return new Moments(n, mean.clone(), s);
        }
    }
}

package dev.verdict.quasi.synth;

/**
 * Frank-Wolfe with exact line search for ridge-penalized least squares on the unit simplex, the weight solver of
 * synthdid 0.0.9 ({@code sc.weight.fw} and {@code fw.step} in its {@code R/solver.R}), reproduced step for step so that
 * weights and estimates agree with the R package.
 *
 * <p>Given a matrix whose first {@code k} columns form {@code A} (rows x k) and whose last column is {@code b}, each
 * column optionally centred over the rows (the "intercept"), it minimizes
 * <pre>
 *   f(x) = zeta^2 |x|^2 + |A x - b|^2 / rows   over   x &gt;= 0, sum x = 1.
 * </pre>
 * One step: half gradient {@code g = A'(Ax - b) + eta x} with {@code eta = rows zeta^2}; vertex
 * {@code i = argmin g} (the first on ties); direction {@code d = e_i - x}; exact line search
 * {@code s = -g'd / (|A d|^2 + eta |d|^2)} clipped to [0, 1]. The loop stops after {@code maxIter} steps or, from the
 * second step on, as soon as one step lowers f by no more than {@code minDecrease^2}.
 *
 * <p>Hand-written because the point is to reproduce synthdid's iterates, stopping rule and all: a general QP solver
 * (Hipparchus, ojAlgo) would return the exact optimum, which is not what synthdid reports after its early stop, and
 * which differs from it by more than the 1e-8 the reference tests demand.
 *
 * <p>Cost: synthdid recomputes {@code A x} and {@code A'(Ax - b)} at every step, O(rows k). Here the Gram matrix
 * {@code A'A} and {@code A'b} are formed once (O(rows k^2)) and {@code A x} and {@code A'A x} follow each step by the
 * same convex combination as x, O(rows + k) per step, recomputed exactly every {@link #REFRESH} steps. In exact
 * arithmetic the iterates are synthdid's; in floating point they differ by rounding only (the reference tests show
 * agreement to about 1e-14 after 10,000 steps on the Proposition 99 panel).
 */
final class FrankWolfe {
    /** Steps between exact recomputations of {@code A x}. */
    static final int REFRESH = 64;

    /**
     * A solution.
     *
     * @param weights    the simplex weights x
     * @param iterations steps taken
     * @param objective  f(x) after the last step (NaN when no step was taken)
     */
    record Solution(double[] weights, int iterations, double objective) { }

    private FrankWolfe() {
    }

    /**
     * Runs the solver.
     *
     * @param columns     the k + 1 columns of the matrix (each of length rows): k columns of A, then b; not modified
     * @param zeta        ridge parameter zeta (the penalty is zeta^2 |x|^2)
     * @param intercept   centre every column over the rows first
     * @param init        starting weights (length k, on the simplex); null for uniform 1/k
     * @param minDecrease stop once a step lowers f by no more than minDecrease^2
     * @param maxIter     most steps
     */
    static Solution solve(double[][] columns, double zeta, boolean intercept, double[] init, double minDecrease,
                          int maxIter) {
        int k = columns.length - 1;
        int rows = columns[0].length;
        double[][] a = new double[k][];
        for (int j = 0; j < k; j++) {
            a[j] = intercept ? centred(columns[j]) : columns[j];
        }
        double[] b = intercept ? centred(columns[k]) : columns[k];
        double[] x = new double[k];
        if (init == null) {
            java.util.Arrays.fill(x, 1.0 / k);
        } else {
            System.arraycopy(init, 0, x, 0, k);
        }
        double zeta2 = zeta * zeta;
        double eta = rows * zeta2;
        double threshold = minDecrease * minDecrease;
        // Gram matrix G = A'A and c = A'b: the half gradient A'(Ax - b) + eta x is G x - c + eta x
        double[][] gram = new double[k][k];
        double[] atb = new double[k];
        for (int j = 0; j < k; j++) {
            for (int l = 0; l <= j; l++) {
                double g = dot(a[j], a[l], rows);
                gram[j][l] = g;
                gram[l][j] = g;
            }
            atb[j] = dot(a[j], b, rows);
        }
        double[] ax = product(a, x, rows);
        double[] gx = gramProduct(gram, x);
        double[] grad = new double[k];
        double[] dErr = new double[rows];
        double[] dir = new double[k];
        double previous = Double.NaN;
        double current = Double.NaN;
        int t = 0;
        while (t < maxIter && (t < 2 || previous - current > threshold)) {
            t++;
            int i = 0;
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                double g = gx[j] - atb[j] + eta * x[j];
                grad[j] = g;
                if (g < best || j == 0) {
                    best = g;
                    i = j;
                }
            }
            double s = step(a[i], ax, x, grad, i, eta, dErr, dir, rows);
            if (s > 0 && t % REFRESH != 0) {
                // x moved to x + s (e_i - x): A x and G x follow by the same convex combination
                System.arraycopy(dErr, 0, ax, 0, rows);
                double[] gi = gram[i];
                for (int j = 0; j < k; j++) {
                    gx[j] += s * (gi[j] - gx[j]);
                }
            } else {
                ax = product(a, x, rows);
                gx = gramProduct(gram, x);
            }
            double ss = 0;
            for (int r = 0; r < rows; r++) {
                double e = ax[r] - b[r];
                ss += e * e;
            }
            double xx = 0;
            for (int j = 0; j < k; j++) {
                xx += x[j] * x[j];
            }
            previous = current;
            current = zeta2 * xx + ss / rows;
        }
        return new Solution(x, t, current);
    }

    private static double dot(double[] u, double[] v, int n) {
        double s = 0;
        for (int r = 0; r < n; r++) {
            s += u[r] * v[r];
        }
        return s;
    }

    private static double[] gramProduct(double[][] gram, double[] x) {
        int k = x.length;
        double[] out = new double[k];
        for (int l = 0; l < k; l++) {
            double w = x[l];
            if (w == 0) {
                continue;
            }
            double[] col = gram[l];
            for (int j = 0; j < k; j++) {
                out[j] += w * col[j];
            }
        }
        return out;
    }

    /**
     * One exact line-search step towards vertex i, updating x in place; on a move, leaves the new A x in dErr.
     * Returns the step length, 0 when x is already the vertex e_i or the line search does not move.
     */
    private static double step(double[] ai, double[] ax, double[] x, double[] grad, int i, double eta, double[] dErr,
                               double[] dir, int rows) {
        int k = x.length;
        for (int j = 0; j < k; j++) {
            dir[j] = -x[j];
        }
        dir[i] = 1 - x[i];
        double gd = 0;
        double dd = 0;
        boolean zero = true;
        for (int j = 0; j < k; j++) {
            double d = dir[j];
            zero &= d == 0;
            gd += grad[j] * d;
            dd += d * d;
        }
        if (zero) {
            return 0;
        }
        double ee = 0;
        for (int r = 0; r < rows; r++) {
            double e = ai[r] - ax[r];
            dErr[r] = e;
            ee += e * e;
        }
        double denominator = ee + eta * dd;
        double s = -gd / denominator;
        // synthdid clips with min(1, max(0, step)); a zero denominator (A d = 0 and no penalty) means no move
        s = denominator > 0 ? Math.min(1, Math.max(0, s)) : 0;
        if (s == 0) {
            return 0;
        }
        for (int j = 0; j < k; j++) {
            x[j] = x[j] + s * dir[j];
        }
        for (int r = 0; r < rows; r++) {
            dErr[r] = ax[r] + s * dErr[r];
        }
        return s;
    }

    /** A x accumulated column by column (the order of a BLAS matrix-vector product), skipping zero weights. */
    static double[] product(double[][] a, double[] x, int rows) {
        double[] out = new double[rows];
        for (int j = 0; j < a.length; j++) {
            double w = x[j];
            if (w == 0) {
                continue;
            }
            double[] col = a[j];
            for (int r = 0; r < rows; r++) {
                out[r] += w * col[r];
            }
        }
        return out;
    }

    private static double[] centred(double[] v) {
        double mean = 0;
        for (double e : v) {
            mean += e;
        }
        mean /= v.length;
        double[] out = new double[v.length];
        for (int r = 0; r < v.length; r++) {
            out[r] = v[r] - mean;
        }
        return out;
    }

    /** synthdid's {@code sparsify_function}: zero every weight at most a quarter of the largest, then renormalize. */
    static double[] sparsify(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double e : v) {
            max = Math.max(max, e);
        }
        double[] out = new double[v.length];
        double sum = 0;
        for (int j = 0; j < v.length; j++) {
            out[j] = v[j] <= max / 4 ? 0 : v[j];
            sum += out[j];
        }
        for (int j = 0; j < v.length; j++) {
            out[j] /= sum;
        }
        return out;
    }
}

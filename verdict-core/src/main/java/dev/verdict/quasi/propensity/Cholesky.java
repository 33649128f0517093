package dev.verdict.quasi.propensity;

/**
 * Cholesky factorisation of a small symmetric positive definite matrix after symmetric equilibration
 * ({@code A = S H S}, {@code S = diag(1/sqrt(H_jj))}), so that the pivot test and the accuracy of the solve depend on
 * the conditioning of the correlation-scaled matrix, not on the units of the covariates. Hand-written because it runs
 * once per Newton step inside every bootstrap replicate on a k x k matrix (k about 10), where allocation-free code
 * matters and a general library adds nothing.
 */
final class Cholesky {
    private final int k;
    private final double[] l;
    private final double[] s;
    private final double[] tmp;

    Cholesky(int k) {
        this.k = k;
        this.l = new double[k * k];
        this.s = new double[k];
        this.tmp = new double[k];
    }

    /**
     * Factors the symmetric matrix whose upper triangle is in {@code h} (row-major k x k).
     *
     * @return -1 on success, else the index of the first column whose scaled pivot is below {@code minPivot}
     */
    int factor(double[] h, double minPivot) {
        for (int j = 0; j < k; j++) {
            double d = h[j * k + j];
            if (!(d > 0) || !Double.isFinite(d)) {
                return j;
            }
            s[j] = 1 / Math.sqrt(d);
        }
        for (int j = 0; j < k; j++) {
            double sum = h[j * k + j] * s[j] * s[j];
            for (int m = 0; m < j; m++) {
                sum -= l[j * k + m] * l[j * k + m];
            }
            if (!(sum > minPivot)) {
                return j;
            }
            double ljj = Math.sqrt(sum);
            l[j * k + j] = ljj;
            for (int i = j + 1; i < k; i++) {
                double v = h[j * k + i] * s[i] * s[j];
                for (int m = 0; m < j; m++) {
                    v -= l[i * k + m] * l[j * k + m];
                }
                l[i * k + j] = v / ljj;
            }
        }
        return -1;
    }

    /** Solves {@code H out = rhs} with the last successful factorisation. */
    void solve(double[] rhs, double[] out) {
        for (int i = 0; i < k; i++) {
            double v = rhs[i] * s[i];
            for (int m = 0; m < i; m++) {
                v -= l[i * k + m] * tmp[m];
            }
            tmp[i] = v / l[i * k + i];
        }
        for (int i = k - 1; i >= 0; i--) {
            double v = tmp[i];
            for (int m = i + 1; m < k; m++) {
                v -= l[m * k + i] * out[m];
            }
            out[i] = v / l[i * k + i];
        }
        for (int i = 0; i < k; i++) {
            out[i] *= s[i];
        }
    }

    /** {@code H^-1} as a k x k array, from the last successful factorisation. */
    double[][] inverse() {
        double[][] inv = new double[k][k];
        double[] e = new double[k];
        double[] col = new double[k];
        for (int j = 0; j < k; j++) {
            java.util.Arrays.fill(e, 0);
            e[j] = 1;
            solve(e, col);
            for (int i = 0; i < k; i++) {
                inv[i][j] = col[i];
            }
        }
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) {
                double avg = 0.5 * (inv[i][j] + inv[j][i]);
                inv[i][j] = avg;
                inv[j][i] = avg;
            }
        }
        return inv;
    }
}

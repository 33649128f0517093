package dev.verdict.quasi.propensity;

import java.util.ArrayList;
import java.util.List;

/**
 * The design matrix of a logit or linear model held row-major ({@code x[i*k + j]}), column 0 the intercept and the
 * covariates centred at their column means, so that the normal equations stay well conditioned when a covariate's
 * mean is large next to its spread (earnings in dollars). The fit is affine-equivariant: slopes are unchanged and
 * the intercept is mapped back with {@link #toOriginal}.
 */
final class LogitDesign {
    /** Pivot below which the equilibrated X'X is judged singular (collinear covariates). */
    static final double COLLINEAR_PIVOT = 1e-10;

    final int n;
    final int k;
    final double[] x;
    final double[] means;
    /** Column standard deviations (1 for the intercept), to compare coefficients across covariates. */
    final double[] sd;
    /** Largest |x_ij| per column, to bound |x_i'd| cheaply. */
    final double[] maxAbs;
    final List<String> names;

    private LogitDesign(int n, int k, double[] x, double[] means, double[] sd, double[] maxAbs, List<String> names) {
        this.n = n;
        this.k = k;
        this.x = x;
        this.means = means;
        this.sd = sd;
        this.maxAbs = maxAbs;
        this.names = names;
    }

    /**
     * The centred design of {@code 1 + covariates}.
     *
     * @param role words for messages, e.g. "propensity model"
     * @throws IllegalArgumentException if a covariate is constant or collinear with the intercept and earlier ones
     */
    static LogitDesign of(Covariates c, String role) {
        int n = c.rows();
        int k = c.size() + 1;
        double[] x = new double[n * k];
        double[] means = new double[k];
        double[] sd = new double[k];
        double[] maxAbs = new double[k];
        sd[0] = 1;
        maxAbs[0] = 1;
        List<String> names = new ArrayList<>();
        names.add("(Intercept)");
        names.addAll(c.names());
        for (int j = 1; j < k; j++) {
            double[] col = c.columnView(j - 1);
            double m = 0;
            for (double v : col) {
                m += v;
            }
            m /= n;
            double ss = 0;
            for (double v : col) {
                ss += (v - m) * (v - m);
            }
            means[j] = m;
            sd[j] = Math.sqrt(ss / Math.max(n - 1, 1));
        }
        for (int i = 0; i < n; i++) {
            int off = i * k;
            x[off] = 1;
            for (int j = 1; j < k; j++) {
                double v = c.columnView(j - 1)[i] - means[j];
                x[off + j] = v;
                maxAbs[j] = Math.max(maxAbs[j], Math.abs(v));
            }
        }
        LogitDesign d = new LogitDesign(n, k, x, means, sd, maxAbs, List.copyOf(names));
        d.requireFullRank(role);
        return d;
    }

    private void requireFullRank(String role) {
        double[] h = new double[k * k];
        for (int i = 0; i < n; i++) {
            int off = i * k;
            for (int a = 0; a < k; a++) {
                double xa = x[off + a];
                for (int b = a; b < k; b++) {
                    h[a * k + b] += xa * x[off + b];
                }
            }
        }
        for (int j = 1; j < k; j++) {
            if (!(h[j * k + j] > 0)) {
                throw new IllegalArgumentException("covariate '" + names.get(j) + "' of the " + role
                        + " is constant; drop it (the intercept already carries its effect)");
            }
        }
        Cholesky chol = new Cholesky(k);
        int bad = chol.factor(h, COLLINEAR_PIVOT);
        if (bad >= 0) {
            throw new IllegalArgumentException("covariate '" + names.get(bad) + "' of the " + role
                    + " is collinear with the intercept and the covariates before it " + names.subList(0, bad)
                    + "; drop it (for a factor, leave out one reference level)");
        }
    }

    /**
     * Coefficients on the original (uncentred) covariates: slopes unchanged, intercept
     * {@code b0 - sum_j mean_j b_j}.
     */
    double[] toOriginal(double[] b) {
        double[] out = b.clone();
        for (int j = 1; j < k; j++) {
            out[0] -= means[j] * b[j];
        }
        return out;
    }

    /** The covariance of {@link #toOriginal} coefficients, {@code T V T'} with {@code T = [1, -mean'; 0, I]}. */
    double[][] covarianceToOriginal(double[][] v) {
        double[] a = new double[k];
        a[0] = 1;
        for (int j = 1; j < k; j++) {
            a[j] = -means[j];
        }
        double[][] out = new double[k][k];
        for (int r = 0; r < k; r++) {
            for (int s = 0; s < k; s++) {
                out[r][s] = v[r][s];
            }
        }
        // row/column 0 become a'V and a'Va
        double[] av = new double[k];
        for (int s = 0; s < k; s++) {
            double t = 0;
            for (int r = 0; r < k; r++) {
                t += a[r] * v[r][s];
            }
            av[s] = t;
        }
        double ava = 0;
        for (int s = 0; s < k; s++) {
            ava += av[s] * a[s];
        }
        for (int s = 1; s < k; s++) {
            out[0][s] = av[s];
            out[s][0] = av[s];
        }
        out[0][0] = ava;
        return out;
    }
}

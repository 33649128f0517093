package dev.verdict.quasi.propensity;

import java.util.Arrays;

/**
 * The point estimators of the package on rows with frequency weights {@code f} (1 in the analysis, bootstrap counts
 * in a replicate), restricted to rows whose propensity lies in {@code [lower, upper]} (trimming; the untrimmed
 * analysis passes [0, 1]). Notation: {@code w1 = t/e}, {@code w0 = (1-t)/(1-e)} (ATE weights),
 * {@code v0 = (1-t) e/(1-e)} (ATT control weights), N the kept (weighted) rows.
 * <ul>
 *   <li>Hajek ATE: {@code sum w1 y / sum w1 - sum w0 y / sum w0}.</li>
 *   <li>Horvitz-Thompson ATE: {@code (1/N) sum (w1 y - w0 y)}.</li>
 *   <li>Hajek ATT: {@code mean of y over treated - sum v0 y / sum v0}.</li>
 *   <li>Augmented ATE (normalised AIPW): {@code [mean m1(x) + sum w1 (y - m1) / sum w1] - [mean m0(x) + sum w0
 *       (y - m0) / sum w0]}, with {@code m_a} least squares of y on the outcome covariates within arm a.</li>
 *   <li>Augmented ATT: {@code mean over treated of y - [mean over treated of m0(x) + sum v0 (y - m0) / sum v0]}.</li>
 * </ul>
 * The augmented forms are doubly robust (consistent when either the propensity or the outcome model is right;
 * Robins, Rotnitzky and Zhao 1994, JASA 89:846-866); with normalised weights they stay inside the range of the
 * outcomes, and with an intercept-only outcome model they equal the Hajek estimators exactly.
 */
final class WeightingEstimators {
    static final int ATE_HAJEK = 0;
    static final int ATT_HAJEK = 1;
    static final int ATE_HT = 2;
    static final int ATE_AUGMENTED = 3;
    static final int ATT_AUGMENTED = 4;
    static final int COUNT = 5;

    /** Point estimates and arm means of one evaluation, indexed by the constants above. */
    static final class Point {
        final double[] estimate = new double[COUNT];
        final double[] meanTreated = new double[COUNT];
        final double[] meanControl = new double[COUNT];
        /** Weighted least squares (HC0) standard errors with the propensity treated as known; NaN where undefined. */
        final double[] knownSe = new double[COUNT];
        double kept;
        double keptTreated;
        double keptControl;
    }

    private WeightingEstimators() {
    }

    /**
     * Evaluates the estimators.
     *
     * @param outcome outcome-model design (centred, with intercept), or null to skip the augmented estimators
     * @param ols     work space for the outcome fits (k x k), used only with an outcome design
     */
    static Point evaluate(double[] y, boolean[] t, double[] e, double[] f, double lower, double upper,
                          LogitDesign outcome, OutcomeWork ols, boolean withSe) {
        Point r = new Point();
        int n = y.length;
        double n1 = 0;
        double n0 = 0;
        double sw1 = 0;
        double sw1y = 0;
        double sw0 = 0;
        double sw0y = 0;
        double sv0 = 0;
        double sv0y = 0;
        double sy1 = 0;
        double ht = 0;
        for (int i = 0; i < n; i++) {
            double fi = f == null ? 1 : f[i];
            double ei = e[i];
            if (fi == 0 || ei < lower || ei > upper) {
                continue;
            }
            double yi = y[i];
            if (t[i]) {
                double w = fi / ei;
                n1 += fi;
                sy1 += fi * yi;
                sw1 += w;
                sw1y += w * yi;
                ht += w * yi;
            } else {
                double w = fi / (1 - ei);
                double v = fi * ei / (1 - ei);
                n0 += fi;
                sw0 += w;
                sw0y += w * yi;
                sv0 += v;
                sv0y += v * yi;
                ht -= w * yi;
            }
        }
        r.kept = n1 + n0;
        r.keptTreated = n1;
        r.keptControl = n0;
        Arrays.fill(r.estimate, Double.NaN);
        Arrays.fill(r.knownSe, Double.NaN);
        if (n1 == 0 || n0 == 0) {
            return r;
        }
        set(r, ATE_HAJEK, sw1y / sw1, sw0y / sw0);
        set(r, ATT_HAJEK, sy1 / n1, sv0y / sv0);
        r.estimate[ATE_HT] = ht / (n1 + n0);
        r.meanTreated[ATE_HT] = Double.NaN;
        r.meanControl[ATE_HT] = Double.NaN;
        if (withSe) {
            knownSe(r, y, t, e, f, lower, upper, sw1, sw0, sv0, n1);
        }
        if (outcome != null) {
            augmented(r, y, t, e, f, lower, upper, outcome, ols, sw1, sw0, sv0, n1, n0);
        }
        return r;
    }

    private static void set(Point r, int idx, double m1, double m0) {
        r.meanTreated[idx] = m1;
        r.meanControl[idx] = m0;
        r.estimate[idx] = m1 - m0;
    }

    /**
     * Standard errors of the weighted regression {@code y ~ treat} with weights w and HC0 variance, treating e as
     * known ({@code estimatr::lm_robust(se_type = "HC0")}): {@code sum_arm w^2 (y - mu_arm)^2 / (sum_arm w)^2} summed
     * over arms; for Horvitz-Thompson, {@code sd(z)/sqrt(N)} of its terms {@code z = w1 y - w0 y}.
     */
    private static void knownSe(Point r, double[] y, boolean[] t, double[] e, double[] f, double lower, double upper,
                                double sw1, double sw0, double sv0, double n1) {
        double a1 = 0;
        double a0 = 0;
        double b1 = 0;
        double b0 = 0;
        double zs = 0;
        double zss = 0;
        double nz = 0;
        double mu1 = r.meanTreated[ATE_HAJEK];
        double mu0 = r.meanControl[ATE_HAJEK];
        double tm = r.meanTreated[ATT_HAJEK];
        double cm = r.meanControl[ATT_HAJEK];
        for (int i = 0; i < y.length; i++) {
            double fi = f == null ? 1 : f[i];
            double ei = e[i];
            if (fi == 0 || ei < lower || ei > upper) {
                continue;
            }
            double z;
            if (t[i]) {
                double w = 1 / ei;
                a1 += fi * w * w * (y[i] - mu1) * (y[i] - mu1);
                b1 += fi * (y[i] - tm) * (y[i] - tm);
                z = w * y[i];
            } else {
                double w = 1 / (1 - ei);
                double v = ei / (1 - ei);
                a0 += fi * w * w * (y[i] - mu0) * (y[i] - mu0);
                b0 += fi * v * v * (y[i] - cm) * (y[i] - cm);
                z = -w * y[i];
            }
            zs += fi * z;
            zss += fi * z * z;
            nz += fi;
        }
        r.knownSe[ATE_HAJEK] = Math.sqrt(a1 / (sw1 * sw1) + a0 / (sw0 * sw0));
        r.knownSe[ATT_HAJEK] = Math.sqrt(b1 / (n1 * n1) + b0 / (sv0 * sv0));
        double zm = zs / nz;
        r.knownSe[ATE_HT] = Math.sqrt((zss - nz * zm * zm) / (nz - 1) / nz);
    }

    /** Work arrays of the two per-arm outcome regressions. */
    static final class OutcomeWork {
        final double[] h1;
        final double[] g1;
        final double[] h0;
        final double[] g0;
        final double[] b1;
        final double[] b0;
        final Cholesky chol;
        boolean singularTreated;
        boolean singularControl;

        OutcomeWork(int k) {
            h1 = new double[k * k];
            g1 = new double[k];
            h0 = new double[k * k];
            g0 = new double[k];
            b1 = new double[k];
            b0 = new double[k];
            chol = new Cholesky(k);
        }
    }

    private static void augmented(Point r, double[] y, boolean[] t, double[] e, double[] f, double lower,
                                  double upper, LogitDesign d, OutcomeWork o, double sw1, double sw0, double sv0,
                                  double n1, double n0) {
        int k = d.k;
        double[] x = d.x;
        Arrays.fill(o.h1, 0);
        Arrays.fill(o.h0, 0);
        Arrays.fill(o.g1, 0);
        Arrays.fill(o.g0, 0);
        for (int i = 0, off = 0; i < y.length; i++, off += k) {
            double fi = f == null ? 1 : f[i];
            if (fi == 0 || e[i] < lower || e[i] > upper) {
                continue;
            }
            double[] h = t[i] ? o.h1 : o.h0;
            double[] g = t[i] ? o.g1 : o.g0;
            for (int a = 0; a < k; a++) {
                double fx = fi * x[off + a];
                g[a] += fx * y[i];
                int row = a * k;
                for (int b = a; b < k; b++) {
                    h[row + b] += fx * x[off + b];
                }
            }
        }
        o.singularTreated = !solve(o.h1, o.g1, o.b1, k, o.chol);
        o.singularControl = !solve(o.h0, o.g0, o.b0, k, o.chol);
        if (o.singularTreated || o.singularControl) {
            return;
        }
        double sm1 = 0;
        double sm0 = 0;
        double sm0t = 0;
        double rw1 = 0;
        double rw0 = 0;
        double rv0 = 0;
        for (int i = 0, off = 0; i < y.length; i++, off += k) {
            double fi = f == null ? 1 : f[i];
            double ei = e[i];
            if (fi == 0 || ei < lower || ei > upper) {
                continue;
            }
            double m1 = 0;
            double m0 = 0;
            for (int a = 0; a < k; a++) {
                m1 += x[off + a] * o.b1[a];
                m0 += x[off + a] * o.b0[a];
            }
            sm1 += fi * m1;
            sm0 += fi * m0;
            if (t[i]) {
                sm0t += fi * m0;
                rw1 += fi / ei * (y[i] - m1);
            } else {
                rw0 += fi / (1 - ei) * (y[i] - m0);
                rv0 += fi * ei / (1 - ei) * (y[i] - m0);
            }
        }
        double nk = n1 + n0;
        set(r, ATE_AUGMENTED, sm1 / nk + rw1 / sw1, sm0 / nk + rw0 / sw0);
        set(r, ATT_AUGMENTED, r.meanTreated[ATT_HAJEK], sm0t / n1 + rv0 / sv0);
    }

    private static boolean solve(double[] h, double[] g, double[] b, int k, Cholesky chol) {
        for (int a = 0; a < k; a++) {
            for (int c = a + 1; c < k; c++) {
                h[c * k + a] = h[a * k + c];
            }
        }
        if (chol.factor(h, LogitDesign.COLLINEAR_PIVOT) >= 0) {
            Arrays.fill(b, Double.NaN);
            return false;
        }
        chol.solve(g, b);
        return true;
    }
}

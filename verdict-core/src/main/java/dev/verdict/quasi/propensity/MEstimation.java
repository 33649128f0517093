package dev.verdict.quasi.propensity;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The sandwich (M-estimation) standard error of the normalised IPW contrast that accounts for the propensity model
 * having been estimated: the logistic score equations {@code (T_i - e_i) z_i} stacked with the weighted least-squares
 * equations {@code w_i x_i (y_i - alpha - tau T_i)}, {@code x_i = (1, T_i)}, whose solution is the Hajek contrast
 * {@code tau}. With {@code psi_i} the stacked equations and {@code J = sum_i d psi_i / d theta'}, the covariance is
 * {@code J^-1 (sum_i psi_i psi_i') J^-T} (HC0, no small-sample factor), as in Lunceford and Davidian (2004, Statistics
 * in Medicine 23:2937-2960) and as R's WeightIt {@code lm_weightit()} reports by default ("HC0 robust, adjusted for
 * estimation of weights"). Weights: ATE {@code T/e + (1-T)/(1-e)}, ATT {@code T + (1-T) e/(1-e)}; their derivatives
 * in the linear predictor are {@code -(1-e)/e} (ATE, treated), {@code e/(1-e)} (control) and 0 (ATT, treated).
 * Rows outside a trimming interval are left out of the outcome equations with the interval taken as fixed.
 *
 * <p>Written here because no JVM library stacks a GLM's scores with a weighted regression's; the linear algebra is
 * EJML's.
 */
public final class MEstimation {
    private MEstimation() {
    }

    /**
     * The contrast and its M-estimation standard errors.
     *
     * @param tau     the Hajek contrast, treated mean minus control mean (weighted)
     * @param seTau   its standard error
     * @param alpha   the weighted control mean
     * @param seAlpha its standard error
     */
    public record Result(double tau, double seTau, double alpha, double seAlpha) { }

    /**
     * @param data   the outcome, treatment and propensity covariates the model was fitted on
     * @param e      the fitted propensities, one per row
     * @param target ATE or ATT weights
     * @param lo     rows with {@code e < lo} leave the outcome equations (0 for none)
     * @param hi     rows with {@code e > hi} leave them (1 for none)
     */
    public static Result hajek(PropensityData data, double[] e, Estimand target, double lo, double hi) {
        double[] y = data.outcomeView();
        boolean[] t = data.treatedView();
        LogitDesign z = LogitDesign.of(data.propensityCovariates(), "propensity model");
        int n = y.length;
        int k = z.k;
        if (e.length != n) {
            throw new IllegalArgumentException("propensities " + e.length + " for " + n + " rows");
        }
        double[] w = new double[n];
        double[] dw = new double[n];
        boolean[] kept = new boolean[n];
        double[] sw = new double[2];
        double[] swy = new double[2];
        for (int i = 0; i < n; i++) {
            kept[i] = e[i] >= lo && e[i] <= hi;
            double odds = e[i] / (1 - e[i]);
            if (t[i]) {
                w[i] = target == Estimand.ATE ? 1 / e[i] : 1;
                dw[i] = target == Estimand.ATE ? -(1 - e[i]) / e[i] : 0;
            } else {
                w[i] = target == Estimand.ATE ? 1 / (1 - e[i]) : odds;
                dw[i] = odds;
            }
            if (kept[i]) {
                int a = t[i] ? 1 : 0;
                sw[a] += w[i];
                swy[a] += w[i] * y[i];
            }
        }
        double alpha = swy[0] / sw[0];
        double tau = swy[1] / sw[1] - alpha;
        int m = k + 2;
        double[][] jac = new double[m][m];
        double[][] meat = new double[m][m];
        double[] psi = new double[m];
        for (int i = 0; i < n; i++) {
            int off = i * k;
            double v = e[i] * (1 - e[i]);
            double score = (t[i] ? 1 : 0) - e[i];
            for (int a = 0; a < k; a++) {
                psi[a] = score * z.x[off + a];
                for (int b = 0; b < k; b++) {
                    jac[a][b] -= v * z.x[off + a] * z.x[off + b];
                }
            }
            double ti = t[i] ? 1 : 0;
            if (kept[i]) {
                double r = y[i] - alpha - tau * ti;
                double[] x = {1, ti};
                for (int a = 0; a < 2; a++) {
                    psi[k + a] = w[i] * x[a] * r;
                    for (int b = 0; b < k; b++) {
                        jac[k + a][b] += dw[i] * z.x[off + b] * x[a] * r;
                    }
                    for (int b = 0; b < 2; b++) {
                        jac[k + a][k + b] -= w[i] * x[a] * x[b];
                    }
                }
            } else {
                psi[k] = 0;
                psi[k + 1] = 0;
            }
            for (int a = 0; a < m; a++) {
                if (psi[a] == 0) {
                    continue;
                }
                for (int b = 0; b < m; b++) {
                    meat[a][b] += psi[a] * psi[b];
                }
            }
        }
        DMatrixRMaj jInv = new DMatrixRMaj(jac);
        if (!CommonOps_DDRM.invert(jInv)) {
            return new Result(tau, Double.NaN, alpha, Double.NaN);
        }
        DMatrixRMaj half = new DMatrixRMaj(m, m);
        CommonOps_DDRM.mult(jInv, new DMatrixRMaj(meat), half);
        DMatrixRMaj cov = new DMatrixRMaj(m, m);
        CommonOps_DDRM.multTransB(half, jInv, cov);
        return new Result(tau, Math.sqrt(cov.get(k + 1, k + 1)), alpha, Math.sqrt(cov.get(k, k)));
    }
}

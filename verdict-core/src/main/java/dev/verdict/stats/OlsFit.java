package dev.verdict.stats;

import dev.verdict.InputException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

import java.util.Arrays;
import java.util.List;

/**
 * An OLS fit held as its per-cluster blocks, coefficients and {@code (X'X)^{-1}}, from which each
 * variance estimator is computed on demand with k x k algebra only.
 *
 * <p>Notation: N rows, K coefficients, G clusters (blocks), {@code M = (X'X)^{-1}}, cluster score
 * {@code u_g = X_g'e_g = X_g'y_g - X_g'X_g b}, residual sum of squares
 * {@code RSS = y'y - b'X'y}.
 * <ul>
 *   <li>{@link #classical()}: {@code RSS/(N-K) M}, df N - K ({@code summary(lm)}).</li>
 *   <li>{@link #hc1()}: {@code N/(N-K) M (sum_g u_g u_g') M}, df N - K; equals {@code sandwich::vcovHC(m,
 *       type = "HC1")} only when every block is a single observation, so it refuses other blocks.</li>
 *   <li>{@link #cr1()}: {@code G/(G-1) (N-1)/(N-K) M (sum_g u_g u_g') M}, df G - 1: the Stata convention,
 *       {@code sandwich::vcovCL(m, cluster, type = "HC1")}, {@code estimatr::lm_robust(se_type = "stata")},
 *       {@code clubSandwich::vcovCR(type = "CR1S")}.</li>
 *   <li>{@link #cr2()}: Bell and McCaffrey (2002) bias-reduced {@code M (sum_g X_g'A_g e_g e_g'A_g X_g) M}
 *       with {@code A_g = (I - H_gg)^{-1/2}} (symmetric, pseudo-inverse square root), and per-coefficient
 *       Satterthwaite df of Pustejovsky and Tipton (2018, JBES 36:672-683, doi:10.1080/07350015.2016.1247004)
 *       under the working model of independent homoskedastic errors: {@code clubSandwich::coef_test(m,
 *       vcovCR(m, cluster, type = "CR2"), test = "Satterthwaite")} and {@code estimatr::lm_robust(se_type =
 *       "CR2")}.</li>
 * </ul>
 *
 * <p>How CR2 avoids the n_g x n_g matrix: eigendecompose {@code X_g'X_g = V Λ V'} and keep the r positive
 * eigenvalues (r = rank; X_g'X_g is often rank-deficient, e.g. a treatment constant within a cluster).
 * With {@code R_g = Λ_r^{1/2} V_r'} (r x k), {@code X_g = Q_g R_g} for some {@code Q_g} with orthonormal
 * columns, so {@code H_gg = Q_g (R_g M R_g') Q_g'}. Eigendecompose the r x r {@code R_g M R_g' = U D U'};
 * then {@code X_g'A_g e_g = R_g'U (I-D)^{-1/2} U' Λ_r^{-1/2} V_r' u_g}, {@code X_g'A_g X_g = F (I-D)^{-1/2} F'}
 * and {@code X_g'A_g^2 X_g = F (I-D)^{-1} F'} with {@code F = R_g'U}. The Satterthwaite df for coefficient j
 * with {@code m = M e_j}, {@code z_g = X_g'A_g X_g m}, {@code a_g = m'X_g'A_g^2 X_g m - z_g'M z_g}, is
 * {@code (sum_g a_g)^2 / (sum_g a_g^2 + sum_{g != h} (z_g'M z_h)^2)}, the last sum computed as
 * {@code tr(M Z M Z) - sum_g (z_g'M z_g)^2}, {@code Z = sum_g z_g z_g'}. Cost O(G k^3).
 * Eigenvalues of {@code X_g'X_g} below {@value #CLUSTER_RANK_TOLERANCE} times the largest count as zero;
 * eigenvalues of {@code I - H_gg} below {@value #LEVERAGE_TOLERANCE} are treated as zero in the
 * pseudo-inverse square root (as clubSandwich does).
 *
 * <p>Immutable; the variance tables are recomputed on each call.
 */
public final class OlsFit {
    /** Relative eigenvalue cut-off for the rank of a cluster's X_g'X_g. */
    public static final double CLUSTER_RANK_TOLERANCE = 1e-10;
    /** Absolute cut-off for eigenvalues of I - H_gg in the pseudo-inverse square root (clubSandwich's 1e-12). */
    public static final double LEVERAGE_TOLERANCE = 1e-12;

    private final List<ClusterBlock> blocks;
    private final List<String> names;
    private final ClusterBlock total;
    private final double[][] bread;
    private final double[] b;

    OlsFit(List<ClusterBlock> blocks, List<String> names, ClusterBlock total, double[][] bread, double[] b) {
        this.blocks = blocks;
        this.names = List.copyOf(names);
        this.total = total;
        this.bread = bread;
        this.b = b;
    }

    public double[] coefficients() {
        return b.clone();
    }

    public double coefficient(int j) {
        return b[j];
    }

    public List<String> names() {
        return names;
    }

    /** Rows N. */
    public long n() {
        return total.n();
    }

    /** Coefficients K. */
    public int k() {
        return b.length;
    }

    /** Clusters G (the number of blocks). */
    public int clusters() {
        return blocks.size();
    }

    /** {@code (X'X)^{-1}}, a copy. */
    public double[][] xtxInverse() {
        return CoefficientTable.copy(bread);
    }

    /** {@code y'y - b'X'y}, floored at 0. */
    public double residualSumOfSquares() {
        double s = total.yty();
        for (int j = 0; j < b.length; j++) {
            s -= b[j] * total.xty(j);
        }
        return Math.max(s, 0);
    }

    /** Residual standard error {@code sqrt(RSS / (N - K))}, R's {@code sigma(lm)}. */
    public double sigma() {
        return Math.sqrt(residualSumOfSquares() / (n() - k()));
    }

    /** Classical OLS variance {@code sigma^2 (X'X)^{-1}}, df N - K. */
    public CoefficientTable classical() {
        double s2 = residualSumOfSquares() / (n() - k());
        double[][] v = new double[k()][k()];
        for (int i = 0; i < k(); i++) {
            for (int j = 0; j < k(); j++) {
                v[i][j] = s2 * bread[i][j];
            }
        }
        double df = n() - k();
        return table("classical OLS, df N-K", v, df);
    }

    /**
     * HC1 heteroskedasticity-robust variance {@code N/(N-K) M (sum_i x_i x_i' e_i^2) M}, df N - K.
     *
     * @throws IllegalStateException unless every block holds exactly one row (with clustered blocks this
     *                               formula would be a cluster-robust variance with the wrong factor)
     */
    public CoefficientTable hc1() {
        for (ClusterBlock g : blocks) {
            if (g.n() != 1) {
                throw new IllegalStateException("hc1() needs one row per block, found a block of " + g.n()
                        + " rows; use cr1() or cr2() for clustered blocks");
            }
        }
        double factor = (double) n() / (n() - k());
        double df = n() - k();
        return table("HC1, df N-K", sandwich(meatOfScores(), factor), df);
    }

    /** CR1 in the Stata convention, {@code G/(G-1) (N-1)/(N-K)} times the sandwich, df G - 1. */
    public CoefficientTable cr1() {
        int g = requireClusters();
        double factor = (double) g / (g - 1) * (n() - 1.0) / (n() - k());
        return table("CR1 (Stata G/(G-1)(N-1)/(N-K)), df G-1", sandwich(meatOfScores(), factor), g - 1.0);
    }

    /** CR2 (Bell-McCaffrey) with Pustejovsky-Tipton Satterthwaite df per coefficient. */
    public CoefficientTable cr2() {
        requireClusters();
        int k = k();
        int count = blocks.size();
        DMatrixRMaj m = new DMatrixRMaj(bread);
        double[][] meat = new double[k][k];
        double[][] s1 = new double[count][];
        double[][] s2 = new double[count][];
        for (int c = 0; c < count; c++) {
            ClusterBlock g = blocks.get(c);
            SymmetricEigen e = SymmetricEigen.of(new DMatrixRMaj(g.xtxMatrix()));
            int r = e.rank(CLUSTER_RANK_TOLERANCE);
            s1[c] = new double[k * k];
            s2[c] = new double[k * k];
            if (r == 0) {
                continue;
            }
            DMatrixRMaj rg = new DMatrixRMaj(r, k);
            for (int i = 0; i < r; i++) {
                double root = Math.sqrt(e.values[i]);
                for (int j = 0; j < k; j++) {
                    rg.set(i, j, root * e.vectors.get(j, i));
                }
            }
            DMatrixRMaj rm = new DMatrixRMaj(r, k);
            CommonOps_DDRM.mult(rg, m, rm);
            DMatrixRMaj mg = new DMatrixRMaj(r, r);
            CommonOps_DDRM.multTransB(rm, rg, mg);
            symmetrize(mg);
            SymmetricEigen h = SymmetricEigen.of(mg);
            double[] w = new double[r];
            for (int i = 0; i < r; i++) {
                double complement = 1 - h.values[i];
                w[i] = complement > LEVERAGE_TOLERANCE ? 1 / Math.sqrt(complement) : 0;
            }
            DMatrixRMaj f = new DMatrixRMaj(k, r);
            CommonOps_DDRM.multTransA(rg, h.vectors, f);
            double[] score = score(g);
            double[] q = new double[r];
            for (int i = 0; i < r; i++) {
                double s = 0;
                for (int j = 0; j < k; j++) {
                    s += e.vectors.get(j, i) * score[j];
                }
                q[i] = s / Math.sqrt(e.values[i]);
            }
            double[] uq = new double[r];
            for (int i = 0; i < r; i++) {
                double s = 0;
                for (int l = 0; l < r; l++) {
                    s += h.vectors.get(l, i) * q[l];
                }
                uq[i] = w[i] * s;
            }
            double[] adjusted = new double[k];
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int i = 0; i < r; i++) {
                    s += f.get(j, i) * uq[i];
                }
                adjusted[j] = s;
            }
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    meat[i][j] += adjusted[i] * adjusted[j];
                    double a = 0;
                    double a2 = 0;
                    for (int l = 0; l < r; l++) {
                        double fl = f.get(i, l) * f.get(j, l) * w[l];
                        a += fl;
                        a2 += fl * w[l];
                    }
                    s1[c][i * k + j] = a;
                    s2[c][i * k + j] = a2;
                }
            }
        }
        double[][] v = sandwich(meat, 1.0);
        double[] df = new double[k];
        for (int j = 0; j < k; j++) {
            df[j] = satterthwaite(j, s1, s2);
        }
        return new CoefficientTable("CR2 (Bell-McCaffrey), Satterthwaite df", names, b, v, df, count - 1.0);
    }

    private double satterthwaite(int j, double[][] s1, double[][] s2) {
        int k = k();
        double[] mj = new double[k];
        for (int i = 0; i < k; i++) {
            mj[i] = bread[i][j];
        }
        double sumA = 0;
        double sumA2 = 0;
        double sumDiag2 = 0;
        double[][] zsum = new double[k][k];
        double[] z = new double[k];
        for (int c = 0; c < s1.length; c++) {
            double[] a1 = s1[c];
            double[] a2 = s2[c];
            double quad2 = 0;
            for (int i = 0; i < k; i++) {
                double zi = 0;
                double t2 = 0;
                for (int l = 0; l < k; l++) {
                    zi += a1[i * k + l] * mj[l];
                    t2 += a2[i * k + l] * mj[l];
                }
                z[i] = zi;
                quad2 += mj[i] * t2;
            }
            double[] mz = ClusterRobustOls.times(bread, z);
            double diag = 0;
            for (int i = 0; i < k; i++) {
                diag += z[i] * mz[i];
            }
            double a = quad2 - diag;
            sumA += a;
            sumA2 += a * a;
            sumDiag2 += diag * diag;
            for (int i = 0; i < k; i++) {
                for (int l = 0; l < k; l++) {
                    zsum[i][l] += z[i] * z[l];
                }
            }
        }
        double[][] mz = multiply(bread, zsum);
        double trace = 0;
        for (int i = 0; i < k; i++) {
            for (int l = 0; l < k; l++) {
                trace += mz[i][l] * mz[l][i];
            }
        }
        return sumA * sumA / (sumA2 + trace - sumDiag2);
    }

    private int requireClusters() {
        if (blocks.size() < 2) {
            throw InputException.data("one cluster: a cluster-robust variance needs at least 2");
        }
        return blocks.size();
    }

    private double[] score(ClusterBlock g) {
        int k = k();
        double[] u = new double[k];
        for (int i = 0; i < k; i++) {
            double s = g.xty(i);
            for (int j = 0; j < k; j++) {
                s -= g.xtx(i, j) * b[j];
            }
            u[i] = s;
        }
        return u;
    }

    private double[][] meatOfScores() {
        int k = k();
        double[][] meat = new double[k][k];
        for (ClusterBlock g : blocks) {
            double[] u = score(g);
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    meat[i][j] += u[i] * u[j];
                }
            }
        }
        return meat;
    }

    private double[][] sandwich(double[][] meat, double factor) {
        double[][] v = multiply(multiply(bread, meat), bread);
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < v.length; j++) {
                v[i][j] *= factor;
            }
        }
        for (int i = 0; i < v.length; i++) {
            for (int j = i + 1; j < v.length; j++) {
                double s = 0.5 * (v[i][j] + v[j][i]);
                v[i][j] = s;
                v[j][i] = s;
            }
        }
        return v;
    }

    private CoefficientTable table(String method, double[][] v, double df) {
        double[] dfs = new double[k()];
        Arrays.fill(dfs, df);
        return new CoefficientTable(method, names, b, v, dfs, df);
    }

    private static double[][] multiply(double[][] a, double[][] c) {
        DMatrixRMaj out = new DMatrixRMaj(a.length, c[0].length);
        CommonOps_DDRM.mult(new DMatrixRMaj(a), new DMatrixRMaj(c), out);
        double[][] r = new double[out.numRows][out.numCols];
        for (int i = 0; i < out.numRows; i++) {
            for (int j = 0; j < out.numCols; j++) {
                r[i][j] = out.get(i, j);
            }
        }
        return r;
    }

    private static void symmetrize(DMatrixRMaj a) {
        for (int i = 0; i < a.numRows; i++) {
            for (int j = i + 1; j < a.numCols; j++) {
                double s = 0.5 * (a.get(i, j) + a.get(j, i));
                a.set(i, j, s);
                a.set(j, i, s);
            }
        }
    }
}

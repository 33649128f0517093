package dev.verdict.stats;

import dev.verdict.InputException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Ordinary least squares fitted from per-cluster sufficient statistics ({@link ClusterBlock}s), with
 * classical, HC1, CR1 and CR2 variance estimators available on the resulting {@link OlsFit}.
 *
 * <p>{@code b = (sum_g X_g'X_g)^{-1} sum_g X_g'y_g}. The inverse is computed on the Jacobi-scaled
 * matrix {@code D X'X D}, {@code D = diag(X'X)^{-1/2}} (Cholesky, EJML), followed by one step of
 * iterative refinement of b. Raw rows are never needed: see {@link OlsFit} for how each variance is
 * computed from the blocks.
 *
 * <p>A singular design is an input error, not a NaN: if a regressor is zero in every row, or the
 * scaled {@code X'X} has an eigenvalue below {@value #SINGULAR_TOLERANCE} times its largest (regressors
 * collinear, e.g. a treatment indicator that never varies next to the intercept), {@code fit} throws
 * {@link InputException} naming the regressors involved.
 */
public final class ClusterRobustOls {
    /** Relative eigenvalue cut-off of the Jacobi-scaled X'X below which the design is called singular. */
    public static final double SINGULAR_TOLERANCE = 1e-12;

    private ClusterRobustOls() {
    }

    /** Fits OLS to the clusters' blocks; coefficients are named {@code b0, b1, ...}. */
    public static OlsFit fit(Collection<ClusterBlock> blocks) {
        if (blocks.isEmpty()) {
            throw InputException.data("regression: no clusters with complete rows to fit");
        }
        int k = blocks.iterator().next().k();
        List<String> names = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            names.add("b" + j);
        }
        return fit(blocks, names);
    }

    /**
     * Fits OLS to the clusters' blocks.
     *
     * @param blocks one block per cluster (at least one; all with the same k)
     * @param names  coefficient names in regressor order, used in tables and error messages
     * @throws InputException if there are no rows, fewer rows than regressors, or the design is singular
     */
    public static OlsFit fit(Collection<ClusterBlock> blocks, List<String> names) {
        List<ClusterBlock> list = List.copyOf(blocks);
        if (list.isEmpty()) {
            throw InputException.data("regression: no clusters with complete rows to fit");
        }
        int k = list.get(0).k();
        if (names.size() != k) {
            throw new IllegalArgumentException(k + " regressors but " + names.size() + " names: " + names);
        }
        for (ClusterBlock b : list) {
            if (b.k() != k) {
                throw new IllegalArgumentException("all cluster blocks need the same k; found " + k + " and " + b.k());
            }
        }
        ClusterBlock total = ClusterBlock.sum(list);
        if (total.n() <= k) {
            throw InputException.data("regression: " + total.n() + " complete rows for " + k
                    + " coefficients; least squares needs more rows than coefficients");
        }
        DMatrixRMaj xtx = new DMatrixRMaj(total.xtxMatrix());
        double[] scale = new double[k];
        for (int j = 0; j < k; j++) {
            double d = xtx.get(j, j);
            if (!(d > 0)) {
                throw InputException.data("singular design: regressor '" + names.get(j)
                        + "' is zero in every row, so its coefficient is not identified");
            }
            scale[j] = 1 / Math.sqrt(d);
        }
        DMatrixRMaj scaled = new DMatrixRMaj(k, k);
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                scaled.set(i, j, xtx.get(i, j) * scale[i] * scale[j]);
            }
        }
        SymmetricEigen eig = SymmetricEigen.of(scaled);
        int rank = eig.rank(SINGULAR_TOLERANCE);
        if (rank < k) {
            throw InputException.data("singular design: X'X has rank " + rank + " < " + k
                    + " coefficients; regressors " + collinear(eig, names, rank)
                    + " are collinear (e.g. a constant column besides the intercept, a duplicated column, or a treatment"
                    + " that never varies); drop one of them");
        }
        DMatrixRMaj inv = new DMatrixRMaj(k, k);
        if (!CommonOps_DDRM.invertSPD(scaled.copy(), inv)) {
            throw InputException.data("singular design: X'X is not positive definite (regressors " + names + ")");
        }
        double[][] bread = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                bread[i][j] = inv.get(i, j) * scale[i] * scale[j];
            }
        }
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) {
                double v = 0.5 * (bread[i][j] + bread[j][i]);
                bread[i][j] = v;
                bread[j][i] = v;
            }
        }
        double[] xty = total.xtyVector();
        double[] b = times(bread, xty);
        double[] residual = new double[k];
        for (int i = 0; i < k; i++) {
            double s = xty[i];
            for (int j = 0; j < k; j++) {
                s -= total.xtx(i, j) * b[j];
            }
            residual[i] = s;
        }
        double[] step = times(bread, residual);
        for (int i = 0; i < k; i++) {
            b[i] += step[i];
        }
        return new OlsFit(list, names, total, bread, b);
    }

    static double[] times(double[][] m, double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < m.length; i++) {
            double s = 0;
            for (int j = 0; j < v.length; j++) {
                s += m[i][j] * v[j];
            }
            out[i] = s;
        }
        return out;
    }

    private static String collinear(SymmetricEigen eig, List<String> names, int rank) {
        List<String> involved = new ArrayList<>();
        int k = names.size();
        for (int c = rank; c < k; c++) {
            for (int j = 0; j < k; j++) {
                String name = "'" + names.get(j) + "'";
                if (Math.abs(eig.vectors.get(j, c)) > 0.1 && !involved.contains(name)) {
                    involved.add(name);
                }
            }
        }
        return String.join(", ", involved);
    }
}

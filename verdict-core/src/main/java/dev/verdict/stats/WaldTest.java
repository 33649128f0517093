package dev.verdict.stats;

import dev.verdict.InputException;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.distribution.FDistribution;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Wald tests of linear restrictions on a coefficient vector given its covariance matrix: the joint
 * test that several coefficients are zero (e.g. all interaction terms of a treatment with segments), or
 * that several are equal.
 *
 * <p>{@code W = (R b - r)' (R V R')^{-1} (R b - r)} is referred to chi-square with q = rows(R) degrees of
 * freedom, and {@code F = W / q} to {@code F(q, dfDenominator)}; with a single restriction
 * {@code W = t^2}. With a cluster-robust V the F reference with {@code G - 1} denominator df is the
 * usual small-sample convention (as {@code lmtest::waldtest(..., test = "F")} with that df); it is not
 * clubSandwich's HTZ test, which needs more than the covariance matrix.
 */
public final class WaldTest {
    private WaldTest() {
    }

    /** Test that {@code b[i] = 0} for every listed index. */
    public static WaldResult zero(double[] coefficients, double[][] vcov, double dfDenominator, int... indices) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("name at least one coefficient to test");
        }
        double[][] r = new double[indices.length][coefficients.length];
        for (int a = 0; a < indices.length; a++) {
            r[a][checkIndex(indices[a], coefficients.length)] = 1;
        }
        return linear(coefficients, vcov, r, new double[indices.length], dfDenominator);
    }

    /** Test that the listed coefficients are all equal (q = count - 1 restrictions {@code b[i0] - b[il] = 0}). */
    public static WaldResult equal(double[] coefficients, double[][] vcov, double dfDenominator, int... indices) {
        if (indices.length < 2) {
            throw new IllegalArgumentException("an equality test needs at least two coefficients, got " + indices.length);
        }
        double[][] r = new double[indices.length - 1][coefficients.length];
        for (int a = 1; a < indices.length; a++) {
            r[a - 1][checkIndex(indices[0], coefficients.length)] = 1;
            r[a - 1][checkIndex(indices[a], coefficients.length)] -= 1;
        }
        return linear(coefficients, vcov, r, new double[indices.length - 1], dfDenominator);
    }

    /**
     * Test of {@code R b = r}.
     *
     * @param dfDenominator &gt; 0, {@code Double.POSITIVE_INFINITY}, or NaN (then the F p-value is NaN)
     * @throws InputException if {@code R V R'} is singular (redundant restrictions or a zero variance)
     */
    public static WaldResult linear(double[] coefficients, double[][] vcov, double[][] restriction, double[] rhs,
                                    double dfDenominator) {
        int k = coefficients.length;
        int q = restriction.length;
        if (q == 0 || rhs.length != q || vcov.length != k) {
            throw new IllegalArgumentException("need q >= 1 restrictions with q right-hand sides and a " + k + " x " + k
                    + " covariance; got q = " + q + ", " + rhs.length + " right-hand sides, " + vcov.length + " covariance rows");
        }
        if (dfDenominator <= 0) {
            throw new IllegalArgumentException("denominator degrees of freedom must be > 0, got " + dfDenominator);
        }
        DMatrixRMaj rm = new DMatrixRMaj(restriction);
        DMatrixRMaj v = new DMatrixRMaj(vcov);
        DMatrixRMaj b = new DMatrixRMaj(k, 1, true, coefficients);
        DMatrixRMaj d = new DMatrixRMaj(q, 1);
        CommonOps_DDRM.mult(rm, b, d);
        for (int i = 0; i < q; i++) {
            d.set(i, 0, d.get(i, 0) - rhs[i]);
        }
        DMatrixRMaj rv = new DMatrixRMaj(q, k);
        CommonOps_DDRM.mult(rm, v, rv);
        DMatrixRMaj middle = new DMatrixRMaj(q, q);
        CommonOps_DDRM.multTransB(rv, rm, middle);
        SymmetricEigen eig = SymmetricEigen.of(middle);
        int rank = eig.rank(1e-12);
        if (rank < q) {
            throw InputException.data("Wald test: the covariance of the " + q + " restrictions has rank " + rank
                    + "; a restriction is redundant or a tested coefficient has zero variance");
        }
        DMatrixRMaj inv = new DMatrixRMaj(q, q);
        if (!CommonOps_DDRM.invertSPD(middle.copy(), inv)) {
            throw InputException.data("Wald test: the covariance of the restrictions is not positive definite");
        }
        DMatrixRMaj tmp = new DMatrixRMaj(q, 1);
        CommonOps_DDRM.mult(inv, d, tmp);
        double w = CommonOps_DDRM.dot(d, tmp);
        double pChi = ChiSquaredDistribution.of(q).survivalProbability(w);
        double f = w / q;
        double pF;
        if (Double.isNaN(dfDenominator)) {
            pF = Double.NaN;
        } else if (dfDenominator == Double.POSITIVE_INFINITY) {
            pF = pChi;
        } else {
            pF = FDistribution.of(q, dfDenominator).survivalProbability(f);
        }
        return new WaldResult(w, q, pChi, f, dfDenominator, pF);
    }

    private static int checkIndex(int i, int k) {
        if (i < 0 || i >= k) {
            throw new IllegalArgumentException("coefficient index " + i + " outside [0, " + k + ")");
        }
        return i;
    }
}

package dev.verdict.stats;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The eigendecomposition {@code A = V diag(values) V'} of a small symmetric matrix, eigenvalues in
 * descending order, computed by EJML's symmetric QR algorithm.
 */
final class SymmetricEigen {
    final double[] values;
    /** Column i of this k x k matrix is the eigenvector of {@code values[i]}. */
    final DMatrixRMaj vectors;

    private SymmetricEigen(double[] values, DMatrixRMaj vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    static SymmetricEigen of(DMatrixRMaj a) {
        int k = a.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(k, true, true);
        if (!eig.decompose(a.copy())) {
            throw new ArithmeticException("symmetric eigendecomposition did not converge");
        }
        Integer[] order = new Integer[k];
        double[] raw = new double[k];
        for (int i = 0; i < k; i++) {
            order[i] = i;
            raw[i] = eig.getEigenvalue(i).real;
        }
        java.util.Arrays.sort(order, (p, q) -> Double.compare(raw[q], raw[p]));
        double[] values = new double[k];
        DMatrixRMaj vectors = new DMatrixRMaj(k, k);
        for (int c = 0; c < k; c++) {
            values[c] = raw[order[c]];
            DMatrixRMaj v = eig.getEigenVector(order[c]);
            for (int r = 0; r < k; r++) {
                vectors.set(r, c, v.get(r));
            }
        }
        return new SymmetricEigen(values, vectors);
    }

    /** How many eigenvalues exceed {@code relativeTolerance} times the largest (0 if none is positive). */
    int rank(double relativeTolerance) {
        double cut = values[0] * relativeTolerance;
        int r = 0;
        while (r < values.length && values[r] > cut && values[r] > 0) {
            r++;
        }
        return r;
    }
}

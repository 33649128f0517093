package dev.verdict.assign;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Validated covariate vectors of the units of a draw, with the inverse of their covariance over all units. */
final class Covariates {
    final double[][] values;
    /** Inverse of the sample covariance over all units; null when it is singular. */
    final double[][] inverseCovariance;

    private Covariates(double[][] values, double[][] inverseCovariance) {
        this.values = values;
        this.inverseCovariance = inverseCovariance;
    }

    static Covariates of(List<String> units, List<String> names, Function<String, double[]> covariates) {
        Arguments.noNulls("covariate names", names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("balance needs at least one covariate name, got none");
        }
        if (covariates == null) {
            throw new IllegalArgumentException("covariates must not be null");
        }
        int k = names.size();
        int n = units.size();
        double[][] values = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] v = covariates.apply(units.get(i));
            if (v == null) {
                throw new IllegalArgumentException("no covariates for unit '" + units.get(i) + "'");
            }
            if (v.length != k) {
                throw new IllegalArgumentException("unit '" + units.get(i) + "' has " + v.length + " covariate values, "
                        + "expected " + k + " (" + String.join(", ", names) + ")");
            }
            for (int j = 0; j < k; j++) {
                if (!Double.isFinite(v[j])) {
                    throw new IllegalArgumentException("covariate '" + names.get(j) + "' of unit '" + units.get(i)
                            + "' must be finite, got " + v[j]);
                }
            }
            values[i] = v.clone();
        }
        double[] mean = new double[k];
        for (double[] v : values) {
            for (int j = 0; j < k; j++) {
                mean[j] += v[j] / n;
            }
        }
        DMatrixRMaj cov = new DMatrixRMaj(k, k);
        for (double[] v : values) {
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    cov.add(a, b, (v[a] - mean[a]) * (v[b] - mean[b]) / Math.max(1, n - 1));
                }
            }
        }
        double[][] inverse = null;
        DMatrixRMaj inv = new DMatrixRMaj(k, k);
        boolean positive = true;
        for (int j = 0; j < k; j++) {
            positive &= cov.get(j, j) > 0;
        }
        if (positive && CommonOps_DDRM.invert(cov, inv)) {
            inverse = new double[k][k];
            boolean finite = true;
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    inverse[a][b] = inv.get(a, b);
                    finite &= Double.isFinite(inverse[a][b]);
                }
            }
            if (!finite || Arrays.stream(inverse).anyMatch(r -> r == null)) {
                inverse = null;
            }
        }
        return new Covariates(values, inverse);
    }
}

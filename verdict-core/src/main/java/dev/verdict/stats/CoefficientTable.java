package dev.verdict.stats;

import java.util.List;

/**
 * Regression coefficients with one variance estimator's covariance matrix, standard errors and
 * reference degrees of freedom: the table {@code summary(lm)} or {@code coef_test} prints.
 *
 * <p>{@code t_j = b_j / se_j}, two-sided {@code p_j = 2 P(T_{df_j} > |t_j|)}. Immutable; accessors
 * return copies.
 */
public final class CoefficientTable {
    private final String method;
    private final List<String> names;
    private final double[] coefficients;
    private final double[][] vcov;
    private final double[] df;
    private final double jointDf;

    CoefficientTable(String method, List<String> names, double[] coefficients, double[][] vcov, double[] df,
                     double jointDf) {
        this.method = method;
        this.names = List.copyOf(names);
        this.coefficients = coefficients.clone();
        this.vcov = copy(vcov);
        this.df = df.clone();
        this.jointDf = jointDf;
    }

    /** The variance estimator, e.g. {@code "CR2 (Bell-McCaffrey), Satterthwaite df"}. */
    public String method() {
        return method;
    }

    public List<String> names() {
        return names;
    }

    public int size() {
        return coefficients.length;
    }

    /** Index of the coefficient with this name; an IllegalArgumentException if there is none. */
    public int indexOf(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no coefficient named '" + name + "'; have " + names);
        }
        return i;
    }

    public double coefficient(int j) {
        return coefficients[j];
    }

    public double[] coefficients() {
        return coefficients.clone();
    }

    /** Standard error {@code sqrt(V_jj)}. */
    public double se(int j) {
        return Math.sqrt(vcov[j][j]);
    }

    /** Reference degrees of freedom of coefficient j's t test. */
    public double df(int j) {
        return df[j];
    }

    /** {@code b_j / se_j}. */
    public double t(int j) {
        return coefficients[j] / se(j);
    }

    /** Two-sided p-value of {@code b_j = 0}. */
    public double p(int j) {
        return estimate(j, 0.05).pValue();
    }

    /** Coefficient j with its t-based {@code 1 - alpha} interval and p-value. */
    public Estimate estimate(int j, double alpha) {
        return Estimate.ofT(coefficients[j], se(j), df[j], alpha, method);
    }

    /** A copy of the k x k covariance matrix. */
    public double[][] vcov() {
        return copy(vcov);
    }

    /**
     * The denominator degrees of freedom this estimator uses for joint (F) tests: N - K for classical and
     * HC1, G - 1 for CR1 and CR2 (for CR2 that is the naive choice; clubSandwich's HTZ test is not
     * implemented).
     */
    public double jointDf() {
        return jointDf;
    }

    /** Wald test that the named coefficients are all zero, with this table's covariance. */
    public WaldResult waldZero(int... indices) {
        return WaldTest.zero(coefficients, vcov, jointDf, indices);
    }

    /** Wald test that the named coefficients are all equal, with this table's covariance. */
    public WaldResult waldEqual(int... indices) {
        return WaldTest.equal(coefficients, vcov, jointDf, indices);
    }

    static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }
}

package dev.verdict.quasi.rd;

import dev.verdict.stats.Estimate;

/**
 * The result of the local polynomial density (manipulation) test at the cutoff.
 *
 * @param difference   {@code f_+(c) - f_-(c)} with its jackknife standard error, normal interval and p-value;
 *                     {@code difference.statistic()} is the test's T
 * @param fLeft        density estimate at the cutoff from below
 * @param fRight       density estimate at the cutoff from above
 * @param seLeft       jackknife standard error of {@code fLeft}
 * @param seRight      jackknife standard error of {@code fRight}
 * @param hLeft        bandwidth below the cutoff
 * @param hRight       bandwidth above the cutoff
 * @param bandwidthRule how the bandwidths were chosen: {@code "comb"}, {@code "each"}, {@code "diff"},
 *                     {@code "sum"} or {@code "manual"}
 * @param nLeft        observations below the cutoff
 * @param nRight       observations at or above the cutoff
 * @param nEffLeft     observations in {@code [c - hLeft, c)}
 * @param nEffRight    observations in {@code [c, c + hRight]}
 * @param p            polynomial order of the local fit to the empirical distribution function (the test uses
 *                     order p + 1, i.e. bias-corrected)
 * @param kernel       kernel
 */
public record DensityTestResult(Estimate difference, double fLeft, double fRight, double seLeft, double seRight,
                                double hLeft, double hRight, String bandwidthRule, int nLeft, int nRight,
                                int nEffLeft, int nEffRight, int p, RdKernel kernel) {

    /** The test statistic {@code T = (f_+ - f_-) / se}. */
    public double statistic() {
        return difference.statistic();
    }

    /** Two-sided p-value for no discontinuity in the density. */
    public double pValue() {
        return difference.pValue();
    }

    /** True when no manipulation is detected at level alpha (p-value at least alpha). */
    public boolean passes(double alpha) {
        return !(difference.pValue() < alpha);
    }
}

package dev.verdict.quasi.rd;

import dev.verdict.stats.Estimate;

/**
 * The result of a sharp or fuzzy RD fit: the jump at the cutoff three ways, as rdrobust reports it.
 *
 * <ul>
 *   <li>{@code conventional}: the local polynomial estimate {@code tau = mu_+(c) - mu_-(c)} with its conventional
 *       standard error (valid only if h undersmooths; with an MSE-optimal h its interval undercovers).</li>
 *   <li>{@code biasCorrected}: {@code tau - (estimated leading bias)}, still with the conventional standard
 *       error.</li>
 *   <li>{@code robust}: the bias-corrected estimate with the robust standard error that accounts for the variance
 *       of the bias estimate (Calonico, Cattaneo and Titiunik 2014); its interval is the one to report.</li>
 * </ul>
 * For fuzzy RD the three rows are for the ratio {@code tau_Y / tau_T} (the local Wald estimand) and
 * {@link #firstStage()} holds the jump in take-up.
 *
 * @param conventional  conventional estimate, standard error and normal interval
 * @param biasCorrected bias-corrected estimate with the conventional standard error
 * @param robust        bias-corrected estimate with the robust standard error and interval (the headline)
 * @param bandwidths    h and b used on each side
 * @param cutoff        the cutoff c
 * @param nLeft         complete observations below the cutoff
 * @param nRight        complete observations at or above the cutoff
 * @param nhLeft        observations with positive weight under h below the cutoff
 * @param nhRight       observations with positive weight under h at or above the cutoff
 * @param nbLeft        observations with positive weight under b below the cutoff
 * @param nbRight       observations with positive weight under b at or above the cutoff
 * @param p             order of the estimating polynomial
 * @param q             order of the bias polynomial
 * @param kernel        kernel
 * @param variance      residual variance estimator
 * @param level         confidence level of the intervals
 * @param fitLeft       coefficients of the order-p outcome fit below the cutoff, in powers of {@code x - c}
 * @param fitRight      coefficients of the order-p outcome fit above the cutoff
 * @param firstStage    the jump in treatment take-up for fuzzy RD; null for sharp RD
 */
public record RdEstimate(Estimate conventional, Estimate biasCorrected, Estimate robust, Bandwidths bandwidths,
                         double cutoff, int nLeft, int nRight, int nhLeft, int nhRight, int nbLeft, int nbRight,
                         int p, int q, RdKernel kernel, RdVariance variance, double level, double[] fitLeft,
                         double[] fitRight, FirstStage firstStage) {

    public RdEstimate {
        fitLeft = fitLeft.clone();
        fitRight = fitRight.clone();
    }

    @Override
    public double[] fitLeft() {
        return fitLeft.clone();
    }

    @Override
    public double[] fitRight() {
        return fitRight.clone();
    }

    /** True for a fuzzy design. */
    public boolean fuzzy() {
        return firstStage != null;
    }

    /** The fitted outcome at the cutoff from below (the intercept of the left fit). */
    public double muLeft() {
        return fitLeft[0];
    }

    /** The fitted outcome at the cutoff from above. */
    public double muRight() {
        return fitRight[0];
    }

    /** The order-p outcome fit at x: left polynomial below the cutoff, right polynomial at or above it. */
    public double fittedOutcome(double x) {
        double[] b = x < cutoff ? fitLeft : fitRight;
        double dx = x - cutoff;
        double v = 0;
        double pw = 1;
        for (double coef : b) {
            v += coef * pw;
            pw *= dx;
        }
        return v;
    }

    /**
     * The jump in treatment take-up of a fuzzy design, with the same three rows.
     *
     * @param conventional  conventional first-stage jump
     * @param biasCorrected bias-corrected first-stage jump
     * @param robust        bias-corrected jump with the robust standard error
     */
    public record FirstStage(Estimate conventional, Estimate biasCorrected, Estimate robust) {
    }
}

package dev.verdict.quasi.rd;

/**
 * How the residual variance in the sandwich {@code Gamma^-1 (sum_i w_i^2 r_i r_i' e_i^2) Gamma^-1} of a local
 * polynomial fit is estimated.
 *
 * <p>{@link #NN} (the default) replaces the squared residual by the nearest-neighbour estimate of Abadie and Imbens
 * (2006) as used by Calonico, Cattaneo and Titiunik (2014): for observation i with its J nearest neighbours on the
 * same side of the cutoff (at least {@code nnMatch}, ties in x kept together),
 * {@code e_i = sqrt(J / (J + 1)) (y_i - mean of the neighbours' y)}. It does not depend on the fitted polynomial,
 * so conventional and bias-corrected variances use the same residuals. {@code HC0}..{@code HC3} use the fitted
 * residuals {@code y_i - r_i' beta} scaled by 1, {@code sqrt(n / (n - k))}, {@code 1 / sqrt(1 - h_ii)} and
 * {@code 1 / (1 - h_ii)} (MacKinnon and White 1985), with n the observations in the window and {@code h_ii} the
 * weighted leverage.
 */
public enum RdVariance {
    /** Nearest-neighbour residual variance (rdrobust {@code vce = "nn"}). */
    NN,
    /** Heteroskedasticity-robust, no small-sample factor. */
    HC0,
    /** HC0 times {@code n / (n - k)}. */
    HC1,
    /** Leverage-corrected, {@code e_i^2 / (1 - h_ii)}. */
    HC2,
    /** Jackknife-like, {@code e_i^2 / (1 - h_ii)^2}. */
    HC3
}

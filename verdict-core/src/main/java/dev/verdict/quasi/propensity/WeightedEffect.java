package dev.verdict.quasi.propensity;

import dev.verdict.stats.Estimate;

/**
 * One weighting estimator's result.
 *
 * @param effect         which estimator
 * @param estimate       the point estimate
 * @param meanTreated    the (weighted) treated mean it contrasts; NaN for Horvitz-Thompson
 * @param meanControl    the (weighted) control mean; NaN for Horvitz-Thompson
 * @param inference      the headline inference: with the bootstrap, its standard error with a normal interval and
 *                       p-value (method names the bootstrap); without it, {@code knownPropensity} when defined, else
 *                       NaN standard error
 * @param knownPropensity weighted least squares HC0 standard error treating the propensity as known
 *                       ({@code lm_robust(y ~ treat, weights = w, se_type = "HC0")}), the common shortcut that ignores
 *                       the estimation of e; null for the augmented estimators
 * @param bootstrap      the bootstrap summary, or null when the bootstrap was off
 */
public record WeightedEffect(Effect effect, double estimate, double meanTreated, double meanControl,
                             Estimate inference, Estimate knownPropensity, BootstrapInterval bootstrap) { }

package dev.verdict.quasi.propensity;

import dev.verdict.stats.Estimate;

import java.util.List;

/**
 * Everything a propensity-weighting analysis produced: the propensity model, the effect estimates with their
 * inference, the overlap diagnostics and plot data, the balance tables, trimmed estimates, and warnings.
 *
 * <p>When the propensity model did not converge (separation or no convergence), {@link #estimable()} is false,
 * {@link #model()} says why, and {@code effects}, {@code overlap}, {@code balanceAte}, {@code balanceAtt} and
 * {@code trimmed} are empty or null: no number is reported that the data cannot support.
 *
 * @param model       the fitted logistic propensity model
 * @param estimand    the estimand of the headline and of the identification check
 * @param effects     every estimator, in {@link Effect} order (empty when not estimable)
 * @param naive       the unweighted difference in means with Welch inference, for contrast
 * @param overlap     overlap diagnostics and plot data (null when not estimable)
 * @param balanceAte  balance under the ATE weights (null when not estimable)
 * @param balanceAtt  balance under the ATT weights (null when not estimable)
 * @param trimmed     one entry per requested trim rule
 * @param warnings    sentences for the readout, in a fixed order
 * @param propensity  the fitted propensity of every row (empty when not estimable)
 */
public record PropensityResult(LogisticFit model, Estimand estimand, List<WeightedEffect> effects, Estimate naive,
                               Overlap overlap, Balance balanceAte, Balance balanceAtt, List<Trimmed> trimmed,
                               List<String> warnings, double[] propensity) {

    public PropensityResult {
        effects = List.copyOf(effects);
        trimmed = List.copyOf(trimmed);
        warnings = List.copyOf(warnings);
        propensity = propensity.clone();
    }

    /** True when the propensity model converged and the effects exist. */
    public boolean estimable() {
        return model.converged();
    }

    /** The result of one estimator. */
    public WeightedEffect effect(Effect e) {
        for (WeightedEffect w : effects) {
            if (w.effect() == e) {
                return w;
            }
        }
        throw new IllegalStateException("no " + e.wireName() + " estimate: " + (estimable() ? "the outcome model "
                + "was singular" : model.message()));
    }

    /** The headline: the Hajek estimator of the chosen estimand. */
    public WeightedEffect headline() {
        return effect(estimand == Estimand.ATE ? Effect.ATE_HAJEK : Effect.ATT_HAJEK);
    }

    /** The identification check: balance under the chosen estimand's weights (null when not estimable). */
    public Balance identification() {
        return estimand == Estimand.ATE ? balanceAte : balanceAtt;
    }

    @Override
    public double[] propensity() {
        return propensity.clone();
    }
}

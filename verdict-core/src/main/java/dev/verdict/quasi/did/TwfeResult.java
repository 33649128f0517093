package dev.verdict.quasi.did;

import dev.verdict.stats.Estimate;

/**
 * The static two-way fixed-effects difference-in-differences: the coefficient of the treated indicator in
 * {@code y_it = a_i + l_t + b D_it + e_it}.
 *
 * @param effect          b with the CR2 (Bell-McCaffrey) standard error clustered by unit and its
 *                        Satterthwaite df; NaN SE when {@code seUnavailableReason} is set
 * @param effectCr1       b with the CR1 standard error (df G - 1, K counting slopes and period dummies,
 *                        not the absorbed unit effects); NaN SE when unavailable
 * @param seUnavailableReason why no standard error is reported, or null
 * @param clusters        units used as clusters (units observed in two or more periods)
 * @param cells           cells (rows) in the fit
 * @param coefficients    K: slope coefficients plus period dummies
 * @param staggered       true when treated units adopt at different periods (then b is a weighted average of
 *                        2x2 comparisons, some with already-treated controls and possibly negative weights,
 *                        Goodman-Bacon 2021: prefer Callaway-Sant'Anna)
 */
public record TwfeResult(Estimate effect, Estimate effectCr1, String seUnavailableReason, int clusters, int cells,
                         int coefficients, boolean staggered) {

    /** True when standard errors are reported. */
    public boolean seAvailable() {
        return seUnavailableReason == null;
    }
}

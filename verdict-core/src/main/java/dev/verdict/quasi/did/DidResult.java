package dev.verdict.quasi.did;

import dev.verdict.stats.Estimate;

import java.util.List;

/**
 * Everything a readout needs from a difference-in-differences analysis: the headline estimate, the
 * identification check and the claim it allows, every estimator's result, and the plot data.
 *
 * @param headline        the effect to report: the two-way fixed-effects estimate for a single adoption period
 *                        (with placebo-in-space inference when a single unit is treated), the Callaway-Sant'Anna
 *                        overall ATT under staggered adoption
 * @param headlineMethod  which of the two, in words
 * @param preTrend        the pre-trend check that governs the claim: the event study's for a single adoption
 *                        period (its placebo-in-space version with a single treated unit), Callaway-Sant'Anna's
 *                        under staggered adoption
 * @param claim           CAUSAL only when the pre-trend check passed; otherwise DESCRIPTIVE
 * @param claimReason     one sentence saying why
 * @param twoByTwo        the 2x2 of means with its explanation; null under staggered adoption or without
 *                        never-treated units
 * @param twfe            static two-way fixed effects
 * @param eventStudy      the two-way fixed-effects event study; null when it is not identified (no never-treated
 *                        units and a window that bins nothing), with a note saying so
 * @param callawaySantAnna group-time effects and aggregations
 * @param placebo         placebo-in-space inference when there is a single treated unit and at least two
 *                        comparison units (its effect is then the headline and its pre-trend test the check); null
 *                        otherwise
 * @param trends          raw treated and comparison means per period (plot)
 * @param notes           what was dropped or recoded, and caveats, in words
 */
public record DidResult(Estimate headline, String headlineMethod, PreTrendTest preTrend, Claim claim,
                        String claimReason, TwoByTwoResult twoByTwo, TwfeResult twfe, EventStudyResult eventStudy,
                        CallawaySantAnnaResult callawaySantAnna, PlaceboInSpace placebo, List<TrendPoint> trends, List<String> notes) {

    /** What the estimate may be called in the readout. */
    public enum Claim {
        /** Parallel pre-trends were tested and not rejected: the estimate may be read as the effect. */
        CAUSAL,
        /** Pre-trends diverge or cannot be tested: report the difference as descriptive only. */
        DESCRIPTIVE
    }

    public DidResult {
        trends = List.copyOf(trends);
        notes = List.copyOf(notes);
    }
}

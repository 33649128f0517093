package dev.verdict.quasi.did;

import dev.verdict.stats.Estimate;

/**
 * The 2x2 difference-in-differences of means: treated and comparison group means before and after adoption,
 * their changes, and the difference of the changes with its explanation.
 *
 * @param adoptionPeriod      the first treated period; "before" is every period earlier, "after" the rest
 * @param treatedBefore       treated units' mean before adoption
 * @param treatedAfter        treated units' mean after adoption
 * @param controlBefore       comparison units' mean before adoption
 * @param controlAfter        comparison units' mean after adoption
 * @param effect              {@code (treatedAfter - treatedBefore) - (controlAfter - controlBefore)} with its
 *                            standard error (NaN with the reason in the method when not available)
 * @param seUnavailableReason why no standard error is reported, or null
 * @param treatedUnits        treated units used (observed before and after)
 * @param controlUnits        comparison (never-treated) units used
 * @param explanation         the estimate in words, naming each difference
 */
public record TwoByTwoResult(long adoptionPeriod, double treatedBefore, double treatedAfter, double controlBefore,
                             double controlAfter, Estimate effect, String seUnavailableReason, int treatedUnits,
                             int controlUnits, String explanation) {

    /** The treated units' before-after change (what a naive before/after comparison would claim). */
    public double treatedChange() {
        return treatedAfter - treatedBefore;
    }

    /**
     * The explanation with the adoption period named by {@code adoption} (e.g. "the day starting
     * 2026-10-05T00:00:00Z") instead of by its number as in {@link #explanation()}.
     */
    public String explanation(String adoption) {
        return TwoByTwoDid.explain(adoption, treatedBefore, treatedAfter, controlBefore, controlAfter,
                effect.estimate(), seUnavailableReason);
    }

    /** The comparison units' change: the trend the treated would have followed without the change. */
    public double controlChange() {
        return controlAfter - controlBefore;
    }
}

package dev.verdict.readout;

import java.util.List;

/**
 * The success-metric effects within the values of one pre-declared segment column, with multiplicity-
 * adjusted p-values and the joint test that the effects differ (FRAMEWORK.md section 4, step 3).
 *
 * @param column                 the segment column (canonical name)
 * @param effects                one success effect per segment value, each carrying its {@link Effect.Segment}
 * @param adjustedP              Holm-adjusted p-values, one per effect, in the same order
 * @param heterogeneityStatistic the joint test statistic that the segment effects differ (e.g. a Wald chi-square)
 * @param heterogeneityDf        its degrees of freedom
 * @param heterogeneityPValue    its p-value
 */
public record SegmentEffects(String column, List<Effect> effects, List<Double> adjustedP,
                             double heterogeneityStatistic, int heterogeneityDf, double heterogeneityPValue) {
    public SegmentEffects {
        effects = List.copyOf(effects);
        adjustedP = List.copyOf(adjustedP);
        if (effects.size() != adjustedP.size()) {
            throw new IllegalArgumentException("segment " + column + ": " + effects.size() + " effects but "
                    + adjustedP.size() + " adjusted p-values");
        }
    }
}

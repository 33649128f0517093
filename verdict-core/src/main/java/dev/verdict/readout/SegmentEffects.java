package dev.verdict.readout;

import java.util.List;

/**
 * The decision metric's effect within each value of one pre-declared segment column, with multiplicity-adjusted
 * p-values and the joint test that the effects differ across values.
 *
 * @param column                  the segment column
 * @param effects                 one effect per segment value
 * @param adjustedP               Holm-adjusted p-values, aligned with {@code effects}
 * @param heterogeneityStatistic  chi-square statistic of the joint test that all segment effects are equal
 * @param heterogeneityDf         its degrees of freedom (number of values with an estimate, minus one)
 * @param heterogeneityPValue     its p-value
 */
public record SegmentEffects(String column, List<Effect> effects, List<Double> adjustedP, double heterogeneityStatistic,
                             int heterogeneityDf, double heterogeneityPValue) {
    public SegmentEffects {
        effects = List.copyOf(effects);
        adjustedP = List.copyOf(adjustedP);
    }
}

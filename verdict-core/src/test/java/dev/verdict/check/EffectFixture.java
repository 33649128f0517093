package dev.verdict.check;

import dev.verdict.readout.Effect;
import org.apache.commons.statistics.distribution.NormalDistribution;

import java.util.Optional;

/** Effects with a normal-reference 95% interval, built from a control value, an estimate and a standard error. */
public final class EffectFixture {
    /** qnorm(0.975), R 4.2.2: 1.959963984540054. */
    public static final double Z975 = 1.959963984540054;

    private EffectFixture() {
    }

    public static Effect effect(String metric, double control, double estimate, double se) {
        return effect(metric, Optional.empty(), control, estimate, se);
    }

    public static Effect segment(String column, String value, double control, double estimate, double se) {
        return effect("completed", Optional.of(new Effect.Segment(column, value)), control, estimate, se);
    }

    public static Effect effect(String metric, Optional<Effect.Segment> segment, double control, double estimate,
                                double se) {
        double p = 2 * NormalDistribution.of(0, 1).survivalProbability(Math.abs(estimate / se));
        return new Effect(metric, "mean", "success", segment, control, control + estimate, estimate, se,
                Double.POSITIVE_INFINITY, estimate - Z975 * se, estimate + Z975 * se, p,
                control == 0 ? Double.NaN : estimate / control, 1000, 1000, "welch");
    }
}

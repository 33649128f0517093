package dev.verdict.spec;

import java.util.OptionalDouble;

/**
 * Rollback triggers: absolute levels of the treatment arm that fire a rollback even when the
 * average effect looks fine.
 *
 * @param errorRateAbove        treatment error rate above this fires
 * @param p99LatencyMsAbove     treatment p99 latency (ms) above this fires
 * @param costPerSuccessAbove   treatment cost per successful request above this fires
 * @param fallbackRateAbove     treatment fallback rate above this fires
 */
public record Rollback(
        OptionalDouble errorRateAbove,
        OptionalDouble p99LatencyMsAbove,
        OptionalDouble costPerSuccessAbove,
        OptionalDouble fallbackRateAbove) {

    public static final Rollback NONE = new Rollback(OptionalDouble.empty(), OptionalDouble.empty(),
            OptionalDouble.empty(), OptionalDouble.empty());
}

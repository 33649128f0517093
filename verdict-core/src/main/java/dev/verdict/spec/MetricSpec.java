package dev.verdict.spec;

import java.util.Optional;

/**
 * A metric as declared in the spec: which column, which summary, which direction is good.
 *
 * @param metric      canonical column name of the outcome (or of the numerator for a ratio)
 * @param kind        the summary compared between arms
 * @param direction   which direction is an improvement
 * @param minEffect   the smallest change worth shipping, if declared (absolute or relative)
 * @param denominator canonical column of the denominator, for {@link MetricKind#RATIO}
 * @param covariate   canonical column of a pre-period covariate for regression adjustment (CUPED)
 */
public record MetricSpec(
        String metric,
        MetricKind kind,
        Direction direction,
        Optional<Threshold> minEffect,
        Optional<String> denominator,
        Optional<String> covariate) {

    /** A display label such as {@code p99(latency_ms)} or {@code gpu_seconds/completed}. */
    public String label() {
        return switch (kind) {
            case MEAN -> metric;
            case PROPORTION -> metric;
            case RATIO -> metric + "/" + denominator.orElse("?");
            default -> kind.wireName() + "(" + metric + ")";
        };
    }
}

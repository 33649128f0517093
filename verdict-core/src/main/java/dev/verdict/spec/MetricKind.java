package dev.verdict.spec;

import java.util.Locale;

/** The summary of a metric that the arms are compared on. */
public enum MetricKind {
    MEAN(Double.NaN),
    PROPORTION(Double.NaN),
    RATIO(Double.NaN),
    P50(0.50),
    P90(0.90),
    P95(0.95),
    P99(0.99);

    private final double probability;

    MetricKind(double probability) {
        this.probability = probability;
    }

    /** The quantile's probability, NaN for non-quantile kinds. */
    public double probability() {
        return probability;
    }

    public boolean isQuantile() {
        return !Double.isNaN(probability);
    }

    /** The name used in YAML and JSON, e.g. {@code p99}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package dev.verdict.spec;

/**
 * A metric that must not get worse by more than {@code maxHarm}: a non-inferiority test.
 *
 * @param metric  the metric; its direction says which way is good (harm is the other way)
 * @param maxHarm the largest tolerated harm, absolute or relative to control
 */
public record Guardrail(MetricSpec metric, Threshold maxHarm) { }

package dev.verdict.readout;

import java.util.Optional;

/**
 * One estimated effect: treatment minus control on a metric (overall or within a segment), with the
 * interval and the method actually used.
 *
 * @param metric         display label of the metric, e.g. {@code latency_ms} or {@code gpu_seconds/completed}
 * @param kind           the metric kind's wire name (mean, proportion, ratio, p50 ...)
 * @param role           success, guardrail or economics
 * @param segment        segment column and value, when the effect is within a segment
 * @param control        control arm value of the metric
 * @param treatment      treatment arm value of the metric
 * @param estimate       treatment minus control
 * @param se             standard error of the estimate
 * @param df             degrees of freedom of the reference t distribution; infinite for a normal reference
 * @param ciLow          lower end of the two-sided {@code 1 - alpha} interval
 * @param ciHigh         upper end
 * @param pValue         two-sided p-value against no effect
 * @param relative       estimate relative to the control value (NaN when control is 0)
 * @param nControl       units of analysis in control
 * @param nTreatment     units of analysis in treatment
 * @param method         the estimator and variance actually used, e.g. {@code welch}, {@code delta_method_ratio}
 */
public record Effect(
        String metric,
        String kind,
        String role,
        Optional<Segment> segment,
        double control,
        double treatment,
        double estimate,
        double se,
        double df,
        double ciLow,
        double ciHigh,
        double pValue,
        double relative,
        long nControl,
        long nTreatment,
        String method) {

    /** Role of the decision metric's effects. */
    public static final String ROLE_SUCCESS = "success";
    /** Role of a guardrail metric's effect. */
    public static final String ROLE_GUARDRAIL = "guardrail";
    /** Role of a unit-economics effect (net value per request, cost per success, value per GPU-hour). */
    public static final String ROLE_ECONOMICS = "economics";

    /** True when the interval excludes zero. */
    public boolean significant() {
        return ciLow > 0 || ciHigh < 0;
    }

    /** A segment cell: the segment column and one of its values. */
    public record Segment(String column, String value) { }
}

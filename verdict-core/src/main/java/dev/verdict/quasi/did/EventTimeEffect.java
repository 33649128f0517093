package dev.verdict.quasi.did;

import dev.verdict.stats.Estimate;

/**
 * One event-study coefficient: the effect at {@code eventTime} periods relative to adoption (negative: before),
 * relative to the reference period, with its interval; the plot's data point.
 *
 * @param eventTime  periods since adoption; for a binned end point, the bin's inner edge
 * @param label      {@code "-3"}, {@code "<= -5"}, {@code ">= 10"}, or {@code "-1 (reference)"}
 * @param reference  true for the omitted reference period (estimate 0, no interval)
 * @param binned     true when the coefficient pools this and all more extreme relative periods
 * @param estimate   the coefficient with its standard error and interval
 * @param uniformLow lower end of a simultaneous (uniform over event times) band; NaN when none was computed
 * @param uniformHigh upper end of the simultaneous band; NaN when none was computed
 */
public record EventTimeEffect(int eventTime, String label, boolean reference, boolean binned, Estimate estimate,
                              double uniformLow, double uniformHigh) {

    static EventTimeEffect referencePoint(int eventTime, String method) {
        return new EventTimeEffect(eventTime, eventTime + " (reference)", true, false,
                new Estimate(0, 0, Double.NaN, 0, 0, Double.NaN, method + "; reference period, normalised to 0"),
                Double.NaN, Double.NaN);
    }
}

package dev.verdict.spec;

import java.util.Optional;

/**
 * The unit-economics columns that unify value and cost into one currency.
 *
 * @param cost        canonical column of the cost of a request in money (e.g. {@code cost_usd}), if logged
 * @param gpu         canonical column of GPU time per request (e.g. {@code gpu_seconds}), if logged
 * @param value       canonical column of the value of a request in money (e.g. {@code value_usd}), if logged
 * @param success     canonical column marking a successful request (e.g. {@code completed})
 * @param minNetGain  the smallest gain in net value per request (value minus cost) worth shipping; 0 by default
 */
public record Economics(
        Optional<String> cost,
        Optional<String> gpu,
        Optional<String> value,
        String success,
        double minNetGain) { }

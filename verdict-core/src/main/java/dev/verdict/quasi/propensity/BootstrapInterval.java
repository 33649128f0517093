package dev.verdict.quasi.propensity;

/**
 * The nonparametric bootstrap distribution of one estimator over replicates that redo the whole two-step procedure
 * (resample rows, refit the propensity model, re-weight, re-estimate), summarised as a standard error and two
 * intervals: normal {@code estimate -/+ z_(1-alpha/2) se} and percentile (the alpha/2 and 1-alpha/2 quantiles of the
 * replicates, R's type 7).
 *
 * @param replicates replicates requested
 * @param used       replicates that gave a finite value (the rest failed: separation, an empty arm, or a singular
 *                   outcome model in the replicate)
 * @param se         standard deviation of the replicate estimates (divisor used - 1)
 * @param normalLow  normal interval, lower end
 * @param normalHigh normal interval, upper end
 * @param percentileLow  percentile interval, lower end
 * @param percentileHigh percentile interval, upper end
 * @param alpha      1 - confidence level
 * @param seed       the seed the replicates were derived from
 */
public record BootstrapInterval(int replicates, int used, double se, double normalLow, double normalHigh,
                                double percentileLow, double percentileHigh, double alpha, long seed) {

    /** Replicates that failed. */
    public int failed() {
        return replicates - used;
    }
}

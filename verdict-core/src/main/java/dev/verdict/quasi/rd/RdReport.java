package dev.verdict.quasi.rd;

import java.util.List;

/**
 * Everything a readout needs from an RD analysis: the estimate, the identification checks with their verdicts, the
 * sensitivity table and the plot data.
 *
 * @param estimate    the RD estimate (headline: {@code estimate.robust()})
 * @param density     the manipulation test at the cutoff
 * @param covariates  covariate continuity results, in the order given
 * @param sensitivity bandwidth sensitivity table
 * @param plot        binned scatter and local fits
 * @param alpha       level the checks were judged at
 */
public record RdReport(RdEstimate estimate, DensityTestResult density, List<CovariateContinuity.Result> covariates,
                       List<BandwidthSensitivity.Row> sensitivity, RdPlotData plot, double alpha) {

    public RdReport {
        covariates = List.copyOf(covariates);
        sensitivity = List.copyOf(sensitivity);
    }

    /** True when the density test detects no manipulation at alpha. */
    public boolean densityPasses() {
        return density.passes(alpha);
    }

    /** True when no covariate jumps at the cutoff (Holm-adjusted, at alpha); true when none were given. */
    public boolean covariatesPass() {
        return covariates.stream().allMatch(CovariateContinuity.Result::passes);
    }

    /** True when every identification check passes. */
    public boolean checksPass() {
        return densityPasses() && covariatesPass();
    }
}

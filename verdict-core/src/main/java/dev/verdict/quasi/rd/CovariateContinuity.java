package dev.verdict.quasi.rd;

import dev.verdict.stats.MultipleComparisons;

import java.util.ArrayList;
import java.util.List;

/**
 * The covariate continuity (placebo outcome) check of an RD design: a covariate fixed before treatment cannot
 * respond to it, so its conditional mean must not jump at the cutoff. Each covariate is used as the outcome of the
 * same RD estimator (same kernel, order, variance and bandwidth rule, with its own data-driven bandwidth, as
 * Cattaneo, Idrobo and Titiunik 2020 recommend for falsification), and the robust bias-corrected p-values are
 * adjusted for the number of covariates by Holm's step-down method. A covariate fails when its Holm-adjusted p-value
 * is below alpha.
 */
public final class CovariateContinuity {
    private CovariateContinuity() {
    }

    /**
     * One covariate's RD estimate and verdict.
     *
     * @param name     covariate name
     * @param estimate the RD fit with the covariate as outcome
     * @param pHolm    Holm-adjusted robust p-value across the covariates checked together
     * @param passes   true when {@code pHolm >= alpha}
     */
    public record Result(String name, RdEstimate estimate, double pHolm, boolean passes) {
    }

    /**
     * Runs the check for each covariate, in the given order.
     *
     * @param estimator the RD estimator (its bandwidth rule or manual bandwidths apply to every covariate)
     * @param x         running variable
     * @param c         cutoff
     * @param covariates covariates, aligned with x
     * @param alpha     level of the familywise test, in (0, 1)
     */
    public static List<Result> check(RdRobust estimator, double[] x, double c, List<Covariate> covariates,
                                     double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        List<RdEstimate> fits = new ArrayList<>();
        double[] p = new double[covariates.size()];
        for (int i = 0; i < covariates.size(); i++) {
            Covariate cov = covariates.get(i);
            RdEstimate e = estimator.sharp(cov.values(), x, c, "covariate " + cov.name());
            fits.add(e);
            p[i] = e.robust().pValue();
        }
        double[] holm = p.length == 0 ? p : MultipleComparisons.holm(p);
        List<Result> out = new ArrayList<>();
        for (int i = 0; i < covariates.size(); i++) {
            out.add(new Result(covariates.get(i).name(), fits.get(i), holm[i], !(holm[i] < alpha)));
        }
        return List.copyOf(out);
    }
}

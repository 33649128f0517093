package dev.verdict.stats;

import org.apache.commons.statistics.distribution.NormalDistribution;

import java.util.ArrayList;
import java.util.List;

/**
 * The difference between two arms of a quantile (p50, p95, p99 latency), with a standard error valid at the unit
 * of randomization, from quantiles at a small grid of probabilities computed in the same pass as everything else.
 *
 * <p>Each arm's quantile {@code q = Q(p)} has asymptotic variance {@code Var(F(q)) / f(q)^2}. The sparsity
 * {@code 1 / f(q)} is estimated by the difference quotient {@code (Q(p + h) - Q(p - h)) / (2 h)} (Siddiqui 1960;
 * Bloch and Gastwirth 1968), with {@code h} the grid value nearest (in ratio) to the Hall and Sheather (1988)
 * bandwidth {@code n^(-1/3) z^(2/3) (1.5 phi(Phi^-1(p))^2 / (2 Phi^-1(p)^2 + 1))^(1/3)}, the rule R's quantreg
 * uses for the same purpose, at the effective sample size {@code n_eff = p (1 - p) / Var(F(q))}. The grid is
 * fixed so that the engine computes every quantile needed in the one pass, before n is known. For request
 * randomization {@code Var(F(q)) = p (1 - p) / n}. For unit randomization
 * (users, workspaces) {@code Var(F(q))} is the delta-method variance over units of the ratio
 * {@code sum_u below_u / sum_u present_u}, where {@code below_u} counts the unit's rows at or below {@code q}: this
 * is what makes the interval honest when a user's requests are correlated.
 *
 * <p>Hand-written: the pieces are a few lines each on engine-computed quantiles and per-unit counts.
 */
public final class QuantileContrast {
    /** Half-widths of the probability grid around each requested quantile. */
    public static final double[] GRID = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05};

    private QuantileContrast() {
    }

    /** The probabilities an engine must compute for quantile {@code p}: p itself and {@code p +/- h} on the grid. */
    public static List<Double> probabilities(double p) {
        List<Double> out = new ArrayList<>();
        out.add(p);
        for (double h : GRID) {
            if (p - h > 0 && p + h < 1) {
                out.add(round(p - h));
                out.add(round(p + h));
            }
        }
        return out;
    }

    /**
     * One arm's quantile and its standard error.
     *
     * @param value the quantile
     * @param se    its standard error
     * @param h     the grid half-width used for the sparsity
     */
    public record ArmQuantile(double value, double se, double h) { }

    /**
     * One arm's quantile with its standard error.
     *
     * @param p         the probability
     * @param quantile  a function giving the arm's quantile at any probability of {@link #probabilities(double)}
     * @param ecdfVariance the variance of the empirical CDF at the quantile: {@code p (1 - p) / n} for request
     *                  randomization, the clustered delta-method variance for unit randomization
     * @param alpha     two-sided level, which sets the target half-width
     */
    public static ArmQuantile arm(double p, java.util.function.DoubleUnaryOperator quantile, double ecdfVariance,
                                  double alpha) {
        double target = hallSheather(p, p * (1 - p) / ecdfVariance, alpha);
        double best = Double.NaN;
        for (double h : GRID) {
            if (p - h > 0 && p + h < 1 && (Double.isNaN(best) || Math.abs(Math.log(h / target)) < Math.abs(Math.log(best / target)))) {
                best = h;
            }
        }
        double q = quantile.applyAsDouble(p);
        if (Double.isNaN(best)) {
            return new ArmQuantile(q, Double.NaN, Double.NaN);
        }
        double sparsity = (quantile.applyAsDouble(round(p + best)) - quantile.applyAsDouble(round(p - best))) / (2 * best);
        return new ArmQuantile(q, sparsity * Math.sqrt(ecdfVariance), best);
    }

    /** The Hall–Sheather bandwidth for the sparsity at {@code p} with {@code n} observations and level {@code alpha}. */
    public static double hallSheather(double p, double n, double alpha) {
        NormalDistribution std = NormalDistribution.of(0, 1);
        double z = std.inverseSurvivalProbability(alpha / 2);
        double x = std.inverseCumulativeProbability(p);
        double phi = std.density(x);
        return Math.pow(n, -1.0 / 3) * Math.pow(z, 2.0 / 3) * Math.cbrt(1.5 * phi * phi / (2 * x * x + 1));
    }

    /**
     * The clustered variance of the empirical CDF at a threshold, from per-unit moments of
     * {@code (below_u, present_u)} (index 0 and 1): the delta method for the ratio of their means.
     */
    public static double clusteredEcdfVariance(Moments unitCounts) {
        double[] a = {1, 0};
        double[] b = {0, 1};
        return DeltaMethodRatio.arm(unitCounts, a, b).variance();
    }

    /** The contrast treatment minus control, normal reference. */
    public static Estimate contrast(ArmQuantile treatment, ArmQuantile control, double alpha, String method) {
        double se = Math.sqrt(treatment.se() * treatment.se() + control.se() * control.se());
        return Estimate.ofT(treatment.value() - control.value(), se, Double.POSITIVE_INFINITY, alpha, method);
    }

    /** Rounds a grid probability to 12 decimals, so that the value computed here and the one sent to the engine agree. */
    public static double round(double p) {
        return Math.round(p * 1e12) / 1e12;
    }
}

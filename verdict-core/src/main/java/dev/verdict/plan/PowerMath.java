package dev.verdict.plan;

import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * Closed-form minimum detectable effects (two-sided test at {@code alpha}, power {@code power}) and the durations
 * that reach a target effect, for the four randomized designs. With {@code q} the treated share and
 * {@code c = 1/q + 1/(1-q)}, every design's variance of the difference in means is {@code V(D)} after {@code D}
 * days and {@code MDE = k * sqrt(V(D))}, with {@code k = z(1 - alpha/2) + z(power)} (normal quantiles), or the same
 * with Student t quantiles on {@code K - 2} degrees of freedom for a cluster RCT of {@code K} clusters:
 * <ul>
 *   <li>request RCT, {@code r} requests a day of variance {@code s^2}: {@code V = s^2 c / (r D)};</li>
 *   <li>user or cluster RCT of {@code K} units, intraclass correlation {@code rho_I}, {@code m = r D / K} requests
 *   per unit: {@code V = s^2 c (1 + (m - 1) rho_I) / (r D) = s^2 c ((1 - rho_I) / (r D) + rho_I / K)} (the design
 *   effect {@code 1 + (m - 1) ICC}); the second term does not shrink with time, so an effect below
 *   {@code k s sqrt(c rho_I / K)} is never reached;</li>
 *   <li>switchback with {@code P} blocks a day, block-mean SD {@code sigma_b} and lag-1 autocorrelation
 *   {@code rho} of block means: {@code V = sigma_b^2 c (1 + rho) / (1 - rho) / (P D)}, negative {@code rho} counted
 *   as 0 (not credited).</li>
 * </ul>
 * Durations solve {@code k^2 V(D) = delta^2} for {@code D}; {@code +Infinity} when unreachable. Hand-written: the
 * formulas are the textbook ones (e.g. Donner and Klar 2000 for the design effect).
 */
public final class PowerMath {
    private PowerMath() {
    }

    /** {@code z(1 - alpha/2) + z(power)}. */
    public static double zSum(double alpha, double power) {
        NormalDistribution n = NormalDistribution.of(0, 1);
        return n.inverseCumulativeProbability(1 - alpha / 2) + n.inverseCumulativeProbability(power);
    }

    /** {@code t(1 - alpha/2; df) + t(power; df)}. */
    public static double tSum(double alpha, double power, double df) {
        TDistribution t = TDistribution.of(df);
        return t.inverseCumulativeProbability(1 - alpha / 2) + t.inverseCumulativeProbability(power);
    }

    /** {@code 1/q + 1/(1-q)}. */
    public static double allocationFactor(double q) {
        return 1 / q + 1 / (1 - q);
    }

    /** Request RCT: MDE after {@code days}. */
    public static double requestMde(double k, double sd, double q, double requestsPerDay, double days) {
        return k * sd * Math.sqrt(allocationFactor(q) / (requestsPerDay * days));
    }

    /** Request RCT: days to reach {@code delta}. */
    public static double requestDays(double k, double sd, double q, double requestsPerDay, double delta) {
        return k * k * sd * sd * allocationFactor(q) / (requestsPerDay * delta * delta);
    }

    /** User or cluster RCT: MDE after {@code days} with {@code units} units of intraclass correlation {@code icc}. */
    public static double clusteredMde(double k, double sd, double q, double requestsPerDay, double days, double units,
                                      double icc) {
        return k * sd * Math.sqrt(allocationFactor(q) * ((1 - icc) / (requestsPerDay * days) + icc / units));
    }

    /** The design effect {@code 1 + (m - 1) icc} of {@code m} requests per unit. */
    public static double designEffect(double m, double icc) {
        return 1 + (m - 1) * icc;
    }

    /** User or cluster RCT: days to reach {@code delta}; {@code +Infinity} when below the floor. */
    public static double clusteredDays(double k, double sd, double q, double requestsPerDay, double units, double icc,
                                       double delta) {
        double room = delta * delta / (k * k * sd * sd * allocationFactor(q)) - icc / units;
        if (Double.isNaN(room) || Double.isNaN(requestsPerDay)) {
            return Double.NaN;
        }
        return room > 0 ? (1 - icc) / (requestsPerDay * room) : Double.POSITIVE_INFINITY;
    }

    /** {@code (1 + rho) / (1 - rho)} with negative {@code rho} counted as 0. */
    public static double autocorrelationInflation(double rho) {
        double r = Math.max(0, rho);
        return (1 + r) / (1 - r);
    }

    /** Switchback: MDE after {@code days} with {@code blocksPerDay} blocks a day. */
    public static double switchbackMde(double k, double blockSd, double rho, double q, double blocksPerDay, double days) {
        return k * blockSd * Math.sqrt(allocationFactor(q) * autocorrelationInflation(rho) / (blocksPerDay * days));
    }

    /** Switchback: days to reach {@code delta}. */
    public static double switchbackDays(double k, double blockSd, double rho, double q, double blocksPerDay, double delta) {
        return k * k * blockSd * blockSd * allocationFactor(q) * autocorrelationInflation(rho) / (blocksPerDay * delta * delta);
    }
}

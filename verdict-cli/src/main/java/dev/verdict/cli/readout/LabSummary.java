package dev.verdict.cli.readout;

import org.apache.commons.statistics.distribution.NormalDistribution;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The design lab's report: over replicates of one scenario, each design's bias, RMSE, coverage and power for the
 * decision metric's effect against each replicate's true global effect, with Monte Carlo intervals for the bias and the
 * coverages (the lab's own sampling error from running finitely many replicates). {@code verdict lab} builds it, prints
 * it, and writes it as lab.json and readout.html.
 *
 * @param scenario       the scenario's name
 * @param control        the control policy's label
 * @param treatment      the treatment policy's label
 * @param metric         what the effect measures, with its unit
 * @param firstSeed      the first replicate's seed (replicate {@code i} runs with {@code firstSeed + i})
 * @param replicates     how many replicates ran
 * @param hours          simulated hours per replicate
 * @param meanTrueEffect the true global effect (ideal experiment), averaged over replicates
 * @param minTrueEffect  the smallest replicate's true effect
 * @param maxTrueEffect  the largest replicate's true effect
 * @param designs        one entry per design, in the order they were asked for
 */
public record LabSummary(String scenario, String control, String treatment, String metric, long firstSeed,
                         int replicates, double hours, double meanTrueEffect, double minTrueEffect, double maxTrueEffect,
                         List<Design> designs) {
    /** The nominal coverage of the readouts' intervals (two-sided, alpha 0.05). */
    public static final double NOMINAL_COVERAGE = 0.95;
    /** The standard normal 0.975 quantile, for the Monte Carlo intervals. */
    static final double Z = NormalDistribution.of(0, 1).inverseCumulativeProbability(0.975);

    public LabSummary {
        designs = List.copyOf(designs);
    }

    /**
     * One design's results over the replicates.
     *
     * @param name                the design's name ({@code request}, {@code switchback}, ...)
     * @param bias                mean of estimate minus true effect, with its Monte Carlo interval
     * @param rmse                root mean squared error of the estimate against the true effect
     * @param coverage            replicates whose readout interval contains the true effect
     * @param power               replicates whose readout interval excludes zero
     * @param recommendations     replicates per recommendation (wire name), in the recommendations' order
     * @param coverageByInference per other inference method the readouts report, replicates whose interval from that
     *                            method contains the true effect, out of those that gave one; by method name
     * @param checks              per check that failed or warned in at least one replicate, how many times it did
     * @param coverageWhereValid  replicates whose interval contains the true effect, out of those whose readout failed
     *                            no validity check (data quality, assignment integrity, identification, execution
     *                            fidelity, spillover): whether the estimates a user would trust cover, and so whether
     *                            the checks catch the replicates where the design breaks down
     */
    public record Design(String name, Bias bias, double rmse, Proportion coverage, Proportion power,
                         Map<String, Integer> recommendations, SortedMap<String, Proportion> coverageByInference,
                         SortedMap<String, CheckCounts> checks, Proportion coverageWhereValid) {
        public Design {
            recommendations = Collections.unmodifiableMap(new LinkedHashMap<>(recommendations));
            coverageByInference = Collections.unmodifiableSortedMap(new TreeMap<>(coverageByInference));
            checks = Collections.unmodifiableSortedMap(new TreeMap<>(checks));
        }
    }

    /** How many replicates' readouts failed, and how many warned on, one check. */
    public record CheckCounts(int fail, int warn) {
    }

    /**
     * The mean error over replicates and its Monte Carlo interval {@code mean +/- z * se}, where {@code se} is the sample
     * standard deviation of the errors (denominator {@code n - 1}) over {@code sqrt(n)} and {@code z} the normal 0.975
     * quantile. {@code mcSe} and the interval are NaN with fewer than two replicates.
     */
    public record Bias(double mean, double mcSe, double mcLow, double mcHigh) {
        /** The bias of these errors (estimate minus truth, one per replicate). */
        public static Bias of(double[] errors) {
            int n = errors.length;
            double mean = 0;
            for (double e : errors) {
                mean += e;
            }
            mean /= n;
            double ss = 0;
            for (double e : errors) {
                ss += (e - mean) * (e - mean);
            }
            double se = n > 1 ? Math.sqrt(ss / (n - 1) / n) : Double.NaN;
            // Student t with n - 1 df: with the few replicates a quick lab run has, 1.96 would be too narrow
            double t = n > 1 ? org.apache.commons.statistics.distribution.TDistribution.of(n - 1)
                    .inverseCumulativeProbability(0.975) : Double.NaN;
            return new Bias(mean, se, mean - t * se, mean + t * se);
        }
    }

    /**
     * A share of replicates with its Wilson score interval (Wilson 1927, JASA 22:209-212; no continuity correction),
     * which stays inside [0, 1] and keeps close to its nominal 95% with few replicates and shares near 0 or 1:
     * {@code (p + z^2/2n -/+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)}. Share and interval are NaN when
     * {@code trials} is 0.
     */
    public record Proportion(int hits, int trials, double share, double wilsonLow, double wilsonHigh) {
        /** {@code hits} of {@code trials} with the Wilson interval. */
        public static Proportion of(int hits, int trials) {
            if (trials == 0) {
                return new Proportion(0, 0, Double.NaN, Double.NaN, Double.NaN);
            }
            double p = (double) hits / trials;
            double z2 = Z * Z;
            double d = 1 + z2 / trials;
            double centre = (p + z2 / (2.0 * trials)) / d;
            double half = Z / d * Math.sqrt(p * (1 - p) / trials + z2 / (4.0 * trials * trials));
            // at 0 and at all hits the bound is exactly 0 or 1; rounding would leave it a hair inside
            return new Proportion(hits, trials, p, hits == 0 ? 0 : centre - half, hits == trials ? 1 : centre + half);
        }
    }
}

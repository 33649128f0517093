package dev.verdict.stats;

import org.apache.commons.statistics.distribution.ChiSquaredDistribution;

import java.util.Arrays;

/**
 * Pearson's chi-square goodness-of-fit test of observed category counts against declared
 * probabilities, as R's {@code chisq.test(x, p = p)} (no continuity correction, no rescaling).
 *
 * <p>With {@code N = sum counts} and expected counts {@code E_i = N p_i}, the statistic is
 * {@code X^2 = sum (O_i - E_i)^2 / E_i}, referred to a chi-square distribution with {@code k - 1}
 * degrees of freedom ({@code k} categories); the p-value is its upper tail, computed by
 * Commons Statistics' {@link ChiSquaredDistribution#survivalProbability} (accurate far into the tail,
 * unlike {@code 1 - cdf}). This is the sample-ratio-mismatch test used by most experimentation
 * platforms (Fabijan et al. 2019, "Diagnosing sample ratio mismatch in online controlled experiments", KDD,
 * doi:10.1145/3292500.3330722).
 *
 * <p>Edge cases: with {@code N = 0} the statistic and p-value are NaN (nothing was observed). The
 * chi-square approximation is poor when an expected count is below about 5; R warns then, and so
 * should the caller (it is not refused here).
 */
public final class ChiSquareGoodnessOfFit {
    /** The tolerance R allows on {@code sum(p) - 1}: {@code sqrt(.Machine$double.eps)}. */
    public static final double PROBABILITY_SUM_TOLERANCE = Math.sqrt(Math.ulp(1.0));

    private ChiSquareGoodnessOfFit() {
    }

    /**
     * The test's result.
     *
     * @param statistic Pearson's {@code X^2}; NaN when no count was observed
     * @param df        degrees of freedom, {@code k - 1}
     * @param pValue    upper-tail probability of {@code X^2} under the null; NaN when no count was observed
     * @param expected  expected counts {@code N p_i}, in input order
     */
    public record Result(double statistic, int df, double pValue, double[] expected) {
        public Result {
            expected = expected.clone();
        }

        @Override
        public double[] expected() {
            return expected.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Result r && Double.compare(r.statistic, statistic) == 0 && r.df == df
                    && Double.compare(r.pValue, pValue) == 0 && Arrays.equals(r.expected, expected);
        }

        @Override
        public int hashCode() {
            return Double.hashCode(statistic) * 31 + Arrays.hashCode(expected);
        }

        @Override
        public String toString() {
            return "Result[statistic=" + statistic + ", df=" + df + ", pValue=" + pValue + ", expected="
                    + Arrays.toString(expected) + "]";
        }
    }

    /**
     * Tests {@code counts} against {@code probabilities}.
     *
     * @param counts        observed non-negative counts, at least two categories
     * @param probabilities the null probabilities, each in (0, 1], summing to 1 within
     *                      {@link #PROBABILITY_SUM_TOLERANCE}, same length as {@code counts}
     * @throws IllegalArgumentException when the lengths differ, fewer than two categories are given, a count
     *                                  is negative, or a probability is not in (0, 1] (NaN included) or they
     *                                  do not sum to 1
     */
    public static Result test(long[] counts, double[] probabilities) {
        if (counts.length != probabilities.length) {
            throw new IllegalArgumentException("chi-square goodness of fit needs one probability per count: got "
                    + counts.length + " counts and " + probabilities.length + " probabilities");
        }
        if (counts.length < 2) {
            throw new IllegalArgumentException("chi-square goodness of fit needs at least 2 categories, got "
                    + counts.length);
        }
        double sumP = 0;
        long n = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0) {
                throw new IllegalArgumentException("count " + i + " must be >= 0, got " + counts[i]);
            }
            if (!(probabilities[i] > 0 && probabilities[i] <= 1)) {
                throw new IllegalArgumentException("probability " + i + " must be in (0, 1], got " + probabilities[i]);
            }
            sumP += probabilities[i];
            n = Math.addExact(n, counts[i]);
        }
        if (!(Math.abs(sumP - 1) <= PROBABILITY_SUM_TOLERANCE)) {
            throw new IllegalArgumentException("probabilities must sum to 1, got " + sumP);
        }
        int df = counts.length - 1;
        double[] expected = new double[counts.length];
        if (n == 0) {
            return new Result(Double.NaN, df, Double.NaN, expected);
        }
        double statistic = 0;
        for (int i = 0; i < counts.length; i++) {
            expected[i] = n * probabilities[i];
            double d = counts[i] - expected[i];
            statistic += d * d / expected[i];
        }
        double p = ChiSquaredDistribution.of(df).survivalProbability(statistic);
        return new Result(statistic, df, p, expected);
    }
}

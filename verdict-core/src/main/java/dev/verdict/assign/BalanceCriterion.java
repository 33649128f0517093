package dev.verdict.assign;

import org.apache.commons.statistics.distribution.ChiSquaredDistribution;

import java.util.function.Predicate;

/**
 * When a re-randomized cluster draw is balanced enough to accept (Morgan and Rubin 2012): either every covariate's
 * absolute standardized difference is at most a threshold, or the Mahalanobis distance of the mean difference is
 * at most the {@code p}-quantile of the chi-square distribution with {@code k} degrees of freedom (so that about a
 * share {@code p} of complete randomizations are accepted).
 */
public sealed interface BalanceCriterion {

    /** Whether the draw's balance is acceptable. */
    boolean accepts(BalanceTable balance);

    /** A short description, e.g. {@code max |std diff| <= 0.1}. */
    String describe();

    /**
     * The same acceptance rule for tables of {@code k} covariates, with anything that depends only on {@code k} (the
     * chi-square quantile) computed once: for tests that evaluate the criterion on many assignments.
     */
    default Predicate<BalanceTable> forCovariates(int k) {
        return this::accepts;
    }

    /**
     * Accept when {@code max_j |std diff_j| <= threshold}.
     *
     * @throws IllegalArgumentException unless {@code threshold} is finite and {@code > 0}
     */
    static BalanceCriterion maxStdDiff(double threshold) {
        return new MaxStdDiff(threshold);
    }

    /**
     * Accept when {@code M <= chi2_k^-1(p)}, {@code k} the number of covariates.
     *
     * @throws IllegalArgumentException unless {@code p} is in (0, 1)
     */
    static BalanceCriterion mahalanobisQuantile(double p) {
        return new MahalanobisQuantile(p);
    }

    /** Largest absolute standardized difference allowed. */
    record MaxStdDiff(double threshold) implements BalanceCriterion {
        public MaxStdDiff {
            if (!(threshold > 0 && threshold < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("max |standardized difference| must be finite and > 0, got "
                        + threshold);
            }
        }

        @Override
        public boolean accepts(BalanceTable balance) {
            return balance.maxAbsStdDiff() <= threshold;
        }

        @Override
        public String describe() {
            return "max |std diff| <= " + threshold;
        }
    }

    /** Mahalanobis distance at most the chi-square quantile of probability {@code p}. */
    record MahalanobisQuantile(double p) implements BalanceCriterion {
        public MahalanobisQuantile {
            if (!(p > 0 && p < 1)) {
                throw new IllegalArgumentException("Mahalanobis acceptance quantile must be in (0, 1), got " + p);
            }
        }

        @Override
        public boolean accepts(BalanceTable balance) {
            if (Double.isNaN(balance.mahalanobis())) {
                throw new IllegalArgumentException("the Mahalanobis criterion needs a non-singular covariance of the"
                        + " covariates (a constant or collinear covariate?); drop it or use max |std diff|");
            }
            return balance.mahalanobis() <= bound(balance.rows().size());
        }

        @Override
        public Predicate<BalanceTable> forCovariates(int k) {
            double bound = bound(k);
            return balance -> {
                if (balance.rows().size() != k) {
                    return accepts(balance);
                }
                if (Double.isNaN(balance.mahalanobis())) {
                    return accepts(balance); // throws the singular-covariance message
                }
                return balance.mahalanobis() <= bound;
            };
        }

        /** The acceptance bound {@code chi2_k^-1(p)} for {@code k} covariates. */
        public double bound(int k) {
            return ChiSquaredDistribution.of(k).inverseCumulativeProbability(p);
        }

        @Override
        public String describe() {
            return "Mahalanobis M <= chi2 quantile " + p;
        }
    }
}

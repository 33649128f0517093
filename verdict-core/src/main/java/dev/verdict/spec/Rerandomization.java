package dev.verdict.spec;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/**
 * How a cluster RCT's assignment was re-randomized (Morgan and Rubin 2012): stratified complete randomization repeated
 * until the clusters' pre-period means of {@code covariates} met the criterion. The analysis then checks that the logged
 * assignment meets it and restricts randomization inference to the assignments it accepts.
 *
 * @param covariates the covariate columns (canonical names when canonical), at least one, distinct
 * @param criterion  the acceptance rule
 * @param threshold  for {@link Criterion#MAX_STD_DIFF} the largest |standardized difference| accepted ({@code > 0});
 *                   for {@link Criterion#MAHALANOBIS} the acceptance probability {@code p} in (0, 1): accept when
 *                   {@code M <= chi2_k^-1(p)}
 */
public record Rerandomization(List<String> covariates, Criterion criterion, double threshold) {

    /** The acceptance rules of {@code dev.verdict.assign.BalanceCriterion}. */
    public enum Criterion {
        MAX_STD_DIFF, MAHALANOBIS;

        /** The spec's name, e.g. {@code max_std_diff}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Rerandomization {
        covariates = List.copyOf(covariates);
        if (covariates.isEmpty() || new HashSet<>(covariates).size() != covariates.size()) {
            throw new IllegalArgumentException("covariates must be at least one distinct column, got " + covariates);
        }
        if (criterion == null) {
            throw new IllegalArgumentException("criterion must not be null");
        }
        boolean ok = criterion == Criterion.MAX_STD_DIFF ? threshold > 0 && threshold < Double.POSITIVE_INFINITY
                : threshold > 0 && threshold < 1;
        if (!ok) {
            throw new IllegalArgumentException("threshold of " + criterion.wireName() + " out of range: " + threshold);
        }
    }
}

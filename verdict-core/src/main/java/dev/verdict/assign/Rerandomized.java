package dev.verdict.assign;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A cluster draw accepted by re-randomization: stratified complete randomization ({@link ClusterDraw#draw}) repeated
 * until the draw's balance on pre-period covariates meets a declared {@link BalanceCriterion} (Morgan and Rubin
 * 2012).
 *
 * <p><b>Draw sequence.</b> {@code SplittableRandom(seed)} yields one seed per attempt ({@code nextLong()}), and
 * attempt {@code i} is {@code ClusterDraw.draw(units, strata, share, s_i)}; the first accepted attempt is the draw.
 * The same inputs and seed therefore give the same draw, and the accepted draw's own {@link ClusterDraw#seed()}
 * reproduces it with a plain {@code ClusterDraw.draw}.
 *
 * <p><b>Inference.</b> Re-randomization restricts the assignment distribution to the accepted draws, so a
 * randomization test must re-draw under the same criterion: {@link #acceptedDraws} gives {@code K} accepted draws
 * from an independent seed.
 *
 * @param draw       the accepted draw
 * @param drawsTried attempts made, the accepted one included
 * @param balance    the accepted draw's balance table
 * @param criterion  the criterion it met
 */
public record Rerandomized(ClusterDraw draw, int drawsTried, BalanceTable balance, BalanceCriterion criterion) {

    /** See {@link ClusterDraw#rerandomized}. */
    static Rerandomized of(List<String> units, List<String> strata, double share, long seed, List<String> names,
                           Function<String, double[]> covariates, BalanceCriterion criterion, int maxDraws) {
        if (criterion == null) {
            throw new IllegalArgumentException("criterion must not be null");
        }
        if (maxDraws < 1) {
            throw new IllegalArgumentException("maxDraws must be >= 1, got " + maxDraws);
        }
        Arguments.noNulls("units", units);
        Covariates x = Covariates.of(units, names, covariates);
        SplittableRandom seeds = new SplittableRandom(seed);
        BalanceTable best = null;
        for (int i = 1; i <= maxDraws; i++) {
            ClusterDraw d = ClusterDraw.draw(units, strata, share, seeds.nextLong());
            BalanceTable b = BalanceTable.of(d, names, x);
            if (criterion.accepts(b)) {
                return new Rerandomized(d, i, b, criterion);
            }
            if (best == null || b.maxAbsStdDiff() < best.maxAbsStdDiff()) {
                best = b;
            }
        }
        throw new IllegalArgumentException("no draw met the balance criterion " + criterion.describe() + " in "
                + maxDraws + " draws (best max |std diff| " + String.format(java.util.Locale.ROOT, "%.4g",
                best.maxAbsStdDiff()) + "); loosen the criterion, raise the number of draws or stratify on the"
                + " imbalanced covariate");
    }

    /**
     * {@code k} draws accepted under the same criterion, for randomization inference under re-randomization: attempt
     * seeds come from {@code SplittableRandom(riSeed)} as for {@link ClusterDraw#rerandomized}, and every accepted
     * attempt is kept until {@code k} are found.
     *
     * @param maxDraws the attempt budget for all {@code k} draws together
     * @throws IllegalArgumentException when fewer than {@code k} draws are accepted within {@code maxDraws} attempts
     */
    public static List<ClusterDraw> acceptedDraws(List<String> units, List<String> strata, double share, long riSeed,
                                                  List<String> names, Function<String, double[]> covariates,
                                                  BalanceCriterion criterion, int k, long maxDraws) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        if (criterion == null) {
            throw new IllegalArgumentException("criterion must not be null");
        }
        Arguments.noNulls("units", units);
        Covariates x = Covariates.of(units, names, covariates);
        SplittableRandom seeds = new SplittableRandom(riSeed);
        List<ClusterDraw> out = new ArrayList<>(k);
        for (long i = 0; i < maxDraws && out.size() < k; i++) {
            ClusterDraw d = ClusterDraw.draw(units, strata, share, seeds.nextLong());
            if (criterion.accepts(BalanceTable.of(d, names, x))) {
                out.add(d);
            }
        }
        if (out.size() < k) {
            throw new IllegalArgumentException("only " + out.size() + " of " + k + " draws met the balance criterion "
                    + criterion.describe() + " in " + maxDraws + " attempts; raise the attempt budget");
        }
        return List.copyOf(out);
    }
}

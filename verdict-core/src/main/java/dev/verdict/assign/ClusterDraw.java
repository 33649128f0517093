package dev.verdict.assign;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Complete randomization of clusters within strata, reproducible from its seed.
 *
 * <p><b>Counts.</b> Strata are taken in order of first appearance. Stratum {@code s} with {@code n_s} units
 * has quota {@code q_s = share * n_s}, computed exactly from the double {@code share} and rounded to 9
 * decimals (so that quotas a user means to be equal, such as {@code 0.1 * 15} and {@code 0.1 * 25} minus
 * their integer parts, compare equal). The total treated is {@code T = round-half-up(sum_s q_s)}, which is
 * {@code round(share * n)}. Each stratum first gets {@code floor(q_s)}; the remaining
 * {@code T - sum floor(q_s)} units go one each to the strata with the largest fractional parts
 * {@code q_s - floor(q_s)} (largest remainder, Hamilton's method), ties broken by a uniformly random order of
 * the strata drawn from the seed. So every stratum treats {@code floor(q_s)} or {@code ceil(q_s)} units and
 * the total is {@code round(share * n)}; when {@code share * n_s} is a whole number it is exact.
 *
 * <p><b>Draw.</b> One {@link SplittableRandom} seeded with {@code seed}: first the random tie-breaking order
 * of the strata (a Fisher-Yates shuffle, {@code nextInt(i + 1)} for {@code i} from the last index down), then,
 * stratum by stratum in order of first appearance, a uniformly random subset of the stratum's units of the
 * stratum's count: a partial Fisher-Yates shuffle of the stratum's units in input order, swapping position
 * {@code i} with {@code i + nextInt(n_s - i)} for {@code i = 0 .. count - 1}, the first {@code count}
 * positions being treated. Never {@code Math.random}
 * or hash-map iteration order, so the same inputs and seed give the same draw on every run; the tests pin one
 * draw so that a change of algorithm is noticed.
 *
 * <p>Hand-written (no library offers stratified complete randomization with this rounding rule). Immutable.
 */
public final class ClusterDraw {
    private final List<String> units;
    private final List<String> treatedUnits;
    private final Set<String> treated;
    private final Set<String> all;
    private final Map<String, Integer> treatedPerStratum;
    private final Map<String, Integer> unitsPerStratum;
    private final double treatedShare;
    private final long seed;

    private ClusterDraw(List<String> units, List<String> treatedUnits, Map<String, Integer> treatedPerStratum,
                        Map<String, Integer> unitsPerStratum, double treatedShare, long seed) {
        this.units = units;
        this.treatedUnits = treatedUnits;
        this.treated = new HashSet<>(treatedUnits);
        this.all = new HashSet<>(units);
        this.treatedPerStratum = treatedPerStratum;
        this.unitsPerStratum = unitsPerStratum;
        this.treatedShare = treatedShare;
        this.seed = seed;
    }

    /**
     * Draws the treated clusters.
     *
     * @param units        distinct cluster ids, at least one
     * @param strata       the stratum label of each unit, same length; one label for all when unstratified
     * @param treatedShare share of units to treat, in (0, 1)
     * @param seed         seed of the draw
     * @throws IllegalArgumentException when a list is null or holds null, the lengths differ, there are no
     *                                  units, a unit id repeats, or the share is not in (0, 1)
     */
    public static ClusterDraw draw(List<String> units, List<String> strata, double treatedShare, long seed) {
        Arguments.noNulls("units", units);
        Arguments.noNulls("strata", strata);
        Arguments.treatedShare(treatedShare);
        if (units.isEmpty()) {
            throw new IllegalArgumentException("units must hold at least one cluster id, got none");
        }
        if (units.size() != strata.size()) {
            throw new IllegalArgumentException("strata must give one label per unit: got " + units.size() + " units and "
                    + strata.size() + " strata labels");
        }
        Set<String> seen = new HashSet<>();
        for (String u : units) {
            if (!seen.add(u)) {
                throw new IllegalArgumentException("units must be distinct cluster ids, got '" + u + "' twice");
            }
        }
        Map<String, List<Integer>> members = new LinkedHashMap<>();
        for (int i = 0; i < units.size(); i++) {
            members.computeIfAbsent(strata.get(i), k -> new ArrayList<>()).add(i);
        }
        List<String> labels = new ArrayList<>(members.keySet());
        int m = labels.size();
        int[] sizes = new int[m];
        for (int s = 0; s < m; s++) {
            sizes[s] = members.get(labels.get(s)).size();
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] counts = counts(sizes, treatedShare, shuffledIdentity(m, rng));
        boolean[] isTreated = new boolean[units.size()];
        Map<String, Integer> treatedPerStratum = new LinkedHashMap<>();
        Map<String, Integer> unitsPerStratum = new LinkedHashMap<>();
        for (int s = 0; s < m; s++) {
            int[] idx = members.get(labels.get(s)).stream().mapToInt(Integer::intValue).toArray();
            for (int i = 0; i < counts[s]; i++) {
                int j = i + rng.nextInt(idx.length - i);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
                isTreated[idx[i]] = true;
            }
            treatedPerStratum.put(labels.get(s), counts[s]);
            unitsPerStratum.put(labels.get(s), idx.length);
        }
        List<String> treatedUnits = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            if (isTreated[i]) {
                treatedUnits.add(units.get(i));
            }
        }
        return new ClusterDraw(List.copyOf(units), Collections.unmodifiableList(treatedUnits),
                Collections.unmodifiableMap(treatedPerStratum), Collections.unmodifiableMap(unitsPerStratum),
                treatedShare, seed);
    }

    /**
     * Re-randomization (Morgan and Rubin 2012): stratified complete randomization repeated until the draw's balance
     * on pre-period covariates meets {@code criterion}. See {@link Rerandomized} for the draw sequence (reproducible
     * from {@code seed}) and {@link Rerandomized#acceptedDraws} for the accepted draws a randomization test needs.
     *
     * @param covariateNames names of the covariates, at least one
     * @param covariates     each unit's covariate values, one per name, finite
     * @param criterion      when a draw is balanced enough
     * @param maxDraws       attempts allowed, at least 1
     * @throws IllegalArgumentException for invalid arguments, and with a one-line message naming the criterion,
     *                                  the budget and the best balance seen when no draw meets the criterion
     */
    public static Rerandomized rerandomized(List<String> units, List<String> strata, double treatedShare, long seed,
                                            List<String> covariateNames,
                                            java.util.function.Function<String, double[]> covariates,
                                            BalanceCriterion criterion, int maxDraws) {
        return Rerandomized.of(units, strata, treatedShare, seed, covariateNames, covariates, criterion, maxDraws);
    }

    /** {@code 0..m-1} shuffled by Fisher-Yates: {@code nextInt(i + 1)} for {@code i = m-1} down to 1. */
    private static int[] shuffledIdentity(int m, SplittableRandom rng) {
        int[] order = new int[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        for (int i = m - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * Treated count per stratum by largest remainder; {@code tieOrder[k]} is the stratum that comes k-th among
     * equal remainders.
     */
    static int[] counts(int[] sizes, double share, int[] tieOrder) {
        int m = sizes.length;
        int[] rank = new int[m];
        for (int i = 0; i < m; i++) {
            rank[tieOrder[i]] = i;
        }
        BigDecimal exactShare = new BigDecimal(share);
        BigDecimal[] remainders = new BigDecimal[m];
        int[] counts = new int[m];
        BigDecimal total = BigDecimal.ZERO;
        long floors = 0;
        for (int s = 0; s < m; s++) {
            BigDecimal quota = exactShare.multiply(BigDecimal.valueOf(sizes[s])).setScale(9, RoundingMode.HALF_EVEN);
            BigDecimal floor = quota.setScale(0, RoundingMode.FLOOR);
            counts[s] = floor.intValueExact();
            remainders[s] = quota.subtract(floor);
            total = total.add(quota);
            floors += counts[s];
        }
        long extra = total.setScale(0, RoundingMode.HALF_UP).longValueExact() - floors;
        Integer[] order = new Integer[m];
        for (int s = 0; s < m; s++) {
            order[s] = s;
        }
        Arrays.sort(order, (a, b) -> {
            int c = remainders[b].compareTo(remainders[a]);
            return c != 0 ? c : Integer.compare(rank[a], rank[b]);
        });
        for (int i = 0; i < extra; i++) {
            counts[order[i]]++;
        }
        return counts;
    }

    /**
     * Whether the cluster is treated.
     *
     * @throws IllegalArgumentException when the cluster is not one of the drawn units
     */
    public boolean treated(String unit) {
        if (treated.contains(unit)) {
            return true;
        }
        if (!all.contains(unit)) {
            throw new IllegalArgumentException("unit '" + unit + "' is not one of the " + units.size()
                    + " clusters of this draw");
        }
        return false;
    }

    /** All units, in input order. */
    public List<String> units() {
        return units;
    }

    /** The treated units, in input order. */
    public List<String> treatedUnits() {
        return treatedUnits;
    }

    /** Number of treated units per stratum, strata in order of first appearance. */
    public Map<String, Integer> treatedPerStratum() {
        return treatedPerStratum;
    }

    /** Number of units per stratum, strata in order of first appearance. */
    public Map<String, Integer> unitsPerStratum() {
        return unitsPerStratum;
    }

    /** The declared treated share. */
    public double treatedShare() {
        return treatedShare;
    }

    /** The seed of the draw. */
    public long seed() {
        return seed;
    }

    @Override
    public String toString() {
        return "ClusterDraw[seed=" + seed + ", treatedShare=" + treatedShare + ", treatedPerStratum=" + treatedPerStratum
                + ", unitsPerStratum=" + unitsPerStratum + "]";
    }
}

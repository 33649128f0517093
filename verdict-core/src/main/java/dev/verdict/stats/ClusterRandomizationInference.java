package dev.verdict.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Randomization inference for a cluster RCT under the actual assignment rule: complete randomization within strata
 * with the observed number of treated clusters in every stratum (the rule of {@link dev.verdict.assign.ClusterDraw},
 * which fixes the treated count per stratum and draws which clusters), re-drawn and the same statistic recomputed on
 * per-cluster sufficient statistics, O(G) per assignment.
 *
 * <p>The statistic is the difference in row-weighted means between arms, {@code d(T) = sum_T S_g / sum_T n_g -
 * sum_C S_g / sum_C n_g} with {@code S_g} the cluster's outcome sum and {@code n_g} its row count (exactly the OLS
 * coefficient of {@code y ~ 1 + T} on the rows), compared two-sided, {@code |d(T*)| >= |d_obs|} (ties within a relative
 * 1e-10 count as extreme). Under the sharp null of a constant additive effect {@code tau} on every row, the control
 * potential outcome sums are {@code S_g - tau n_g T_g}, and the test of {@code tau} compares {@code |d(T*; S - tau n T)|}
 * with {@code |d_obs - tau|}; the interval is the set of tau not rejected (test inversion, bisection).
 *
 * <ul>
 *   <li>Exact enumeration when the number of distinct assignments {@code prod_s C(m_s, t_s)} is at most the budget:
 *       {@code p = #{extreme} / #{assignments}}, the observed assignment included, so the smallest attainable p is
 *       {@code 1 / #{assignments}}.</li>
 *   <li>Otherwise Monte Carlo: {@code budget} assignments drawn with {@link SplittableRandom}{@code (seed)} (a
 *       Fisher-Yates shuffle within each stratum), {@code p = (1 + #{extreme}) / (1 + budget)}; smallest attainable
 *       {@code 1 / (1 + budget)}.</li>
 * </ul>
 *
 * <p><b>Re-randomized designs.</b> When the assignment was re-drawn until a balance criterion held (Morgan and Rubin
 * 2012; {@link dev.verdict.assign.ClusterDraw#rerandomized}), the assignment distribution is complete randomization
 * restricted to the accepted assignments, and the reference set must be restricted the same way
 * ({@link #test(double[], double[], boolean[], String[], Predicate, double, int, long)}):
 * <ul>
 *   <li>Exact: every assignment is enumerated and only the accepted ones kept, {@code p = #{extreme} / #{accepted}}
 *       (the observed assignment, which must be accepted, included).</li>
 *   <li>Monte Carlo: complete randomizations are drawn as above and the accepted ones kept, until {@code budget} are
 *       accepted or {@value #MAX_ATTEMPTS_PER_DRAW} times {@code budget} have been drawn;
 *       {@code p = (1 + #{extreme}) / (1 + #{accepted})}.</li>
 * </ul>
 * The interval inverts the same test over the same accepted set. Plain randomization inference of a re-randomized
 * assignment is valid but conservative: its reference set holds the imbalanced assignments the design ruled out, whose
 * statistics spread wider when the covariates predict the outcome.
 *
 * <p>References: Fisher (1935); Imbens and Rubin (2015, ch. 5); for cluster designs with few clusters, MacKinnon and Webb
 * (2020, J. Econometrics 218:435-450, "Randomization inference for difference-in-differences with few treated clusters");
 * Morgan and Rubin (2012, Ann. Statist. 40:1263-1282, doi:10.1214/12-AOS1008).
 */
public final class ClusterRandomizationInference {
    /** Relative tolerance for |d*| >= |d| ties. */
    static final double TIE_TOLERANCE = 1e-10;
    /** Monte Carlo under re-randomization: at most this many draws per accepted draw asked for. */
    public static final int MAX_ATTEMPTS_PER_DRAW = 200;

    /**
     * The result.
     *
     * @param estimate     the observed difference in row-weighted means
     * @param pValue       the randomization p-value of no effect
     * @param ciLow        lower end of the inverted 1 - alpha interval (NaN when not computed)
     * @param ciHigh       upper end
     * @param assignments  distinct assignments of the design (may be huge: a double)
     * @param used         assignments used: all of them when exact, else the Monte Carlo draws
     * @param exact        true when every assignment was enumerated
     * @param smallestP    the smallest p-value this design and budget can produce
     * @param seed         the Monte Carlo seed (also reported when exact, where it is unused)
     * @param strata       strata with at least one cluster
     * @param restricted   true when the reference set was restricted to the assignments a predicate accepts
     *                     (re-randomization); {@code used} then counts the accepted assignments
     * @param attempts     assignments examined: enumerated when exact, drawn otherwise ({@code used} when unrestricted)
     */
    public record Result(double estimate, double pValue, double ciLow, double ciHigh, double assignments, int used,
                         boolean exact, double smallestP, long seed, int strata, boolean restricted, long attempts) { }

    /**
     * The share of complete randomizations within strata that a re-randomization criterion accepts, as the restricted
     * test counts them (same enumeration or draws, same seed).
     *
     * @param accepted assignments accepted
     * @param attempts assignments examined
     * @param exact    true when every assignment was enumerated
     */
    public record Acceptance(long accepted, long attempts, boolean exact) {
        /** {@code accepted / attempts}. */
        public double share() {
            return attempts == 0 ? Double.NaN : (double) accepted / attempts;
        }
    }

    private final double[] n;
    private final double[] s;
    private final boolean[] observed;
    private final int[][] treatedSets;
    private final boolean exact;
    private final double assignments;
    private final int strataCount;
    private final boolean halves;
    private final boolean restricted;
    private final long attempts;
    /** Restricted: whether the accepted set holds the within-strata complement of each of its assignments. */
    private final boolean closedUnderComplement;

    private ClusterRandomizationInference(double[] n, double[] s, boolean[] treated, String[] strata,
                                          Predicate<boolean[]> accept, int budget, long seed) {
        int g = n.length;
        if (s.length != g || treated.length != g || strata != null && strata.length != g) {
            throw new IllegalArgumentException("per-cluster arrays of different lengths");
        }
        Arguments.atLeast("randomization budget", budget, 1);
        this.n = n.clone();
        this.s = s.clone();
        this.observed = treated.clone();
        this.restricted = accept != null;
        Map<String, List<Integer>> byStratum = new LinkedHashMap<>();
        for (int h = 0; h < g; h++) {
            byStratum.computeIfAbsent(strata == null ? "" : strata[h], x -> new ArrayList<>()).add(h);
        }
        this.strataCount = byStratum.size();
        List<int[]> members = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        double total = 1;
        for (List<Integer> list : byStratum.values()) {
            int[] idx = list.stream().mapToInt(Integer::intValue).toArray();
            int t = 0;
            for (int h : idx) {
                t += treated[h] ? 1 : 0;
            }
            members.add(idx);
            counts.add(t);
            total *= binomial(idx.length, t);
        }
        this.assignments = total;
        this.exact = total <= budget;
        boolean half = true;
        for (int k = 0; k < members.size(); k++) {
            half &= 2 * counts.get(k) == members.get(k).length;
        }
        this.halves = half;
        List<int[]> sets = new ArrayList<>();
        boolean[] flags = new boolean[g];
        long tried = 0;
        if (exact) {
            List<int[]> all = new ArrayList<>();
            enumerate(members, counts, 0, new ArrayList<>(), all);
            for (int[] set : all) {
                tried++;
                if (accept == null || accept.test(flags(set, flags))) {
                    sets.add(set);
                }
            }
        } else {
            SplittableRandom rng = new SplittableRandom(seed);
            long cap = accept == null ? budget : (long) MAX_ATTEMPTS_PER_DRAW * budget;
            while (sets.size() < budget && tried < cap) {
                List<Integer> chosen = new ArrayList<>();
                for (int st = 0; st < members.size(); st++) {
                    int[] idx = members.get(st).clone();
                    int t = counts.get(st);
                    for (int i = 0; i < t; i++) { // partial Fisher-Yates: the first t positions
                        int pick = i + rng.nextInt(idx.length - i);
                        int tmp = idx[i];
                        idx[i] = idx[pick];
                        idx[pick] = tmp;
                        chosen.add(idx[i]);
                    }
                }
                tried++;
                int[] set = chosen.stream().mapToInt(Integer::intValue).toArray();
                if (accept == null || accept.test(flags(set, flags))) {
                    sets.add(set);
                }
            }
        }
        this.attempts = tried;
        this.treatedSets = sets.toArray(new int[0][]);
        this.closedUnderComplement = restricted && exact && halves && closed(treatedSets, g);
    }

    /** The assignment of a treated set as flags, written into {@code out}. */
    private static boolean[] flags(int[] set, boolean[] out) {
        Arrays.fill(out, false);
        for (int h : set) {
            out[h] = true;
        }
        return out;
    }

    /** Whether every set's complement (all clusters not in it) is also in the list. */
    private static boolean closed(int[][] sets, int g) {
        Set<String> keys = new HashSet<>();
        boolean[] f = new boolean[g];
        for (int[] set : sets) {
            keys.add(new String(key(flags(set, f), false)));
        }
        for (int[] set : sets) {
            if (!keys.contains(new String(key(flags(set, f), true)))) {
                return false;
            }
        }
        return true;
    }

    private static char[] key(boolean[] f, boolean complement) {
        char[] c = new char[f.length];
        for (int h = 0; h < f.length; h++) {
            c[h] = f[h] != complement ? '1' : '0';
        }
        return c;
    }

    /**
     * Randomization test of no effect on the difference in row-weighted means, with the 1 - alpha interval by inversion.
     *
     * @param n       per-cluster row counts (each &gt; 0)
     * @param s       per-cluster outcome sums
     * @param treated the observed assignment (at least one treated and one control cluster)
     * @param strata  per-cluster stratum labels, or null for one stratum (unstratified)
     * @param alpha   level of the interval; NaN to skip it
     * @param budget  the largest number of assignments to enumerate, and the Monte Carlo draws otherwise
     * @param seed    the Monte Carlo seed
     */
    public static Result test(double[] n, double[] s, boolean[] treated, String[] strata, double alpha, int budget,
                              long seed) {
        return test(n, s, treated, strata, null, alpha, budget, seed);
    }

    /**
     * As {@link #test(double[], double[], boolean[], String[], double, int, long)} for a re-randomized assignment: the
     * reference set is restricted to the assignments {@code accept} accepts (exact when every assignment can be
     * enumerated within {@code budget}, else Monte Carlo until {@code budget} are accepted or
     * {@value #MAX_ATTEMPTS_PER_DRAW} times {@code budget} have been drawn).
     *
     * @param accept the re-randomization criterion on an assignment ({@code a[h]} true when cluster {@code h} is
     *               treated; the array is reused, valid only during the call); null for plain complete randomization
     * @throws IllegalArgumentException when {@code accept} rejects the observed assignment
     */
    public static Result test(double[] n, double[] s, boolean[] treated, String[] strata, Predicate<boolean[]> accept,
                              double alpha, int budget, long seed) {
        if (accept != null && !accept.test(treated.clone())) {
            throw new IllegalArgumentException("the observed assignment is not accepted by the re-randomization "
                    + "criterion, so it cannot have been drawn under it; the restricted reference set would not hold it");
        }
        ClusterRandomizationInference ri = new ClusterRandomizationInference(n, s, treated, strata, accept, budget, seed);
        double d = ri.statistic(ri.observedSet(), 0);
        double lo = Double.NaN;
        double hi = Double.NaN;
        if (!Double.isNaN(alpha)) {
            lo = ri.bound(d, -1, alpha);
            hi = ri.bound(d, +1, alpha);
        }
        int used = ri.treatedSets.length;
        // with exactly half of every stratum treated, each assignment's complement is also possible and gives the
        // same |statistic| (the contrast changes sign), so an exact two-sided p cannot go below 2 / #assignments; under
        // re-randomization only when the accepted set holds every complement (true of a criterion symmetric in the arms)
        boolean pairs = ri.restricted ? ri.closedUnderComplement : ri.halves;
        double smallest = ri.exact ? (pairs ? 2.0 : 1.0) / used : 1.0 / (1.0 + used);
        return new Result(d, ri.pValue(0), lo, hi, ri.assignments, used, ri.exact, smallest, seed, ri.strataCount,
                ri.restricted, ri.attempts);
    }

    /**
     * How many complete randomizations within strata (the observed treated count per stratum) {@code accept} accepts,
     * examined exactly as {@link #test(double[], double[], boolean[], String[], Predicate, double, int, long)} examines
     * them with the same budget and seed. The observed assignment need not be accepted.
     */
    public static Acceptance acceptance(boolean[] treated, String[] strata, Predicate<boolean[]> accept, int budget,
                                        long seed) {
        if (accept == null) {
            throw new IllegalArgumentException("accept must not be null");
        }
        ClusterRandomizationInference ri = new ClusterRandomizationInference(new double[treated.length],
                new double[treated.length], treated, strata, accept, budget, seed);
        return new Acceptance(ri.treatedSets.length, ri.attempts, ri.exact);
    }

    /** The accepted assignments themselves, as flags (for tests of the reference set). */
    static List<boolean[]> referenceSet(boolean[] treated, String[] strata, Predicate<boolean[]> accept, int budget,
                                        long seed) {
        ClusterRandomizationInference ri = new ClusterRandomizationInference(new double[treated.length],
                new double[treated.length], treated, strata, accept, budget, seed);
        List<boolean[]> out = new ArrayList<>();
        for (int[] set : ri.treatedSets) {
            out.add(flags(set, new boolean[treated.length]).clone());
        }
        return out;
    }

    /** The number of distinct assignments: {@code prod_s C(m_s, t_s)}. */
    public static double assignments(boolean[] treated, String[] strata) {
        return new ClusterRandomizationInference(new double[treated.length], new double[treated.length], treated, strata,
                null, 1, 0).assignments;
    }

    private int[] observedSet() {
        List<Integer> out = new ArrayList<>();
        for (int h = 0; h < observed.length; h++) {
            if (observed[h]) {
                out.add(h);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** d(T*) on the control potential outcomes under effect tau: sums S_g - tau n_g T_obs,g. */
    private double statistic(int[] set, double tau) {
        double sn = 0;
        double ss = 0;
        double tn = 0;
        double ts = 0;
        for (int h = 0; h < n.length; h++) {
            sn += n[h];
            ss += s[h] - (observed[h] ? tau * n[h] : 0);
        }
        for (int h : set) {
            tn += n[h];
            ts += s[h] - (observed[h] ? tau * n[h] : 0);
        }
        return ts / tn - (ss - ts) / (sn - tn);
    }

    /** The randomization p-value of a constant effect tau. */
    double pValue(double tau) {
        double observedStat = Math.abs(statistic(observedSet(), tau));
        double threshold = observedStat * (1 - TIE_TOLERANCE);
        // precompute totals once: the statistic is linear in the shifted sums
        int g = n.length;
        double[] sh = new double[g];
        double sn = 0;
        double ss = 0;
        for (int h = 0; h < g; h++) {
            sh[h] = s[h] - (observed[h] ? tau * n[h] : 0);
            sn += n[h];
            ss += sh[h];
        }
        long extreme = 0;
        for (int[] set : treatedSets) {
            double tn = 0;
            double ts = 0;
            for (int h : set) {
                tn += n[h];
                ts += sh[h];
            }
            double d = ts / tn - (ss - ts) / (sn - tn);
            if (Math.abs(d) >= threshold) {
                extreme++;
            }
        }
        return exact ? (double) extreme / treatedSets.length : (1.0 + extreme) / (1.0 + treatedSets.length);
    }

    private double bound(double est, int side, double alpha) {
        double spread = 0;
        double mean = 0;
        for (double v : n) {
            mean += v;
        }
        double scale = Math.abs(est);
        for (int[] set : treatedSets.length > 200 ? java.util.Arrays.copyOf(treatedSets, 200) : treatedSets) {
            spread = Math.max(spread, Math.abs(statistic(set, 0)));
        }
        scale = Math.max(Math.max(scale, spread), 1e-12 * Math.max(1, mean));
        return TestInversion.bound(this::pValue, est, side, scale, scale, alpha);
    }

    private static void enumerate(List<int[]> members, List<Integer> counts, int stratum, List<Integer> chosen,
                                  List<int[]> out) {
        if (stratum == members.size()) {
            out.add(chosen.stream().mapToInt(Integer::intValue).toArray());
            return;
        }
        combinations(members.get(stratum), counts.get(stratum), 0, chosen, () -> enumerate(members, counts,
                stratum + 1, chosen, out));
    }

    private static void combinations(int[] idx, int t, int from, List<Integer> chosen, Runnable then) {
        if (t == 0) {
            then.run();
            return;
        }
        for (int i = from; i <= idx.length - t; i++) {
            chosen.add(idx[i]);
            combinations(idx, t - 1, i + 1, chosen, then);
            chosen.remove(chosen.size() - 1);
        }
    }

    static double binomial(int m, int t) {
        double c = 1;
        for (int i = 1; i <= t; i++) {
            c = c * (m - t + i) / i;
        }
        return Math.rint(c) == c || c > 1e15 ? c : Math.rint(c);
    }
}

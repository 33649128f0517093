package dev.verdict.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

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
 * References: Fisher (1935); Imbens and Rubin (2015, ch. 5); for cluster designs with few clusters, MacKinnon and Webb
 * (2020, J. Econometrics 218:435-450, "Randomization inference for difference-in-differences with few treated clusters").
 */
public final class ClusterRandomizationInference {
    /** Relative tolerance for |d*| >= |d| ties. */
    static final double TIE_TOLERANCE = 1e-10;

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
     */
    public record Result(double estimate, double pValue, double ciLow, double ciHigh, double assignments, int used,
                         boolean exact, double smallestP, long seed, int strata) { }

    private final double[] n;
    private final double[] s;
    private final boolean[] observed;
    private final int[][] treatedSets;
    private final boolean exact;
    private final double assignments;
    private final int strataCount;
    private final boolean halves;

    private ClusterRandomizationInference(double[] n, double[] s, boolean[] treated, String[] strata, int budget,
                                          long seed) {
        int g = n.length;
        if (s.length != g || treated.length != g || strata != null && strata.length != g) {
            throw new IllegalArgumentException("per-cluster arrays of different lengths");
        }
        Arguments.atLeast("randomization budget", budget, 1);
        this.n = n.clone();
        this.s = s.clone();
        this.observed = treated.clone();
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
        if (exact) {
            enumerate(members, counts, 0, new ArrayList<>(), sets);
        } else {
            SplittableRandom rng = new SplittableRandom(seed);
            for (int d = 0; d < budget; d++) {
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
                sets.add(chosen.stream().mapToInt(Integer::intValue).toArray());
            }
        }
        this.treatedSets = sets.toArray(new int[0][]);
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
        ClusterRandomizationInference ri = new ClusterRandomizationInference(n, s, treated, strata, budget, seed);
        double d = ri.statistic(ri.observedSet(), 0);
        double lo = Double.NaN;
        double hi = Double.NaN;
        if (!Double.isNaN(alpha)) {
            lo = ri.bound(d, -1, alpha);
            hi = ri.bound(d, +1, alpha);
        }
        int used = ri.treatedSets.length;
        // with exactly half of every stratum treated, each assignment's complement is also possible and gives the
        // same |statistic| (the contrast changes sign), so an exact two-sided p cannot go below 2 / #assignments
        double smallest = ri.exact ? (ri.halves ? 2.0 : 1.0) / used : 1.0 / (1.0 + used);
        return new Result(d, ri.pValue(0), lo, hi, ri.assignments, used, ri.exact, smallest, seed, ri.strataCount);
    }

    /** The number of distinct assignments: {@code prod_s C(m_s, t_s)}. */
    public static double assignments(boolean[] treated, String[] strata) {
        return new ClusterRandomizationInference(new double[treated.length], new double[treated.length], treated, strata,
                1, 0).assignments;
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

package dev.verdict.assign;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A randomized saturation design (Baird, Bohren, McIntosh and Özler 2018): clusters are randomized, within strata,
 * to saturation levels (the share of the cluster's units treated), e.g. {@code {0: 40%, 0.5: 30%, 1.0: 30%}} of
 * the clusters; inside a cluster of saturation {@code s} each unit is treated by hash bucketing at share {@code s}.
 * Pure-control clusters (saturation 0) against the untreated units of mixed clusters identify the spillover effect,
 * treated against untreated units of mixed clusters the direct effect.
 *
 * <p><b>Clusters to levels.</b> Levels are taken in increasing saturation. With {@code R} the clusters not yet
 * placed (all at first) and {@code r} the declared share of clusters still to place, each level {@code l} but the
 * last takes {@code ClusterDraw.draw(R, strata of R, share_l / r, s_l)} (stratified complete randomization with its
 * largest-remainder counts), {@code s_l} the {@code l}-th {@code nextLong()} of {@code SplittableRandom(seed)}; the
 * last level takes the rest. A level whose share rounds to all remaining clusters takes them all.
 *
 * <p><b>Units in clusters.</b> {@code arm(cluster, unitId)} is {@code new HashBucketing(salt).arm(unitId,
 * {1 - s, s})}: one salt for every cluster, so a unit's bucket does not depend on its cluster and raising a
 * cluster's saturation keeps its treated units treated ({@link HashBucketing} ramp stability).
 *
 * <p>Hand-written on top of {@link ClusterDraw} and {@link HashBucketing}. Immutable.
 */
public final class SaturationDesign {
    private final Map<String, Double> saturationOf;
    private final Map<Double, List<String>> clustersByLevel;
    private final Map<String, Map<Double, Integer>> countsPerStratum;
    private final HashBucketing hash;
    private final long seed;

    private SaturationDesign(Map<String, Double> saturationOf, Map<Double, List<String>> clustersByLevel,
                             Map<String, Map<Double, Integer>> countsPerStratum, HashBucketing hash, long seed) {
        this.saturationOf = saturationOf;
        this.clustersByLevel = clustersByLevel;
        this.countsPerStratum = countsPerStratum;
        this.hash = hash;
        this.seed = seed;
    }

    /**
     * Draws the saturation of every cluster.
     *
     * @param clusters distinct cluster ids
     * @param strata   one stratum label per cluster (one label for all when unstratified)
     * @param levels   saturation in [0, 1] to the share of clusters at that saturation: at least two levels, shares
     *                 finite and {@code > 0} summing to 1 within 1e-9
     * @param seed     seed of the cluster draw
     * @param salt     salt of the unit-level hash inside clusters
     * @throws IllegalArgumentException for invalid arguments (the message names the value)
     */
    public static SaturationDesign draw(List<String> clusters, List<String> strata, Map<Double, Double> levels,
                                        long seed, String salt) {
        Arguments.noNulls("clusters", clusters);
        Arguments.noNulls("strata", strata);
        HashBucketing hash = new HashBucketing(salt);
        if (levels == null || levels.size() < 2) {
            throw new IllegalArgumentException("a saturation design needs at least 2 saturation levels (e.g. {0: 0.4, "
                    + "0.5: 0.3, 1.0: 0.3}), got " + levels);
        }
        TreeMap<Double, Double> sorted = new TreeMap<>();
        double sum = 0;
        for (Map.Entry<Double, Double> e : levels.entrySet()) {
            Double s = e.getKey();
            Double share = e.getValue();
            if (s == null || !(s >= 0 && s <= 1)) {
                throw new IllegalArgumentException("saturation level must be in [0, 1], got " + s);
            }
            if (share == null || !(share > 0 && share <= 1)) {
                throw new IllegalArgumentException("share of clusters at saturation " + s + " must be in (0, 1], got "
                        + share);
            }
            sorted.put(s, share);
            sum += share;
        }
        if (!(Math.abs(sum - 1) <= Arguments.SHARE_SUM_TOLERANCE)) {
            throw new IllegalArgumentException("shares of clusters over saturation levels must sum to 1, got " + sum
                    + " for " + levels);
        }
        if (clusters.size() != strata.size()) {
            throw new IllegalArgumentException("strata must give one label per cluster: got " + clusters.size()
                    + " clusters and " + strata.size() + " strata labels");
        }
        // distinct ids and at least one cluster are checked by ClusterDraw.draw on the first split
        SplittableRandom seeds = new SplittableRandom(seed);
        List<String> remaining = new ArrayList<>(clusters);
        List<String> remainingStrata = new ArrayList<>(strata);
        double remainingShare = 1;
        Map<String, Double> saturationOf = new HashMap<>();
        Map<Double, List<String>> byLevel = new LinkedHashMap<>();
        List<Double> keys = new ArrayList<>(sorted.keySet());
        for (int l = 0; l < keys.size(); l++) {
            double level = keys.get(l);
            List<String> taken;
            long levelSeed = seeds.nextLong();
            if (l == keys.size() - 1) {
                taken = remaining;
            } else {
                double share = sorted.get(level) / remainingShare;
                if (remaining.isEmpty()) {
                    taken = List.of();
                } else if (share >= 1) {
                    taken = remaining;
                } else {
                    ClusterDraw d = ClusterDraw.draw(remaining, remainingStrata, share, levelSeed);
                    taken = d.treatedUnits();
                }
                remainingShare -= sorted.get(level);
            }
            java.util.Set<String> takenSet = new java.util.HashSet<>(taken);
            List<String> nextRemaining = new ArrayList<>();
            List<String> nextStrata = new ArrayList<>();
            for (int i = 0; i < remaining.size(); i++) {
                if (!takenSet.contains(remaining.get(i))) {
                    nextRemaining.add(remaining.get(i));
                    nextStrata.add(remainingStrata.get(i));
                }
            }
            for (String c : taken) {
                saturationOf.put(c, level);
            }
            byLevel.put(level, taken);
            remaining = nextRemaining;
            remainingStrata = nextStrata;
        }
        Map<String, Map<Double, Integer>> counts = new LinkedHashMap<>();
        Map<Double, List<String>> ordered = new LinkedHashMap<>();
        for (double level : keys) {
            ordered.put(level, new ArrayList<>());
        }
        for (int i = 0; i < clusters.size(); i++) {
            double level = saturationOf.get(clusters.get(i));
            ordered.get(level).add(clusters.get(i));
            Map<Double, Integer> c = counts.computeIfAbsent(strata.get(i), k -> {
                Map<Double, Integer> m = new LinkedHashMap<>();
                keys.forEach(x -> m.put(x, 0));
                return m;
            });
            c.merge(level, 1, Integer::sum);
        }
        Map<Double, List<String>> frozen = new LinkedHashMap<>();
        ordered.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        Map<String, Map<Double, Integer>> frozenCounts = new LinkedHashMap<>();
        counts.forEach((k, v) -> frozenCounts.put(k, Collections.unmodifiableMap(v)));
        return new SaturationDesign(Collections.unmodifiableMap(saturationOf), Collections.unmodifiableMap(frozen),
                Collections.unmodifiableMap(frozenCounts), hash, seed);
    }

    /**
     * The saturation of a cluster.
     *
     * @throws IllegalArgumentException when the cluster is not one of the design's
     */
    public double saturation(String cluster) {
        Double s = saturationOf.get(cluster);
        if (s == null) {
            throw new IllegalArgumentException("cluster '" + cluster + "' is not one of the " + saturationOf.size()
                    + " clusters of this saturation design");
        }
        return s;
    }

    /** The arm of a unit of a cluster: 1 treated, 0 control (always 0 in a pure-control cluster). */
    public int arm(String cluster, String unitId) {
        double s = saturation(cluster);
        return hash.arm(unitId, new double[] {1 - s, s});
    }

    /** Whether a unit of a cluster is treated. */
    public boolean treated(String cluster, String unitId) {
        return arm(cluster, unitId) == 1;
    }

    /** The clusters at each saturation level, levels increasing, clusters in input order. */
    public Map<Double, List<String>> clustersByLevel() {
        return clustersByLevel;
    }

    /** Per stratum (order of first appearance) the number of clusters at each level. */
    public Map<String, Map<Double, Integer>> countsPerStratum() {
        return countsPerStratum;
    }

    /** The unit-level hash. */
    public HashBucketing hash() {
        return hash;
    }

    /** The seed of the cluster draw. */
    public long seed() {
        return seed;
    }

    @Override
    public String toString() {
        return "SaturationDesign[seed=" + seed + ", salt=" + hash.salt() + ", countsPerStratum=" + countsPerStratum + "]";
    }
}

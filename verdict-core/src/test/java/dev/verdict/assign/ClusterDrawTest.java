package dev.verdict.assign;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.verdict.assign.HashBucketingTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterDrawTest {
    /** {@code sizes[s]} units named "s-i" in stratum "S<s>", strata interleaved in input order. */
    private static List<List<String>> clusters(int... sizes) {
        List<String> units = new ArrayList<>();
        List<String> strata = new ArrayList<>();
        int max = 0;
        for (int size : sizes) {
            max = Math.max(max, size);
        }
        for (int i = 0; i < max; i++) {
            for (int s = 0; s < sizes.length; s++) {
                if (i < sizes[s]) {
                    units.add(s + "-" + i);
                    strata.add("S" + s);
                }
            }
        }
        return List.of(units, strata);
    }

    private static ClusterDraw draw(double share, long seed, int... sizes) {
        List<List<String>> c = clusters(sizes);
        return ClusterDraw.draw(c.get(0), c.get(1), share, seed);
    }

    @Test
    void exactCountsPerStratum() {
        ClusterDraw d = draw(0.5, 1, 12, 8, 6);
        assertEquals(Map.of("S0", 6, "S1", 4, "S2", 3), d.treatedPerStratum());
        assertEquals(Map.of("S0", 12, "S1", 8, "S2", 6), d.unitsPerStratum());
        assertEquals(List.of("S0", "S1", "S2"), List.copyOf(d.treatedPerStratum().keySet()));
        assertEquals(13, d.treatedUnits().size());
        for (String u : d.units()) {
            assertEquals(d.treatedUnits().contains(u), d.treated(u));
        }
        // 0.3 * (10, 7, 4) = (3, 2.1, 1.2): floors 3 + 2 + 1 = 6 = round(0.3 * 21), no remainder handed out
        assertEquals(Map.of("S0", 3, "S1", 2, "S2", 1), draw(0.3, 5, 10, 7, 4).treatedPerStratum());
        // 0.4 * (5, 5, 5) = 2 each, exact
        assertEquals(Map.of("S0", 2, "S1", 2, "S2", 2), draw(0.4, 5, 5, 5, 5).treatedPerStratum());
    }

    @Test
    void largestRemainderHandsOutTheRoundedTotal() {
        // 0.3 * (3, 9, 5) = (0.9, 2.7, 1.5): floors 0 + 2 + 1 = 3, total round(5.1) = 5, the two extra go to 0.9 and 0.7
        assertEquals(List.of(1, 3, 1), List.copyOf(draw(0.3, 9, 3, 9, 5).treatedPerStratum().values()));
        // 0.5 * (9, 9, 2) = (4.5, 4.5, 1): total 10, one extra for one of the tied strata, each winning about half
        // of the seeds; 0.1 * (15, 25) = (1.5, 2.5) ties although the doubles differ in the 17th digit
        int firstWins = 0;
        int smallWins = 0;
        int seeds = 2000;
        for (long seed = 0; seed < seeds; seed++) {
            List<Integer> counts = List.copyOf(draw(0.5, seed, 9, 9, 2).treatedPerStratum().values());
            assertEquals(10, counts.stream().mapToInt(Integer::intValue).sum());
            assertEquals(1, counts.get(2));
            assertTrue(counts.equals(List.of(5, 4, 1)) || counts.equals(List.of(4, 5, 1)), counts.toString());
            firstWins += counts.get(0) == 5 ? 1 : 0;
            List<Integer> decimal = List.copyOf(draw(0.1, seed, 15, 25).treatedPerStratum().values());
            assertTrue(decimal.equals(List.of(2, 2)) || decimal.equals(List.of(1, 3)), decimal.toString());
            smallWins += decimal.get(0) == 2 ? 1 : 0;
        }
        double tol = 4.5 * Math.sqrt(0.25 / seeds);
        assertEquals(0.5, firstWins / (double) seeds, tol);
        assertEquals(0.5, smallWins / (double) seeds, tol);
        for (int n = 1; n <= 40; n++) {
            for (double share : new double[] {0.1, 0.25, 1.0 / 3, 0.5, 0.7}) {
                ClusterDraw d = draw(share, n, n, n / 2 + 1, n / 3 + 1);
                int total = d.unitsPerStratum().values().stream().mapToInt(Integer::intValue).sum();
                assertEquals(Math.round(share * total), d.treatedUnits().size(), "share " + share + " n " + total);
                for (String s : d.unitsPerStratum().keySet()) {
                    double quota = share * d.unitsPerStratum().get(s);
                    int count = d.treatedPerStratum().get(s);
                    assertTrue(count >= Math.floor(quota - 1e-9) && count <= Math.ceil(quota + 1e-9),
                            s + ": " + count + " for quota " + quota);
                }
            }
        }
    }

    @Test
    void sameSeedSameDrawDifferentSeedsDiffer() {
        ClusterDraw a = draw(0.5, 42, 20, 20);
        assertEquals(a.treatedUnits(), draw(0.5, 42, 20, 20).treatedUnits());
        assertEquals(42, a.seed());
        Set<List<String>> seen = new HashSet<>();
        for (long seed = 0; seed < 50; seed++) {
            assertTrue(seen.add(draw(0.5, seed, 20, 20).treatedUnits()), "seed " + seed + " repeats a draw");
        }
        assertNotEquals(a.treatedUnits(), draw(0.5, 43, 20, 20).treatedUnits());
    }

    @Test
    void pinnedDrawGuardsTheAlgorithm() {
        // produced by this implementation (java.util.SplittableRandom, Java 17); a change here reshuffles
        // every stored draw, so it must be deliberate
        ClusterDraw d = ClusterDraw.draw(List.of("us-east", "us-west", "eu-west", "eu-central", "ap-south", "ap-east"),
                List.of("us", "us", "eu", "eu", "ap", "ap"), 0.5, 2026);
        assertEquals(PINNED, d.treatedUnits());
    }

    private static final List<String> PINNED = List.of("us-east", "eu-central", "ap-south");

    @Test
    void everyUnitIsTreatedWithTheShareAcrossSeeds() {
        int seeds = 4000;
        int[] sizes = {12, 8, 5};
        // quotas 0.5 * (12, 8, 5) = (6, 4, 2.5): stratum S2 treats 2 or 3 units, total round(12.5) = 13 so always 3
        double[] expected = {0.5, 0.5, 3.0 / 5};
        List<List<String>> c = clusters(sizes);
        int[] hits = new int[c.get(0).size()];
        for (long seed = 0; seed < seeds; seed++) {
            ClusterDraw d = ClusterDraw.draw(c.get(0), c.get(1), 0.5, seed);
            for (int i = 0; i < hits.length; i++) {
                hits[i] += d.treated(c.get(0).get(i)) ? 1 : 0;
            }
        }
        for (int i = 0; i < hits.length; i++) {
            int stratum = Integer.parseInt(c.get(1).get(i).substring(1));
            double p = expected[stratum];
            assertEquals(p, hits[i] / (double) seeds, 4.5 * Math.sqrt(p * (1 - p) / seeds), c.get(0).get(i));
        }
    }

    @Test
    void treatedUnitsKeepInputOrder() {
        List<String> units = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            units.add("c" + i);
        }
        List<String> shuffled = new ArrayList<>(units);
        Collections.shuffle(shuffled, new java.util.Random(1));
        ClusterDraw d = ClusterDraw.draw(shuffled, Collections.nCopies(30, "all"), 1.0 / 3, 8);
        assertEquals(10, d.treatedUnits().size());
        List<String> inOrder = shuffled.stream().filter(d.treatedUnits()::contains).toList();
        assertEquals(inOrder, d.treatedUnits());
        assertEquals(shuffled, d.units());
    }

    @Test
    void invalidInputIsRefused() {
        List<String> u = List.of("a", "b");
        List<String> s = List.of("x", "x");
        assertMessage(() -> ClusterDraw.draw(u, List.of("x"), 0.5, 1), "got 2 units and 1 strata labels");
        assertMessage(() -> ClusterDraw.draw(List.of("a", "a"), s, 0.5, 1), "got 'a' twice");
        assertMessage(() -> ClusterDraw.draw(u, s, 0, 1), "treatedShare must be in (0, 1), got 0.0");
        assertMessage(() -> ClusterDraw.draw(u, s, 1, 1), "got 1.0");
        assertMessage(() -> ClusterDraw.draw(u, s, Double.NaN, 1), "got NaN");
        assertMessage(() -> ClusterDraw.draw(List.of(), List.of(), 0.5, 1), "at least one cluster");
        assertMessage(() -> ClusterDraw.draw(java.util.Arrays.asList("a", null), s, 0.5, 1), "null at index 1");
        assertMessage(() -> ClusterDraw.draw(u, s, 0.5, 1).treated("zz"), "unit 'zz' is not one of the 2 clusters");
        assertFalse(ClusterDraw.draw(List.of("a", "b", "c", "d"), List.of("x", "x", "x", "x"), 0.1, 1).treated("a"));
    }
}

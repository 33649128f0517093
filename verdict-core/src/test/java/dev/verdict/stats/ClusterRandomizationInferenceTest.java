package dev.verdict.stats;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterRandomizationInferenceTest {

    /** 6 clusters, 3 treated: C(6,3) = 20 assignments; only {4,5,6} and {1,2,3} reach |d| >= 3, so p = 2/20. */
    @Test
    void sixClustersThreeTreatedByHand() {
        double[] n = {1, 1, 1, 1, 1, 1};
        double[] s = {1, 2, 3, 4, 5, 6};
        boolean[] t = {false, false, false, true, true, true};
        ClusterRandomizationInference.Result r = ClusterRandomizationInference.test(n, s, t, null, Double.NaN, 10_000, 1);
        assertTrue(r.exact());
        assertEquals(20, r.used());
        assertEquals(3.0, r.estimate(), 1e-15);
        assertEquals(0.1, r.pValue(), 1e-15);
        assertEquals(0.1, r.smallestP(), 1e-15, "the complement of the most extreme assignment is as extreme: 2/20");
    }

    /** Strata {1,2,3} and {4,5,6}, one treated in each: 9 assignments; d = (3(a+b) - 21)/4, extreme a+b in {5, 9}. */
    @Test
    void stratifiedByHand() {
        double[] n = {1, 1, 1, 1, 1, 1};
        double[] s = {1, 2, 3, 4, 5, 6};
        boolean[] t = {false, false, true, false, false, true};
        String[] strata = {"a", "a", "a", "b", "b", "b"};
        ClusterRandomizationInference.Result r = ClusterRandomizationInference.test(n, s, t, strata, Double.NaN, 10_000, 1);
        assertEquals(9, r.used());
        assertEquals(1.5, r.estimate(), 1e-15);
        assertEquals(2.0 / 9, r.pValue(), 1e-15);
        assertEquals(2, r.strata());
    }

    /** Against an independent brute force over all 2^G subsets that keep the treated count of every stratum. */
    @Test
    void exactMatchesBruteForceOverSubsetsAndMonteCarloIsClose() {
        SplittableRandom rng = new SplittableRandom(7);
        int g = 12;
        double[] n = new double[g];
        double[] s = new double[g];
        boolean[] t = new boolean[g];
        String[] strata = new String[g];
        for (int h = 0; h < g; h++) {
            n[h] = 5 + rng.nextInt(50);
            s[h] = n[h] * (rng.nextDouble() + (h % 3 == 0 ? 0.3 : 0));
            strata[h] = h < 8 ? "x" : "y";
            t[h] = h % 2 == 0;
        }
        double obs = diff(n, s, t);
        int count = 0;
        int total = 0;
        for (int mask = 0; mask < 1 << g; mask++) {
            boolean[] a = new boolean[g];
            int tx = 0;
            int ty = 0;
            for (int h = 0; h < g; h++) {
                a[h] = (mask >>> h & 1) == 1;
                if (a[h]) {
                    if (h < 8) {
                        tx++;
                    } else {
                        ty++;
                    }
                }
            }
            if (tx != 4 || ty != 2) {
                continue;
            }
            total++;
            if (Math.abs(diff(n, s, a)) >= Math.abs(obs) * (1 - 1e-10)) {
                count++;
            }
        }
        assertEquals(70 * 6, total);
        ClusterRandomizationInference.Result exact = ClusterRandomizationInference.test(n, s, t, strata, 0.05, 10_000, 3);
        assertTrue(exact.exact());
        assertEquals(total, exact.used());
        assertEquals((double) count / total, exact.pValue(), 1e-15);
        ClusterRandomizationInference.Result mc = ClusterRandomizationInference.test(n, s, t, strata, Double.NaN, 100, 3);
        assertFalse(mc.exact());
        assertEquals(1.0 / 101, mc.smallestP(), 1e-15);
        ClusterRandomizationInference.Result mcBig = ClusterRandomizationInference.test(n, s, t, strata, Double.NaN, 400, 3);
        assertFalse(mcBig.exact());
        assertEquals(exact.pValue(), mcBig.pValue(), 0.08, "Monte Carlo within ~3 sd of the exact p");
        // the inverted interval contains the estimate; zero is inside exactly when p >= alpha
        assertTrue(exact.ciLow() < exact.estimate() && exact.estimate() < exact.ciHigh());
        assertEquals(exact.pValue() >= 0.05, exact.ciLow() <= 0 && 0 <= exact.ciHigh());
    }

    /** One treated cluster of 8: 8 assignments, smallest attainable p 1/8. */
    @Test
    void oneTreatedCluster() {
        double[] n = {10, 10, 10, 10, 10, 10, 10, 10};
        double[] s = {1, 2, 3, 4, 5, 6, 7, 80};
        boolean[] t = {false, false, false, false, false, false, false, true};
        ClusterRandomizationInference.Result r = ClusterRandomizationInference.test(n, s, t, null, 0.05, 10_000, 1);
        assertEquals(8, r.used());
        assertEquals(0.125, r.pValue(), 1e-15);
        assertEquals(0.125, r.smallestP(), 1e-15);
        assertTrue(Double.isInfinite(r.ciLow()) || Double.isInfinite(r.ciHigh()),
                "no tau can be rejected at 5% when the smallest p is 1/8");
    }

    /**
     * A ClusterDraw assignment (strata of 5, 4 and 3 clusters, half treated) re-drawn under its own rule: the
     * assignments are C(5,t1) C(4,t2) C(3,t3) with ClusterDraw's treated counts, and every Monte Carlo re-draw keeps them.
     */
    @Test
    void reDrawsKeepClusterDrawsTreatedCountPerStratum() {
        java.util.List<String> units = new java.util.ArrayList<>();
        java.util.List<String> strata = new java.util.ArrayList<>();
        String[] labels = {"h100", "h100", "h100", "h100", "h100", "a100", "a100", "a100", "a100", "l4", "l4", "l4"};
        for (int h = 0; h < labels.length; h++) {
            units.add("pool-" + h);
            strata.add(labels[h]);
        }
        dev.verdict.assign.ClusterDraw draw = dev.verdict.assign.ClusterDraw.draw(units, strata, 0.5, 99);
        boolean[] t = new boolean[units.size()];
        for (int h = 0; h < t.length; h++) {
            t[h] = draw.treated(units.get(h));
        }
        java.util.Map<String, Integer> per = draw.treatedPerStratum();
        double expected = ClusterRandomizationInference.binomial(5, per.get("h100"))
                * ClusterRandomizationInference.binomial(4, per.get("a100"))
                * ClusterRandomizationInference.binomial(3, per.get("l4"));
        String[] st = strata.toArray(new String[0]);
        assertEquals(expected, ClusterRandomizationInference.assignments(t, st), 0.0);
        double[] n = new double[t.length];
        double[] s = new double[t.length];
        for (int h = 0; h < t.length; h++) {
            n[h] = 10 + h;
            s[h] = n[h] * (h % 4);
        }
        ClusterRandomizationInference.Result exact = ClusterRandomizationInference.test(n, s, t, st, Double.NaN, 10_000, 1);
        assertTrue(exact.exact());
        assertEquals((int) expected, exact.used());
        assertEquals(3, exact.strata());
    }

    static double diff(double[] n, double[] s, boolean[] t) {
        double tn = 0;
        double ts = 0;
        double cn = 0;
        double cs = 0;
        for (int h = 0; h < n.length; h++) {
            if (t[h]) {
                tn += n[h];
                ts += s[h];
            } else {
                cn += n[h];
                cs += s[h];
            }
        }
        return ts / tn - cs / cn;
    }
}

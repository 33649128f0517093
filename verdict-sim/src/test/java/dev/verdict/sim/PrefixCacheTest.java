package dev.verdict.sim;

import dev.verdict.sim.policy.Policies;
import dev.verdict.sim.policy.EvictionPolicy;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The prefix cache against Che's approximation under the independent reference model, and its bookkeeping. */
class PrefixCacheTest {

    /** Hit ratio of a cache of {@code capacity} unit items fed {@code requests} IRM draws from Zipf(s) over n items. */
    static double simulate(EvictionPolicy policy, int n, double s, int capacity, int requests, long seed) {
        double[] cdf = zipfCdf(n, s);
        PrefixCache cache = new PrefixCache(capacity);
        SplittableRandom rng = new SplittableRandom(seed);
        long hits = 0;
        int warm = requests / 10;
        for (int i = 0; i < requests; i++) {
            int item = draw(cdf, rng.nextDouble());
            double now = i;
            boolean hit = cache.access(item, now, policy, false) != null;
            if (!hit) {
                cache.put(item, 1, 0, now, policy, false);
            }
            if (i >= warm && hit) {
                hits++;
            }
        }
        return (double) hits / (requests - warm);
    }

    static double[] zipfCdf(int n, double s) {
        double[] p = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            p[i] = Math.pow(i + 1, -s);
            total += p[i];
        }
        double acc = 0;
        for (int i = 0; i < n; i++) {
            acc += p[i] / total;
            p[i] = acc;
        }
        return p;
    }

    static int draw(double[] cdf, double u) {
        int i = java.util.Arrays.binarySearch(cdf, u);
        return Math.min(i >= 0 ? i : -i - 1, cdf.length - 1);
    }

    /** Che et al. (2002): T solves sum(1 - exp(-p_i T)) = C; hit ratio = sum p_i (1 - exp(-p_i T)). */
    static double che(int n, double s, int capacity) {
        double[] p = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            p[i] = Math.pow(i + 1, -s);
            total += p[i];
        }
        for (int i = 0; i < n; i++) {
            p[i] /= total;
        }
        double lo = 0;
        double hi = 1e12;
        for (int it = 0; it < 200; it++) {
            double t = (lo + hi) / 2;
            double occ = 0;
            for (double pi : p) {
                occ += 1 - Math.exp(-pi * t);
            }
            if (occ < capacity) {
                lo = t;
            } else {
                hi = t;
            }
        }
        double h = 0;
        for (double pi : p) {
            h += pi * (1 - Math.exp(-pi * lo));
        }
        return h;
    }

    @Test
    void lruHitRatioMatchesChesApproximation() {
        // tolerance: Che's approximation is accurate to well under 0.01 for caches of hundreds of items; the simulated
        // ratio's sampling error over 1.8M counted draws is about 4e-4.
        for (int capacity : new int[] {100, 500, 2000}) {
            double sim = simulate(Policies.eviction("lru", 0), 20_000, 0.8, capacity, 2_000_000, 42);
            double approx = che(20_000, 0.8, capacity);
            assertEquals(approx, sim, 0.01, "capacity " + capacity + ": simulated " + sim + ", Che " + approx);
        }
    }

    @Test
    void fifoIsWorseThanLruUnderSkewedIrmSoTheComparisonCanFail() {
        double lru = simulate(Policies.eviction("lru", 0), 20_000, 0.8, 500, 1_000_000, 7);
        double fifo = simulate(Policies.eviction("fifo", 0), 20_000, 0.8, 500, 1_000_000, 7);
        assertTrue(fifo < lru - 0.01, "FIFO " + fifo + " vs LRU " + lru);
        assertTrue(Math.abs(fifo - che(20_000, 0.8, 500)) > 0.01, "Che's LRU formula must not fit FIFO");
    }

    @Test
    void capacityIsNeverExceededAndLowestScoreGoesFirst() {
        EvictionPolicy lru = Policies.eviction("lru", 0);
        PrefixCache c = new PrefixCache(100);
        c.put(1, 40, 0, 1.0, lru, false);
        c.put(2, 40, 0, 2.0, lru, false);
        assertNotNull(c.access(1, 3.0, lru, false)); // 1 is now more recent than 2
        c.put(3, 40, 0, 4.0, lru, false);            // evicts 2
        assertNull(c.access(2, 5.0, lru, false));
        assertNotNull(c.access(1, 6.0, lru, false));
        assertNotNull(c.access(3, 7.0, lru, false));
        assertEquals(80, c.used());
        c.put(4, 500, 0, 8.0, lru, false);           // larger than the cache: not kept, nothing evicted
        assertEquals(80, c.used());
        SplittableRandom rng = new SplittableRandom(1);
        PrefixCache big = new PrefixCache(10_000);
        for (int i = 0; i < 100_000; i++) {
            long key = rng.nextInt(2_000);
            if (big.access(key, i, lru, false) == null) {
                big.put(key, 1 + rng.nextInt(300), 0, i, lru, false);
            }
            assertTrue(big.used() <= big.capacity());
        }
    }

    @Test
    void treatedEntriesCrowdOutControlEntriesUnderAMixedPolicy() {
        EvictionPolicy lru = Policies.eviction("lru", 0);
        EvictionPolicy freq = Policies.eviction("frequency_aware", 50);
        PrefixCache c = new PrefixCache(20);
        // ten entries each, all hit once; treated ones are rescored with the frequency bonus
        for (int i = 0; i < 20; i++) {
            boolean treated = i % 2 == 1;
            c.put(i, 1, 0, i, treated ? freq : lru, treated);
            c.access(i, i + 0.5, treated ? freq : lru, treated);
        }
        for (int i = 20; i < 30; i++) {
            c.put(i, 1, 0, 30 + i, lru, false); // ten new entries force ten evictions
        }
        int treatedLeft = 0;
        for (int i = 1; i < 20; i += 2) {
            treatedLeft += c.contains(i) ? 1 : 0;
        }
        assertEquals(10, treatedLeft, "the ten evictions all hit control entries");
    }
}

package dev.verdict.assign;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the example of docs/assignment.md compiling and true: the code block is copied here and every value its
 * comments quote is asserted. The buckets were reproduced independently with Python mmh3 5.3.0.
 */
class AssignmentDocTest {
    @Test
    void example() {
        HashBucketing exp = new HashBucketing("verdict-demo");
        int bucket = exp.bucket("user-42");
        int arm10 = exp.arm("user-42", new double[] {0.9, 0.1});
        int arm60 = exp.arm("user-42", new double[] {0.4, 0.6});
        int same = exp.bucket(1234567L);
        assertEquals(5701, bucket);
        assertEquals(0, arm10);
        assertEquals(1, arm60);
        assertEquals(4275, same);

        Layer cache = new Layer("cache-layer")
                .with("ttl", 0, 3000)
                .with("eviction", 3000, 5000);
        assertEquals(3046, cache.slot("user-42"));
        assertEquals(Optional.of("eviction"), cache.experimentOf("user-42"));
        assertEquals(-1, cache.arm("ttl", "user-42", new double[] {0.5, 0.5}));
        assertEquals(0, cache.arm("eviction", "user-42", new double[] {0.5, 0.5}));

        ClusterDraw regions = ClusterDraw.draw(
                List.of("us-east", "us-west", "eu-west", "eu-central", "ap-south", "ap-east"),
                List.of("us", "us", "eu", "eu", "ap", "ap"),
                0.5, 2026);
        assertEquals(List.of("us-east", "eu-central", "ap-south"), regions.treatedUnits());

        long monday = LocalDate.of(2026, 1, 5).toEpochDay() * 86_400;
        SwitchbackSchedule s = SwitchbackSchedule.randomizedWithinDay(
                monday, 3600, 600, 24 * 28, 0.5, 7);
        assertEquals(1767571200L, monday);
        assertEquals(1, s.block(monday + 5400));
        assertTrue(s.treatedAt(monday + 5400));
        assertTrue(s.inWashout(monday + 3700));
    }

    @Test
    void rulesQuotedInTheText() {
        // "treatment owns buckets [0, 1000)" and "[0, 6000)"
        assertArrayEquals(new int[] {0, 1000}, HashBucketing.treatmentBounds(new double[] {0.9, 0.1}));
        assertArrayEquals(new int[] {0, 6000}, HashBucketing.treatmentBounds(new double[] {0.4, 0.6}));
        // "share 0.3 over strata of 3, 9 and 5 units ... counts 1, 3 and 1"
        ClusterDraw d = ClusterDraw.draw(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n",
                "o", "p", "q"), List.of("x", "x", "x", "y", "y", "y", "y", "y", "y", "y", "y", "y", "z", "z", "z", "z", "z"),
                0.3, 1);
        assertEquals(List.of(1, 3, 1), List.copyOf(d.treatedPerStratum().values()));
        // the overlap message quoted on the page
        HashBucketingTest.assertMessage(() -> new Layer("cache-layer").with("ttl", 0, 3000).with("eviction", 3000, 5000)
                .with("batching", 4000, 6000), "slot range [4000, 6000) of experiment 'batching' overlaps eviction "
                + "[3000, 5000) in layer 'cache-layer': experiments of one layer must not share slots");
    }

    /** The re-randomization and saturation example of docs/assignment.md. */
    @Test
    void rerandomizationAndSaturationExample() {
        List<String> pools = List.of("p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8");
        List<String> gpu = List.of("h100", "h100", "h100", "h100", "a100", "a100", "a100", "a100");
        double[][] pre = {{12, 950}, {8, 870}, {15, 1010}, {10, 920}, {9, 880}, {14, 990}, {11, 940}, {7, 860}};
        java.util.function.Function<String, double[]> covariates = p -> pre[pools.indexOf(p)];
        Rerandomized r = ClusterDraw.rerandomized(pools, gpu, 0.5, 2026,
                List.of("queue_depth", "latency_p99"), covariates,
                BalanceCriterion.maxStdDiff(0.25), 10_000);
        assertEquals(List.of("p2", "p3", "p6", "p8"), r.draw().treatedUnits());
        assertEquals(2, r.drawsTried());
        BalanceTable.Row q = r.balance().rows().get(0);
        assertEquals(11.0, q.treatedMean(), 1e-12);
        assertEquals(10.5, q.controlMean(), 1e-12);
        assertEquals(3.0277, q.pooledSd(), 1e-4);
        assertEquals(0.1651, q.stdDiff(), 1e-4);
        assertEquals(0.1676, r.balance().rows().get(1).stdDiff(), 1e-4);
        List<ClusterDraw> forRi = Rerandomized.acceptedDraws(pools, gpu, 0.5, 99,
                List.of("queue_depth", "latency_p99"), covariates, BalanceCriterion.maxStdDiff(0.25), 1000, 1_000_000);
        assertEquals(1000, forRi.size());

        SaturationDesign s = SaturationDesign.draw(pools, gpu,
                new java.util.TreeMap<>(java.util.Map.of(0.0, 0.5, 0.5, 0.25, 1.0, 0.25)), 7, "sat-demo");
        assertEquals(java.util.Map.of(0.0, List.of("p1", "p2", "p6", "p7"), 0.5, List.of("p4", "p5"),
                1.0, List.of("p3", "p8")), s.clustersByLevel());
        assertEquals(0.5, s.saturation("p4"));
        assertEquals(0, s.arm("p4", "user-42"));
        assertEquals(1, s.arm("p3", "user-42"));
        assertEquals(0, s.arm("p1", "user-42"));
    }
}

package dev.verdict.assign;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.verdict.assign.HashBucketingTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerTest {
    private static final int IDS = 100_000;

    private static Layer twoExperiments() {
        return new Layer("cache-layer").with("ttl", 0, 3000).with("eviction", 3000, 5000);
    }

    @Test
    void experimentsOfOneLayerNeverShareAUnit() {
        Layer layer = twoExperiments();
        int inTtl = 0;
        int inEviction = 0;
        for (long id = 0; id < IDS; id++) {
            boolean ttl = layer.contains("ttl", id);
            boolean eviction = layer.contains("eviction", id);
            assertFalse(ttl && eviction, "unit " + id + " is in both experiments");
            assertEquals(ttl, layer.contains("ttl", Long.toString(id)));
            Optional<String> owner = layer.experimentOf(Long.toString(id));
            assertEquals(ttl ? Optional.of("ttl") : eviction ? Optional.of("eviction") : Optional.empty(), owner);
            assertEquals(new HashBucketing("cache-layer").bucket(id), layer.slot(id));
            inTtl += ttl ? 1 : 0;
            inEviction += eviction ? 1 : 0;
        }
        assertEquals(0.3, inTtl / (double) IDS, 4.5 * Math.sqrt(0.21 / IDS));
        assertEquals(0.2, inEviction / (double) IDS, 4.5 * Math.sqrt(0.16 / IDS));
    }

    @Test
    void overlappingRangesAreRefused() {
        Layer layer = twoExperiments();
        assertMessage(() -> layer.with("batching", 4000, 6000),
                "slot range [4000, 6000) of experiment 'batching' overlaps eviction [3000, 5000) in layer 'cache-layer'");
        assertMessage(() -> layer.with("batching", 0, 10_000), "overlaps ttl [0, 3000)");
        assertMessage(() -> layer.with("ttl", 6000, 7000), "experiment 'ttl' is already in layer 'cache-layer'");
        assertMessage(() -> layer.with("x", 5000, 5000), "0 <= from < to <= 10000, got [5000, 5000)");
        assertMessage(() -> layer.with("x", -1, 10), "got [-1, 10)");
        assertMessage(() -> layer.with("x", 9000, 10_001), "got [9000, 10001)");
        assertMessage(() -> layer.with("", 5000, 6000), "experiment name must be a non-empty string");
        assertMessage(() -> layer.contains("nope", "u"), "experiment 'nope' is not in layer 'cache-layer'");
        Layer touching = layer.with("batching", 5000, 10_000);
        assertEquals(List.of("ttl", "eviction", "batching"),
                touching.ranges().stream().map(Layer.Range::experiment).toList());
    }

    @Test
    void layersAreImmutableAndWithoutFreesSlots() {
        Layer layer = twoExperiments();
        Layer freed = layer.without("eviction");
        assertEquals(2, layer.ranges().size());
        assertEquals(1, freed.ranges().size());
        Layer reused = freed.with("batching", 3000, 6000);
        assertEquals(new Layer.Range("batching", 3000, 6000), reused.ranges().get(1));
        assertMessage(() -> freed.without("eviction"), "not in layer");
    }

    @Test
    void armsWithinAnExperimentAreIndependentOfTheSlot() {
        Layer layer = new Layer("routing").with("sticky", 2000, 6000);
        double[] shares = {0.5, 0.5};
        long[][] treatedByHalf = new long[2][2];
        for (long id = 0; id < IDS; id++) {
            int arm = layer.arm("sticky", id, shares);
            assertEquals(arm, layer.arm("sticky", Long.toString(id), shares));
            if (!layer.contains("sticky", id)) {
                assertEquals(-1, arm);
                continue;
            }
            assertEquals(new HashBucketing("routing/sticky").arm(id, shares), arm);
            treatedByHalf[layer.slot(id) < 4000 ? 0 : 1][arm]++;
        }
        for (long[] half : treatedByHalf) {
            long n = half[0] + half[1];
            assertEquals(0.5, half[1] / (double) n, 4.5 * Math.sqrt(0.25 / n));
        }
    }

    @Test
    void rangeReportsItsSlots() {
        Layer.Range r = new Layer.Range("e", 10, 20);
        assertTrue(r.containsSlot(10));
        assertFalse(r.containsSlot(20));
        assertEquals(10, r.size());
        assertEquals("cache-layer", twoExperiments().salt());
    }
}

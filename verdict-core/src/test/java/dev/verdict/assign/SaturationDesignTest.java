package dev.verdict.assign;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SaturationDesignTest {
    private static Map<Double, Double> levels() {
        Map<Double, Double> m = new TreeMap<>();
        m.put(0.0, 0.4);
        m.put(0.5, 0.3);
        m.put(1.0, 0.3);
        return m;
    }

    private final List<String> clusters = new ArrayList<>();
    private final List<String> strata = new ArrayList<>();

    SaturationDesignTest() {
        for (int i = 0; i < 40; i++) {
            clusters.add("k" + i);
            strata.add(i < 20 ? "h100" : "a100");
        }
    }

    @Test
    void countsPerLevelAndStratum() {
        SaturationDesign d = SaturationDesign.draw(clusters, strata, levels(), 5, "sat");
        assertEquals(16, d.clustersByLevel().get(0.0).size());
        assertEquals(12, d.clustersByLevel().get(0.5).size());
        assertEquals(12, d.clustersByLevel().get(1.0).size());
        for (Map<Double, Integer> c : d.countsPerStratum().values()) {
            // 20 clusters per stratum: 8, 6, 6
            assertEquals(Map.of(0.0, 8, 0.5, 6, 1.0, 6), c);
        }
    }

    @Test
    void unitsFollowTheClusterSaturation() {
        SaturationDesign d = SaturationDesign.draw(clusters, strata, levels(), 5, "sat");
        for (String c : clusters) {
            double s = d.saturation(c);
            int treated = 0;
            for (int u = 0; u < 4000; u++) {
                treated += d.arm(c, "user-" + u);
            }
            if (s == 0.0) {
                assertEquals(0, treated);
            } else if (s == 1.0) {
                assertEquals(4000, treated);
            } else {
                assertEquals(2000, treated, 4 * Math.sqrt(1000)); // binomial SD 31.6
                // the unit hash is HashBucketing at share s
                assertEquals(new HashBucketing("sat").arm("user-42", new double[] {0.5, 0.5}), d.arm(c, "user-42"));
            }
        }
    }

    @Test
    void reproducibleAndSeedDependent() {
        SaturationDesign a = SaturationDesign.draw(clusters, strata, levels(), 5, "sat");
        SaturationDesign b = SaturationDesign.draw(clusters, strata, levels(), 5, "sat");
        SaturationDesign c = SaturationDesign.draw(clusters, strata, levels(), 6, "sat");
        assertEquals(a.clustersByLevel(), b.clustersByLevel());
        assertTrue(!a.clustersByLevel().equals(c.clustersByLevel()));
    }

    @Test
    void everyClusterEqualChanceOfEachLevelOverSeeds() {
        int seeds = 500;
        int[] pure = new int[clusters.size()];
        for (int s = 0; s < seeds; s++) {
            SaturationDesign d = SaturationDesign.draw(clusters, strata, levels(), s, "sat");
            for (int i = 0; i < clusters.size(); i++) {
                pure[i] += d.saturation(clusters.get(i)) == 0.0 ? 1 : 0;
            }
        }
        for (int p : pure) {
            assertEquals(0.4, p / (double) seeds, 0.1); // binomial SD 0.022
        }
    }

    @Test
    void badLevelsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> SaturationDesign.draw(clusters, strata, Map.of(0.0, 1.0), 1, "s"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SaturationDesign.draw(clusters, strata, Map.of(0.0, 0.5, 1.5, 0.5), 1, "s"));
        assertEquals("saturation level must be in [0, 1], got 1.5", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SaturationDesign.draw(clusters, strata, Map.of(0.0, 0.5, 1.0, 0.4), 1, "s"));
        assertThrows(IllegalArgumentException.class, () -> SaturationDesign.draw(clusters, strata, levels(), 1, ""));
        assertThrows(IllegalArgumentException.class, () -> SaturationDesign.draw(clusters, strata, levels(), 5, "sat")
                .saturation("nope"));
    }
}

package dev.verdict.sim;

import dev.verdict.stats.Moments;
import dev.verdict.stats.SaturationAnalysis;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spillover test of a saturation design on the simulator (issue 5): half the clusters pure control, half mixed at
 * 50%; the spillover on untreated requests' TTFT is tested across clusters. It must reject when the cache mechanism
 * produces spillover and hold its size when treatment and control are the same policy (an A/A).
 */
class SpilloverStudyTest {
    static String fixture() {
        try (InputStream in = SpilloverStudyTest.class.getResourceAsStream("/saturation-cache.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** p-value of the spillover test at saturation 0.5 for one seed. */
    static double spilloverP(Scenario sc) {
        int k = sc.supply().clusters();
        double[][][] acc = new double[k][2][3];
        SimDesign.Saturation d = new SimDesign.Saturation(new TreeMap<>(Map.of(0.0, 0.5, 0.5, 0.5)));
        new Simulation(sc, d, r -> {
            double y = r.ttftMs();
            double[] x = acc[r.cluster()][r.arm()];
            x[0]++;
            x[1] += y;
            x[2] += y * y;
        }).run();
        var draw = Designs.saturation(sc, d);
        List<String> names = sc.supply().clusterNames();
        List<SaturationAnalysis.ClusterArms> cs = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            Moments[] m = new Moments[2];
            for (int arm = 0; arm < 2; arm++) {
                double n = acc[c][arm][0];
                double mean = n == 0 ? 0 : acc[c][arm][1] / n;
                double var = n > 1 ? (acc[c][arm][2] - n * mean * mean) / (n - 1) : 0;
                m[arm] = n == 0 ? Moments.empty(1) : Moments.ofCovariance((long) n, new double[] {mean}, new double[][] {{var}});
            }
            cs.add(new SaturationAnalysis.ClusterArms(names.get(c), draw.saturation(names.get(c)), m[0], m[1]));
        }
        return SaturationAnalysis.analyze(cs, 0.05).spillover().get(0).estimate().pValue();
    }

    static double rejectionRate(String yaml, int replicates) {
        int reject = 0;
        for (int rep = 0; rep < replicates; rep++) {
            reject += spilloverP(ScenarioReader.parse(yaml).withSeed(100 + rep)) < 0.05 ? 1 : 0;
        }
        return (double) reject / replicates;
    }

    @Test
    void rejectsWhenTheCacheMechanismSpillsOver() {
        double power = rejectionRate(fixture(), 20);
        assertTrue(power >= 0.7, "rejection rate with spillover: " + power);
    }

    /**
     * truth.json's per-level estimands: clusters share nothing in the simulator, so the pure-control clusters of the
     * design run are the all-control world's, and their spillover is exactly zero; at 50% the cache mechanism spills
     * onto untreated requests; the levels partition the run's requests.
     */
    @Test
    void truthPerSaturationLevelIsZeroInPureClustersAndNotInMixedOnes() {
        Scenario sc = ScenarioReader.parse(fixture()).withSeed(100);
        SimDesign.Saturation d = new SimDesign.Saturation(new TreeMap<>(Map.of(0.0, 0.5, 0.5, 0.5)));
        ArmSummary mixed = new ArmSummary();
        new Simulation(sc, d, mixed).run();
        IdealExperiment.Worlds w = IdealExperiment.worlds(sc);
        var levels = IdealExperiment.truth(sc, d, w, mixed).get("saturation_levels");
        assertEquals(2, levels.size());
        var pure = levels.get(0);
        assertEquals(0.0, pure.get("level").asDouble());
        assertEquals(0L, pure.get("requests_treated").asLong());
        assertEquals(0.0, pure.get("effects").get("ttft_ms").get("spillover_on_untreated").asDouble(), 0.0,
                pure.toString());
        var half = levels.get(1);
        assertTrue(Math.abs(half.get("effects").get("ttft_ms").get("spillover_on_untreated").asDouble()) > 1.0,
                half.toString());
        assertEquals(mixed.count(), pure.get("requests_untreated").asLong() + half.get("requests_untreated").asLong()
                + half.get("requests_treated").asLong());
    }

    @Test
    void holdsItsSizeInAnAaTest() {
        String aa = fixture().replace(
                "treatment: {label: frequency_aware, eviction: frequency_aware, eviction_bonus_seconds: 20}",
                "treatment: {label: same_policy}");
        double size = rejectionRate(aa, 40);
        assertTrue(size <= 0.10, "rejection rate under no spillover: " + size);
    }
}

package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.decide.Recommendation;
import dev.verdict.sim.Scenarios;
import dev.verdict.sim.SimDesign;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lab's report arithmetic on hand-made replicates: coverage of the headline and of each alternative inference. */
class LabReportTest {

    private static LabCommand.Result result(double truth, double lo, double hi, double[] wcr, double[] ri) {
        TreeMap<String, double[]> alt = new TreeMap<>();
        if (wcr != null) {
            alt.put("wild_cluster_bootstrap", wcr);
        }
        if (ri != null) {
            alt.put("randomization_inference", ri);
        }
        return new LabCommand.Result(truth, (lo + hi) / 2, lo, hi, Recommendation.PAUSE, alt);
    }

    @Test
    void coverageByInferenceCountsOnlyReplicatesWithAnInterval() {
        var sc = Scenarios.load("cache-eviction");
        List<SimDesign> ds = List.of(SimulateCommand.design(sc, "cluster", 0.5, null, null));
        LabCommand.Result[][] results = {
                {result(1.0, 0, 2, new double[] {0, 2}, new double[] {0, 2})},          // all cover
                {result(1.0, 2, 3, new double[] {0.5, 1.5}, new double[] {Double.NaN, Double.NaN})}, // headline misses
                {result(1.0, 0, 3, new double[] {1.5, 2}, null)},                      // wcr misses, no ri
                {result(1.0, -1, 0.5, new double[] {0, 1}, new double[] {2, 3})}};     // headline, ri miss
        StringWriter text = new StringWriter();
        JsonNode json = LabCommand.report(sc, 1, ds, results, new PrintWriter(text, true));
        JsonNode d = json.get("designs").get(0);
        assertEquals(0.5, d.get("coverage").asDouble(), 0.0);
        JsonNode by = d.get("coverage_by_inference");
        assertEquals(4, by.get("wild_cluster_bootstrap").get("replicates_with_interval").asInt());
        assertEquals(0.75, by.get("wild_cluster_bootstrap").get("coverage").asDouble(), 0.0);
        // NaN ends and a missing method both count as no interval
        assertEquals(2, by.get("randomization_inference").get("replicates_with_interval").asInt());
        assertEquals(0.5, by.get("randomization_inference").get("coverage").asDouble(), 0.0);
        assertTrue(text.toString().contains("wild_cluster_bootstrap   coverage  75.0% (4 of 4 replicates"), text.toString());
        assertFalse(text.toString().contains("cr2"), "no method appears that no replicate reported");
    }
}

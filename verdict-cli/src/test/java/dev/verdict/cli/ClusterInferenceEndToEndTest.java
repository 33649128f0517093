package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.ValidationMessage;
import dev.verdict.cli.examples.ExampleLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cluster-level inference of cluster RCTs end to end through the command line: 40 clusters use CR2 with Satterthwaite
 * df; 10 clusters add the wild cluster bootstrap and (exact) randomization inference and report the most conservative;
 * one treated cluster reports randomization inference only.
 */
class ClusterInferenceEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void fortyClustersUseCr2WithSatterthwaiteDf() throws Exception {
        Path out = tmp.resolve("example");
        CliRun run = CliRun.analyze(CliRun.repo().resolve("examples/cluster-rct/spec.yaml"), out);
        assertEquals("", run.err(), run.out());
        JsonNode root = JSON.readTree(out.resolve("readout.json").toFile());
        JsonNode success = root.get("effects").get(0);
        assertEquals("cr2_satterthwaite_over_cluster", success.get("method").asText());
        // known truth of the example: completion +3 points
        assertTrue(success.get("ci_low").asDouble() < 0.03 && 0.03 < success.get("ci_high").asDouble(), success.toString());
        double df = success.get("df").asDouble();
        assertTrue(df > 1 && df <= 39, "Satterthwaite df within (1, G - 1]: " + df);
        for (JsonNode e : root.get("effects")) {
            if (e.get("role").asText().equals("guardrail")) {
                assertEquals("cr2_satterthwaite_over_cluster", e.get("method").asText(), e.toString());
            }
        }
        JsonNode small = check(root, "small_sample_inference");
        assertEquals("pass", small.get("status").asText());
        assertEquals("cr2_satterthwaite", small.get("evidence").get("inference").asText());
        Set<ValidationMessage> errors = ExamplesEndToEndTest.schema().validate(root);
        assertTrue(errors.isEmpty(), errors.toString());
        assertTrue(Files.readString(out.resolve("readout.md")).contains("inference cr2_satterthwaite"));
    }

    @Test
    void tenClustersReportTheMostConservativeOfCr2WildBootstrapAndRandomization() throws Exception {
        Path log = tmp.resolve("requests.csv");
        ExampleLogs.writeClusterRct(log, 10, 300, 0.02, 5);
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, """
                name: ten pools
                design: cluster_rct
                unit: cluster
                data: requests.csv
                start: 2026-11-02T00:00:00Z
                success: {metric: completed, kind: proportion, direction: increase}
                guardrails:
                  - {metric: latency_ms, kind: mean, direction: decrease, max_harm: 10%}
                """);
        CliRun run = CliRun.analyze(spec, tmp.resolve("out"));
        assertEquals("", run.err(), run.out());
        JsonNode root = JSON.readTree(tmp.resolve("out/readout.json").toFile());
        JsonNode small = check(root, "small_sample_inference");
        assertEquals("most_conservative_of_cr2_wcr_ri", small.get("evidence").get("inference").asText());
        assertEquals(2, small.get("evidence").get("metrics").size());
        for (int i = 0; i < 2; i++) {
            JsonNode e = root.get("effects").get(i);
            JsonNode m = small.get("evidence").get("metrics").get(i);
            assertEquals(e.get("metric").asText(), m.get("metric").asText());
            assertEquals("most_conservative_of_cr2_wcr_ri_over_cluster", e.get("method").asText());
            // C(10, 5) = 252 assignments, enumerated
            assertTrue(m.get("ri_exact").asBoolean());
            assertEquals(252, m.get("ri_assignments_used").asInt());
            assertEquals(2.0 / 252, m.get("ri_smallest_p").asDouble(), 1e-15, "5 of 10 treated: complements pair up");
            assertEquals(9999, m.get("wcr_draws").asInt());
            double p = Math.max(m.get("cr2_p_value").asDouble(), Math.max(m.get("wcr_p_value").asDouble(),
                    m.get("ri_p_value").asDouble()));
            assertEquals(p, e.get("p_value").asDouble(), 0.0);
            double low = e.get("ci_low").asDouble();
            double high = e.get("ci_high").asDouble();
            assertTrue(low <= m.get("wcr_ci_low").asDouble() && m.get("wcr_ci_high").asDouble() <= high);
            assertTrue(low <= m.get("ri_ci_low").asDouble() && m.get("ri_ci_high").asDouble() <= high);
            double est = e.get("estimate").asDouble();
            double crit = org.apache.commons.statistics.distribution.TDistribution.of(e.get("df").asDouble())
                    .inverseSurvivalProbability(0.025);
            assertTrue(low <= est - crit * e.get("se").asDouble() + 1e-12, "hull covers the CR2 interval");
            // every reported interval excludes 0 exactly when its p-value is below alpha
            assertEquals(p < 0.05, low > 0 || high < 0, e.toString());
        }
        Set<ValidationMessage> errors = ExamplesEndToEndTest.schema().validate(root);
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void oneTreatedClusterReportsRandomizationInferenceOnly() throws Exception {
        StringBuilder csv = new StringBuilder("request_id,pool,arm,latency_ms\n");
        int id = 0;
        for (int g = 0; g < 6; g++) {
            for (int r = 0; r < 4; r++) {
                csv.append("r").append(id++).append(",p").append(g).append(',').append(g == 5 ? "treatment" : "control")
                        .append(',').append(100 + 10 * g + r + (g == 5 ? 100 : 0)).append('\n');
            }
        }
        Files.writeString(tmp.resolve("requests.csv"), csv);
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, """
                name: one treated pool
                design: cluster_rct
                data: requests.csv
                columns: {cluster: pool}
                success: {metric: latency_ms, kind: mean, direction: decrease}
                """);
        CliRun run = CliRun.analyze(spec, tmp.resolve("out"));
        assertEquals("", run.err(), run.out());
        JsonNode root = JSON.readTree(tmp.resolve("out/readout.json").toFile());
        JsonNode success = root.get("effects").get(0);
        assertEquals("randomization_inference_over_cluster", success.get("method").asText());
        assertTrue(success.get("se").isNull(), "no clustered SE with one treated cluster: " + success);
        // the treated pool (mean 251.5) is far above the others (101.5 .. 141.5): only the observed assignment reaches
        // |d| = 130, so p = 1/6, also the smallest attainable
        assertEquals(1.0 / 6, success.get("p_value").asDouble(), 1e-15);
        JsonNode small = check(root, "small_sample_inference");
        assertEquals("warn", small.get("status").asText());
        assertTrue(small.get("summary").asText().contains("Only one cluster in an arm"), small.toString());
        assertEquals("randomization_inference", small.get("evidence").get("inference").asText());
        assertTrue(Files.readString(tmp.resolve("out/readout.md")).contains("a clustered standard error is meaningless"));
    }

    private static JsonNode check(JsonNode root, String name) {
        for (JsonNode c : root.get("checks")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + root.get("checks"));
    }
}

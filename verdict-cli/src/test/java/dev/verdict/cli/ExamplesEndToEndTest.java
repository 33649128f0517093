package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The main job end to end on the shipped example logs, through the command line: each example was generated with a
 * known truth (see ExampleLogs) that makes one recommendation right, and the readout must reach it by the rule
 * that the framework names. DuckDB really reads the Parquet files.
 */
class ExamplesEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "clean-win, ship, 0",
            "srm, instrument_more, 14",
            "guardrail-regression, roll_back, 13",
            "mixed-segments, target, 10",
            "cluster-rct, ship, 0",
            "switchback, ship, 0",
            "did-rollout, ramp, 0",
            "synthetic-control, ramp, 0",
            "rdd, ramp, 0",
            "propensity, ramp, 0"})
    void exampleReachesItsKnownRecommendation(String example, String recommendation, int exit) throws IOException {
        Path out = tmp.resolve(example);
        CliRun run = CliRun.analyze(CliRun.repo().resolve("examples").resolve(example).resolve("spec.yaml"), out);
        assertEquals("", run.err(), "no error output");
        JsonNode readout = JSON.readTree(out.resolve("readout.json").toFile());
        assertEquals(recommendation, readout.get("recommendation").asText(), run.out());
        assertEquals(CliRun.engine(), readout.get("provenance").get("engine").asText(), "the engine under test ran");
        assertEquals(exit, run.exit());
        assertTrue(run.out().contains("recommendation: " + recommendation.toUpperCase(java.util.Locale.ROOT)), run.out());
        Set<ValidationMessage> errors = schema().validate(readout);
        assertTrue(errors.isEmpty(), "readout.json violates docs/readout.schema.json: " + errors);
        assertTrue(Files.readString(out.resolve("readout.md")).startsWith("# "));
    }

    @Test
    void cleanWinEffectsRecoverTheKnownTruth() throws IOException {
        // Known truth from ExampleLogs: completion +2.5 points, mean latency -15 ms; errors flat.
        Path out = tmp.resolve("truth");
        CliRun.analyze(CliRun.repo().resolve("examples/clean-win/spec.yaml"), out);
        JsonNode effects = JSON.readTree(out.resolve("readout.json").toFile()).get("effects");
        JsonNode success = effects.get(0);
        assertEquals("completed", success.get("metric").asText());
        assertTrue(success.get("ci_low").asDouble() < 0.025 && 0.025 < success.get("ci_high").asDouble(),
                "the interval covers the true +0.025: " + success);
        assertEquals("two_proportion_unpooled", success.get("method").asText());
    }

    @Test
    void mixedSegmentsFindsTheAgenticWinnerWithUnitLevelVariance() throws IOException {
        // Known truth from ExampleLogs: agentic users gain 8 points of completion, chat and batch nothing.
        Path out = tmp.resolve("mixed");
        CliRun.analyze(CliRun.repo().resolve("examples/mixed-segments/spec.yaml"), out);
        JsonNode root = JSON.readTree(out.resolve("readout.json").toFile());
        JsonNode workload = null;
        for (JsonNode s : root.get("segments")) {
            if (s.get("column").asText().equals("workload")) {
                workload = s;
            }
        }
        assertTrue(workload != null && workload.get("heterogeneity_p_value").asDouble() < 0.05, String.valueOf(workload));
        for (JsonNode e : workload.get("effects")) {
            String value = e.get("segment").get("value").asText();
            double truth = value.equals("agentic") ? 0.08 : 0.0;
            assertTrue(e.get("ci_low").asDouble() < truth && truth < e.get("ci_high").asDouble(), value + ": " + e);
            assertTrue(e.get("method").asText().contains("over_user_id"), e.get("method").asText());
        }
    }

    @Test
    void sameInputsGiveByteIdenticalReadouts() throws IOException {
        Path spec = CliRun.repo().resolve("examples/mixed-segments/spec.yaml");
        CliRun.analyze(spec, tmp.resolve("a"));
        CliRun.analyze(spec, tmp.resolve("b"));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("a/readout.json")), Files.readAllBytes(tmp.resolve("b/readout.json")));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("a/readout.md")), Files.readAllBytes(tmp.resolve("b/readout.md")));
    }

    static JsonSchema schema() throws IOException {
        JsonNode node = JSON.readTree(CliRun.repo().resolve("docs/readout.schema.json").toFile());
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(node);
    }
}

package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.cli.examples.ExampleLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The switchback's block-level inference end to end: randomization inference and the carryover check on the shipped
 * example, and on generated logs whose carryover outlasts the washout (positive control) or not.
 */
class SwitchbackInferenceEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static final String SPEC = """
            name: generated switchback
            design: switchback
            data: requests.csv
            start: 2026-11-02T00:00:00Z
            %s
            success: {metric: completed, kind: mean, direction: increase, min_effect: 0.01}
            """;

    @Test
    void shippedExampleHasAgreeingRandomizationInferenceAndNoCarryover() throws Exception {
        Path out = tmp.resolve("example");
        CliRun run = CliRun.analyze(CliRun.repo().resolve("examples/switchback/spec.yaml"), out);
        assertEquals("", run.err(), run.out());
        JsonNode root = JSON.readTree(out.resolve("readout.json").toFile());
        assertEquals("ship", root.get("recommendation").asText());
        JsonNode inference = check(root, "switchback_inference");
        assertEquals("pass", inference.get("status").asText(), inference.toString());
        JsonNode ri = inference.get("evidence").get("randomization_inference");
        JsonNode effect = root.get("effects").get(0);
        // the randomization statistic is the headline point estimate, recomputed under 10,000 re-drawn schedules
        assertEquals(effect.get("estimate").asDouble(), ri.get("observed").asDouble(), 1e-12);
        assertEquals(10_000, ri.get("draws").asLong());
        assertEquals(1 / 10_001.0, ri.get("smallest_attainable_p").asDouble(), 1e-15);
        assertTrue(ri.get("p_value").asDouble() < 0.05, ri.toString());
        JsonNode ht = inference.get("evidence").get("horvitz_thompson");
        assertEquals(0, ht.get("carryover_order").asInt());
        // truth +0.03; every block-level estimate lands near it
        assertEquals(0.03, ht.get("estimate").asDouble(), 0.03, ht.toString());
        assertTrue(ht.get("se_bound").isNull(), "no bound for a complete schedule: " + ht);
        JsonNode adjusted = inference.get("evidence").get("demand_adjusted");
        assertTrue(adjusted.get("identified").asBoolean(), adjusted.toString());
        assertTrue(adjusted.get("ci_low").asDouble() < 0.03 && 0.03 < adjusted.get("ci_high").asDouble(),
                adjusted.toString());
        assertEquals(24, adjusted.get("hours_of_day").asInt());
        JsonNode carry = check(root, "carryover");
        assertEquals("pass", carry.get("status").asText(), carry.toString());
        assertEquals(35.0, carry.get("evidence").get("half_start_minutes").asDouble());
        String md = Files.readString(out.resolve("readout.md"));
        assertTrue(md.contains("Randomization inference under the complete schedule"), md);
    }

    @Test
    void carryoverPastTheWashoutFailsTheCarryoverCheckAndALongerWashoutClearsIt() throws Exception {
        // the previous block's policy acts for the first 30 minutes of each hourly block; the washout drops only 10
        ExampleLogs.writeSwitchback(tmp.resolve("requests.csv"), 10, 60, 10, 30, 80, 0.10, 0.02, 21);
        Path spec = tmp.resolve("short.yaml");
        Files.writeString(spec, SPEC.formatted("switchback: {block_minutes: 60, washout_minutes: 10, schedule: bernoulli}"));
        CliRun run = CliRun.analyze(spec, tmp.resolve("short"));
        assertEquals("", run.err(), run.out());
        JsonNode root = JSON.readTree(tmp.resolve("short/readout.json").toFile());
        JsonNode carry = check(root, "carryover");
        assertEquals("fail", carry.get("status").asText(), carry.toString());
        JsonNode ev = carry.get("evidence");
        // first half [10, 35) min: 20 of its 25 minutes still carry the previous policy; second half [35, 60) is clean
        assertTrue(ev.get("effect_second_half").asDouble() > 0.07, ev.toString());
        assertTrue(ev.get("effect_first_half").asDouble() < 0.05, ev.toString());
        assertTrue(ev.get("estimated_carryover_order").asInt() >= 1, ev.toString());
        assertEquals("pause", root.get("recommendation").asText());
        JsonNode evidence = check(root, "switchback_inference").get("evidence");
        assertEquals("bernoulli", evidence.get("schedule").asText());
        assertEquals("bernoulli", root.get("spec").get("switchback").get("schedule").asText());
        // independent coins: the Horvitz-Thompson estimate gets its conservative (Aronow-Samii) standard error
        JsonNode ht = evidence.get("horvitz_thompson");
        assertTrue(ht.get("se_bound").asDouble() > 0, ht.toString());
        assertTrue(ht.get("ci_low").asDouble() < ht.get("estimate").asDouble()
                && ht.get("estimate").asDouble() < ht.get("ci_high").asDouble(), ht.toString());

        // the same log with a 30-minute washout: carryover cleared, the check passes
        Path longer = tmp.resolve("long.yaml");
        Files.writeString(longer, SPEC.formatted("switchback: {block_minutes: 60, washout_minutes: 30}"));
        CliRun clean = CliRun.analyze(longer, tmp.resolve("long"));
        assertEquals("", clean.err(), clean.out());
        JsonNode cleanRoot = JSON.readTree(tmp.resolve("long/readout.json").toFile());
        assertEquals("pass", check(cleanRoot, "carryover").get("status").asText(),
                check(cleanRoot, "carryover").toString());
        JsonNode effect = cleanRoot.get("effects").get(0);
        assertTrue(effect.get("ci_low").asDouble() < 0.10 && 0.10 < effect.get("ci_high").asDouble(), effect.toString());
    }

    @Test
    void declaredCarryoverOrderFeedsTheHorvitzThompsonEstimate() throws Exception {
        ExampleLogs.writeSwitchback(tmp.resolve("requests.csv"), 4, 60, 10, 10, 60, 0.05, 0.02, 5);
        Path spec = tmp.resolve("m1.yaml");
        Files.writeString(spec, SPEC.formatted("switchback: {block_minutes: 60, washout_minutes: 10, carryover_order: 1}"));
        CliRun run = CliRun.analyze(spec, tmp.resolve("m1"));
        assertEquals("", run.err(), run.out());
        JsonNode root = JSON.readTree(tmp.resolve("m1/readout.json").toFile());
        JsonNode ht = check(root, "switchback_inference").get("evidence").get("horvitz_thompson");
        assertEquals(1, ht.get("carryover_order").asInt());
        assertEquals("exact", ht.get("path_probabilities").asText());
        // Horvitz-Thompson is unbiased (HorvitzThompsonTest) but noisy: y ~ 0.9 over path probabilities of 1/4 on 96
        // blocks gives a standard deviation near 0.2
        assertEquals(0.05, ht.get("estimate").asDouble(), 0.6, ht.toString());
        double p = ht.get("ri_p_value").asDouble();
        assertTrue(p > 0 && p <= 1, ht.toString());
        assertEquals(1, check(root, "carryover").get("evidence").get("declared_carryover_order").asInt());
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

package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code design: did} end to end through the command line (also on Spark, from the Spark module): the worked example of
 * FRAMEWORK.md as a request log (-15 ms, each difference named, no standard error from two units); California
 * Proposition 99 as a log reproduces synthdid's did_estimate (-27.349111083615, 1e-8 relative) with no clustered SE for
 * the single treated state; a staggered rollout with parallel trends passes the pre-trend test and recovers the effect,
 * and the same rollout with diverging pre-trends fails it, pauses, and reports the difference as descriptive.
 */
class DidEndToEndTest {

    @TempDir
    Path tmp;

    private JsonNode analyze(String spec) throws Exception {
        return Readouts.analyze(tmp, spec);
    }

    @Test
    void frameworkWorkedExampleIsMinusFifteenAndNamesEachDifference() throws Exception {
        StringBuilder csv = new StringBuilder("request_id,ts,region,arm,latency_ms\n");
        double[][] means = {{180, 140}, {175, 150}};
        String[] regions = {"us-east", "eu-west"};
        int id = 0;
        for (int g = 0; g < 2; g++) {
            for (int day = 0; day < 2; day++) {
                for (double dev : new double[] {-10, 0, 10}) {
                    csv.append(String.format(Locale.ROOT, "r%d,2026-11-0%dT12:00:00Z,%s,%s,%.1f%n", id++, day + 1,
                            regions[g], g == 0 && day == 1 ? "treatment" : "control", means[g][day] + dev));
                }
            }
        }
        Files.writeString(tmp.resolve("requests.csv"), csv);
        JsonNode root = analyze("""
                name: routing change in us-east
                design: did
                unit: region
                data: requests.csv
                success: {metric: latency_ms, kind: mean, direction: decrease}
                did: {period: day}
                """);
        JsonNode e = root.get("effects").get(0);
        assertEquals(-15.0, e.get("estimate").asDouble(), 1e-9);
        assertTrue(e.get("se").isNull(), "two units: no standard error " + e);
        String notes = root.get("design").get("notes").toString();
        assertTrue(notes.contains("-40") && notes.contains("-25") && notes.contains("-15"), notes);
        assertFalse(notes.contains("effect of -25") || notes.contains("effect is -25"), notes);
        // the adoption period is named by its start, not by its index (days since 1970)
        String explanation = root.get("design").get("details").get("two_by_two").get("explanation").asText();
        assertTrue(explanation.startsWith("Treated units went from 180 before the day starting 2026-11-02T00:00:00Z to "
                + "140 after"), explanation);
        assertEquals("warn", Readouts.check(root, "pre_trends").get("status").asText(), "one pre-period: untestable");
        assertTrue(e.get("method").asText().endsWith("_descriptive"), e.toString());
        assertEquals("warn", Readouts.check(root, "treated_units").get("status").asText());
        assertEquals("pause", root.get("recommendation").asText());
    }

    @Test
    void prop99LogReproducesSynthdidsDidEstimate() throws Exception {
        Readouts.prop99Log(tmp.resolve("requests.csv"), "cluster");
        JsonNode root = analyze("""
                name: proposition 99
                design: did
                data: requests.csv
                success: {metric: packs, kind: mean, direction: decrease}
                did: {period: week}
                """);
        JsonNode e = root.get("effects").get(0);
        assertEquals(-27.349111083615, e.get("estimate").asDouble(), 1e-8 * 27.35);
        assertTrue(e.get("se").isNull(), "one treated state: no clustered SE " + e);
        assertEquals("warn", Readouts.check(root, "treated_units").get("status").asText());
        assertEquals(1, Readouts.check(root, "treated_units").get("evidence").get("treated_units").asInt());
        assertEquals(38, Readouts.check(root, "treated_units").get("evidence").get("comparison_units").asInt());
        assertEquals(31, root.get("design").get("details").get("trends").size());
        // inference by placebo in space: each of the 38 donor states relabelled as treated from 1989
        JsonNode placebo = root.get("design").get("details").get("placebo_in_space");
        assertEquals(38, placebo.get("placebos").size());
        assertEquals(1.0 / 39, placebo.get("smallest_attainable_p").asDouble(), 1e-12);
        int extreme = 0;
        double radius = 0;
        java.util.List<Double> abs = new java.util.ArrayList<>();
        for (JsonNode x : placebo.get("placebos")) {
            abs.add(Math.abs(x.get("estimate").asDouble()));
            extreme += Math.abs(x.get("estimate").asDouble()) >= Math.abs(e.get("estimate").asDouble()) ? 1 : 0;
        }
        abs.sort(null);
        radius = abs.get(38 - 1); // (1 + m)/39 >= 0.05 first at m = 1: the largest |placebo|
        assertEquals((1.0 + extreme) / 39, e.get("p_value").asDouble(), 1e-12, e.toString());
        assertEquals(e.get("estimate").asDouble() - radius, e.get("ci_low").asDouble(), 1e-9, e.toString());
        assertEquals(e.get("estimate").asDouble() + radius, e.get("ci_high").asDouble(), 1e-9, e.toString());
        assertTrue(e.get("method").asText().startsWith("did_twfe_placebo_in_space"), e.toString());
        JsonNode treatedUnits = Readouts.check(root, "treated_units");
        assertEquals("placebo_in_space", treatedUnits.get("evidence").get("inference").asText());
        assertTrue(treatedUnits.get("summary").asText().contains("smallest attainable p 1/39 = 0.026"),
                treatedUnits.toString());
        assertTrue(Readouts.check(root, "pre_trends").get("evidence").get("method").asText()
                .startsWith("placebo-in-space permutation test"), Readouts.check(root, "pre_trends").toString());
    }

    /** 24 clusters, three adoption weeks and a never-treated third; effect -20 ms from adoption on. */
    private void staggered(double preTrendSlope, long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder csv = new StringBuilder("request_id,ts,cluster,arm,latency_ms\n");
        int id = 0;
        for (int c = 0; c < 24; c++) {
            int adopt = c < 8 ? 6 : c < 13 ? 8 : c < 16 ? 10 : Integer.MAX_VALUE;
            double level = 300 + 10 * rnd.nextGaussian();
            for (int day = 0; day < 14; day++) {
                boolean treated = day >= adopt;
                double trend = 2 * day + (adopt != Integer.MAX_VALUE ? preTrendSlope * day : 0);
                double shock = 3 * rnd.nextGaussian();
                for (int k = 0; k < 5; k++) {
                    double y = level + trend + shock + (treated ? -20 : 0) + 5 * rnd.nextGaussian();
                    csv.append(String.format(Locale.ROOT, "r%d,2026-11-%02dT%02d:00:00Z,pool-%02d,%s,%.3f%n", id++,
                            day + 2, 8 + k, c, treated ? "treatment" : "control", y));
                }
            }
        }
        Files.writeString(tmp.resolve("requests.csv"), csv);
    }

    private static final String STAGGERED = """
            name: staggered rollout
            design: did
            data: requests.csv
            success: {metric: latency_ms, kind: mean, direction: decrease}
            """;

    @Test
    void staggeredRolloutWithParallelTrendsRecoversTheEffect() throws Exception {
        staggered(0, 41);
        JsonNode root = analyze(STAGGERED);
        JsonNode e = root.get("effects").get(0);
        assertEquals("pass", Readouts.check(root, "pre_trends").get("status").asText(), Readouts.check(root, "pre_trends").toString());
        assertEquals("did_callaway_santanna_overall_att", e.get("method").asText(), e.toString());
        assertTrue(e.get("ci_low").asDouble() < -20 && -20 < e.get("ci_high").asDouble(), e.toString());
        assertEquals("pass", Readouts.check(root, "pre_trends").get("status").asText(), Readouts.check(root, "pre_trends").toString());
        assertFalse(e.get("method").asText().endsWith("_descriptive"));
        assertTrue(root.get("design").get("details").get("event_study").size() > 3);
    }

    /** Positive control: treated clusters drift upwards before adoption. */
    @Test
    void divergingPreTrendsFailAndTheDifferenceIsDescriptive() throws Exception {
        staggered(3, 41);
        JsonNode root = analyze(STAGGERED);
        assertEquals("fail", Readouts.check(root, "pre_trends").get("status").asText(), Readouts.check(root, "pre_trends").toString());
        assertEquals("pause", root.get("recommendation").asText());
        assertTrue(root.get("effects").get(0).get("method").asText().endsWith("_descriptive"));
    }
}

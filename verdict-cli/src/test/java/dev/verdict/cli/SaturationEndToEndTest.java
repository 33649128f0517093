package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Saturation (two-stage) designs end to end through the command line: a six-cluster log whose spillover, direct, total
 * effect and gap are computed here by hand; a positive control (planted spillover fails the spillover check, a clean
 * log passes); a cluster whose treated share is implausible for its level; and a simulated cache experiment.
 */
class SaturationEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPEC = """
            name: saturation
            design: cluster_rct
            unit: cluster
            saturation: {levels: [0, 0.5, 1]%s}
            data: requests.csv
            success: {metric: ttft_ms, kind: mean, direction: decrease, min_effect: %s}
            guardrails:
              - {metric: gpu_seconds, kind: mean, direction: decrease, max_harm: 10%%}
            shared_state: [cache]
            """;

    @TempDir
    Path tmp;

    @Test
    void sixClustersGiveTheHandComputedEffects() throws Exception {
        // cluster -> {untreated values}, {treated values}
        Object[][] clusters = {
                {"p1", new double[] {10, 12, 11, 13}, new double[] {}},
                {"p2", new double[] {9, 11, 10, 10}, new double[] {}},
                {"m1", new double[] {12, 14}, new double[] {8, 10}},
                {"m2", new double[] {11, 13}, new double[] {6, 9}},
                {"f1", new double[] {}, new double[] {6, 8, 7, 7}},
                {"f2", new double[] {}, new double[] {8, 9, 10, 9}},
        };
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(tmp.resolve("requests.csv")))) {
            out.println("request_id,cluster,arm,ttft_ms,gpu_seconds");
            int id = 0;
            for (Object[] c : clusters) {
                for (int arm = 0; arm < 2; arm++) {
                    for (double v : (double[]) c[1 + arm]) {
                        out.printf(Locale.ROOT, "r%d,%s,%s,%s,%s%n", id++, c[0], arm == 1 ? "treatment" : "control", v,
                                0.1 + 0.01 * (id % 3));
                    }
                }
            }
        }
        JsonNode root = analyze(String.format(Locale.ROOT, SPEC, "", "1"));
        // by hand: pure-control cluster means 11.5, 10; mixed untreated 13, 12, treated 9, 7.5; fully treated 7, 9
        double pure = (11.5 + 10) / 2;
        double varPure = sampleVar(11.5, 10);
        double spill = (13 + 12) / 2.0 - pure;
        double spillSe = Math.sqrt(sampleVar(13, 12) / 2 + varPure / 2);
        double direct = ((9 - 13) + (7.5 - 12)) / 2.0;
        double directSe = Math.sqrt(sampleVar(-4, -4.5) / 2);
        double total = (7 + 9) / 2.0 - pure;
        double totalSe = Math.sqrt(sampleVar(7, 9) / 2 + varPure / 2);
        double gap = direct - total;
        double gapSe = Math.sqrt(directSe * directSe + totalSe * totalSe);
        assertEquals(1.75, spill, 1e-12);
        assertEquals(-2.75, total, 1e-12);
        assertEquals(-1.5, gap, 1e-12);

        assertEquals("saturation", root.get("design").get("name").asText());
        // the chart data: each cluster's untreated and treated means at its level, as computed by hand above
        Map<String, double[]> byHand = Map.of("p1", new double[] {0, 11.5, Double.NaN},
                "p2", new double[] {0, 10, Double.NaN}, "m1", new double[] {0.5, 13, 9}, "m2", new double[] {0.5, 12, 7.5},
                "f1", new double[] {1, Double.NaN, 7}, "f2", new double[] {1, Double.NaN, 9});
        JsonNode perCluster = root.get("design").get("details").get("saturation_clusters").get("clusters");
        assertEquals(6, perCluster.size());
        for (JsonNode c : perCluster) {
            double[] want = byHand.get(c.get("cluster").asText());
            assertEquals(want[0], c.get("level").asDouble(), 0, c.toString());
            for (int arm = 0; arm < 2; arm++) {
                JsonNode got = c.get(arm == 0 ? "untreated_mean" : "treated_mean");
                if (Double.isNaN(want[1 + arm])) {
                    assertTrue(got.isNull(), c.toString());
                } else {
                    assertEquals(want[1 + arm], got.asDouble(), 1e-12, c.toString());
                }
            }
        }
        String html = Files.readString(tmp.resolve("out/readout.html"));
        assertTrue(html.contains("<figure class=\"chart\" id=\"chart-saturation\">"), "saturation chart drawn");
        assertTrue(html.contains("data-marks=\"8\""), "one mark per cluster and arm with requests: 2 + 4 + 2");
        JsonNode success = root.get("effects").get(0);
        assertEquals("saturation_total_over_clusters", success.get("method").asText(), success.toString());
        assertEquals(total, success.get("estimate").asDouble(), 1e-9);
        assertEquals(totalSe, success.get("se").asDouble(), 1e-9);
        assertEquals(pure, success.get("control").asDouble(), 1e-9);
        assertEquals(2, success.get("n_control").asLong());
        assertEquals(2, success.get("n_treatment").asLong());

        JsonNode spillover = check(root, "spillover");
        JsonNode level = spillover.get("evidence").get("spillover").get(0);
        assertEquals(0.5, level.get("saturation").asDouble());
        assertEquals(spill, level.get("estimate").asDouble(), 1e-9);
        assertEquals(spillSe, level.get("se").asDouble(), 1e-9);
        JsonNode directRow = spillover.get("evidence").get("direct").get(0);
        assertEquals(direct, directRow.get("estimate").asDouble(), 1e-9);
        assertEquals(directSe, directRow.get("se").asDouble(), 1e-9);
        assertEquals(direct, spillover.get("evidence").get("pooled_direct").get("estimate").asDouble(), 1e-9);
        // not significant with two clusters a side, but the interval reaches the min_effect of 1: not ruled out
        assertEquals("warn", spillover.get("status").asText(), spillover.toString());
        assertTrue(spillover.get("summary").asText().startsWith("Spillover not ruled out"));

        JsonNode g = check(root, "interference_gap");
        assertEquals(gap, g.get("evidence").get("gap").get("estimate").asDouble(), 1e-9);
        assertEquals(gapSe, g.get("evidence").get("gap").get("se").asDouble(), 1e-9);
        assertEquals("pass", g.get("status").asText());

        assertEquals("pass", check(root, "saturation_levels").get("status").asText());
        assertEquals("not_evaluated", check(root, "sample_ratio").get("status").asText());
        assertEquals("pass", check(root, "design_fit").get("status").asText());
        Set<ValidationMessage> errors = ExamplesEndToEndTest.schema().validate(root);
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void plantedSpilloverFailsTheCheckAndACleanLogPasses() throws Exception {
        JsonNode planted = analyzeGenerated(4.0, 11);
        JsonNode s = check(planted, "spillover");
        assertEquals("fail", s.get("status").asText(), s.toString());
        double est = s.get("evidence").get("spillover").get(0).get("estimate").asDouble();
        assertTrue(Math.abs(est - 4.0) < 1.0, "planted +4 ms on untreated requests of mixed clusters: " + est);
        assertEquals("warn", check(planted, "interference_gap").get("status").asText());
        assertEquals("pause", planted.get("recommendation").asText());
        JsonNode success = planted.get("effects").get(0);
        assertTrue(Math.abs(success.get("estimate").asDouble() + 5) < 1, success.toString());

        JsonNode clean = analyzeGenerated(0.0, 12);
        JsonNode c = check(clean, "spillover");
        assertEquals("pass", c.get("status").asText(), c.toString());
        assertEquals("pass", check(clean, "interference_gap").get("status").asText());
        assertEquals("pass", check(clean, "sample_ratio").get("status").asText());
        assertEquals("pass", check(clean, "saturation_levels").get("status").asText());
    }

    @Test
    void aClusterWhoseTreatedShareFitsNoLevelFailsAssignmentIntegrity() throws Exception {
        Files.writeString(tmp.resolve("requests.csv"), "request_id,cluster,arm,ttft_ms,gpu_seconds\n");
        writeGenerated(0.0, 13);
        // pool_00 is pure control: one treated request in it cannot come from level 0
        Files.writeString(tmp.resolve("requests.csv"), "rX,pool_00,treatment,100,0.1\n",
                java.nio.file.StandardOpenOption.APPEND);
        JsonNode root = analyze(String.format(Locale.ROOT, SPEC, "", "2"));
        JsonNode levels = check(root, "saturation_levels");
        assertEquals("fail", levels.get("status").asText(), levels.toString());
        assertTrue(levels.get("summary").asText().contains("pool_00"), levels.toString());
        assertEquals("pool_00", levels.get("evidence").get("implausible").get(0).asText());
    }

    @Test
    void simulatedCacheSaturationDesignIsAnalyzed() throws Exception {
        Path dir = tmp.resolve("sim");
        CliRun sim = CliRun.of("simulate", "cache-eviction", "--design", "saturation", "--hours", "1", "-o",
                dir.toString(), "--format", "csv", "--no-truth");
        assertEquals(0, sim.exit(), sim.err());
        String spec = Files.readString(dir.resolve("spec.yaml"));
        assertTrue(spec.contains("saturation: {levels: [0, 0.5, 1]"), spec);
        CliRun run = CliRun.analyze(dir.resolve("spec.yaml"), dir.resolve("readout"));
        assertEquals("", run.err(), run.out());
        JsonNode root = JSON.readTree(dir.resolve("readout/readout.json").toFile());
        assertEquals("saturation", root.get("design").get("name").asText());
        assertEquals("saturation_total_over_clusters", root.get("effects").get(0).get("method").asText());
        assertTrue(Set.of("pass", "warn", "fail").contains(check(root, "spillover").get("status").asText()));
        assertEquals("pass", check(root, "saturation_levels").get("status").asText(),
                check(root, "saturation_levels").toString());
    }

    @Test
    void sixteenAlikeClustersFlagTheCacheSpillover() throws Exception {
        Path dir = tmp.resolve("sim16");
        CliRun sim = CliRun.of("simulate", CliRun.repo().resolve("verdict-sim/src/test/resources/saturation-cache.yaml")
                .toString(), "--design", "saturation", "-o", dir.toString(), "--format", "csv", "--no-truth");
        assertEquals(0, sim.exit(), sim.err());
        CliRun run = CliRun.analyze(dir.resolve("spec.yaml"), dir.resolve("readout"));
        assertEquals("", run.err(), run.out());
        JsonNode root = JSON.readTree(dir.resolve("readout/readout.json").toFile());
        JsonNode s = check(root, "spillover");
        // seed 7: 5 pure-control, 6 mixed and 5 fully treated clusters; the untreated requests of mixed clusters are
        // about 157 ms slower than pure-control ones (p = 0.01), far beyond the min_effect: FAIL
        assertTrue(Set.of("warn", "fail").contains(s.get("status").asText()), s.toString());
    }

    /** 30 clusters (10 per level 0, 0.5, 1) of 200 requests; treatment -5 ms; {@code spill} ms on mixed untreated. */
    private JsonNode analyzeGenerated(double spill, long seed) throws Exception {
        Files.writeString(tmp.resolve("requests.csv"), "request_id,cluster,arm,ttft_ms,gpu_seconds\n");
        writeGenerated(spill, seed);
        return analyze(String.format(Locale.ROOT, SPEC, ", shares: [0.34, 0.33, 0.33]", "2"));
    }

    private void writeGenerated(double spill, long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] levels = {0, 0.5, 1};
        StringBuilder b = new StringBuilder();
        int id = 0;
        for (int c = 0; c < 30; c++) {
            double level = levels[c / 10];
            double clusterMean = 100 + 0.5 * gaussian(rnd);
            for (int i = 0; i < 200; i++) {
                boolean treated = level == 1 || (level == 0.5 && i % 2 == 0);
                double y = clusterMean + 5 * gaussian(rnd) + (treated ? -5 : 0) + (!treated && level == 0.5 ? spill : 0);
                b.append(String.format(Locale.ROOT, "r%d,pool_%02d,%s,%.4f,%.4f%n", id++, c,
                        treated ? "treatment" : "control", y, 0.1 + 0.01 * rnd.nextDouble()));
            }
        }
        Files.writeString(tmp.resolve("requests.csv"), b.toString(), java.nio.file.StandardOpenOption.APPEND);
    }

    private JsonNode analyze(String spec) throws Exception {
        Files.writeString(tmp.resolve("spec.yaml"), spec);
        Path out = tmp.resolve("out");
        CliRun run = CliRun.analyze(tmp.resolve("spec.yaml"), out);
        assertEquals("", run.err(), run.out());
        return JSON.readTree(out.resolve("readout.json").toFile());
    }

    private static JsonNode check(JsonNode root, String name) {
        for (JsonNode c : root.get("checks")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + root.get("checks"));
    }

    private static double sampleVar(double a, double b) {
        double m = (a + b) / 2;
        return (a - m) * (a - m) + (b - m) * (b - m);
    }

    private static double gaussian(SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }
}

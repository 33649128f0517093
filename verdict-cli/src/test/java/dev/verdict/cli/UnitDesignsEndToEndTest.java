package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.cli.examples.ExampleLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cluster RCTs and switchbacks end to end through the command line (also run on Spark by the Spark module): the
 * effect's standard error at the cluster level against a hand computation, the sample-ratio check counting clusters,
 * the small-sample warning, and on generated switchback logs with a known block-level effect: coverage, the washout
 * and block counts, the request-level positive control, and a block carrying both arms.
 */
class UnitDesignsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** Six pools (three per arm) of 1 to 4 requests; the log calls the cluster column "pool". */
    private static final String[][] TINY = {
            // pool, arm, latency_ms
            {"p1", "control", "100"}, {"p1", "control", "140"}, {"p1", "control", "90"},
            {"p2", "control", "210"},
            {"p3", "control", "120"}, {"p3", "control", "135"},
            {"p4", "treatment", "80"}, {"p4", "treatment", "95"}, {"p4", "treatment", "70"}, {"p4", "treatment", "60"},
            {"p5", "treatment", "150"}, {"p5", "treatment", "130"},
            {"p6", "treatment", "99"}};

    @Test
    void clusterRctStandardErrorIsTheClusterLevelDeltaMethodAndSrmCountsClusters() throws IOException {
        StringBuilder csv = new StringBuilder("request_id,ts,pool,arm,latency_ms\n");
        for (int i = 0; i < TINY.length; i++) {
            csv.append("r").append(i).append(",2026-11-02T0").append(i % 10).append(":00:00Z,").append(TINY[i][0])
                    .append(',').append(TINY[i][1]).append(',').append(TINY[i][2]).append('\n');
        }
        Files.writeString(tmp.resolve("requests.csv"), csv);
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, """
                name: tiny cluster rct
                design: cluster_rct
                data: requests.csv
                columns: {cluster: pool}
                start: 2026-11-02T00:00:00Z
                success: {metric: latency_ms, kind: mean, direction: decrease}
                """);
        CliRun run = CliRun.analyze(spec, tmp.resolve("out"));
        assertEquals("", run.err(), run.out());
        JsonNode root = JSON.readTree(tmp.resolve("out/readout.json").toFile());
        JsonNode success = root.get("effects").get(0);
        assertEquals("most_conservative_of_cr2_wcr_ri_over_cluster", success.get("method").asText());
        // independent references from per-pool sums: the estimate is the difference in row-weighted means; CR2 for
        // y ~ 1 + T with T constant in a pool is sum_g (S_g - n_g ybar_a)^2 / (N_a^2 (1 - n_g / N_a))
        double[] t = armRatioAndVariance("treatment");
        double[] c = armRatioAndVariance("control");
        assertEquals(t[0] - c[0], success.get("estimate").asDouble(), 1e-9);
        double cr2 = Math.sqrt(cr2Variance("treatment", t[0]) + cr2Variance("control", c[0]));
        assertEquals(cr2, success.get("se").asDouble(), 1e-12 * cr2, "CR2 SE from per-pool sums");
        // randomization inference by hand: all C(6,3) = 20 ways to treat 3 of the 6 pools
        double ri = handRandomizationP();
        JsonNode small = check(root, "small_sample_inference");
        JsonNode m0 = small.get("evidence").get("metrics").get(0);
        assertEquals(ri, m0.get("ri_p_value").asDouble(), 1e-15, small.toString());
        assertTrue(m0.get("ri_exact").asBoolean());
        assertEquals(20, m0.get("ri_assignments_used").asInt());
        assertEquals(0.1, m0.get("ri_smallest_p").asDouble(), 1e-15, "3 of 6 treated: complements pair up");
        double p = success.get("p_value").asDouble();
        assertEquals(Math.max(m0.get("cr2_p_value").asDouble(), Math.max(m0.get("wcr_p_value").asDouble(), ri)), p, 0.0,
                "the effect reports the most conservative p-value");
        // 20 assignments: no constant effect can be rejected at 5%, so the RI interval, and with it the hull, is the
        // whole line (JSON null for an infinite end)
        assertTrue(success.get("ci_low").isNull() && success.get("ci_high").isNull(), success.toString());
        assertTrue(m0.get("wcr_ci_low").asDouble() < t[0] - c[0] && t[0] - c[0] < m0.get("wcr_ci_high").asDouble());
        assertEquals("most_conservative_of_cr2_wcr_ri", small.get("evidence").get("inference").asText());
        assertEquals(3, success.get("n_control").asLong());
        assertEquals(3, success.get("n_treatment").asLong());
        JsonNode srm = check(root, "sample_ratio");
        assertEquals(3, srm.get("evidence").get("unit_counts").get("control").asLong(), srm.toString());
        assertEquals(3, srm.get("evidence").get("unit_counts").get("treatment").asLong(), srm.toString());
        assertEquals("warn", small.get("status").asText(), "20 assignments in complementary pairs: RI cannot go below p = 0.1");
        assertEquals(6, small.get("evidence").get("units").asLong());
        String md = Files.readString(tmp.resolve("out/readout.md"));
        assertTrue(md.contains("Randomization inference cannot go below p = 0.1"), md);
        assertEquals("cluster", root.get("design").get("unit").asText());
    }

    private static double cr2Variance(String arm, double mean) {
        Map<String, double[]> pools = pools(arm);
        double bigN = pools.values().stream().mapToDouble(x -> x[1]).sum();
        double v = 0;
        for (double[] s : pools.values()) {
            double e = s[0] - s[1] * mean;
            v += e * e / (bigN * bigN * (1 - s[1] / bigN));
        }
        return v;
    }

    private static double handRandomizationP() {
        Map<String, double[]> all = pools("control");
        all.putAll(pools("treatment"));
        List<double[]> list = new ArrayList<>(all.values());
        double observed = Math.abs(armRatioAndVariance("treatment")[0] - armRatioAndVariance("control")[0]);
        int extreme = 0;
        int total = 0;
        for (int mask = 0; mask < 64; mask++) {
            if (Integer.bitCount(mask) != 3) {
                continue;
            }
            total++;
            double[] sums = new double[4];
            for (int g = 0; g < 6; g++) {
                int a = (mask >>> g & 1) * 2;
                sums[a] += list.get(g)[0];
                sums[a + 1] += list.get(g)[1];
            }
            if (Math.abs(sums[2] / sums[3] - sums[0] / sums[1]) >= observed * (1 - 1e-10)) {
                extreme++;
            }
        }
        assertEquals(20, total);
        return (double) extreme / total;
    }

    private static Map<String, double[]> pools(String arm) {
        Map<String, double[]> pools = new TreeMap<>();
        for (String[] r : TINY) {
            if (r[1].equals(arm)) {
                double[] s = pools.computeIfAbsent(r[0], k -> new double[2]);
                s[0] += Double.parseDouble(r[2]);
                s[1] += 1;
            }
        }
        return pools;
    }

    private static double[] armRatioAndVariance(String arm) {
        Map<String, double[]> pools = new TreeMap<>();
        for (String[] r : TINY) {
            if (r[1].equals(arm)) {
                double[] s = pools.computeIfAbsent(r[0], k -> new double[2]);
                s[0] += Double.parseDouble(r[2]);
                s[1] += 1;
            }
        }
        double sy = 0;
        double sn = 0;
        for (double[] s : pools.values()) {
            sy += s[0];
            sn += s[1];
        }
        int k = pools.size();
        double ratio = sy / sn;
        double nbar = sn / k;
        List<Double> l = new ArrayList<>();
        pools.values().forEach(s -> l.add((s[0] - ratio * s[1]) / nbar));
        double mean = l.stream().mapToDouble(Double::doubleValue).sum() / k;
        double ss = l.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
        return new double[] {ratio, ss / (k - 1) / k};
    }

    private static final String SWITCHBACK_SPEC = """
            name: generated switchback
            design: %s
            %s
            data: requests.csv
            start: 2026-11-02T00:00:00Z
            success: {metric: completed, kind: mean, direction: increase}
            """;

    @Test
    void switchbackCoversTheBlockEffectCountsWashoutAndBeatsTheNaiveRequestSe() throws Exception {
        // 7 days of hourly blocks, 80 requests each, block shocks sd 0.08, true effect +0.03 after a 10-minute washout
        ExampleLogs.Truth truth = ExampleLogs.writeSwitchback(tmp.resolve("requests.csv"), 7, 60, 10, 80, 0.03, 0.08, 7);
        Path sb = tmp.resolve("switchback.yaml");
        Files.writeString(sb, SWITCHBACK_SPEC.formatted("switchback", "switchback: {block_minutes: 60, washout_minutes: 10}"));
        CliRun run = CliRun.analyze(sb, tmp.resolve("sb"));
        assertEquals("", run.err(), run.out());
        JsonNode root = JSON.readTree(tmp.resolve("sb/readout.json").toFile());
        JsonNode effect = root.get("effects").get(0);
        assertEquals("delta_method_mean_over_block", effect.get("method").asText());
        assertTrue(effect.get("ci_low").asDouble() < truth.completionEffect()
                && truth.completionEffect() < effect.get("ci_high").asDouble(), "covers the true +0.03: " + effect);
        assertEquals(truth.controlUnits(), effect.get("n_control").asLong());
        assertEquals(truth.treatmentUnits(), effect.get("n_treatment").asLong());
        JsonNode blocks = check(root, "time_blocks").get("evidence");
        assertEquals(truth.washoutRows(), blocks.get("rows_excluded_washout").asLong(), blocks.toString());
        assertEquals(truth.rows() - truth.washoutRows(), blocks.get("rows_analyzed").asLong());
        assertEquals(truth.controlUnits(), blocks.get("blocks_control").asLong());
        assertEquals(60.0, blocks.get("block_minutes").asDouble());
        assertEquals(10.0, blocks.get("washout_minutes").asDouble());
        assertEquals("pass", check(root, "assignment_integrity").get("status").asText());
        assertEquals("block", root.get("design").get("unit").asText());
        assertTrue(Files.readString(tmp.resolve("sb/readout.md")).contains("10-minute washout"));

        // positive control: the same log read as a request RCT (no washout) treats correlated requests as independent
        Path rq = tmp.resolve("request.yaml");
        Files.writeString(rq, SWITCHBACK_SPEC.formatted("request_rct", ""));
        CliRun naive = CliRun.analyze(rq, tmp.resolve("rq"));
        assertEquals("", naive.err(), naive.out());
        JsonNode perRequest = JSON.readTree(tmp.resolve("rq/readout.json").toFile()).get("effects").get(0);
        double ratio = effect.get("se").asDouble() / perRequest.get("se").asDouble();
        assertTrue(ratio > 2, "block-level SE " + effect.get("se") + " vs per-request SE " + perRequest.get("se")
                + ": ratio " + ratio);
    }

    @Test
    void switchbackBlockWithBothArmsFailsAssignmentIntegrity() throws Exception {
        ExampleLogs.writeSwitchback(tmp.resolve("clean.csv"), 2, 60, 0, 20, 0.03, 0.05, 3);
        List<String> lines = new ArrayList<>(Files.readAllLines(tmp.resolve("clean.csv")));
        // flip the arm of one request in the middle of the first block: that block now carries both arms
        String[] f = lines.get(10).split(",", -1);
        String other = f[5].equals("control") ? "treatment" : "control";
        f[5] = other;
        f[6] = other;
        lines.set(10, String.join(",", f));
        Files.write(tmp.resolve("requests.csv"), lines);
        Path sb = tmp.resolve("switchback.yaml");
        Files.writeString(sb, SWITCHBACK_SPEC.formatted("switchback", "switchback: {block_minutes: 60}"));
        CliRun run = CliRun.analyze(sb, tmp.resolve("out"));
        JsonNode root = JSON.readTree(tmp.resolve("out/readout.json").toFile());
        JsonNode integrity = check(root, "assignment_integrity");
        assertEquals("fail", integrity.get("status").asText(), integrity.toString());
        assertEquals(1, integrity.get("evidence").get("units_in_both_arms").asLong());
        assertEquals(48, integrity.get("evidence").get("units").asLong());
        assertTrue(run.exit() != 0, run.out());
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

package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.cli.examples.UnitCheckLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unit-level checks of issue 5 end to end with planted faults and their clean controls: cluster balance on a
 * pre-period, congested clusters in both arms, stratified randomization inference against an enumeration done here,
 * washout clearance on a switchback whose state is still drifting.
 */
class UnitLevelChecksEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLUSTER_SPEC = """
            name: balance
            design: cluster_rct
            unit: cluster
            data: requests.csv
            start: 2026-11-02T00:00:00Z
            success: {metric: completed, kind: proportion, direction: increase}
            guardrails:
              - {metric: latency_ms, kind: mean, direction: decrease, max_harm: 10%%}
            %s
            """;

    @TempDir
    Path tmp;

    private JsonNode analyze(String spec, Path dir) throws Exception {
        Path s = dir.resolve("spec.yaml");
        Files.writeString(s, spec);
        CliRun run = CliRun.analyze(s, dir.resolve("out"));
        assertEquals("", run.err(), run.out());
        return JSON.readTree(dir.resolve("out/readout.json").toFile());
    }

    @Test
    void balancedPrePeriodPassesAndCongestedClustersAreInBothArms() throws Exception {
        UnitCheckLogs.writeClusterRct(tmp.resolve("requests.csv"), 16, 1000, 300, 1, true, 11);
        JsonNode root = analyze(CLUSTER_SPEC.formatted(""), tmp);
        JsonNode balance = check(root, "cluster_balance");
        assertEquals("pass", balance.get("status").asText(), balance.toString());
        JsonNode cov = balance.get("evidence").get("covariates");
        assertEquals(2, cov.size());
        for (JsonNode c : cov) {
            assertEquals(8, c.get("clusters_control").asInt());
            assertTrue(Math.abs(c.get("std_diff").asDouble()) < 0.25, c.toString());
        }
        JsonNode units = check(root, "boundary_units");
        assertEquals("pass", units.get("status").asText(), units.toString());
        // the top quartile of 16 cluster loads is the two highest pairs: 2 control, 2 treatment
        assertEquals(2, units.get("evidence").get("congested_control").asInt());
        assertEquals(2, units.get("evidence").get("congested_treatment").asInt());
    }

    @Test
    void plantedPrePeriodImbalanceWarnsAndAllCongestedClustersInOneArmWarn() throws Exception {
        UnitCheckLogs.writeClusterRct(tmp.resolve("requests.csv"), 16, 1000, 300, 1, false, 11);
        JsonNode root = analyze(CLUSTER_SPEC.formatted(""), tmp);
        JsonNode balance = check(root, "cluster_balance");
        assertEquals("warn", balance.get("status").asText(), balance.toString());
        // completion levels: treated pairs 4..7, control 0..3, step 0.04: difference 0.16 over a pooled SD of cluster
        // levels 0.04 sqrt(10/7) = 0.0478, widened by binomial noise of 1000 pre rows per cluster (about 0.014):
        // d = 0.16 / sqrt(0.0478^2 + 0.014^2) = 3.2
        double d = balance.get("evidence").get("covariates").get(0).get("std_diff").asDouble();
        assertTrue(d > 2.7 && d < 3.8, "std diff " + d);
        JsonNode units = check(root, "boundary_units");
        assertEquals("warn", units.get("status").asText(), units.toString());
        assertEquals(0, units.get("evidence").get("congested_control").asInt());
        assertEquals(4, units.get("evidence").get("congested_treatment").asInt());
        assertNotEquals("ship", root.get("recommendation").asText());
    }

    @Test
    void withoutPrePeriodBalanceIsNotEvaluated() throws Exception {
        UnitCheckLogs.writeClusterRct(tmp.resolve("requests.csv"), 8, 0, 200, 1, true, 5);
        JsonNode root = analyze(CLUSTER_SPEC.formatted(""), tmp);
        assertEquals("not_evaluated", check(root, "cluster_balance").get("status").asText());
    }

    /**
     * {@code pre_period: true}: the rows before {@code start} leave every effect and the integrity check (the effects
     * equal those of the same log with the pre-period rows deleted, to the last bit of the estimate) and still feed
     * {@code cluster_balance}. Positive control: without the key the same log counts its pre-period rows as rows before
     * the start and the effect moves.
     */
    @Test
    void prePeriodRowsFeedBalanceOnlyAndWithoutTheKeyTheyCountAgainstIntegrity() throws Exception {
        Path with = Files.createDirectories(tmp.resolve("with"));
        Path cut = Files.createDirectories(tmp.resolve("cut"));
        Path without = Files.createDirectories(tmp.resolve("without"));
        UnitCheckLogs.writeClusterRct(with.resolve("requests.csv"), 16, 400, 300, 1, false, 17);
        List<String> lines = Files.readAllLines(with.resolve("requests.csv"));
        List<String> kept = new ArrayList<>(List.of(lines.get(0)));
        lines.stream().skip(1).filter(l -> !java.time.Instant.parse(l.split(",")[1]).isBefore(UnitCheckLogs.START))
                .forEach(kept::add);
        assertEquals(1 + 16 * 300, kept.size());
        Files.write(cut.resolve("requests.csv"), kept);
        Files.copy(with.resolve("requests.csv"), without.resolve("requests.csv"));

        JsonNode a = analyze(CLUSTER_SPEC.formatted("pre_period: true"), with);
        JsonNode b = analyze(CLUSTER_SPEC.formatted(""), cut);
        JsonNode c = analyze(CLUSTER_SPEC.formatted(""), without);
        for (int i = 0; i < 2; i++) {
            JsonNode ea = a.get("effects").get(i);
            JsonNode eb = b.get("effects").get(i);
            assertEquals(eb.get("estimate").asDouble(), ea.get("estimate").asDouble(), 0.0, ea.toString());
            assertEquals(eb.get("se").asDouble(), ea.get("se").asDouble(), 1e-12 * eb.get("se").asDouble());
            assertEquals(eb.get("n_treatment").asLong(), ea.get("n_treatment").asLong());
        }
        assertEquals("pass", check(a, "assignment_integrity").get("status").asText(), check(a, "assignment_integrity")
                .toString());
        // the imbalanced design shows in the pre-period: the balance check still reads it
        assertEquals("warn", check(a, "cluster_balance").get("status").asText());
        assertEquals("not_evaluated", check(b, "cluster_balance").get("status").asText());
        assertTrue(a.toString().contains("pre_period: rows with ts before 2026-11-02T00:00:00Z"), a.toString());
        // positive control: the same log without the key
        assertNotEquals("pass", check(c, "assignment_integrity").get("status").asText());
        assertNotEquals(eb(b), eb(c));
    }

    private static double eb(JsonNode root) {
        return root.get("effects").get(0).get("estimate").asDouble();
    }

    @Test
    void prePeriodWithoutStartIsOneLineNamingTheKey() throws Exception {
        UnitCheckLogs.writeClusterRct(tmp.resolve("requests.csv"), 8, 0, 50, 1, true, 5);
        Path s = tmp.resolve("spec.yaml");
        Files.writeString(s, CLUSTER_SPEC.formatted("pre_period: true").replace("start: 2026-11-02T00:00:00Z\n", ""));
        CliRun run = CliRun.analyze(s, tmp.resolve("out"));
        assertEquals(2, run.exit(), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("pre_period") && run.err().contains("add start"), run.err());
    }

    /** 8 clusters in strata r0 = {0..3}, r1 = {4..7}, two treated in each: C(4,2)^2 = 36 assignments. */
    @Test
    void stratifiedRandomizationInferenceEqualsEnumerationWithinStrata() throws Exception {
        Path log = tmp.resolve("requests.csv");
        UnitCheckLogs.writeClusterRct(log, 8, 0, 150, 1, true, 21);
        JsonNode root = analyze(CLUSTER_SPEC.formatted("strata: region"), tmp);
        JsonNode m = check(root, "small_sample_inference").get("evidence").get("metrics").get(0);
        assertEquals(36, m.get("ri_assignments_used").asInt(), m.toString());
        assertTrue(m.get("ri_exact").asBoolean());
        // per cluster rows and completions, from the CSV
        Map<Integer, double[]> ns = new TreeMap<>();
        for (String line : Files.readAllLines(log).subList(1, Files.readAllLines(log).size())) {
            String[] f = line.split(",");
            int c = Integer.parseInt(f[2].substring(5));
            double[] x = ns.computeIfAbsent(c, k -> new double[2]);
            x[0] += 1;
            x[1] += Double.parseDouble(f[6]);
        }
        double obs = diff(ns, List.of(1, 3, 5, 7));
        int extreme = 0;
        int total = 0;
        int[][] pairs = {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}};
        for (int[] a : pairs) {
            for (int[] b : pairs) {
                List<Integer> treated = List.of(a[0], a[1], 4 + b[0], 4 + b[1]);
                total++;
                extreme += Math.abs(diff(ns, treated)) >= Math.abs(obs) * (1 - 1e-10) ? 1 : 0;
            }
        }
        assertEquals(36, total);
        assertEquals((double) extreme / total, m.get("ri_p_value").asDouble(), 1e-12, "extreme " + extreme);
        assertTrue(notes(root).contains("within the strata of region (2 strata"), notes(root));
        // unstratified: C(8,4) = 70 assignments
        Path other = Files.createDirectories(tmp.resolve("u"));
        Files.copy(log, other.resolve("requests.csv"));
        JsonNode plain = analyze(CLUSTER_SPEC.formatted(""), other);
        assertEquals(70, check(plain, "small_sample_inference").get("evidence").get("metrics").get(0)
                .get("ri_assignments_used").asInt());
        assertTrue(notes(plain).contains("unstratified"));
    }

    @Test
    void aClusterInTwoStrataIsAnInputErrorNamingIt() throws Exception {
        Path log = tmp.resolve("requests.csv");
        UnitCheckLogs.writeClusterRct(log, 8, 0, 50, 1, true, 3);
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        lines.set(1, lines.get(1).replace(",r0,", ",r9,")); // first row: cluster pool-00
        Files.write(log, lines);
        Path s = tmp.resolve("spec.yaml");
        Files.writeString(s, CLUSTER_SPEC.formatted("strata: region"));
        CliRun run = CliRun.analyze(s, tmp.resolve("out"));
        assertNotEquals(0, run.exit());
        assertTrue(run.err().contains("not constant within cluster 'pool-00': it has the values 'r0' and 'r9'"),
                run.err());
    }

    @Test
    void strataOnlyForClusterRct() throws Exception {
        Path s = tmp.resolve("spec.yaml");
        Files.writeString(s, CLUSTER_SPEC.formatted("strata: region").replace("design: cluster_rct", "design: user_rct")
                .replace("unit: cluster", "unit: user_id"));
        Files.writeString(tmp.resolve("requests.csv"), "x\n1\n");
        CliRun run = CliRun.analyze(s, tmp.resolve("out"));
        assertTrue(run.err().contains("spec key 'strata'") && run.err().contains("only applies to design: cluster_rct"),
                run.err());
    }

    private static final String SWITCHBACK_SPEC = """
            name: washout
            design: switchback
            data: requests.csv
            start: 2026-11-02T00:00:00Z
            switchback: {block_minutes: 60, washout_minutes: 10}
            success: {metric: completed, kind: proportion, direction: increase}
            guardrails:
              - {metric: latency_ms, kind: mean, direction: decrease, max_harm: 20%}
            """;

    @Test
    void aSlowWashoutWarnsAndACleanOnePasses() throws Exception {
        UnitCheckLogs.writeSwitchback(tmp.resolve("requests.csv"), 4, 240, 30, 8);
        JsonNode slow = check(analyze(SWITCHBACK_SPEC, tmp), "washout_clearance");
        assertEquals("warn", slow.get("status").asText(), slow.toString());
        // queue 6 -> 12 with tau 30 min: mean over [10, 35) minus mean over [35, 60) of 6 e^{-t/30} is about 1.5
        JsonNode q = slow.get("evidence").get("tests").get(0);
        assertEquals("queue_depth", q.get("column").asText());
        double drift = q.get("drift_towards_previous_arm").asDouble();
        assertTrue(drift > 0.9 && drift < 2.2, q.toString());

        Path clean = Files.createDirectories(tmp.resolve("clean"));
        UnitCheckLogs.writeSwitchback(clean.resolve("requests.csv"), 4, 240, 2, 8);
        JsonNode ok = check(analyze(SWITCHBACK_SPEC, clean), "washout_clearance");
        assertEquals("pass", ok.get("status").asText(), ok.toString());
        JsonNode units = check(analyze(SWITCHBACK_SPEC, clean), "boundary_units");
        assertEquals("block", units.get("evidence").get("unit").asText());
    }

    private static double diff(Map<Integer, double[]> ns, List<Integer> treated) {
        double[] t = new double[2];
        double[] c = new double[2];
        ns.forEach((k, v) -> {
            double[] a = treated.contains(k) ? t : c;
            a[0] += v[0];
            a[1] += v[1];
        });
        return t[1] / t[0] - c[1] / c[0];
    }

    private static String notes(JsonNode root) {
        return root.toString();
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

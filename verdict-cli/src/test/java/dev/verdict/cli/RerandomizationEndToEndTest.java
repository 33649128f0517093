package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.cli.examples.UnitCheckLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster RCT declared as re-randomized ({@code rerandomization} in the spec), end to end through the command line on
 * generated logs with a pre-period: the {@code rerandomization} check against the logged assignment (pass, warn naming
 * the covariate, not evaluated when a cluster has no pre-period), and randomization inference restricted to the
 * accepted assignments, checked against an enumeration done here from the CSV.
 */
class RerandomizationEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPEC = """
            name: rerandomized pools
            design: cluster_rct
            unit: cluster
            data: requests.csv
            start: 2026-11-02T00:00:00Z
            pre_period: true
            success: {metric: completed, kind: proportion, direction: increase}
            guardrails:
              - {metric: latency_ms, kind: mean, direction: decrease, max_harm: 10%%}
            %s
            """;
    private static final String MAX_STD = "rerandomization: {covariates: [queue_depth, latency_ms], criterion: "
            + "max_std_diff, threshold: 0.25}";

    @TempDir
    Path tmp;

    /**
     * 8 clusters in strata r0 = {0..3} and r1 = {4..7}, the odd cluster of every pair treated (pairs share their levels,
     * so the logged assignment is balanced). The check passes, and the RI p-value equals the enumeration over the
     * within-strata assignments (C(4,2)^2 = 36) whose pre-period means of queue_depth and latency_ms have max |std diff|
     * <= 0.25, computed here from the CSV.
     */
    @Test
    void aBalancedLoggedAssignmentPassesAndRandomizationInferenceRedrawsOnlyAcceptedAssignments() throws Exception {
        Path log = tmp.resolve("requests.csv");
        UnitCheckLogs.writeClusterRct(log, 8, 400, 150, 1, true, 21);
        JsonNode root = analyze(SPEC.formatted("strata: region\n" + MAX_STD), tmp);
        Clusters c = Clusters.read(log, 8);

        JsonNode check = check(root, "rerandomization");
        assertEquals("pass", check.get("status").asText(), check.toString());
        assertEquals("identification", check.get("category").asText());
        JsonNode ev = check.get("evidence");
        assertEquals("max_std_diff", ev.get("criterion").asText());
        assertEquals(0.25, ev.get("threshold").asDouble(), 0.0);
        boolean[] logged = {false, true, false, true, false, true, false, true};
        for (int j = 0; j < 2; j++) {
            JsonNode row = ev.get("covariates").get(j);
            assertEquals(j == 0 ? "queue_depth" : "latency_ms", row.get("covariate").asText());
            assertEquals(stdDiff(c.pre[j], logged), row.get("std_diff").asDouble(), 1e-9, row.toString());
        }
        List<boolean[]> accepted = new ArrayList<>();
        for (boolean[] a : withinStrata()) {
            if (Math.abs(stdDiff(c.pre[0], a)) <= 0.25 && Math.abs(stdDiff(c.pre[1], a)) <= 0.25) {
                accepted.add(a);
            }
        }
        assertTrue(accepted.size() > 2 && accepted.size() < 36, "the criterion must bite: " + accepted.size());
        assertEquals(accepted.size(), ev.get("accepted").asInt());
        assertEquals(36, ev.get("attempts").asInt());
        assertTrue(ev.get("accepted_share_exact").asBoolean());
        assertEquals("{\"covariates\":[\"queue_depth\",\"latency_ms\"],\"criterion\":\"max_std_diff\",\"threshold\":0.25}",
                root.get("spec").get("rerandomization").toString(), "the spec echoed back");

        JsonNode success = root.get("effects").get(0);
        assertEquals("most_conservative_of_cr2_wcr_rerandomized_ri_over_cluster", success.get("method").asText());
        JsonNode small = check(root, "small_sample_inference");
        assertEquals("most_conservative_of_cr2_wcr_rerandomized_ri", small.get("evidence").get("inference").asText());
        assertTrue(small.get("summary").asText().contains("randomization inference re-draws only assignments the "
                + "declared re-randomization criterion accepts"), small.get("summary").asText());
        JsonNode m = small.get("evidence").get("metrics").get(0);
        assertEquals("rerandomization", m.get("ri_reference").asText());
        assertEquals(accepted.size(), m.get("ri_assignments_used").asInt());
        assertEquals(36, m.get("ri_assignments_examined").asInt());
        assertEquals(bruteP(c, accepted, logged), m.get("ri_p_value").asDouble(), 1e-12);
        // the guardrail's RI is restricted too
        assertEquals("rerandomization", small.get("evidence").get("metrics").get(1).get("ri_reference").asText());
        String text = root.toString();
        assertTrue(text.contains("rerandomization: randomization inference re-draws only the assignments the declared "
                + "criterion accepts"), text);
        assertTrue(text.contains("valid but conservative"), text);
        // positive control: the same log and spec without the block is plain RI over all 36
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        Files.copy(log, plain.resolve("requests.csv"));
        JsonNode p = analyze(SPEC.formatted("strata: region"), plain);
        JsonNode pm = check(p, "small_sample_inference").get("evidence").get("metrics").get(0);
        assertEquals(36, pm.get("ri_assignments_used").asInt());
        assertFalse(pm.has("ri_reference"));
        assertEquals(bruteP(c, withinStrata(), logged), pm.get("ri_p_value").asDouble(), 1e-12);
        assertTrue(p.get("checks").findValues("name").stream().noneMatch(n -> n.asText().equals("rerandomization")));
    }

    /**
     * The upper half of clusters treated: the treated clusters had higher load and latency before the start. The logged
     * assignment violates the declared criterion: the check warns naming both covariates, and randomization inference
     * falls back to plain complete randomization, saying why.
     */
    @Test
    void aLoggedAssignmentThatViolatesTheCriterionWarnsNamingTheCovariate() throws Exception {
        UnitCheckLogs.writeClusterRct(tmp.resolve("requests.csv"), 8, 400, 150, 1, false, 23);
        JsonNode root = analyze(SPEC.formatted(MAX_STD), tmp);
        JsonNode check = check(root, "rerandomization");
        assertEquals("warn", check.get("status").asText(), check.toString());
        String summary = check.get("summary").asText();
        assertTrue(summary.contains("queue_depth std diff") && summary.contains("latency_ms std diff"), summary);
        assertTrue(summary.contains("could not have come from the declared procedure"), summary);
        assertFalse(check.get("evidence").get("logged_assignment_accepted").asBoolean());
        JsonNode m = check(root, "small_sample_inference").get("evidence").get("metrics").get(0);
        assertEquals("complete_randomization", m.get("ri_reference").asText());
        assertEquals(70, m.get("ri_assignments_used").asInt(), "plain, unstratified: C(8,4)");
        assertTrue(m.get("ri_plain_because").asText().contains("does not meet the declared criterion"), m.toString());
        assertEquals("most_conservative_of_cr2_wcr_ri_over_cluster", root.get("effects").get(0).get("method").asText());
        assertNotEquals("ship", root.get("recommendation").asText());
    }

    /**
     * Mahalanobis criterion with acceptance probability 0.5: the check's distance equals {@code d' [S (1/n_t + 1/n_c)]^-1
     * d} computed here (2 x 2 inverse by hand), and its status follows {@code M <= chi2_2^-1(0.5) = -2 ln 0.5}.
     */
    @Test
    void theMahalanobisCriterionIsTheDeclaredQuantile() throws Exception {
        Path log = tmp.resolve("requests.csv");
        UnitCheckLogs.writeClusterRct(log, 8, 400, 150, 1, true, 29);
        JsonNode root = analyze(SPEC.formatted("rerandomization: {covariates: [queue_depth, latency_ms], criterion: "
                + "mahalanobis, threshold: 0.5}"), tmp);
        Clusters c = Clusters.read(log, 8);
        boolean[] logged = {false, true, false, true, false, true, false, true};
        double[] d = new double[2];
        double[][] s = new double[2][2];
        for (int a = 0; a < 2; a++) {
            d[a] = mean(c.pre[a], logged, true) - mean(c.pre[a], logged, false);
            for (int b = 0; b < 2; b++) {
                s[a][b] = cov(c.pre[a], c.pre[b]);
            }
        }
        double det = s[0][0] * s[1][1] - s[0][1] * s[1][0];
        double q = (d[0] * d[0] * s[1][1] - 2 * d[0] * d[1] * s[0][1] + d[1] * d[1] * s[0][0]) / det;
        double mahalanobis = q / (1.0 / 4 + 1.0 / 4);
        JsonNode check = check(root, "rerandomization");
        JsonNode ev = check.get("evidence");
        assertEquals(mahalanobis, ev.get("mahalanobis").asDouble(), 1e-9 * Math.max(1, mahalanobis));
        double bound = -2 * Math.log(0.5);
        assertEquals(bound, ev.get("mahalanobis_bound").asDouble(), 1e-9);
        assertEquals(mahalanobis <= bound ? "pass" : "warn", check.get("status").asText(), check.toString());
    }

    /** A cluster without pre-period rows: not evaluated, naming it, and plain randomization inference with the reason. */
    @Test
    void aClusterWithoutPrePeriodRowsIsNotEvaluatedAndFallsBackToPlainRandomizationInference() throws Exception {
        Path log = tmp.resolve("requests.csv");
        UnitCheckLogs.writeClusterRct(log, 8, 400, 150, 1, true, 21);
        List<String> lines = Files.readAllLines(log);
        List<String> kept = new ArrayList<>(List.of(lines.get(0)));
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            if (!(f[2].equals("pool-02") && Instant.parse(f[1]).isBefore(UnitCheckLogs.START))) {
                kept.add(l);
            }
        }
        Files.write(log, kept);
        JsonNode root = analyze(SPEC.formatted("strata: region\n" + MAX_STD), tmp);
        JsonNode check = check(root, "rerandomization");
        assertEquals("not_evaluated", check.get("status").asText(), check.toString());
        assertTrue(check.get("evidence").get("reason").asText().contains("1 of 8 clusters has no pre-period value of a declared covariate "
                + "(pool-02: queue_depth, latency_ms)"), check.toString());
        JsonNode m = check(root, "small_sample_inference").get("evidence").get("metrics").get(0);
        assertEquals("complete_randomization", m.get("ri_reference").asText());
        assertEquals(36, m.get("ri_assignments_used").asInt());
        assertTrue(m.get("ri_plain_because").asText().contains("no pre-period value"), m.toString());
        assertTrue(root.toString().contains("rerandomization: randomization inference re-draws plain complete "
                + "randomizations"), root.toString());
    }

    /**
     * 32 clusters: CR2 alone, randomization inference is not run, and the note says CR2 ignores the re-randomization.
     * The check counts the accepted share by Monte Carlo (C(32,16) assignments): 9,999 accepted among the draws, which
     * is about the declared acceptance probability 0.3 of the Mahalanobis criterion (M about chi-square with 2 df).
     */
    @Test
    void manyClustersUseCr2AloneAndTheCheckDrawsItsAcceptedShare() throws Exception {
        UnitCheckLogs.writeClusterRct(tmp.resolve("requests.csv"), 32, 100, 60, 1, true, 31);
        JsonNode root = analyze(SPEC.formatted("rerandomization: {covariates: [queue_depth, latency_ms], criterion: "
                + "mahalanobis, threshold: 0.3}"), tmp);
        assertEquals("cr2_satterthwaite_over_cluster", root.get("effects").get(0).get("method").asText());
        JsonNode ev = check(root, "rerandomization").get("evidence");
        assertFalse(ev.get("accepted_share_exact").asBoolean());
        assertEquals(9999, ev.get("accepted").asInt());
        double share = ev.get("accepted_share").asDouble();
        // the chi-square approximation of M is rough with 32 clusters: within 0.05 of 0.3 (binomial SE 0.003)
        assertEquals(0.3, share, 0.05, ev.toString());
        assertTrue(root.toString().contains("units the effects use CR2 alone, which ignores the re-randomization: valid "
                + "but conservative under it"), root.toString());
    }

    /**
     * docs/methods.md stays true: its re-randomization example, run on the log it describes, gives the check sentence it
     * quotes, the method, the accepted and examined counts and the RI p-values it states (the plain one from the same
     * spec without the block).
     */
    @Test
    void theMethodsDocExampleReadsAsDocumented() throws Exception {
        String doc = Files.readString(CliRun.repo().resolve("docs/methods.md"));
        String section = doc.substring(doc.indexOf("### Re-randomized cluster RCTs"));
        section = section.substring(0, section.indexOf("\n## "));
        int open = section.indexOf("```yaml\n") + 8;
        String yaml = section.substring(open, section.indexOf("```", open));
        String quoted = section.lines().filter(l -> l.startsWith("> ")).findFirst().orElseThrow().substring(2)
                .replace("\\|", "|");
        section = section.replaceAll("\\s+", " ");
        UnitCheckLogs.writeClusterRct(tmp.resolve("requests.csv"), 16, 400, 1000, 1, true, 11);
        JsonNode root = analyze(yaml, tmp);
        JsonNode check = check(root, "rerandomization");
        assertEquals(quoted, check.get("summary").asText());
        JsonNode m = check(root, "small_sample_inference").get("evidence").get("metrics").get(0);
        String method = root.get("effects").get(0).get("method").asText();
        assertTrue(section.contains("The effect's method is `" + method + "`"), method);
        assertTrue(section.contains(m.get("ri_assignments_used").asInt() + " assignments used of "
                + String.format(java.util.Locale.ROOT, "%,d", m.get("ri_assignments_examined").asInt()) + " examined"),
                m.toString());
        assertTrue(section.contains("RI p = " + String.format(java.util.Locale.ROOT, "%.4g", m.get("ri_p_value")
                .asDouble())), m.toString());
        assertTrue(section.contains("headline p stays CR2's " + String.format(java.util.Locale.ROOT, "%.4g",
                root.get("effects").get(0).get("p_value").asDouble())), root.get("effects").get(0).toString());
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        Files.copy(tmp.resolve("requests.csv"), plain.resolve("requests.csv"));
        JsonNode p = analyze(yaml.lines().filter(l -> !l.startsWith("rerandomization:"))
                .collect(java.util.stream.Collectors.joining("\n")), plain);
        double plainP = check(p, "small_sample_inference").get("evidence").get("metrics").get(0).get("ri_p_value")
                .asDouble();
        assertTrue(section.contains("plain RI on the same log: " + String.format(java.util.Locale.ROOT, "%.4g", plainP)),
                "plain " + plainP);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Per cluster: pre-period means of queue_depth and latency_ms, post-period rows and completions. */
    private record Clusters(double[][] pre, double[] n, double[] s) {
        static Clusters read(Path log, int g) throws Exception {
            double[][] sum = new double[2][g];
            double[] count = new double[g];
            double[] n = new double[g];
            double[] s = new double[g];
            List<String> lines = Files.readAllLines(log);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                int c = Integer.parseInt(f[2].substring(5));
                if (Instant.parse(f[1]).isBefore(UnitCheckLogs.START)) {
                    sum[0][c] += Double.parseDouble(f[8]);
                    sum[1][c] += Double.parseDouble(f[5]);
                    count[c]++;
                } else {
                    n[c]++;
                    s[c] += Double.parseDouble(f[6]);
                }
            }
            double[][] pre = new double[2][g];
            for (int c = 0; c < g; c++) {
                pre[0][c] = sum[0][c] / count[c];
                pre[1][c] = sum[1][c] / count[c];
            }
            return new Clusters(pre, n, s);
        }
    }

    /** The 36 assignments with 2 treated among clusters 0..3 and 2 among 4..7. */
    private static List<boolean[]> withinStrata() {
        List<boolean[]> out = new ArrayList<>();
        for (int mask = 0; mask < 256; mask++) {
            boolean[] a = new boolean[8];
            int r0 = 0;
            int r1 = 0;
            for (int h = 0; h < 8; h++) {
                a[h] = (mask >>> h & 1) == 1;
                r0 += a[h] && h < 4 ? 1 : 0;
                r1 += a[h] && h >= 4 ? 1 : 0;
            }
            if (r0 == 2 && r1 == 2) {
                out.add(a);
            }
        }
        return out;
    }

    private static double bruteP(Clusters c, List<boolean[]> assignments, boolean[] logged) {
        double obs = Math.abs(diff(c, logged));
        int extreme = 0;
        for (boolean[] a : assignments) {
            extreme += Math.abs(diff(c, a)) >= obs * (1 - 1e-10) ? 1 : 0;
        }
        return (double) extreme / assignments.size();
    }

    private static double diff(Clusters c, boolean[] a) {
        double[] t = new double[2];
        double[] k = new double[2];
        for (int h = 0; h < a.length; h++) {
            double[] x = a[h] ? t : k;
            x[0] += c.n[h];
            x[1] += c.s[h];
        }
        return t[1] / t[0] - k[1] / k[0];
    }

    private static double stdDiff(double[] x, boolean[] a) {
        double vt = var(x, a, true);
        double vc = var(x, a, false);
        return (mean(x, a, true) - mean(x, a, false)) / Math.sqrt((vt + vc) / 2);
    }

    private static double mean(double[] x, boolean[] a, boolean arm) {
        double s = 0;
        int k = 0;
        for (int h = 0; h < x.length; h++) {
            if (a[h] == arm) {
                s += x[h];
                k++;
            }
        }
        return s / k;
    }

    private static double var(double[] x, boolean[] a, boolean arm) {
        double m = mean(x, a, arm);
        double s = 0;
        int k = 0;
        for (int h = 0; h < x.length; h++) {
            if (a[h] == arm) {
                s += (x[h] - m) * (x[h] - m);
                k++;
            }
        }
        return s / (k - 1);
    }

    private static double cov(double[] x, double[] y) {
        double mx = 0;
        double my = 0;
        for (int h = 0; h < x.length; h++) {
            mx += x[h] / x.length;
            my += y[h] / y.length;
        }
        double s = 0;
        for (int h = 0; h < x.length; h++) {
            s += (x[h] - mx) * (y[h] - my);
        }
        return s / (x.length - 1);
    }

    private JsonNode analyze(String spec, Path dir) throws Exception {
        Path s = dir.resolve("spec.yaml");
        Files.writeString(s, spec);
        CliRun run = CliRun.analyze(s, dir.resolve("out"));
        assertEquals("", run.err(), run.out());
        return JSON.readTree(dir.resolve("out/readout.json").toFile());
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

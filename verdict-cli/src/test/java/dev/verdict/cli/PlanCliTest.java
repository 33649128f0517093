package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.TDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanCliTest {
    private static final double Z = NormalDistribution.of(0, 1).inverseCumulativeProbability(0.975)
            + NormalDistribution.of(0, 1).inverseCumulativeProbability(0.8);

    @TempDir
    Path dir;

    private Path spec(String extra) throws IOException {
        Path p = dir.resolve("spec.yaml");
        Files.writeString(p, "name: plan test\ndesign: cluster_rct\nunit: cluster\ndata: history.csv\n"
                + "arms: {control: control, treatment: treatment}\nallocation: {control: 0.5, treatment: 0.5}\n"
                + "success: {metric: latency_ms, kind: mean, direction: decrease, min_effect: 0.1}\n" + extra);
        return p;
    }

    private static JsonNode json(Path p) throws IOException {
        return new ObjectMapper().readTree(p.toFile());
    }

    @Test
    void statedVariancesMatchClosedForms() throws IOException {
        Path spec = spec("shared_state: [cache]\n");
        CliRun r = CliRun.of("plan", spec.toString(), "--variance",
                "sd=2,requests_per_day=1000,users=200,icc_user=0.1,clusters=12,icc_cluster=0.05,block_sd=0.3,block_rho=0.4",
                "--days", "7", "--out", dir.resolve("o").toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode j = json(dir.resolve("o/plan.json"));
        JsonNode d = j.get("designs");
        // request: Z sqrt(2 s^2 / n), n = 3500 per arm
        assertEquals(Z * Math.sqrt(2 * 4 / 3500.0), d.get(0).get("mde").asDouble(), 1e-12);
        assertEquals(Z * Z * 4 * 4 / (1000 * 0.01), d.get(0).get("days_needed").asDouble(), 1e-9);
        // user: design effect 1 + (m - 1) icc with m = 7000 / 200 = 35
        double deUser = 1 + 34 * 0.1;
        assertEquals(deUser, d.get(1).get("design_effect").asDouble(), 1e-12);
        assertEquals(Z * Math.sqrt(4 * 4 * deUser / 7000), d.get(1).get("mde").asDouble(), 1e-12);
        // cluster: t on 10 df, m = 7000 / 12
        double t = TDistribution.of(10).inverseCumulativeProbability(0.975) + TDistribution.of(10).inverseCumulativeProbability(0.8);
        double deCluster = 1 + (7000 / 12.0 - 1) * 0.05;
        assertEquals(t * Math.sqrt(4 * 4 * deCluster / 7000), d.get(2).get("mde").asDouble(), 1e-12);
        assertEquals("never", d.get(2).get("days_needed").asText()); // floor t * 2 * sqrt(4 * 0.05 / 12) > 0.1
        // switchback: 24 blocks a day, inflation (1.4 / 0.6)
        assertEquals(Z * 0.3 * Math.sqrt(4 * (1.4 / 0.6) / 168), d.get(3).get("mde").asDouble(), 1e-12);
        assertFalse(d.get(0).get("valid").asBoolean());
        assertFalse(d.get(1).get("valid").asBoolean());
        String best = d.get(2).get("mde").asDouble() < d.get(3).get("mde").asDouble() ? "cluster_rct" : "switchback";
        assertEquals(best, j.get("recommended").asText());
        assertTrue(r.out().contains("recommendation: " + best), r.out());
        assertTrue(r.out().contains("Excluded: request_rct"), r.out());
        assertTrue(r.out().contains("spillover"), r.out());
        // without shared state the request RCT wins
        CliRun open = CliRun.of("plan", spec("").toString(), "--variance",
                "sd=2,requests_per_day=1000,users=200,icc_user=0.1,clusters=12,icc_cluster=0.05,block_sd=0.3,block_rho=0.4");
        assertTrue(open.out().contains("recommendation: request_rct"), open.out());
    }

    @Test
    void historyEstimatesAreRecomputable() throws IOException {
        // 20 clusters x 7 days x 24 hours x 6 requests; cluster effects sd 0.3, noise sd 1 (ICC 0.083)
        Random rng = new Random(17);
        StringBuilder b = new StringBuilder("request_id,ts,user_id,cluster,arm,latency_ms\n");
        Map<String, double[]> sums = new LinkedHashMap<>(); // n, sum, sumsq per cluster
        long t0 = Instant.parse("2026-11-02T00:00:00Z").getEpochSecond();
        double[] effect = new double[20];
        for (int c = 0; c < 20; c++) {
            effect[c] = 0.3 * rng.nextGaussian();
        }
        int id = 0;
        for (int h = 0; h < 7 * 24; h++) {
            for (int c = 0; c < 20; c++) {
                for (int i = 0; i < 6; i++) {
                    double y = 10 + effect[c] + rng.nextGaussian();
                    b.append(id++).append(',').append(Instant.ofEpochSecond(t0 + h * 3600L + i * 600L)).append(",u")
                            .append(rng.nextInt(300)).append(",c").append(c).append(",control,").append(y).append('\n');
                    double[] s = sums.computeIfAbsent("c" + c, k -> new double[3]);
                    s[0]++;
                    s[1] += y;
                    s[2] += y * y;
                }
            }
        }
        Files.writeString(dir.resolve("history.csv"), b.toString());
        CliRun r = CliRun.of("plan", spec("shared_state: [batching]\n").toString(), "--out", dir.resolve("o").toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode in = json(dir.resolve("o/plan.json")).get("inputs");
        // the one-way ANOVA ICC, recomputed from plain sums
        double n = 0;
        double sum = 0;
        double sumsq = 0;
        for (double[] s : sums.values()) {
            n += s[0];
            sum += s[1];
            sumsq += s[2];
        }
        double grand = sum / n;
        double ssb = 0;
        double ssw = 0;
        for (double[] s : sums.values()) {
            ssb += s[0] * Math.pow(s[1] / s[0] - grand, 2);
            ssw += s[2] - s[1] * s[1] / s[0];
        }
        double msb = ssb / 19;
        double msw = ssw / (n - 20);
        double n0 = (n - sums.values().stream().mapToDouble(s -> s[0] * s[0]).sum() / n) / 19;
        double icc = (msb - msw) / (msb + (n0 - 1) * msw);
        assertEquals(20160, n);
        assertEquals(grand, in.get("mean").get("value").asDouble(), 1e-9);
        assertEquals(Math.sqrt((sumsq - n * grand * grand) / (n - 1)), in.get("sd").get("value").asDouble(), 1e-9);
        assertEquals(20160 / 7.0, in.get("requests_per_day").get("value").asDouble(), 1e-9);
        assertEquals(20, in.get("clusters").get("value").asInt());
        assertEquals(icc, in.get("icc_cluster").get("value").asDouble(), 1e-9);
        assertEquals(0.083, icc, 0.06); // the truth 0.09 / 1.09, 20 clusters
        assertEquals("history", in.get("icc_cluster").get("source").asText());
        assertEquals(300, in.get("users").get("value").asInt());
        // hourly block means of 120 requests: cluster effects cancel, SD about 1 / sqrt(120) = 0.091, no autocorrelation
        assertEquals(0.091, in.get("block_sd").get("value").asDouble(), 0.015);
        assertEquals(0, in.get("block_rho").get("value").asDouble(), 0.25);
        // a stated input overrides the history
        CliRun stated = CliRun.of("plan", dir.resolve("spec.yaml").toString(), "--variance", "icc_cluster=0.2",
                "--history", dir.resolve("history.csv").toString(), "--out", dir.resolve("s").toString());
        assertEquals(0, stated.exit(), stated.err());
        JsonNode s = json(dir.resolve("s/plan.json")).get("inputs").get("icc_cluster");
        assertEquals(0.2, s.get("value").asDouble());
        assertEquals("stated", s.get("source").asText());
    }

    /**
     * The example logs (made by the examples generator with known truth): the standard error the plan implies at the
     * history's own horizon (MDE / (t + z)) is close to the standard error {@code analyze} reports for the same log.
     */
    @Test
    void planAgreesWithTheAnalysisOfTheExampleLog() throws IOException {
        Path spec = CliRun.repo().resolve("examples/cluster-rct/spec.yaml");
        CliRun plan = CliRun.of("plan", spec.toString(), "--days", "14", "--out", dir.resolve("p").toString());
        assertEquals(0, plan.exit(), plan.err());
        JsonNode cluster = json(dir.resolve("p/plan.json")).get("designs").get(2);
        double k = TDistribution.of(38).inverseCumulativeProbability(0.975) + TDistribution.of(38).inverseCumulativeProbability(0.8);
        double planSe = cluster.get("mde").asDouble() / k;
        CliRun a = CliRun.of("analyze", spec.toString(), "--out", dir.resolve("a").toString());
        assertTrue(a.exit() == 0 || a.exit() >= 10, a.err());
        double se = json(dir.resolve("a/readout.json")).get("effects").get(0).get("se").asDouble();
        assertEquals(se, planSe, 0.25 * se, "plan SE " + planSe + " vs analysis SE " + se);
        assertTrue(plan.out().contains("Excluded: request_rct"), plan.out());
    }

    @Test
    void badInputIsOneLine() throws IOException {
        Path spec = spec("");
        CliRun key = CliRun.of("plan", spec.toString(), "--variance", "sigma=1");
        assertEquals(2, key.exit());
        assertEquals("verdict: error: option --variance: unknown key 'sigma'; keys are sd, mean, requests_per_day, users, "
                + "icc_user, clusters, icc_cluster, block_sd, block_rho\n", key.err());
        CliRun icc = CliRun.of("plan", spec.toString(), "--variance", "icc_user=1.5");
        assertEquals(2, icc.exit());
        assertEquals(1, icc.err().lines().count());
        CliRun missing = CliRun.of("plan", spec.toString(), "--history", dir.resolve("none.csv").toString());
        assertEquals(3, missing.exit(), missing.err());
        assertEquals(1, missing.err().lines().count(), missing.err());
        Files.writeString(spec, Files.readString(spec).replace("kind: mean", "kind: p99"));
        CliRun p99 = CliRun.of("plan", spec.toString(), "--variance", "sd=1");
        assertEquals(2, p99.exit());
        assertTrue(p99.err().contains("spec key 'success.kind': got p99"), p99.err());
        assertEquals(2, CliRun.of("plan", spec.toString(), "--days", "0").exit());
    }
}

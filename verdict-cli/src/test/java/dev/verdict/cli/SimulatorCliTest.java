package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code simulate}, {@code lab} and {@code demo} run as a user runs them, and their outputs agree with each other. */
class SimulatorCliTest {

    @Test
    void simulateWritesALogASpecAndTruthThatAnalyzeReads(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("sim");
        CliRun sim = CliRun.of("simulate", "cache-eviction", "--design", "switchback", "--block-minutes", "10",
                "--washout-minutes", "2", "--hours", "1", "-o", out.toString());
        assertEquals(0, sim.exit(), sim.err());
        assertTrue(sim.out().contains("truth, ttft_ms mean"), sim.out());
        for (String f : new String[] {"requests.parquet", "assignment.csv", "spec.yaml", "truth.json"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        JsonNode truth = new ObjectMapper().readTree(out.resolve("truth.json").toFile());
        assertEquals("switchback", truth.get("design").get("name").asText());
        JsonNode ttft = truth.get("effects").get("ttft_ms");
        assertEquals(ttft.get("all_treatment").asDouble() - ttft.get("all_control").asDouble(),
                ttft.get("global_effect").asDouble(), 1e-9);
        // the assignment table has one row per block: 6 blocks in an hour, half treated
        var blocks = Files.readAllLines(out.resolve("assignment.csv"));
        assertEquals(7, blocks.size(), String.join("\n", blocks));
        assertEquals(3, blocks.stream().filter(l -> l.endsWith(",frequency_aware")).count());
        CliRun a = CliRun.analyze(out.resolve("spec.yaml"), dir.resolve("readout"));
        assertTrue(a.exit() != 2 && a.exit() != 3 && a.exit() != 1, a.err());
        JsonNode readout = new ObjectMapper().readTree(dir.resolve("readout/readout.json").toFile());
        assertEquals("switchback", readout.get("design").get("name").asText(), readout.get("design").toString());
        // same seed, same bytes
        Path again = dir.resolve("again");
        CliRun sim2 = CliRun.of("simulate", "cache-eviction", "--design", "switchback", "--block-minutes", "10",
                "--washout-minutes", "2", "--hours", "1", "--no-truth", "-o", again.toString());
        assertEquals(0, sim2.exit(), sim2.err());
        assertArrayEquals(Files.readAllBytes(out.resolve("requests.parquet")),
                Files.readAllBytes(again.resolve("requests.parquet")));
    }

    @Test
    void badSimulateInputGetsOneLineAndExitCode2(@TempDir Path dir) {
        CliRun r = CliRun.of("simulate", "no-such-scenario", "-o", dir.toString());
        assertEquals(2, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("cache-eviction"), r.err());
        CliRun d = CliRun.of("simulate", "cache-eviction", "--design", "cohort", "-o", dir.toString());
        assertEquals(2, d.exit());
        assertTrue(d.err().contains("--design"), d.err());
        Path bad = dir.resolve("bad.yaml");
        CliRun p = CliRun.of("simulate", "cache-eviction", "--print-scenario");
        assertEquals(0, p.exit());
        assertTrue(p.out().contains("eviction: frequency_aware"), p.out());
        try {
            Files.writeString(bad, p.out().replace("sessions_per_second: 5", "sessions_per_second: lots"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        CliRun b = CliRun.of("simulate", bad.toString(), "-o", dir.toString());
        assertEquals(2, b.exit());
        assertTrue(b.err().contains("'demand.sessions_per_second' is 'lots'"), b.err());
    }

    @Test
    void labReportsBiasCoverageAndRecommendationsPerDesign(@TempDir Path dir) throws Exception {
        CliRun r = CliRun.of("lab", "cache-eviction", "--designs", "request,switchback", "--replicates", "2",
                "--hours", "1", "--threads", "2", "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode lab = new ObjectMapper().readTree(dir.resolve("lab.json").toFile());
        assertEquals(2, lab.get("replicates").asInt());
        assertEquals(2, lab.get("designs").size());
        for (JsonNode d : lab.get("designs")) {
            double cov = d.get("coverage").asDouble();
            assertTrue(cov >= 0 && cov <= 1);
            double shares = 0;
            for (JsonNode s : d.get("recommendations")) {
                shares += s.asDouble();
            }
            assertEquals(1.0, shares, 1e-9, "recommendation shares sum to one");
            assertTrue(d.get("rmse").asDouble() >= Math.abs(d.get("bias").asDouble()) - 1e-9, "RMSE >= |bias|");
        }
        // the request RCT is diluted toward zero: its bias is about minus the true effect
        JsonNode request = lab.get("designs").get(0);
        double truth = lab.get("mean_true_effect").asDouble();
        assertTrue(truth > 10, "true effect " + truth);
        assertTrue(request.get("bias").asDouble() < -truth / 2, "request RCT bias " + request.get("bias"));
        // the same lab on one thread gives the same report
        Path one = dir.resolve("one");
        CliRun r1 = CliRun.of("lab", "cache-eviction", "--designs", "request,switchback", "--replicates", "2",
                "--hours", "1", "--threads", "1", "--out", one.toString());
        assertEquals(0, r1.exit(), r1.err());
        assertEquals(Files.readString(dir.resolve("lab.json")), Files.readString(one.resolve("lab.json")));
    }
}

package dev.verdict.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged application, run as a user runs it: the shaded jar in its own JVM, and the repository's
 * {@code ./verdict} launcher, with exit statuses and streams checked (failsafe runs this after {@code package}).
 */
class VerdictJarIT {
    @TempDir
    Path tmp;

    record Proc(int exit, String out, String err) { }

    static Proc run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(CliRun.repo().toFile());
        Path out = Files.createTempFile("verdict-it", ".out");
        Path err = Files.createTempFile("verdict-it", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "finished");
        return new Proc(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    static List<String> jar(String... args) {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", Path.of("target", "verdict.jar").toAbsolutePath().toString()));
        c.addAll(List.of(args));
        return c;
    }

    @Test
    void analyzeExitsWithTheRecommendationsStatus() throws Exception {
        Proc p = run(jar("analyze", "examples/srm/spec.yaml", "--out", tmp.resolve("srm").toString()));
        assertEquals(14, p.exit(), p.err());
        assertTrue(p.out().contains("recommendation: INSTRUMENT_MORE"), p.out());
        assertTrue(Files.size(tmp.resolve("srm/readout.json")) > 0);
    }

    /**
     * Same inputs and seed, same bytes, across JVMs too: hash-ordered collections (Map.of, HashMap) iterate in an order
     * that can change from one JVM start to the next, which a single-JVM test cannot see. Two separate processes analyze
     * the examples whose readouts carry the most design detail.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"propensity", "rdd", "synthetic-control", "did-rollout",
            "cluster-rct"})
    void twoProcessesWriteTheSameBytes(String example) throws Exception {
        for (String run : List.of("a", "b")) {
            Proc p = run(jar("analyze", "examples/" + example + "/spec.yaml", "--out", tmp.resolve(run).toString()));
            assertTrue(p.exit() != 1 && p.exit() != 2 && p.exit() != 3, p.err());
        }
        for (String file : List.of("readout.json", "readout.md", "readout.html")) {
            assertEquals(Files.readString(tmp.resolve("a").resolve(file)), Files.readString(tmp.resolve("b").resolve(file)),
                    example + " " + file);
        }
    }

    @Test
    void badSpecIsOneLineOnStandardErrorWithStatus2() throws Exception {
        Path spec = tmp.resolve("bad.yaml");
        Files.writeString(spec, "name: x\ndesign: request_rct\ndata: log.csv\nalpha: 0\n"
                + "success: {metric: completed}\n");
        Proc p = run(jar("analyze", spec.toString(), "--out", tmp.resolve("o").toString()));
        assertEquals(2, p.exit());
        assertEquals(1, p.err().strip().lines().count(), p.err());
        assertTrue(p.err().contains("alpha"), p.err());
        assertFalse(p.err().contains("Exception"), p.err());
    }

    @Test
    void launcherRunsTheDemo() throws Exception {
        Proc p = run(List.of("bash", "verdict", "demo", "--out", tmp.resolve("demo").toString()));
        assertEquals(0, p.exit(), p.err());
        String out = p.out();
        assertTrue(out.contains("Ground truth, from the ideal experiment"), out);
        for (String design : new String[] {"request_rct", "user_rct", "switchback", "cluster_rct"}) {
            assertTrue(out.lines().anyMatch(l -> l.startsWith(design + " ")), design + " row missing:\n" + out);
        }
        // the request RCT cannot see the harm; the switchback's interval holds the truth
        assertTrue(out.lines().anyMatch(l -> l.startsWith("request_rct ") && l.contains(" NO ")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("switchback ") && l.contains(" yes ")), out);
        assertTrue(out.contains("## Decision: **"), out);
        Path html = tmp.resolve("demo").resolve("switchback").resolve("readout").resolve("readout.html");
        assertTrue(out.contains("With charts, offline in any browser: " + html), out);
        assertTrue(Files.readString(html).contains("id=\"chart-switchback-0\""), "the demo's page has its timeline");
        // docs/simulator.md quotes the table: it must be what the demo prints
        String doc = Files.readString(Path.of("..", "docs", "simulator.md"));
        for (String design : new String[] {"request_rct", "user_rct", "switchback", "cluster_rct", "truth"}) {
            String row = out.lines().filter(l -> l.startsWith(design + " ")).findFirst().orElseThrow().strip();
            assertTrue(doc.lines().anyMatch(l -> l.strip().equals(row)), "docs/simulator.md lacks the demo row: " + row);
        }
    }
}

package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input through the command line: each case is one clear line on standard error naming the spec key or column
 * and the value, the documented exit status, and no stack trace unless {@code --debug}. Missing outcomes and unknown
 * arm labels are data-quality findings instead: counted, reported, and a failed check above the threshold.
 */
class BadInputTest {
    private static final String HEADER = "request_id,user_id,arm,latency_ms,completed,pre";

    @TempDir
    Path tmp;

    /** A valid log of {@code n} rows; {@code row} may replace any row's CSV line. */
    static String log(int n, IntFunction<String> row) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < n; i++) {
            String r = row.apply(i);
            if (r == null) {
                String arm = i % 2 == 0 ? "control" : "treatment";
                r = String.format(Locale.ROOT, "r%d,u%d,%s,%.3f,%d,%.3f", i, i % 40, arm, 100 + 50 * rnd.nextDouble(),
                        rnd.nextDouble() < 0.8 ? 1 : 0, 90 + 20 * rnd.nextDouble());
            }
            sb.append(r).append('\n');
        }
        return sb.toString();
    }

    static String spec(String extra) {
        return "name: bad input case\ndesign: request_rct\ndata: log.csv\n"
                + "success: {metric: completed, kind: proportion, direction: increase}\n" + extra;
    }

    record Case(String name, String spec, String log, int exit, List<String> mustContain) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        String ok = log(400, i -> null);
        return Stream.of(
                new Case("missing file", spec("").replace("log.csv", "nope.parquet"), ok, 3,
                        List.of("spec key 'data'", "nope.parquet")),
                new Case("missing column", spec("").replace("metric: completed", "metric: completion"), ok, 3,
                        List.of("column 'completion'", "success.metric")),
                new Case("text in a numeric column", spec("guardrails: [{metric: latency_ms, kind: mean, max_harm: 5}]\n"),
                        log(400, i -> i == 123 ? "r123,u3,treatment,abc,1,100" : null), 3,
                        List.of("column 'latency_ms'", "'abc'")),
                new Case("infinite value", spec("guardrails: [{metric: latency_ms, kind: mean, max_harm: 5}]\n"),
                        log(400, i -> i == 7 ? "r7,u7,treatment,inf,1,100" : null), 3,
                        List.of("column 'latency_ms'", "infinite")),
                new Case("empty arm", spec(""), log(400, i -> String.format(Locale.ROOT, "r%d,u%d,control,100,%d,100", i, i,
                        i % 3 == 0 ? 1 : 0)), 3, List.of("spec key 'arms.treatment'", "'treatment'")),
                new Case("constant outcome", spec(""), log(400, i -> String.format(Locale.ROOT, "r%d,u%d,%s,100,1,100", i, i,
                        i % 2 == 0 ? "control" : "treatment")), 3, List.of("column 'completed'", "constant")),
                new Case("one unit per arm", spec("").replace("request_rct", "user_rct"),
                        log(400, i -> String.format(Locale.ROOT, "r%d,u%d,%s,100,%d,100", i, i % 2, i % 2 == 0 ? "control"
                                : "treatment", i % 3 == 0 ? 1 : 0)), 3, List.of("column 'completed'", "at least 2")),
                new Case("singular adjustment", spec("").replace("direction: increase}", "direction: increase, covariate: pre}"),
                        log(400, i -> String.format(Locale.ROOT, "r%d,u%d,%s,100,%d,7", i, i, i % 2 == 0 ? "control"
                                : "treatment", i % 3 == 0 ? 1 : 0)), 3, List.of("column 'pre'", "singular")),
                new Case("proportion of a non-binary column", spec("").replace("metric: completed", "metric: latency_ms"), ok, 3,
                        List.of("column 'latency_ms'", "0/1")),
                new Case("unparsable spec", "name: [unclosed\ndesign: request_rct\n", ok, 2, List.of("spec")),
                new Case("allocation not summing to 1", spec("allocation: {control: 0.5, treatment: 0.6}\n"), ok, 2,
                        List.of("allocation", "0.6")),
                new Case("alpha outside (0, 0.5]", spec("alpha: 0.7\n"), ok, 2, List.of("alpha", "0.7")),
                new Case("identifier injection", spec("segments: ['x\"; DROP TABLE t; --']\n"), ok, 2, List.of("segments")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputIsOneClearLineAndTheDocumentedExit(Case c) throws IOException {
        Files.writeString(tmp.resolve("log.csv"), c.log());
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, c.spec());
        CliRun run = CliRun.analyze(spec, tmp.resolve("out"));
        assertEquals(c.exit(), run.exit(), run.err() + run.out());
        String err = run.err().strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertTrue(err.startsWith("verdict: error: "), err);
        for (String s : c.mustContain()) {
            assertTrue(err.contains(s), "'" + s + "' in: " + err);
        }
        assertFalse(Files.exists(tmp.resolve("out/readout.json")), "no readout for bad input");
    }

    @Test
    void anEngineNotOnTheClassPathIsOneLineWithTheWayToGetIt() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(CliRun.engine().equals("duckdb"), "Spark is on this class path");
        Files.writeString(tmp.resolve("log.csv"), log(400, i -> null));
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, spec(""));
        CliRun run = CliRun.of("analyze", spec.toString(), "--out", tmp.resolve("out").toString(), "--engine", "spark");
        assertEquals(2, run.exit(), run.err());
        String err = run.err().strip();
        assertFalse(err.contains("\n"), err);
        assertTrue(err.contains("option '--engine'") && err.contains("'spark'") && err.contains("available: duckdb")
                && err.contains("./verdict"), err);
        CliRun typo = CliRun.of("analyze", spec.toString(), "--out", tmp.resolve("out").toString(), "--engine", "duck");
        assertEquals(2, typo.exit());
        assertTrue(typo.err().contains("'duck' is not an engine"), typo.err());
    }

    @Test
    void aCatalogTableOnDuckDbIsOneLineNamingTheFormatAndTheFix() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(CliRun.engine().equals("duckdb"), "Spark reads catalog tables");
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, spec("format: table\n").replace("data: log.csv", "data: logs.requests"));
        CliRun run = CliRun.analyze(spec, tmp.resolve("out"));
        assertEquals(2, run.exit(), run.err());
        assertTrue(run.err().strip().startsWith("verdict: error: spec key 'format'") && run.err().contains("--engine spark"),
                run.err());
    }

    @Test
    void debugPrintsTheStackTrace() throws IOException {
        Files.writeString(tmp.resolve("log.csv"), log(400, i -> null));
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, spec("").replace("metric: completed", "metric: completion"));
        CliRun run = CliRun.of("analyze", spec.toString(), "--out", tmp.resolve("out").toString(), "--debug");
        assertEquals(3, run.exit());
        assertTrue(run.err().contains("\tat dev.verdict."), run.err());
    }

    @Test
    void unknownArmLabelsAboveTheThresholdAreADataQualityFailure() throws IOException {
        // 5% of rows carry a label that is neither arm: counted, excluded, reported, and instrument more.
        Files.writeString(tmp.resolve("log.csv"), log(2000, i -> i % 20 == 3
                ? String.format(Locale.ROOT, "r%d,u%d,ctrl,100,1,100", i, i) : null));
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, spec(""));
        CliRun run = CliRun.analyze(spec, tmp.resolve("out"));
        assertEquals(14, run.exit(), run.out() + run.err());
        JsonNode readout = new ObjectMapper().readTree(tmp.resolve("out/readout.json").toFile());
        assertEquals("instrument_more", readout.get("recommendation").asText());
        JsonNode dq = null;
        for (JsonNode c : readout.get("checks")) {
            if (c.get("name").asText().equals("data_quality")) {
                dq = c;
            }
        }
        assertTrue(dq != null && dq.get("status").asText().equals("fail"), String.valueOf(dq));
        assertTrue(dq.toString().contains("ctrl") && dq.toString().contains("100"), "the unknown label and its count: " + dq);
    }

    @Test
    void missingOutcomesAboveTheThresholdAreADataQualityFailure() throws IOException {
        Files.writeString(tmp.resolve("log.csv"), log(2000, i -> i % 10 == 1
                ? String.format(Locale.ROOT, "r%d,u%d,treatment,100,,100", i, i) : null));
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, spec(""));
        CliRun run = CliRun.analyze(spec, tmp.resolve("out"));
        assertEquals(14, run.exit(), run.out() + run.err());
    }
}

package dev.verdict.engine.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The user's path to Spark: the repository's {@code ./verdict} launcher with {@code --engine spark}, in its own
 * process (failsafe runs this after {@code package}, when the application jar and Spark's class path file exist).
 */
class SparkLauncherIT {
    @TempDir
    Path tmp;

    record Proc(int exit, String out, String err) { }

    static Proc verdict(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", "verdict"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(Path.of("..").toAbsolutePath().normalize().toFile());
        Path out = Files.createTempFile("verdict-spark-it", ".out");
        Path err = Files.createTempFile("verdict-spark-it", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "finished");
        return new Proc(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void launcherRunsTheAnalysisOnSparkWithTheRecommendationsStatus() throws Exception {
        Proc p = verdict("analyze", "examples/guardrail-regression/spec.yaml", "--engine", "spark", "--master",
                "local[2]", "--out", tmp.toString());
        assertEquals(13, p.exit(), p.out() + p.err());
        assertTrue(p.out().contains("recommendation: ROLL_BACK"), p.out());
        assertFalse(p.err().contains("Exception"), "quiet Spark: " + p.err());
        JsonNode r = new ObjectMapper().readTree(tmp.resolve("readout.json").toFile());
        assertEquals("spark", r.get("provenance").get("engine").asText());
        assertEquals("roll_back", r.get("recommendation").asText());
    }

    @Test
    void badInputOnSparkIsOneClearLine() throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, Files.readString(repo.resolve("examples/clean-win/spec.yaml"))
                .replace("data: requests.parquet", "data: " + repo.resolve("examples/clean-win/requests.parquet"))
                .replace("metric: completed", "metric: completion"));
        Proc p = verdict("analyze", spec.toString(), "--engine", "spark", "--master", "local[2]", "--out",
                tmp.resolve("o").toString());
        assertEquals(3, p.exit(), p.err());
        assertEquals(1, p.err().strip().lines().count(), p.err());
        assertTrue(p.err().startsWith("verdict: error: ") && p.err().contains("completion"), p.err());
    }
}

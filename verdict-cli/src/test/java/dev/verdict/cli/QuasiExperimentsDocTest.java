package dev.verdict.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/quasi-experiments.md quotes what each shipped quasi-experiment example prints; the quotes stay true. */
class QuasiExperimentsDocTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"did-rollout/spec.yaml", "did-rollout/spec-p90.yaml", "synthetic-control/spec.yaml",
        "synthetic-control/spec-did.yaml", "rdd/spec.yaml", "propensity/spec.yaml"})
    void quotedLinesAreWhatTheExamplePrints(String example) throws Exception {
        String doc = Files.readString(CliRun.repo().resolve("docs/quasi-experiments.md"));
        assertTrue(doc.contains("./verdict analyze examples/" + example + " "), example);
        CliRun run = CliRun.analyze(CliRun.repo().resolve("examples").resolve(example), tmp);
        assertTrue(run.exit() == 0 || run.exit() >= 10, "the recommendation's exit status, not an error: " + run.exit()
                + " " + run.err());
        int quoted = 0;
        for (String line : run.out().lines().toList()) {
            if (line.startsWith("recommendation:") || line.startsWith("decision metric")) {
                assertTrue(doc.contains("\n" + line + "\n"), "docs/quasi-experiments.md should quote: " + line);
                quoted++;
            }
        }
        assertEquals(2, quoted, run.out());
        if (example.equals("synthetic-control/spec-did.yaml")) {
            assertEquals(12, run.exit(), "pause");
        }
    }
}

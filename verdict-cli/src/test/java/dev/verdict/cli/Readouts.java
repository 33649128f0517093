package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test helpers: analyze a spec written into a folder through the command line, and find a check in a readout. */
final class Readouts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Readouts() {
    }

    /** Writes {@code spec} to {@code dir/spec.yaml}, runs {@code analyze} (no error output allowed), reads readout.json. */
    static JsonNode analyze(Path dir, String spec) throws IOException {
        Path s = dir.resolve("spec.yaml");
        Files.writeString(s, spec);
        CliRun run = CliRun.analyze(s, dir.resolve("out"));
        assertTrue(run.err().isEmpty(), run.err());
        return JSON.readTree(dir.resolve("out/readout.json").toFile());
    }

    static JsonNode check(JsonNode root, String name) {
        for (JsonNode c : root.get("checks")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + root.get("checks"));
    }
}

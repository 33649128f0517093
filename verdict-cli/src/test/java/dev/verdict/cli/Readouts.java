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

    /**
     * California Proposition 99 (verdict-core's reference copy) written as a request log: one row per state and year
     * at July 1st, the state in {@code unitColumn}, the arm from the treated flag, packs per capita as {@code packs}.
     */
    static void prop99Log(Path file, String unitColumn) throws IOException {
        java.util.List<String> lines = Files.readAllLines(CliRun.repo().resolve(
                "verdict-core/src/test/resources/reference/did/california_prop99.csv"));
        StringBuilder csv = new StringBuilder("request_id,ts," + unitColumn + ",arm,packs\n");
        int id = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            csv.append("r").append(id++).append(',').append(f[1]).append("-07-01T00:00:00Z,").append(f[0].replace(' ', '_'))
                    .append(',').append(f[3].equals("1") ? "treatment" : "control").append(',').append(f[2]).append('\n');
        }
        Files.writeString(file, csv);
    }
}

package dev.verdict.cli.spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The repository's example specs and docs, read relative to the module folder (Maven runs tests there). */
final class SpecFiles {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path SCHEMA = REPO.resolve("docs").resolve("spec.schema.json");
    static final Path DOC = REPO.resolve("docs").resolve("spec.md");
    static final Path CLEAN_WIN = REPO.resolve("examples").resolve("clean-win").resolve("spec.yaml");

    private SpecFiles() {
    }

    /** Every examples/*&#47;spec.yaml plus bench/spec.yaml. */
    static List<Path> exampleSpecs() {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(REPO.resolve("examples"))) {
            dirs.map(d -> d.resolve("spec.yaml")).filter(Files::isRegularFile).sorted().forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.add(REPO.resolve("bench").resolve("spec.yaml"));
        return out;
    }

    /** The first fenced {@code yaml} block of a markdown file. */
    static String firstYamlBlock(Path markdown) throws IOException {
        String md = Files.readString(markdown);
        int open = md.indexOf("```yaml\n");
        int close = md.indexOf("\n```", open + 8);
        if (open < 0 || close < 0) {
            throw new IllegalStateException("no ```yaml block in " + markdown);
        }
        return md.substring(open + 8, close + 1);
    }
}

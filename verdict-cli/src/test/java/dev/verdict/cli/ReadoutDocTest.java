package dev.verdict.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps docs/readout.md true: its list of sections is exactly the headings of a real readout, in order. */
class ReadoutDocTest {
    @TempDir
    Path tmp;

    @Test
    void documentedSectionsAreTheReadoutsHeadingsInOrder() throws IOException {
        CliRun run = CliRun.analyze(CliRun.repo().resolve("examples/clean-win/spec.yaml"), tmp);
        assertEquals(0, run.exit(), run.err());
        List<String> produced = Files.readAllLines(tmp.resolve("readout.md")).stream()
                .filter(l -> l.startsWith("## ")).toList();
        String doc = Files.readString(CliRun.repo().resolve("docs/readout.md"));
        String list = doc.substring(doc.indexOf("<!-- sections"), doc.indexOf("## Reading the effect tables"));
        Matcher m = Pattern.compile("^- `(## [^`]+)`", Pattern.MULTILINE).matcher(list);
        List<String> documented = new java.util.ArrayList<>();
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertEquals(documented, produced);
        assertTrue(doc.contains("./verdict analyze examples/clean-win/spec.yaml"));
    }
}

package dev.verdict.cli.readout;

import dev.verdict.InputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a readout's files (readout.md, readout.html, readout.json) into an output folder, creating it. */
public final class ReadoutFiles {
    private ReadoutFiles() {
    }

    public static void write(Readout r, Path out) {
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("readout.json"), ReadoutJson.write(r), StandardCharsets.UTF_8);
            Files.writeString(out.resolve("readout.md"), ReadoutMarkdown.write(r), StandardCharsets.UTF_8);
            Files.writeString(out.resolve("readout.html"), ReadoutHtml.write(r), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw InputException.spec("option '--out': cannot write the readout to '" + out + "': " + e.getMessage()
                    + "; choose a writable folder");
        }
    }
}

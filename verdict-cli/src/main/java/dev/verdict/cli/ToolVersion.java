package dev.verdict.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The tool's version, from a resource Maven filters at build time. */
final class ToolVersion {
    private ToolVersion() {
    }

    static String get() {
        try (InputStream in = ToolVersion.class.getResourceAsStream("/dev/verdict/cli/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}

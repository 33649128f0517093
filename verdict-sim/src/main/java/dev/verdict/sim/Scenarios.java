package dev.verdict.sim;

import dev.verdict.InputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The scenarios shipped with verdict (also in the repository's {@code scenarios/} folder). */
public final class Scenarios {
    /** Names of the bundled scenarios. */
    public static final List<String> BUNDLED = List.of("cache-eviction", "batching-budget", "priority-tier",
            "rate-limit");

    private Scenarios() {
    }

    /** The YAML text of a bundled scenario. */
    public static String text(String name) {
        try (InputStream in = Scenarios.class.getResourceAsStream("/scenarios/" + name + ".yaml")) {
            if (in == null) {
                throw InputException.spec("no bundled scenario '" + name + "'; bundled: " + String.join(", ", BUNDLED));
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A bundled scenario by name. */
    public static Scenario bundled(String name) {
        return ScenarioReader.parse(text(name));
    }

    /** A scenario file, or a bundled scenario when {@code ref} names one and is not a file. */
    public static Scenario load(String ref) {
        Path p = Path.of(ref);
        if (!Files.exists(p) && BUNDLED.contains(ref)) {
            return bundled(ref);
        }
        return ScenarioReader.read(p);
    }
}

package dev.verdict.reduce;

import dev.verdict.InputException;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * A way to start an {@link Engine}, found on the class path with {@link ServiceLoader}: the command line names an
 * engine and never depends on its module, so an engine with heavy dependencies (Spark) stays off the default class
 * path until a user asks for it.
 *
 * <p>Each engine module lists its provider in {@code META-INF/services/dev.verdict.reduce.EngineProvider}.
 */
public interface EngineProvider {

    /** The name users choose the engine by, e.g. {@code duckdb} or {@code spark}. */
    String name();

    /**
     * Starts the engine.
     *
     * @param master where a distributed engine runs (e.g. {@code local[*]} or {@code spark://host:7077}); ignored by
     *               embedded engines; {@code null} for the engine's default
     */
    Engine open(String master);

    /** The providers on the class path, by name. */
    static Map<String, EngineProvider> available() {
        Map<String, EngineProvider> out = new TreeMap<>();
        for (EngineProvider p : ServiceLoader.load(EngineProvider.class)) {
            out.putIfAbsent(p.name(), p);
        }
        return out;
    }

    /**
     * Starts the named engine, or fails with one line naming the option, the value and what is available.
     *
     * @param option how the user chose it, for the message (e.g. {@code option '--engine'})
     */
    static Engine open(String name, String master, String option) {
        Map<String, EngineProvider> all = available();
        EngineProvider p = all.get(name);
        if (p == null) {
            String hint = name.equals("spark")
                    ? "; the Spark engine is not on this class path: run it through ./verdict (which adds it) or with"
                    + " spark-submit and the verdict-spark jar (docs/engine-spark.md)"
                    : "";
            throw InputException.spec(option + ": '" + name + "' is not an engine of this build; available: "
                    + String.join(", ", all.keySet()) + hint);
        }
        return p.open(master);
    }
}

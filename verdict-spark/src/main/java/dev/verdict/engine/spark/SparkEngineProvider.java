package dev.verdict.engine.spark;

import dev.verdict.reduce.Engine;
import dev.verdict.reduce.EngineProvider;
import org.apache.spark.sql.SparkSession;

/**
 * Starts the Spark engine for the command line. With a master ({@code --master local[2]}, {@code spark://...}) it
 * gets or creates a session on it; without one it uses the session {@code spark-submit} configured (its
 * {@code spark.master} property), or {@code local[*]} when nothing is configured. The session outlives the engine:
 * Spark stops it when the JVM exits, so tests that run the command line many times share one.
 *
 * <p>Spark's own logging goes to standard error at level WARN and above only, through this module's log4j2
 * configuration, unless the user names another ({@code -Dlog4j2.configurationFile=...}), so that a bad input still
 * prints one clear line.
 */
public final class SparkEngineProvider implements EngineProvider {
    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Engine open(String master) {
        if (System.getProperty("log4j2.configurationFile") == null && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "verdict-spark-log4j2.properties");
        }
        SparkSession.Builder b = SparkSession.builder().appName("verdict").config("spark.ui.enabled", "false");
        String m = master != null && !master.isBlank() ? master
                : System.getProperty("spark.master") == null ? "local[*]" : null;
        if (m != null) {
            b = b.master(m);
        }
        if (m != null && m.startsWith("local")) { // in one process: no need to resolve this host's name
            b = b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        return new SparkEngine(b.getOrCreate());
    }
}

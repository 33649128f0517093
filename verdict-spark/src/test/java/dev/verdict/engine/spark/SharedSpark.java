package dev.verdict.engine.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of this module's tests ({@code local[2]}, no UI, 4 shuffle partitions), started on first use
 * and stopped by Spark's shutdown hook when the test JVM exits. Every test class builds its engines on it: starting a
 * session costs seconds, an engine nothing.
 */
final class SharedSpark {
    private static SparkSession session;

    private SharedSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("verdict-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
        }
        return session;
    }

    /** A new engine on the shared session (closing it leaves the session running). */
    static SparkEngine engine() {
        return new SparkEngine(session());
    }
}

package dev.verdict.bench;

import dev.verdict.sim.LogWriter;
import dev.verdict.sim.Scenario;
import dev.verdict.sim.Scenarios;
import dev.verdict.sim.Simulation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The simulator on the bundled {@code cache-eviction} scenario under its own design, one whole run per invocation, on
 * one thread (one core). The score that matters is the auxiliary counter {@code requests}: simulated requests per
 * second ({@code ops/s} is runs per second).
 *
 * <p>{@code noSink} discards the rows (pure simulation); {@code parquet} writes them through {@link LogWriter} to a
 * Parquet file (DuckDB appender; DuckDB may use more threads while finishing the file). Run:
 * {@code java -jar verdict-bench/target/benchmarks.jar SimulatorBench -f 1 -wi 3 -i 5}. Figures go in
 * docs/benchmarks.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class SimulatorBench {
    /** Simulated hours per run: 2 h is about 140,000 requests. */
    @Param({"2"})
    public double hours;

    private Scenario scenario;
    private Path dir;

    /** Simulated requests, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Requests {
        public long requests;

        @Setup(Level.Iteration)
        public void reset() {
            requests = 0;
        }
    }

    @Setup
    public void setUp() throws IOException {
        scenario = Scenarios.bundled("cache-eviction").withHours(hours);
        dir = Files.createTempDirectory("verdict-simbench");
    }

    @TearDown
    public void tearDown() throws IOException {
        try (var files = Files.list(dir)) {
            files.forEach(f -> f.toFile().delete());
        }
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public long noSink(Requests counter) {
        Simulation.RunStats stats = new Simulation(scenario, scenario.design(), r -> { }).run();
        counter.requests += stats.requests();
        return stats.logged();
    }

    @Benchmark
    public long parquet(Requests counter) {
        Path file = dir.resolve("log.parquet");
        Simulation.RunStats stats;
        try (LogWriter w = new LogWriter(file, LogWriter.Format.PARQUET, scenario)) {
            stats = new Simulation(scenario, scenario.design(), w).run();
        }
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        counter.requests += stats.requests();
        return stats.logged();
    }
}

package dev.verdict.bench;

import dev.verdict.cli.pipeline.AnalysisPipeline;
import dev.verdict.cli.readout.Readout;
import dev.verdict.cli.readout.ReadoutHtml;
import dev.verdict.engine.duckdb.DuckDbEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Rendering readout.html for the sample readouts that between them draw every chart type (clean-win: effects and
 * two segment forest plots; did-rollout: event study and trends; synthetic-control: paths and 21 placebo gaps; rdd:
 * binned scatter with fits and the density-test plot; propensity: overlap histogram and love plot; switchback: a
 * 336-block timeline; cluster-rct: 40 cluster outcomes). Analysis runs once in setup; the score is milliseconds to
 * render all seven pages, i.e. what readout.html adds to analyze. Run from the repository root:
 * {@code java -jar verdict-bench/target/benchmarks.jar ReadoutHtmlBench -f 1 -wi 3 -i 5}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReadoutHtmlBench {
    private final List<Readout> readouts = new ArrayList<>();

    @Setup
    public void analyze() {
        for (String example : List.of("clean-win", "did-rollout", "synthetic-control", "rdd", "propensity", "switchback",
                "cluster-rct")) {
            try (DuckDbEngine engine = DuckDbEngine.inMemory()) {
                readouts.add(AnalysisPipeline.run(Path.of("examples", example, "spec.yaml"), engine, "bench"));
            }
        }
    }

    @Benchmark
    public void renderAllChartTypes(Blackhole bh) {
        for (Readout r : readouts) {
            bh.consume(ReadoutHtml.write(r));
        }
    }
}

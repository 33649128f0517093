package dev.verdict.bench;

import dev.verdict.quasi.rd.DensityTest;
import dev.verdict.quasi.rd.RdEstimate;
import dev.verdict.quasi.rd.RdRobust;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Sharp RD with rdrobust's defaults on unsorted rows: sort, mserd bandwidth selection (pilot, d, b and h passes with
 * nearest-neighbour residuals), and the conventional and robust bias-corrected fits ({@code rdrobust}); and the
 * density test with its bandwidth selector ({@code rddensity}). Score: milliseconds per call on one thread.
 * Run: {@code java -jar verdict-bench/target/benchmarks.jar RdRobustBench -f 1 -wi 3 -i 5}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RdRobustBench {
    /** Observations. */
    @Param({"1000000"})
    public int n;

    private double[] x;
    private double[] y;

    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(42);
        x = new double[n];
        y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 2 * r.nextDouble() - 1;
            y[i] = 0.5 + 0.9 * x[i] - 1.2 * x[i] * x[i] + (x[i] >= 0 ? 0.3 : 0) + 0.5 * r.nextGaussian();
        }
    }

    @Benchmark
    public double rdrobust() {
        RdEstimate e = RdRobust.withDefaults().sharp(y, x, 0.0);
        return e.robust().ciLow();
    }

    @Benchmark
    public double rddensity() {
        return DensityTest.withDefaults().test(x, 0.0).statistic();
    }
}

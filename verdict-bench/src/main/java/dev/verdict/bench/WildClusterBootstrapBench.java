package dev.verdict.bench;

import dev.verdict.stats.ClusterBlock;
import dev.verdict.stats.TreatmentBlocks;
import dev.verdict.stats.WildClusterBootstrap;
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

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The restricted wild cluster bootstrap (Webb weights) on per-cluster sufficient statistics: 10,000 draws for 50
 * clusters of y ~ 1 + T, the p-value only ({@code pValue}) and with the 95% interval by test inversion
 * ({@code withInterval}, about 90 p-value evaluations). The cost does not depend on rows: the engine reduces the log to
 * per-cluster sums once (20,000 rows per cluster here would be 10^6 rows). Score: milliseconds per call on one thread.
 * Run: {@code java -jar verdict-bench/target/benchmarks.jar WildClusterBootstrapBench -f 1 -wi 3 -i 5}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class WildClusterBootstrapBench {
    /** Clusters. */
    @Param({"50"})
    public int clusters;

    /** Bootstrap draws. */
    @Param({"10000"})
    public int draws;

    private List<ClusterBlock> blocks;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(42);
        double[] n = new double[clusters];
        double[] s = new double[clusters];
        boolean[] t = new boolean[clusters];
        for (int g = 0; g < clusters; g++) {
            n[g] = 20_000;
            t[g] = g % 2 == 0;
            s[g] = n[g] * (0.85 + 0.02 * rnd.nextGaussian() + (t[g] ? 0.01 : 0));
        }
        blocks = TreatmentBlocks.of(n, s, t);
    }

    @Benchmark
    public double pValue() {
        return WildClusterBootstrap.pValue(blocks, 1, 0, WildClusterBootstrap.Weights.WEBB, draws, 7);
    }

    @Benchmark
    public double withInterval() {
        WildClusterBootstrap.Result r = WildClusterBootstrap.test(blocks, 1, 0, 0.05, WildClusterBootstrap.Weights.WEBB,
                draws, 7);
        return r.ciLow() + r.ciHigh();
    }
}

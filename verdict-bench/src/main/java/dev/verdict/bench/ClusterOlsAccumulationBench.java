package dev.verdict.bench;

import dev.verdict.stats.ClusterBlock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Per-cluster accumulation of least-squares blocks ({@link ClusterBlock.Accumulator}) with k = 8
 * regressors: rows arrive grouped by cluster, each cluster is accumulated and turned into an immutable
 * block. The score is row-updates per second on one thread (one core): one row-update adds a row's 36
 * upper-triangle products, 8 cross products with y, y^2 and the count to its cluster's sums.
 *
 * <p>{@code rowAtATime} is {@link ClusterBlock.Accumulator#add} on row-major rows; {@code columnBatch}
 * is {@link ClusterBlock.Accumulator#addColumns} on a column-major batch (k = 8: unrolled upper triangle
 * in three register-resident passes; other k: 2 x 4 register tiles over 256-row tiles). Run: {@code java -jar verdict-bench/target/benchmarks.jar ClusterOlsAccumulationBench -f 1
 * -wi 2 -i 3}. Figures go in docs/benchmarks.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ClusterOlsAccumulationBench {
    static final int ROWS = 1 << 16;

    /** Regressors per row including the constant: 8 is the target (unrolled kernel), 7 shows the tiled one. */
    @Param({"8", "7"})
    public int k;

    /** Rows per cluster. */
    @Param({"16", "1024"})
    public int clusterSize;

    private double[][] rows;
    private double[][] columns;
    private double[] y;
    private ClusterBlock.Accumulator accumulator;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(42);
        rows = new double[ROWS][k];
        columns = new double[k][ROWS];
        y = new double[ROWS];
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < k; j++) {
                double v = j == 0 ? 1.0 : rnd.nextGaussian();
                rows[r][j] = v;
                columns[j][r] = v;
            }
            y[r] = rnd.nextGaussian();
        }
        accumulator = new ClusterBlock.Accumulator(k);
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void rowAtATime(Blackhole bh) {
        for (int start = 0; start < ROWS; start += clusterSize) {
            accumulator.reset();
            int end = Math.min(ROWS, start + clusterSize);
            for (int r = start; r < end; r++) {
                accumulator.add(rows[r], y[r]);
            }
            bh.consume(accumulator.toBlock());
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void columnBatch(Blackhole bh) {
        for (int start = 0; start < ROWS; start += clusterSize) {
            accumulator.reset();
            accumulator.addColumns(columns, y, start, Math.min(ROWS, start + clusterSize));
            bh.consume(accumulator.toBlock());
        }
    }
}

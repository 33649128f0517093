package dev.verdict.bench;

import dev.verdict.switchback.BlockEstimators;
import dev.verdict.switchback.BlockSeries;
import dev.verdict.switchback.RandomizationInference;
import dev.verdict.switchback.ScheduleDesign;
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
 * Randomization inference of a switchback: 10,000 re-drawn schedules over 2,000 hourly blocks (83 days from a
 * Monday), each re-draw recomputing the block-level statistic from the blocks' sufficient statistics. The score is
 * milliseconds per complete test (all 10,000 re-draws) on one thread. {@code pooled}: the headline pooled ratio
 * contrast alone; {@code readout}: the three statistics the readout tests with the same draws (pooled ratio, equal-weight
 * difference in means, Horvitz-Thompson of order 1). Run: {@code java -jar verdict-bench/target/benchmarks.jar
 * SwitchbackRandomizationBench -f 1 -wi 3 -i 5}. Figures go in docs/benchmarks.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SwitchbackRandomizationBench {
    static final int BLOCKS = 2_000;
    static final int DRAWS = 10_000;
    static final long MONDAY = 1_767_571_200L; // 2026-01-05T00:00:00Z

    @Param({"complete", "bernoulli", "within_day", "minimax_regret"})
    public String schedule;

    private BlockSeries series;
    private ScheduleDesign design;
    private List<RandomizationInference.Statistic> pooled;
    private List<RandomizationInference.Statistic> readout;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(42);
        long[] block = new long[BLOCKS];
        boolean[] w = new boolean[BLOCKS];
        double[] y = new double[BLOCKS];
        for (int i = 0; i < BLOCKS; i++) {
            block[i] = i;
            w[i] = rnd.nextBoolean();
            y[i] = 0.85 + 0.05 * Math.sin(2 * Math.PI * i / 24) + 0.02 * rnd.nextGaussian() + (w[i] ? 0.01 : 0);
        }
        series = BlockSeries.of(block, w, y, MONDAY, 3600);
        design = new ScheduleDesign(ScheduleDesign.Kind.of(schedule), 0.5, schedule.equals("minimax_regret") ? 1 : 0);
        double[] p1 = design.pathProbabilities(series, 1, true, 1_000, 1);
        double[] p0 = design.pathProbabilities(series, 1, false, 1_000, 2);
        int[] run = series.runOfKnown();
        BlockSeries s = series;
        pooled = List.of(x -> BlockEstimators.pooledDifference(s, x));
        readout = List.of(x -> BlockEstimators.pooledDifference(s, x), x -> BlockEstimators.meanDifference(s, x),
                x -> BlockEstimators.horvitzThompson(s, x, 1, p1, p0, run));
    }

    @Benchmark
    public double pooled() {
        return RandomizationInference.test(series, design, pooled, DRAWS, 7)[0].pValue();
    }

    @Benchmark
    public double readout() {
        return RandomizationInference.test(series, design, readout, DRAWS, 7)[0].pValue();
    }
}

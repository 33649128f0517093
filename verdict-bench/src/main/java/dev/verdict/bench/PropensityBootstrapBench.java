package dev.verdict.bench;

import dev.verdict.quasi.propensity.Covariates;
import dev.verdict.quasi.propensity.Effect;
import dev.verdict.quasi.propensity.PropensityData;
import dev.verdict.quasi.propensity.PropensityResult;
import dev.verdict.quasi.propensity.PropensityWeighting;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The propensity-weighting analysis with its two-step bootstrap: 1,000 replicates, each resampling 10^5 rows, refitting
 * a 10-covariate logistic propensity model and recomputing the IPW estimates ({@code ipw}: Hajek ATE/ATT and
 * Horvitz-Thompson) or also the augmented estimators with two outcome regressions ({@code ipwAndAugmented}). One call
 * is the whole analysis (full-sample fit, overlap, balance, bootstrap). Score: seconds per call (single shot).
 * Run: {@code java -jar verdict-bench/target/benchmarks.jar PropensityBootstrapBench -f 1 -wi 1 -i 3}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class PropensityBootstrapBench {
    /** Rows. */
    @Param({"100000"})
    public int rows;

    /** Bootstrap replicates. */
    @Param({"1000"})
    public int replicates;

    /** Bootstrap threads. */
    @Param({"2"})
    public int threads;

    private PropensityData data;

    @Setup
    public void setUp() {
        int p = 10;
        SplittableRandom rnd = new SplittableRandom(42);
        double[][] x = new double[p][rows];
        double[] y = new double[rows];
        boolean[] t = new boolean[rows];
        List<String> names = new ArrayList<>();
        for (int j = 0; j < p; j++) {
            names.add("x" + j);
        }
        for (int i = 0; i < rows; i++) {
            double eta = -0.5;
            double mu = 0;
            for (int j = 0; j < p; j++) {
                x[j][i] = j % 3 == 0 ? (rnd.nextDouble() < 0.3 ? 1 : 0) : rnd.nextGaussian();
                eta += 0.15 * (j % 2 == 0 ? 1 : -1) * x[j][i];
                mu += 0.5 * x[j][i];
            }
            t[i] = rnd.nextDouble() < 1 / (1 + Math.exp(-eta));
            y[i] = mu + (t[i] ? 1 : 0) + rnd.nextGaussian();
        }
        data = PropensityData.of(y, t, Covariates.of(names, x));
    }

    private double run(boolean augmented) {
        PropensityResult r = PropensityWeighting.withDefaults().withBootstrap(replicates, 7).withThreads(threads)
                .withAugmentation(augmented).analyze(data);
        return r.effect(Effect.ATE_HAJEK).inference().se();
    }

    @Benchmark
    public double ipw() {
        return run(false);
    }

    @Benchmark
    public double ipwAndAugmented() {
        return run(true);
    }
}

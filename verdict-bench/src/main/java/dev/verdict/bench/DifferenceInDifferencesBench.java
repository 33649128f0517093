package dev.verdict.bench;

import dev.verdict.quasi.did.CallawaySantAnna;
import dev.verdict.quasi.did.DidOptions;
import dev.verdict.quasi.did.EventStudy;
import dev.verdict.quasi.did.Panel;
import dev.verdict.quasi.did.TwoWayFixedEffects;
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
 * The difference-in-differences layer on a 200-unit x 40-period staggered panel (five adoption cohorts of 30 units,
 * 50 never treated): static two-way fixed effects with CR2 and CR1 ({@code twfe}), the event study with CR2 over a
 * [-10, 10] window with binned end points and its pre-trend Wald test ({@code eventStudy}; 59 coefficients:
 * 20 event times and 39 period dummies), and Callaway-Sant'Anna with analytic influence-function SEs
 * ({@code callawaySantAnna}) and with a 999-draw multiplier bootstrap ({@code callawaySantAnnaBootstrap}).
 * Score: milliseconds per call on one thread.
 * Run: {@code java -jar verdict-bench/target/benchmarks.jar DifferenceInDifferencesBench -f 1 -wi 3 -i 5}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DifferenceInDifferencesBench {
    /** Units. */
    @Param({"200"})
    public int units;

    /** Periods. */
    @Param({"40"})
    public int periods;

    private Panel panel;
    private DidOptions options;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(42);
        int n = units * periods;
        String[] unit = new String[n];
        long[] period = new long[n];
        double[] y = new double[n];
        long[] first = new long[n];
        double[] w = new double[n];
        int[] cohorts = {10, 15, 20, 25, 30};
        int r = 0;
        for (int i = 0; i < units; i++) {
            int c = i * 4 / units < 3 ? cohorts[i % 5] : -1;
            double a = 20 * rnd.nextGaussian();
            for (int t = 0; t < periods; t++) {
                unit[r] = "cluster-" + i;
                period[r] = t;
                y[r] = 150 + a + 0.2 * t + rnd.nextGaussian() * 3 + (c >= 0 && t >= c ? -5 - 0.2 * (t - c) : 0);
                first[r] = c < 0 ? Panel.NEVER_TREATED : c;
                w[r] = 500 + rnd.nextInt(2000);
                r++;
            }
        }
        panel = Panel.withFirstTreated(unit, period, y, first, w);
        options = DidOptions.withDefaults().withWindow(10, 10);
    }

    @Benchmark
    public double twfe() {
        return TwoWayFixedEffects.fit(panel, options).effect().se();
    }

    @Benchmark
    public double eventStudy() {
        return EventStudy.fit(panel, options).preTrend().pValue();
    }

    @Benchmark
    public double callawaySantAnna() {
        return CallawaySantAnna.estimate(panel, options).overall().se();
    }

    @Benchmark
    public double callawaySantAnnaBootstrap() {
        return CallawaySantAnna.estimate(panel, options.withBootstrap(999, 7)).overall().se();
    }
}

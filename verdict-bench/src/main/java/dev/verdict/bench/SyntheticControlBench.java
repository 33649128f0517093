package dev.verdict.bench;

import dev.verdict.quasi.synth.Panel;
import dev.verdict.quasi.synth.SynthDid;
import dev.verdict.quasi.synth.SyntheticControl;
import dev.verdict.quasi.synth.SyntheticControlResult;
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

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A full synthetic control analysis of a 40-unit x 40-period panel (one treated unit, 30 pre-periods, 39 donors):
 * the estimate, the pre-fit check and a placebo-in-space run for every donor (40 weight fits), with
 * {@code replications = 0}; with 200 the placebo standard error adds 200 more fits. Data: a seeded two-factor model.
 * Score: milliseconds per analysis on one thread.
 * Run: {@code java -jar verdict-bench/target/benchmarks.jar SyntheticControlBench -f 1 -wi 3 -i 5}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SyntheticControlBench {
    /** Estimator wire name: synthdid or sc. */
    @Param({"synthdid", "sc"})
    public String method;

    /** Placebo variance draws (0: placebo-in-space only). */
    @Param({"0", "200"})
    public int replications;

    private Panel panel;
    private SyntheticControl analysis;

    @Setup
    public void setUp() {
        int units = 40;
        int periods = 40;
        SplittableRandom rnd = new SplittableRandom(42);
        double[][] f = new double[2][periods];
        for (int k = 0; k < 2; k++) {
            for (int t = 0; t < periods; t++) {
                f[k][t] = (t > 0 ? f[k][t - 1] : 0) + rnd.nextGaussian();
            }
        }
        double[][] y = new double[units][periods];
        List<String> names = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int t = 0; t < periods; t++) {
            labels.add("p" + t);
        }
        for (int i = 0; i < units; i++) {
            names.add("u" + i);
            double a = 10 * rnd.nextDouble();
            double l0 = rnd.nextDouble();
            double l1 = rnd.nextDouble();
            for (int t = 0; t < periods; t++) {
                y[i][t] = a + 0.1 * t + l0 * f[0][t] + l1 * f[1][t] + 0.5 * rnd.nextGaussian() + (i == 0 && t >= 30 ? 2 : 0);
            }
        }
        panel = Panel.of(names, labels, y);
        SynthDid.Method m = "sc".equals(method) ? SynthDid.Method.SYNTHETIC_CONTROL : SynthDid.Method.SYNTHDID;
        analysis = SyntheticControl.withDefaults().withMethod(m).withPlaceboReplications(replications);
    }

    @Benchmark
    public double analyze() {
        SyntheticControlResult r = analysis.analyze(panel, List.of("u0"), "p30");
        return r.effect().estimate() + r.placebo().pValue();
    }
}

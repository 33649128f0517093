package dev.verdict.engine.spark;

import dev.verdict.design.Analysis;
import dev.verdict.design.DesignAnalysis;
import dev.verdict.engine.duckdb.DuckDbEngine;
import dev.verdict.readout.Effect;
import dev.verdict.reduce.LogSchema;
import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.Reduction;
import dev.verdict.reduce.ReductionPlan;
import dev.verdict.spec.Direction;
import dev.verdict.spec.Economics;
import dev.verdict.spec.ExperimentSpec;
import dev.verdict.spec.Guardrail;
import dev.verdict.spec.MetricKind;
import dev.verdict.spec.MetricSpec;
import dev.verdict.spec.Rollback;
import dev.verdict.spec.Threshold;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped example logs ({@code examples/*}/requests.parquet), planned as the CLI plans them (the specs of
 * {@code examples/*}/spec.yaml written out as {@link ExperimentSpec}s, then {@link DesignAnalysis#prepare}): Spark's
 * reduction equals DuckDB's (counts exactly, moments to 1e-9, quantiles to the bit), and so does every effect the design
 * estimates from it, including the clustered quantile variances of the user-randomized example (unitCountsBelow).
 */
class SparkExamplesTest {
    private static final Path EXAMPLES = Path.of(System.getProperty("user.dir")).resolve("../examples").normalize();
    static DuckDbEngine duck;
    static SparkEngine spark;

    @BeforeAll
    static void engines() {
        duck = DuckDbEngine.inMemory();
        spark = SharedSpark.engine();
    }

    @AfterAll
    static void close() {
        duck.close();
        spark.close();
    }

    /** The example's spec.yaml as the spec parser would build it. */
    static ExperimentSpec spec(String example) {
        Path dir = EXAMPLES.resolve(example);
        MetricSpec completedProportion = new MetricSpec("completed", MetricKind.PROPORTION, Direction.INCREASE,
                Optional.of(new Threshold(0.005, false)), Optional.empty(), Optional.empty());
        Guardrail error = new Guardrail(new MetricSpec("error", MetricKind.MEAN, Direction.DECREASE, Optional.empty(),
                Optional.empty(), Optional.empty()), new Threshold(0.005, false));
        boolean users = example.equals("mixed-segments");
        MetricSpec success = users ? new MetricSpec("completed", MetricKind.MEAN, Direction.INCREASE,
                Optional.of(new Threshold(0.01, false)), Optional.empty(), Optional.of("pre_latency_ms"))
                : completedProportion;
        Guardrail latency = new Guardrail(new MetricSpec("latency_ms", users ? MetricKind.P95 : MetricKind.P99,
                Direction.DECREASE, Optional.empty(), Optional.empty(), Optional.empty()),
                new Threshold(users ? 0.10 : 0.05, true));
        Economics economics = new Economics(Optional.of("cost_usd"), users ? Optional.empty() : Optional.of("gpu_seconds"),
                Optional.of("value_usd"), "completed", 0.0);
        boolean started = example.equals("clean-win") || example.equals("srm");
        Rollback rollback = switch (example) {
            case "clean-win", "srm" -> new Rollback(OptionalDouble.of(0.05), OptionalDouble.of(5000),
                    OptionalDouble.empty(), OptionalDouble.empty());
            case "guardrail-regression" -> new Rollback(OptionalDouble.of(0.05), OptionalDouble.empty(),
                    OptionalDouble.empty(), OptionalDouble.empty());
            default -> Rollback.NONE;
        };
        return new ExperimentSpec(example, users ? ExperimentSpec.DecisionPattern.TARGET_SEGMENT
                : ExperimentSpec.DecisionPattern.SHIP_BROADLY, users ? ExperimentSpec.Design.USER_RCT
                : ExperimentSpec.Design.REQUEST_RCT, List.of(dir.resolve("requests.parquet").toString()),
                ExperimentSpec.DataFormat.AUTO, Map.of(), users ? "user_id" : "request_id",
                new ExperimentSpec.Arms("control", "treatment"), new ExperimentSpec.Allocation(0.5, 0.5),
                started ? Optional.of("2026-11-02T00:00:00Z") : Optional.empty(), success, List.of(latency, error),
                Optional.of(economics), List.of("workload", "tier"), rollback, Optional.empty(), 0.05, List.of(),
                ExperimentSpec.DataQuality.DEFAULT, Optional.empty(), 1, dir.resolve("spec.yaml"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"clean-win", "guardrail-regression", "mixed-segments", "srm"})
    void sparkReducesTheExampleAsDuckDbDoes(String example) {
        ExperimentSpec spec = spec(example);
        LogSource declared = new LogSource(spec.data(), LogSource.Format.PARQUET);
        assertEquals(duck.files(declared), spark.files(declared));
        LogSource source = new LogSource(spark.files(declared), LogSource.Format.PARQUET);
        LogSchema schema = spark.describe(source);
        assertEquals(duck.describe(source), schema, "column kinds");
        DesignAnalysis sparkDesign = DesignAnalysis.prepare(spec, source, schema);
        DesignAnalysis duckDesign = DesignAnalysis.prepare(spec, source, duck.describe(source));
        ReductionPlan plan = sparkDesign.plan();
        assertEquals(duckDesign.plan(), plan);
        assertTrue(sparkDesign.textColumnsToCheck().isEmpty());
        Reduction want = duck.reduce(plan);
        Reduction got = spark.reduce(plan);
        SameReduction.assertSame(want, got, example);
        if (!plan.unitLevel()) {
            // the request-level sums are DuckDB's exact scaled integers: identical, not merely close
            SameReduction.assertIdentical(want, got, example);
        }
        Analysis a = duckDesign.analyze(want, duck);
        Analysis b = sparkDesign.analyze(got, spark);
        assertEquals(a.effects().size(), b.effects().size());
        for (int i = 0; i < a.effects().size(); i++) {
            assertSameEffect(a.effects().get(i), b.effects().get(i), example);
        }
        assertEquals(a.checks().stream().map(c -> c.status()).toList(), b.checks().stream().map(c -> c.status()).toList());
    }

    private static void assertSameEffect(Effect x, Effect y, String example) {
        String where = example + ": " + x.metric() + " " + x.segment();
        assertEquals(x.metric(), y.metric(), where);
        assertEquals(x.method(), y.method(), where);
        assertEquals(x.nControl(), y.nControl(), where);
        assertEquals(x.nTreatment(), y.nTreatment(), where);
        double[] p = {x.control(), x.treatment(), x.estimate(), x.se(), x.df(), x.ciLow(), x.ciHigh(), x.pValue()};
        double[] q = {y.control(), y.treatment(), y.estimate(), y.se(), y.df(), y.ciLow(), y.ciHigh(), y.pValue()};
        for (int i = 0; i < p.length; i++) {
            assertTrue(SameReduction.close(p[i], q[i]), where + " value " + i + ": " + p[i] + " vs " + q[i]);
        }
    }
}

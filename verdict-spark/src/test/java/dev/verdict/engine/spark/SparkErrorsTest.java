package dev.verdict.engine.spark;

import dev.verdict.InputException;
import dev.verdict.design.DesignAnalysis;
import dev.verdict.engine.duckdb.DuckDbEngine;
import dev.verdict.reduce.LogSchema;
import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.ReductionPlan;
import dev.verdict.reduce.VariableGroup;
import dev.verdict.spec.ExperimentSpec;
import dev.verdict.spec.MetricKind;
import dev.verdict.spec.MetricSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input is one line naming the path or the column (exit code 3), never a Spark stack trace: a missing file or a
 * glob that matches nothing, a missing column (and, through the pipeline's stages, its spec key), text in a numeric
 * column (its value quoted).
 */
class SparkErrorsTest {
    @TempDir
    static Path dir;
    static SparkEngine spark;
    static DuckDbEngine duck;
    static LogSource bad;

    @BeforeAll
    static void setUp() throws IOException {
        spark = SharedSpark.engine();
        duck = DuckDbEngine.inMemory();
        StringBuilder sb = new StringBuilder("arm,latency_ms,completed\n");
        for (int i = 0; i < 200; i++) {
            sb.append(i % 2 == 0 ? "control" : "treatment").append(',').append(i == 150 ? "n/a" : String.valueOf(100 + i))
                    .append(',').append(i % 3 == 0 ? 1 : 0).append('\n');
        }
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, sb.toString());
        bad = new LogSource(List.of(csv.toString()), LogSource.Format.CSV);
    }

    @AfterAll
    static void close() {
        spark.close();
        duck.close();
    }

    private static ReductionPlan plan(LogSource source, String column) {
        return new ReductionPlan(source, "arm", List.of("control", "treatment"), Optional.empty(),
                List.of(new VariableGroup("m", List.of(column), Optional.empty())), List.of(), List.of(),
                ReductionPlan.Fidelity.NONE, Optional.empty());
    }

    private static InputException oneLine(Executable call) {
        InputException e = assertThrows(InputException.class, call);
        assertEquals(InputException.INVALID_DATA, e.exitCode());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains("org.apache.spark"), e.getMessage());
        return e;
    }

    @Test
    void missingFileOrEmptyGlobIsTheSameMessageAsDuckDbs() {
        LogSource none = new LogSource(List.of(dir.resolve("nope*.parquet").toString()), LogSource.Format.PARQUET);
        InputException s = oneLine(() -> spark.files(none));
        InputException d = assertThrows(InputException.class, () -> duck.files(none));
        assertEquals(d.getMessage(), s.getMessage());
        assertTrue(s.getMessage().startsWith("spec key 'data': no file matches"), s.getMessage());
        LogSource missing = new LogSource(List.of(dir.resolve("missing.csv").toString()), LogSource.Format.CSV);
        assertEquals(duck.files(new LogSource(List.of(dir.resolve("bad.csv").toString()), LogSource.Format.CSV)),
                spark.files(new LogSource(List.of(dir.resolve("bad.csv").toString()), LogSource.Format.CSV)));
        assertTrue(oneLine(() -> spark.reduce(plan(missing, "completed"))).getMessage()
                .startsWith("spec key 'data': no file matches '" + dir.resolve("missing.csv") + "'"));
        oneLine(() -> spark.describe(missing));
    }

    @Test
    void missingColumnNamesTheColumnAndThroughThePipelineItsSpecKey() {
        InputException e = oneLine(() -> spark.reduce(plan(bad, "latency_msx")));
        assertTrue(e.getMessage().startsWith("column 'latency_msx': not in "), e.getMessage());
        // the pipeline's stages: describe, then the design names the spec key before any scan
        ExperimentSpec spec = SparkExamplesTest.spec("clean-win");
        ExperimentSpec renamed = new ExperimentSpec(spec.name(), spec.decision(), spec.design(), bad.paths(),
                ExperimentSpec.DataFormat.CSV, spec.columns(), spec.unit(), spec.arms(), spec.allocation(),
                Optional.empty(), new MetricSpec("latency_msx", MetricKind.MEAN, spec.success().direction(),
                Optional.empty(), Optional.empty(), Optional.empty()), List.of(), Optional.empty(), List.of(),
                spec.rollback(), Optional.empty(), 0.05, List.of(), spec.dataQuality(), Optional.empty(), 1,
                spec.specFile());
        LogSchema schema = spark.describe(bad);
        InputException p = oneLine(() -> DesignAnalysis.prepare(renamed, bad, schema));
        assertEquals(oneLine(() -> DesignAnalysis.prepare(renamed, bad, duck.describe(bad))).getMessage(), p.getMessage());
        assertTrue(p.getMessage().startsWith("column 'latency_msx' (spec key 'success.metric') is not in the log"),
                p.getMessage());
    }

    @Test
    void textInANumericColumnNamesTheColumnAndTheValue() {
        assertEquals(LogSchema.ColumnKind.TEXT, spark.describe(bad).kind("latency_ms").orElseThrow());
        assertEquals(Optional.of("n/a"), spark.firstNonNumeric(bad, "latency_ms"));
        assertEquals(duck.firstNonNumeric(bad, "latency_ms"), spark.firstNonNumeric(bad, "latency_ms"));
        InputException e = oneLine(() -> spark.reduce(plan(bad, "latency_ms")));
        assertTrue(e.getMessage().startsWith("column 'latency_ms': a value cannot be read as a number ('n/a')"),
                e.getMessage());
        InputException c = oneLine(() -> spark.clusterBlocks(bad, "arm", List.of("latency_ms"), "completed"));
        assertTrue(c.getMessage().contains("a value cannot be read as a number ('n/a')"), c.getMessage());
        // the numeric columns of the same log reduce
        assertEquals(200, spark.reduce(plan(bad, "completed")).rows());
    }
}

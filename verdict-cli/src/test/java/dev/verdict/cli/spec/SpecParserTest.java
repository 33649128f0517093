package dev.verdict.cli.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verdict.InputException;
import dev.verdict.spec.CanonicalColumns;
import dev.verdict.spec.Direction;
import dev.verdict.spec.Economics;
import dev.verdict.spec.ExperimentSpec;
import dev.verdict.spec.ExperimentSpec.DataFormat;
import dev.verdict.spec.ExperimentSpec.DataQuality;
import dev.verdict.spec.ExperimentSpec.DecisionPattern;
import dev.verdict.spec.ExperimentSpec.Design;
import dev.verdict.spec.ExperimentSpec.SharedState;
import dev.verdict.spec.Guardrail;
import dev.verdict.spec.MetricKind;
import dev.verdict.spec.MetricSpec;
import dev.verdict.spec.Rollback;
import dev.verdict.spec.Threshold;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Valid specs: the examples, the defaults, path resolution, remapping and value normalization. */
class SpecParserTest {
    /** A made-up spec location; parse(String, Path) never opens it. */
    static final Path SPEC = Path.of("exp", "spec.yaml");
    static final Path FOLDER = SPEC.toAbsolutePath().normalize().getParent();
    static final String MINIMAL = """
            name: minimal
            design: request_rct
            data: requests.parquet
            success: {metric: completed}
            """;

    static List<Path> examples() {
        return SpecFiles.exampleSpecs();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleSpecParses(Path spec) {
        ExperimentSpec s = SpecParser.parse(spec);
        assertEquals(spec.toAbsolutePath().normalize(), s.specFile());
        // invariant: data paths are absolute and normalized, anchored at the spec's folder
        for (String d : s.data()) {
            Path p = Path.of(d.replace("@", "_"));
            assertTrue(p.isAbsolute(), d);
            assertTrue(d.startsWith(spec.toAbsolutePath().normalize().getParent().toString()), d);
        }
        // invariant: columns is complete for every canonical name
        assertEquals(CanonicalColumns.ALL.size(), s.columns().size());
        assertTrue(s.columns().keySet().containsAll(CanonicalColumns.ALL));
    }

    @Test
    void cleanWinSpecReadsAsWritten() {
        ExperimentSpec s = SpecParser.parse(SpecFiles.CLEAN_WIN);
        // expected values: the text of examples/clean-win/spec.yaml
        assertEquals("faster tokenizer path", s.name());
        assertEquals(DecisionPattern.SHIP_BROADLY, s.decision());
        assertEquals(Design.REQUEST_RCT, s.design());
        assertEquals(List.of(SpecFiles.CLEAN_WIN.getParent().resolve("requests.parquet").toString()), s.data());
        assertEquals(DataFormat.AUTO, s.format());
        assertEquals(CanonicalColumns.REQUEST_ID, s.unit());
        assertEquals(new ExperimentSpec.Arms("control", "treatment"), s.arms());
        assertEquals(new ExperimentSpec.Allocation(0.5, 0.5), s.allocation());
        assertEquals(Optional.of("2026-11-02T00:00:00Z"), s.start());
        assertEquals(new MetricSpec("completed", MetricKind.PROPORTION, Direction.INCREASE,
                Optional.of(new Threshold(0.005, false)), Optional.empty(), Optional.empty()), s.success());
        // "5%" is 5.0 / 100, which IEEE division rounds to the same double as the literal 0.05 (exact equality)
        assertEquals(List.of(
                new Guardrail(new MetricSpec("latency_ms", MetricKind.P99, Direction.DECREASE, Optional.empty(),
                        Optional.empty(), Optional.empty()), new Threshold(0.05, true)),
                new Guardrail(new MetricSpec("error", MetricKind.MEAN, Direction.DECREASE, Optional.empty(),
                        Optional.empty(), Optional.empty()), new Threshold(0.005, false))), s.guardrails());
        assertEquals(Optional.of(new Economics(Optional.of("cost_usd"), Optional.of("gpu_seconds"),
                Optional.of("value_usd"), "completed", 0.0)), s.economics());
        assertEquals(List.of("workload", "tier"), s.segments());
        assertEquals(new Rollback(OptionalDouble.of(0.05), OptionalDouble.of(5000), OptionalDouble.empty(),
                OptionalDouble.empty()), s.rollback());
        assertEquals(Optional.of("if the error rate exceeds 2% in the next two weeks, roll back"), s.contingency());
        assertEquals(0.05, s.alpha(), 0.0);
    }

    @Test
    void defaultsOfAMinimalSpec() {
        ExperimentSpec s = SpecParser.parse(MINIMAL, SPEC);
        // expected values: the defaults documented in docs/spec.md
        assertEquals(DecisionPattern.SHIP_BROADLY, s.decision());
        assertEquals(DataFormat.AUTO, s.format());
        assertEquals(List.of(FOLDER.resolve("requests.parquet").toString()), s.data());
        for (String c : CanonicalColumns.ALL) {
            assertEquals(c, s.columns().get(c), c);
        }
        assertEquals(CanonicalColumns.REQUEST_ID, s.unit());
        assertEquals(new ExperimentSpec.Arms("control", "treatment"), s.arms());
        assertEquals(new ExperimentSpec.Allocation(0.5, 0.5), s.allocation());
        assertEquals(Optional.empty(), s.start());
        assertEquals(new MetricSpec("completed", MetricKind.MEAN, Direction.INCREASE, Optional.empty(),
                Optional.empty(), Optional.empty()), s.success());
        assertEquals(List.of(), s.guardrails());
        assertEquals(Optional.empty(), s.economics());
        assertEquals(List.of(), s.segments());
        assertEquals(Rollback.NONE, s.rollback());
        assertEquals(Optional.empty(), s.contingency());
        assertEquals(SpecParser.DEFAULT_ALPHA, s.alpha(), 0.0);
        assertEquals(0.05, SpecParser.DEFAULT_ALPHA, 0.0);
        assertEquals(List.of(), s.sharedState());
        assertEquals(DataQuality.DEFAULT, s.dataQuality());
        assertEquals(Optional.empty(), s.longRun());
        assertEquals(SpecParser.DEFAULT_SEED, s.seed());
        assertEquals(20261204L, SpecParser.DEFAULT_SEED);
        assertEquals(Optional.empty(), s.rerandomization());
    }

    /** A cluster RCT's re-randomization block reads as written; a remapped column is named canonically. */
    @Test
    void rerandomizationBlockIsRead() {
        String base = "name: t\ndesign: cluster_rct\ndata: requests.csv\nstart: 2026-11-02\npre_period: true\n"
                + "columns: {queue_depth: qd}\nsuccess: {metric: completed}\n";
        ExperimentSpec a = SpecParser.parse(base + "rerandomization: {covariates: [queue_depth, pre_tokens], "
                + "criterion: max_std_diff, threshold: 0.1}\n", SPEC);
        assertEquals(Optional.of(new dev.verdict.spec.Rerandomization(List.of("queue_depth", "pre_tokens"),
                dev.verdict.spec.Rerandomization.Criterion.MAX_STD_DIFF, 0.1)), a.rerandomization());
        ExperimentSpec b = SpecParser.parse(base + "rerandomization: {covariates: [queue_depth], criterion: mahalanobis,"
                + " threshold: 0.2}\n", SPEC);
        assertEquals(dev.verdict.spec.Rerandomization.Criterion.MAHALANOBIS, b.rerandomization().orElseThrow().criterion());
        assertEquals(0.2, b.rerandomization().orElseThrow().threshold(), 0.0);
        // max_std_diff accepts any positive threshold, mahalanobis only a probability
        SpecParser.parse(base + "rerandomization: {covariates: [queue_depth], criterion: max_std_diff, threshold: 1.5}\n",
                SPEC);
        assertThrows(InputException.class, () -> SpecParser.parse(base + "rerandomization: {covariates: [queue_depth], "
                + "criterion: mahalanobis, threshold: 1.5}\n", SPEC));
        // the log's own name of a remapped canonical column is refused, as everywhere else
        assertThrows(InputException.class, () -> SpecParser.parse(base + "rerandomization: {covariates: [qd], "
                + "criterion: max_std_diff, threshold: 0.1}\n", SPEC));
    }

    @Test
    void fileSystemUrisAreKeptAsWrittenForTheEngine() {
        ExperimentSpec s = SpecParser.parse(MINIMAL.replace("data: requests.parquet",
                "data: [hdfs://nn:8020/logs/day=*/part-*.parquet, s3a://bucket/logs/extra.parquet]"), SPEC);
        assertEquals(List.of("hdfs://nn:8020/logs/day=*/part-*.parquet", "s3a://bucket/logs/extra.parquet"), s.data());
    }

    @Test
    void aCatalogTableIsNamedNotResolved() {
        ExperimentSpec s = SpecParser.parse(MINIMAL.replace("data: requests.parquet", "data: logs.requests\nformat: table"),
                SPEC);
        assertEquals(DataFormat.TABLE, s.format());
        assertEquals(List.of("logs.requests"), s.data());
        InputException bad = org.junit.jupiter.api.Assertions.assertThrows(InputException.class, () -> SpecParser.parse(
                MINIMAL.replace("data: requests.parquet", "data: \"logs.requests; DROP TABLE x\"\nformat: table"), SPEC));
        assertTrue(bad.getMessage().contains("spec key 'data'") && bad.getMessage().contains("catalog table"),
                bad.getMessage());
    }

    @Test
    void guardrailDirectionDefaultsToDecreaseAndSuccessToIncrease() {
        ExperimentSpec s = SpecParser.parse(MINIMAL + "guardrails: [{metric: latency_ms, max_harm: 10}]\n", SPEC);
        assertEquals(Direction.INCREASE, s.success().direction());
        assertEquals(Direction.DECREASE, s.guardrails().get(0).metric().direction());
        assertEquals(new Threshold(10, false), s.guardrails().get(0).maxHarm());
    }

    @Test
    void everyOptionalKeyIsRead() {
        String yaml = """
                name: all keys
                decision: target_segment
                design: user_rct
                unit: workspace_id
                data: [logs/day1.csv, /abs/day2.csv]
                format: csv
                columns: {arm: variant, ts: event_time, workspace_id: org}
                arms: {control: 0, treatment: 1}
                allocation: {control: 0.25, treatment: 0.75}
                start: 2026-11-02T01:30:00+01:00
                success: {metric: gpu_seconds, kind: ratio, direction: decrease, min_effect: 12.5%, denominator: completed}
                guardrails:
                  - {metric: latency_ms, kind: mean, direction: decrease, max_harm: 0.5%, covariate: pre_latency_ms}
                  - {metric: completed, kind: proportion, direction: increase, max_harm: 0.002}
                economics: {cost: cost_usd, value: value_usd, gpu: gpu_seconds, success: completed, min_net_gain: 0.0001}
                segments: [workload, tier, model_family]
                rollback: {error_rate_above: 0.05, p99_latency_ms_above: 5000, cost_per_success_above: 0.02, fallback_rate_above: 0.1}
                contingency: "  roll back if errors pass 2%  "
                alpha: 0.1
                shared_state: [cache, rate_limit]
                data_quality: {max_missing_share: 0.05, max_unknown_arm_share: 0}
                long_run: {metric: retention_30d, observed: false}
                seed: -7
                """;
        ExperimentSpec s = SpecParser.parse(yaml, SPEC);
        assertEquals(DecisionPattern.TARGET_SEGMENT, s.decision());
        assertEquals(Design.USER_RCT, s.design());
        assertEquals(CanonicalColumns.WORKSPACE_ID, s.unit());
        assertEquals(List.of(FOLDER.resolve("logs").resolve("day1.csv").toString(),
                Path.of("/abs/day2.csv").toAbsolutePath().normalize().toString()), s.data());
        assertEquals(DataFormat.CSV, s.format());
        assertEquals("variant", s.column("arm"));
        assertEquals("event_time", s.column("ts"));
        assertEquals("org", s.column("workspace_id"));
        assertEquals("latency_ms", s.column("latency_ms"));
        assertEquals(new ExperimentSpec.Arms("0", "1"), s.arms());
        assertEquals(new ExperimentSpec.Allocation(0.25, 0.75), s.allocation());
        // known truth: 01:30 at +01:00 is 00:30 UTC
        assertEquals(Optional.of("2026-11-02T00:30:00Z"), s.start());
        // 12.5 / 100 = 0.125 exactly in binary floating point
        assertEquals(new MetricSpec("gpu_seconds", MetricKind.RATIO, Direction.DECREASE,
                Optional.of(new Threshold(0.125, true)), Optional.of("completed"), Optional.empty()), s.success());
        assertEquals("gpu_seconds/completed", s.success().label());
        // 0.5 / 100 rounds to the same double as the literal 0.005 (both are the correctly rounded 0.005)
        assertEquals(new Threshold(0.005, true), s.guardrails().get(0).maxHarm());
        assertEquals(Optional.of("pre_latency_ms"), s.guardrails().get(0).metric().covariate());
        assertEquals(Direction.INCREASE, s.guardrails().get(1).metric().direction());
        assertEquals(0.0001, s.economics().orElseThrow().minNetGain(), 0.0);
        assertEquals(List.of("workload", "tier", "model_family"), s.segments());
        assertEquals(new Rollback(OptionalDouble.of(0.05), OptionalDouble.of(5000), OptionalDouble.of(0.02),
                OptionalDouble.of(0.1)), s.rollback());
        assertEquals(Optional.of("roll back if errors pass 2%"), s.contingency());
        assertEquals(0.1, s.alpha(), 0.0);
        assertEquals(List.of(SharedState.CACHE, SharedState.RATE_LIMIT), s.sharedState());
        assertEquals(new DataQuality(0.05, 0.0), s.dataQuality());
        assertEquals(Optional.of(new ExperimentSpec.LongRun("retention_30d", false)), s.longRun());
        assertEquals(-7L, s.seed());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-02", "2026-11-02T00:00:00Z", "2026-11-02T00:00:00.000Z",
            "2026-11-02T01:00:00+01:00", "2026-11-01T19:00:00-05:00"})
    void startFormsNormalizeToOneInstant(String start) {
        ExperimentSpec s = SpecParser.parse(MINIMAL + "start: " + start + "\n", SPEC);
        // known truth: each form denotes midnight UTC on 2 November 2026
        assertEquals(Optional.of("2026-11-02T00:00:00Z"), s.start());
    }

    @Test
    void globsKeepTheirPatternAndResolveTheirFolder() {
        ExperimentSpec s = SpecParser.parse(MINIMAL.replace("data: requests.parquet",
                "data: [\"../logs/./2026-*/part-*.parquet\", \"*.parquet\"]"), SPEC);
        String sep = FOLDER.getFileSystem().getSeparator();
        assertEquals(List.of(FOLDER.getParent().resolve("logs") + sep + "2026-*/part-*.parquet",
                FOLDER + sep + "*.parquet"), s.data());
    }

    @Test
    void anAbsolutePathIsKept() {
        Path abs = Path.of("/var/logs/requests.parquet").toAbsolutePath();
        ExperimentSpec s = SpecParser.parse(MINIMAL.replace("requests.parquet", "\"" + abs + "\""), SPEC);
        assertEquals(List.of(abs.normalize().toString()), s.data());
    }

    @Test
    void renamedColumnsSwapWithoutCollision() {
        // invariant: a swap maps each canonical name to its own column, so it is not a collision
        ExperimentSpec s = SpecParser.parse(MINIMAL + "columns: {workload: tier, tier: workload}\n", SPEC);
        assertEquals("tier", s.column("workload"));
        assertEquals("workload", s.column("tier"));
    }

    @Test
    void parsingNeverOpensTheData() {
        // the data file does not exist; parsing still succeeds because only the path is resolved
        ExperimentSpec s = SpecParser.parse(MINIMAL.replace("requests.parquet", "does/not/exist.parquet"), SPEC);
        assertFalse(Files.exists(Path.of(s.data().get(0))));
    }

    @Test
    void readsAFileWithAByteOrderMark(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("spec.yaml");
        Files.write(f, ("\uFEFF" + MINIMAL).getBytes(StandardCharsets.UTF_8));
        assertEquals("minimal", SpecParser.parse(f).name());
        assertEquals(List.of(dir.resolve("requests.parquet").toAbsolutePath().normalize().toString()),
                SpecParser.parse(f).data());
    }

    @Test
    void missingFileIsOneLine(@TempDir Path dir) {
        Path f = dir.resolve("nope.yaml");
        InputException e = assertThrows(InputException.class, () -> SpecParser.parse(f));
        assertEquals(InputException.INVALID_SPEC, e.exitCode());
        assertTrue(e.getMessage().contains("spec file not found"), e.getMessage());
        assertTrue(e.getMessage().contains("nope.yaml"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aHugeFileIsRefusedBeforeReading(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("requests.csv");
        Files.write(f, new byte[(int) SpecParser.MAX_SPEC_BYTES + 1]);
        InputException e = assertThrows(InputException.class, () -> SpecParser.parse(f));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("too large for a spec"), e.getMessage());
    }

    @Test
    void aFolderIsNotASpec(@TempDir Path dir) {
        InputException e = assertThrows(InputException.class, () -> SpecParser.parse(dir));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("is a folder"), e.getMessage());
    }

    @Test
    void nonUtf8IsOneLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("latin1.yaml");
        Files.write(f, "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        InputException e = assertThrows(InputException.class, () -> SpecParser.parse(f));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
    }

    @Test
    void allowedKeysCoverEveryCanonicalColumn() {
        assertEquals(CanonicalColumns.ALL, SpecParser.ALLOWED_KEYS.get("columns"));
    }
}

package dev.verdict.cli.pipeline;

import dev.verdict.InputException;
import dev.verdict.cli.readout.Provenance;
import dev.verdict.cli.readout.Readout;
import dev.verdict.cli.spec.SpecParser;
import dev.verdict.decide.Decision;
import dev.verdict.decide.DecisionEngine;
import dev.verdict.decide.DecisionInput;
import dev.verdict.design.Analysis;
import dev.verdict.design.DesignAnalysis;
import dev.verdict.reduce.Engine;
import dev.verdict.reduce.LogSchema;
import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.Reduction;
import dev.verdict.spec.ExperimentSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The main job, stage by stage: spec, design (reduction plan), engine (one pushed-down aggregation), estimates and
 * checks, decision, readout. Every stage fails with an {@link InputException} naming the spec key or column.
 */
public final class AnalysisPipeline {
    private AnalysisPipeline() {
    }

    /** Parses and validates the spec file, then analyzes it on the given engine. */
    public static Readout run(Path specFile, Engine engine, String toolVersion) {
        ExperimentSpec spec = SpecParser.parse(specFile);
        return run(spec, engine, toolVersion);
    }

    /** Analyzes an already validated spec on the given engine. */
    public static Readout run(ExperimentSpec spec, Engine engine, String toolVersion) {
        LogSource.Format format = switch (spec.format()) {
            case CSV -> LogSource.Format.CSV;
            case PARQUET -> LogSource.Format.PARQUET;
            case TABLE -> LogSource.Format.TABLE;
            case AUTO -> LogSource.inferFormat(spec.data().get(0));
        };
        LogSource declared = new LogSource(spec.data(), format);
        List<String> files = timed("files", () -> engine.files(declared));
        LogSource whole = new LogSource(files, format);
        LogSchema schema = timed("describe", () -> engine.describe(whole));
        LogSource source = prePeriodExcluded(spec, whole, schema);
        DesignAnalysis design = DesignAnalysis.prepare(spec, source, schema);
        for (Map.Entry<String, String> e : design.textColumnsToCheck().entrySet()) {
            Optional<String> bad = engine.firstNonNumeric(source, e.getKey());
            if (bad.isPresent()) {
                throw InputException.data("column '" + e.getKey() + "' (spec key '" + e.getValue() + "'): the value '"
                        + bad.get() + "' is not a number; clean the column or point the key at a numeric column");
            }
        }
        Reduction reduction = timed("reduce", () -> engine.reduce(design.plan()));
        Analysis analysis = timed("estimates and checks", () -> design.analyze(reduction, engine));
        Decision decision = DecisionEngine.standard().decide(new DecisionInput(spec, analysis.checks(), analysis.success(),
                analysis.segments()));
        Path base = spec.specFile().toAbsolutePath().getParent();
        Provenance provenance = new Provenance("verdict " + toolVersion, engine.name(), engine.version(),
                timed("fingerprint", () -> Provenance.fingerprint(
                        format == LogSource.Format.TABLE ? engine.dataFiles(source) : files, base, engine)), spec.seed());
        return new Readout(spec, analysis, decision, provenance);
    }

    /**
     * With {@code pre_period: true}, the log from {@code start} on: every reduction then leaves the pre-period out,
     * and only the pre-period covariates read the whole log ({@link LogSource#whole()}).
     */
    private static LogSource prePeriodExcluded(ExperimentSpec spec, LogSource whole, LogSchema schema) {
        if (!spec.prePeriod()) {
            return whole;
        }
        String ts = spec.column(dev.verdict.spec.CanonicalColumns.TS);
        if (!schema.has(ts)) {
            throw InputException.data("spec key 'pre_period': the log has no time column '" + ts + "' to tell the "
                    + "pre-period from the experiment; map columns.ts to the log's time column");
        }
        return whole.since(ts, java.time.Instant.parse(spec.start().orElseThrow()));
    }

    /** Runs a stage; with {@code -Dverdict.trace=true} prints its wall time on standard error (any engine). */
    private static <T> T timed(String stage, java.util.function.Supplier<T> work) {
        if (!Boolean.getBoolean("verdict.trace")) {
            return work.get();
        }
        long t0 = System.nanoTime();
        T out = work.get();
        System.err.printf(java.util.Locale.ROOT, "verdict: trace: stage %s %.3f s%n", stage, (System.nanoTime() - t0) / 1e9);
        return out;
    }
}

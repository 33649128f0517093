package dev.verdict.design;

import dev.verdict.reduce.LogSchema;
import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.ReductionPlan;
import dev.verdict.spec.CanonicalColumns;
import dev.verdict.spec.ExperimentSpec;
import dev.verdict.spec.QuasiDesign;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every quasi-experimental design analysis holds: the spec and its design block, the log's columns checked
 * against the schema, the estimated metrics ({@link QuasiSupport#metrics}), the notes, and the one request-level
 * reduction that feeds the data-quality check.
 *
 * @param <B> the design block's type
 */
abstract class QuasiDesignAnalysis<B extends QuasiDesign> implements DesignAnalysis {
    protected final ExperimentSpec spec;
    protected final B block;
    protected final LogSource source;
    protected final MetricColumns columns;
    protected final String arm;
    protected final List<String> notes = new ArrayList<>();
    protected final List<MetricPlan> metrics;
    private final ReductionPlan plan;

    QuasiDesignAnalysis(ExperimentSpec spec, LogSource source, LogSchema schema, Class<B> type) {
        this.spec = spec;
        this.source = source;
        this.block = type.cast(spec.quasi().orElseThrow());
        this.columns = new MetricColumns(spec, schema);
        this.arm = columns.require(CanonicalColumns.ARM, "columns.arm");
        this.metrics = QuasiSupport.metrics(spec, columns, notes);
        this.plan = QuasiSupport.plan(spec, source, arm, metrics);
    }

    @Override
    public final ReductionPlan plan() {
        return plan;
    }

    @Override
    public final Map<String, String> textColumnsToCheck() {
        return columns.textColumnsToCheck();
    }
}

package dev.verdict.design;

import dev.verdict.InputException;
import dev.verdict.reduce.Engine;
import dev.verdict.reduce.LogSchema;
import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.Reduction;
import dev.verdict.reduce.ReductionPlan;
import dev.verdict.spec.ExperimentSpec;

import java.util.Map;

/**
 * One design's analysis of one spec: the reduction plan it needs (one pushed-down aggregation at its unit of
 * analysis), and the estimates and checks it computes from the engine's sufficient statistics. Designs are
 * the seam later designs (cluster RCT, switchback, quasi-experiments) plug into.
 */
public interface DesignAnalysis {

    /** The reductions this analysis needs from the engine. */
    ReductionPlan plan();

    /**
     * Columns that must be numeric but that the engine's schema reads as text, each with the spec key naming
     * it; the pipeline asks the engine for a first non-numeric value before scanning.
     */
    Map<String, String> textColumnsToCheck();

    /** Estimates and checks from the reduction; {@code engine} answers any second, cheap aggregation needed. */
    Analysis analyze(Reduction reduction, Engine engine);

    /**
     * Prepares the analysis of {@code spec} for a log with the given schema, failing with an input error naming
     * the spec key and column when the log cannot serve it.
     */
    static DesignAnalysis prepare(ExperimentSpec spec, LogSource source, LogSchema schema) {
        if (spec.design() == ExperimentSpec.Design.CLUSTER_RCT && spec.saturation().isPresent()) {
            return new SaturationDesignAnalysis(spec, source, schema);
        }
        return switch (spec.design()) {
            case REQUEST_RCT, USER_RCT, CLUSTER_RCT, SWITCHBACK -> new RandomizedDesign(spec, source, schema);
            case RDD -> new RddDesign(spec, source, schema);
            case DID -> new DidDesign(spec, source, schema);
            case SYNTHETIC_CONTROL -> new SyntheticControlDesign(spec, source, schema);
            case PROPENSITY -> new PropensityDesign(spec, source, schema);
            default -> throw InputException.spec("spec key 'design': '" + spec.design().name().toLowerCase(
                    java.util.Locale.ROOT) + "' is recognised but not analyzed by this version; use request_rct, user_rct, cluster_rct or switchback");
        };
    }
}

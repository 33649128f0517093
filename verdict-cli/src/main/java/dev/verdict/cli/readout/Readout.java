package dev.verdict.cli.readout;

import dev.verdict.check.CheckResult;
import dev.verdict.decide.Decision;
import dev.verdict.design.Analysis;
import dev.verdict.spec.ExperimentSpec;

import java.util.List;

/**
 * Everything a readout shows, in one immutable value: the spec as declared, the analysis, the decision and where
 * the numbers came from. Renderers (JSON, Markdown, terminal summary) are plain functions of it.
 *
 * @param spec       the validated spec
 * @param analysis   effects, segments, checks and notes
 * @param decision   the recommendation with its rule, trail, contingency and what would change it
 * @param provenance tool, engine, data fingerprints and seed
 */
public record Readout(ExperimentSpec spec, Analysis analysis, Decision decision, Provenance provenance) {

    /** The checks, in readout order. */
    public List<CheckResult> checks() {
        return analysis.checks();
    }

    /** The ideal experiment and the gaps. */
    public Analysis.IdealExperiment ideal() {
        return analysis.ideal();
    }
}

package dev.verdict.design;

import dev.verdict.InputException;
import dev.verdict.check.CheckCategory;
import dev.verdict.check.CheckResult;
import dev.verdict.check.CheckStatus;
import dev.verdict.check.DataQualityCheck;
import dev.verdict.check.EconomicCheck;
import dev.verdict.check.GuardrailCheck;
import dev.verdict.readout.Effect;
import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.Reduction;
import dev.verdict.reduce.ReductionPlan;
import dev.verdict.reduce.VariableGroup;
import dev.verdict.spec.ExperimentSpec;
import dev.verdict.spec.MetricKind;
import dev.verdict.spec.MetricSpec;
import dev.verdict.stats.Estimate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the quasi-experimental designs share: which metrics they estimate (means and proportions of a column, and for
 * the panel designs quantiles per cell; the decision metric must be one), the request-level reduction that feeds the data-quality check, the guardrail and
 * economic checks on the design's own effects, and the rule that a failed identification check leaves the effects
 * descriptive (the method says so, a note explains, and the stop gate pauses the decision).
 */
final class QuasiSupport {
    /** Most rows the row-reading designs (RD, propensity) take into memory. */
    static final int ROW_LIMIT = 20_000_000;

    private QuasiSupport() {
    }

    /**
     * The decision metric then each guardrail of a kind the design estimates: mean or proportion, and for the panel
     * designs ({@code did}, {@code synthetic_control}) also a quantile (p50 to p99, as the quantile per cell); other
     * guardrails are noted and skipped. Propensity weighting and RD estimate on request rows, where a quantile would
     * need estimators of their own.
     */
    static List<MetricPlan> metrics(ExperimentSpec spec, MetricColumns columns, List<String> notes) {
        String design = spec.design().name().toLowerCase(Locale.ROOT);
        boolean panel = panel(spec);
        MetricSpec s = spec.success();
        if (!estimated(s.kind(), panel)) {
            throw InputException.spec("spec key 'success.kind': '" + s.kind().wireName() + "' is not estimated by design "
                    + design + " in this version; " + (panel ? "use kind mean, proportion, p50, p90, p95 or p99 (the "
                    + "per-period mean or quantile of each unit)" : "use kind mean or proportion (e.g. the per-"
                    + "period mean for a panel)"));
        }
        List<MetricPlan> out = new ArrayList<>();
        out.add(MetricPlan.of(s, Effect.ROLE_SUCCESS, "success", "success",
                columns.requireNumeric(s.metric(), "success.metric"), Optional.empty(), Optional.empty()));
        for (int i = 0; i < spec.guardrails().size(); i++) {
            MetricSpec g = spec.guardrails().get(i).metric();
            if (!estimated(g.kind(), panel)) {
                notes.add("guardrails[" + i + "] (" + g.label() + ", kind " + g.kind().wireName() + "): not estimated by "
                        + design + " in this version (" + (panel ? "means, proportions and quantiles" : "means and "
                        + "proportions") + " only); its check is not evaluated");
                continue;
            }
            out.add(MetricPlan.of(g, Effect.ROLE_GUARDRAIL, "guardrails[" + i + "].metric", "guardrail_" + i,
                    columns.requireNumeric(g.metric(), "guardrails[" + i + "].metric"), Optional.empty(),
                    Optional.empty()));
        }
        return out;
    }

    /** Whether the design reduces the log to a unit x period panel ({@code did}, {@code synthetic_control}). */
    static boolean panel(ExperimentSpec spec) {
        return spec.design() == ExperimentSpec.Design.DID || spec.design() == ExperimentSpec.Design.SYNTHETIC_CONTROL;
    }

    private static boolean estimated(MetricKind kind, boolean panel) {
        return kind == MetricKind.MEAN || kind == MetricKind.PROPORTION || panel && kind.isQuantile();
    }

    /** What a panel cell holds for a metric, for notes: {@code mean} or the quantile's kind ({@code p99}). */
    static String cellOutcome(MetricPlan m) {
        return m.quantile() ? m.metric().kind().wireName() : "mean";
    }

    /**
     * For a quantile metric of a panel design, the note that says what its outcome is: the per-cell p-quantile, cells
     * weighted equally; empty for other kinds.
     */
    static Optional<String> quantileOutcomeNote(String design, MetricPlan m, String unit, String period) {
        if (!m.quantile()) {
            return Optional.empty();
        }
        String k = m.metric().kind().wireName();
        return Optional.of(String.format(Locale.ROOT, "%s: %s (kind %s) is the per-cell %.2f-quantile: each %s and "
                + "%s's %s over its requests (type 7, linear interpolation between order statistics), cells weighted "
                + "equally; the effect is the change in that cell-level %s, not the %s of the pooled requests", design,
                m.label(), k, m.metric().kind().probability(), unit, period, k, k, k));
    }

    /** One request-level pass: rows and moments per arm label, for the data-quality check. */
    static ReductionPlan plan(ExperimentSpec spec, LogSource source, String armColumn, List<MetricPlan> metrics) {
        LinkedHashSet<VariableGroup> groups = new LinkedHashSet<>();
        metrics.forEach(m -> groups.add(m.group()));
        return new ReductionPlan(source, armColumn, List.of(spec.arms().control(), spec.arms().treatment()),
                Optional.empty(), List.copyOf(groups), List.of(), List.of(), ReductionPlan.Fidelity.NONE, Optional.empty());
    }

    static CheckResult dataQuality(ExperimentSpec spec, Reduction r, MetricPlan success) {
        long rows = r.arm(spec.arms().control()).rows() + r.arm(spec.arms().treatment()).rows();
        long complete = r.arm(spec.arms().control()).moments().get(success.group().name()).count()
                + r.arm(spec.arms().treatment()).moments().get(success.group().name()).count();
        return DataQualityCheck.of(r.armLabelCounts(), spec.arms(), rows, complete, spec.dataQuality());
    }

    /** The guardrail checks in spec order (on the design's own effects), then the economic check. */
    static List<CheckResult> guardrailsAndEconomics(ExperimentSpec spec, List<Effect> effects) {
        List<CheckResult> out = new ArrayList<>();
        for (int i = 0; i < spec.guardrails().size(); i++) {
            String label = spec.guardrails().get(i).metric().label();
            Optional<Effect> e = effects.stream().filter(x -> x.role().equals(Effect.ROLE_GUARDRAIL)
                    && x.metric().equals(label) && x.segment().isEmpty()).findFirst();
            out.add(GuardrailCheck.of(spec.guardrails().get(i), e, spec.alpha()));
        }
        out.add(EconomicCheck.of(spec.economics(), Optional.empty()));
        return out;
    }

    /** An effect from a design's estimate, with the two sides' values. */
    static Effect effect(MetricPlan m, double control, double treatment, Estimate e, long nControl, long nTreatment) {
        return new Effect(m.label(), m.metric().kind().wireName(), m.role(), Optional.empty(), control, treatment,
                e.estimate(), e.se(), e.df(), e.ciLow(), e.ciHigh(), e.pValue(),
                control == 0 || Double.isNaN(control) ? Double.NaN : e.estimate() / Math.abs(control), nControl,
                nTreatment, e.method());
    }

    /**
     * When an identification check failed, the effects are descriptive: each method gains {@code _descriptive}, and a
     * note names the failed checks (the stop gate pauses the decision on them).
     */
    static List<Effect> descriptiveIfUnidentified(List<Effect> effects, List<CheckResult> checks, List<String> notes) {
        List<String> failed = checks.stream().filter(c -> c.category() == CheckCategory.IDENTIFICATION
                && c.status() == CheckStatus.FAIL).map(CheckResult::name).toList();
        if (failed.isEmpty()) {
            return effects;
        }
        notes.add("descriptive only: " + String.join(", ", failed) + " failed, so no effect here is a causal estimate;"
                + " the numbers describe the data and the decision pauses on the failed check");
        List<Effect> out = new ArrayList<>();
        for (Effect e : effects) {
            out.add(new Effect(e.metric(), e.kind(), e.role(), e.segment(), e.control(), e.treatment(), e.estimate(),
                    e.se(), e.df(), e.ciLow(), e.ciHigh(), e.pValue(), e.relative(), e.nControl(), e.nTreatment(),
                    e.method() + "_descriptive"));
        }
        return out;
    }

    /** A check result built in one expression. */
    static CheckResult check(String name, CheckStatus status, String summary, CheckResult.Evidence evidence) {
        return new CheckResult(name, CheckCategory.IDENTIFICATION, status, summary, evidence.map());
    }

    /** A list of doubles for the readout's details (JSON arrays). */
    static List<Double> list(double[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (double x : v) {
            out.add(x);
        }
        return out;
    }
}

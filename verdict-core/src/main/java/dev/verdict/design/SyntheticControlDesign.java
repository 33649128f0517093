package dev.verdict.design;

import dev.verdict.InputException;
import dev.verdict.check.CheckResult;
import dev.verdict.check.CheckStatus;
import dev.verdict.quasi.synth.Panel;
import dev.verdict.quasi.synth.SynthDid;
import dev.verdict.quasi.synth.SyntheticControl;
import dev.verdict.quasi.synth.SyntheticControlResult;
import dev.verdict.readout.Effect;
import dev.verdict.reduce.Engine;
import dev.verdict.reduce.LogSchema;
import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.Reduction;
import dev.verdict.spec.CanonicalColumns;
import dev.verdict.spec.ExperimentSpec;
import dev.verdict.spec.QuasiDesign;
import dev.verdict.stats.Estimate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code design: synthetic_control}: the treated unit (or a block of units adopting in the same period) against a
 * weighted combination of never-treated donors on the unit x period panel of the log ({@link PanelCells}). Synthetic
 * difference-in-differences by default ({@link SyntheticControl}); its placebo standard error gives the interval.
 * Identification checks: {@value #FIT} (the weighted donors track the treated unit before adoption) and
 * {@value #PLACEBO} (placebo-in-space permutation test with the smallest attainable p stated; it warns when no effect
 * could be significant with this many donors, or when the interval and the permutation test disagree).
 */
final class SyntheticControlDesign extends QuasiDesignAnalysis<QuasiDesign.SyntheticControl> {
    static final String FIT = "synthetic_fit";
    static final String PLACEBO = "placebo_inference";

    private final QuasiDesign.SyntheticControl sc;
    private final String unit;
    private final String time;

    SyntheticControlDesign(ExperimentSpec spec, LogSource source, LogSchema schema) {
        super(spec, source, schema, QuasiDesign.SyntheticControl.class);
        this.sc = block;
        this.unit = columns.require(spec.unit(), "unit");
        this.time = columns.require(CanonicalColumns.TS, "columns.ts");
    }

    /** The balanced panel of one outcome, with its treated units and first treated period. */
    private record Built(Panel panel, List<String> treated, String first, int droppedPeriods, int mixed) { }

    private Built build(PanelCells.Cells cells, MetricPlan m) {
        TreeMap<Long, Instant> periods = new TreeMap<>();
        Map<String, Map<Long, PanelCells.Cell>> byUnit = new TreeMap<>();
        TreeSet<String> treated = new TreeSet<>();
        for (PanelCells.Cell c : cells.cells()) {
            periods.put(c.period(), c.start());
            byUnit.computeIfAbsent(c.unit(), k -> new TreeMap<>()).put(c.period(), c);
            if (c.treated()) {
                treated.add(c.unit());
            }
        }
        if (treated.isEmpty()) {
            throw InputException.data("column '" + arm + "' (spec key 'columns.arm'): no " + unit + " ran '"
                    + spec.arms().treatment() + "' in any period; synthetic control needs a treated unit");
        }
        // periods every unit has a single-arm cell in
        List<Long> kept = new ArrayList<>();
        for (long p : periods.keySet()) {
            if (byUnit.values().stream().allMatch(u -> u.containsKey(p))) {
                kept.add(p);
            }
        }
        Long first = null;
        for (String t : treated) {
            Long f = null;
            for (long p : kept) {
                if (byUnit.get(t).get(p).treated()) {
                    f = f == null ? p : f;
                } else if (f != null) {
                    throw InputException.data("column '" + arm + "' (spec key 'columns.arm'): " + unit + " '" + t
                            + "' went back to '" + spec.arms().control() + "' after adopting; synthetic control needs "
                            + "treatment to stay on");
                }
            }
            if (first != null && f != null && !f.equals(first)) {
                throw InputException.data("column '" + arm + "' (spec key 'columns.arm'): treated " + unit + " values "
                        + "adopt in different periods (staggered adoption); use design: did, whose Callaway-Sant'Anna "
                        + "estimator handles it");
            }
            first = first == null ? f : first;
        }
        if (first == null) {
            throw InputException.data("no period in which every " + unit + " has rows of a single arm holds the "
                    + "treated units' treatment; check the panel's periods (synthetic_control.period)");
        }
        List<String> units = new ArrayList<>(byUnit.keySet());
        List<String> labels = new ArrayList<>();
        double[][] y = new double[units.size()][kept.size()];
        for (int t = 0; t < kept.size(); t++) {
            labels.add(periods.get(kept.get(t)).toString());
            for (int u = 0; u < units.size(); u++) {
                y[u][t] = byUnit.get(units.get(u)).get(kept.get(t)).value();
            }
        }
        try {
            return new Built(Panel.of(units, labels, y), List.copyOf(treated), periods.get(first).toString(),
                    periods.size() - kept.size(), cells.mixed());
        } catch (IllegalArgumentException e) {
            throw InputException.data("column '" + m.column() + "' (spec key '" + m.key() + "') on the " + unit + " x "
                    + period() + " panel: " + e.getMessage());
        }
    }

    private String period() {
        return sc.period().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public Analysis analyze(Reduction r, Engine engine) {
        SynthDid.Method method = switch (sc.method()) {
            case SYNTHDID -> SynthDid.Method.SYNTHDID;
            case SC -> SynthDid.Method.SYNTHETIC_CONTROL;
            case DID -> SynthDid.Method.DID;
        };
        SyntheticControl estimator = SyntheticControl.withDefaults().withMethod(method).withAlpha(spec.alpha())
                .withSeed((int) (spec.seed() ^ (spec.seed() >>> 32))).withExclusionMultiple(sc.prefitRatio());
        List<Effect> effects = new ArrayList<>();
        SyntheticControlResult head = null;
        Built headPanel = null;
        for (MetricPlan m : metrics) {
            Built b = build(PanelCells.of(engine, spec, source, arm, unit, time, sc.period(), m), m);
            SyntheticControlResult res;
            try {
                res = estimator.analyze(b.panel(), b.treated(), b.first());
            } catch (IllegalArgumentException e) {
                throw InputException.data("column '" + m.column() + "' (spec key '" + m.key() + "') on the " + unit
                        + " x " + period() + " panel: " + e.getMessage());
            }
            List<Double> treatedPath = res.paths().treated();
            List<Double> synthetic = res.paths().synthetic();
            double tm = 0;
            double cm = 0;
            int post = 0;
            for (int t = res.preperiods(); t < treatedPath.size(); t++) {
                tm += treatedPath.get(t);
                cm += synthetic.get(t);
                post++;
            }
            Estimate e = res.effect();
            String name = switch (sc.method()) {
                case SYNTHDID -> "synthdid_placebo_se";
                case SC -> "synthetic_control_placebo_se";
                case DID -> "did_placebo_se";
            };
            effects.add(QuasiSupport.effect(m, cm / post, tm / post, new Estimate(e.estimate(), e.se(), e.df(),
                    e.ciLow(), e.ciHigh(), e.pValue(), name), res.placebo().donors(), b.treated().size()));
            if (m.role().equals(Effect.ROLE_SUCCESS)) {
                head = res;
                headPanel = b;
                notes.add("synthetic_control: " + m.label() + " as the " + QuasiSupport.cellOutcome(m) + " per "
                        + unit + " and " + period() + ": "
                        + b.treated().size() + " treated (" + String.join(", ", b.treated()) + ") from "
                        + b.first() + ", " + res.placebo().donors() + " donors, " + res.preperiods() + " pre- and "
                        + res.postperiods() + " post-periods" + (b.droppedPeriods() > 0 ? "; " + b.droppedPeriods()
                        + " periods left out where some unit had no single-arm cell" : "")
                        + (b.mixed() > 0 ? " (" + b.mixed() + " cells carried both arms)" : ""));
            }
            QuasiSupport.quantileOutcomeNote("synthetic_control", m, unit, period()).ifPresent(notes::add);
        }
        List<CheckResult> checks = new ArrayList<>();
        checks.add(QuasiSupport.dataQuality(spec, r, metrics.get(0)));
        checks.add(fit(head));
        checks.add(placebo(head, effects.get(0)));
        checks.addAll(QuasiSupport.guardrailsAndEconomics(spec, effects));
        effects = QuasiSupport.descriptiveIfUnidentified(effects, checks, notes);
        Analysis.IdealExperiment ideal = new Analysis.IdealExperiment("Every request randomly routed between '"
                + spec.arms().control() + "' and '" + spec.arms().treatment() + "' over the same period, with no "
                + "interference between arms and every outcome logged.", List.of("treatment was not randomized: the "
                + "treated " + unit + "'s counterfactual is a weighted combination of donors that tracked it before "
                + "adoption", "concurrent changes that hit only the treated " + unit
                + " (incidents, other launches) are indistinguishable from the effect"));
        return new Analysis("synthetic_control", unit, effects, List.of(), checks, notes, ideal,
                details(head, headPanel));
    }

    private CheckResult fit(SyntheticControlResult res) {
        SyntheticControlResult.PreFitCheck f = res.preFit();
        CheckResult.Evidence ev = CheckResult.evidenceBuilder().put("pre_rmspe", f.preRmspe())
                .put("treated_pre_sd", f.treatedPreSd()).put("ratio", f.ratio()).put("threshold", f.threshold())
                .put("noise_level", f.noiseLevel()).put("rule", f.rule());
        String summary = String.format(Locale.ROOT, "Before adoption the synthetic %s %s (RMSPE %.4g, %.2f of the "
                + "treated unit's own sd; at most %.2f passes).", unit, f.passed() ? "tracks the treated one"
                : "does not track the treated one, so its path after adoption is no counterfactual", f.preRmspe(),
                f.ratio(), f.threshold());
        return QuasiSupport.check(FIT, f.passed() ? CheckStatus.PASS : CheckStatus.FAIL, summary, ev);
    }

    private CheckResult placebo(SyntheticControlResult res, Effect success) {
        SyntheticControlResult.PlaceboTest p = res.placebo();
        CheckResult.Evidence ev = CheckResult.evidenceBuilder().put("p_value", p.pValue()).put("rank", p.rank())
                .put("placebos_kept", p.kept()).put("donors", p.donors())
                .put("smallest_attainable_p", p.smallestPValue())
                .put("smallest_attainable_p_all_donors", p.smallestPValueAllDonors())
                .put("treated_ratio", p.treatedRatio()).put("exclusion_mspe_multiple", p.exclusionMultiple())
                .put("rule", p.rule());
        boolean intervalSignificant = success.ciLow() > 0 || success.ciHigh() < 0;
        String base = String.format(Locale.ROOT, "Placebo-in-space: the treated post/pre RMSPE ratio ranks %d of %d "
                + "(p = %.3g; with %d kept placebos the smallest attainable p is %.3g)", p.rank(), p.kept() + 1,
                p.pValue(), p.kept(), p.smallestPValue());
        if (!p.significanceReachable()) {
            return QuasiSupport.check(PLACEBO, CheckStatus.WARN, base + ": no effect could be significant at "
                    + spec.alpha() + " with this many donors; add donors or read the effect as descriptive.", ev);
        }
        if (intervalSignificant != p.significant()) {
            return QuasiSupport.check(PLACEBO, CheckStatus.WARN, base + ": the placebo-SE interval and the permutation "
                    + "test disagree on significance, so neither is taken alone.", ev);
        }
        return QuasiSupport.check(PLACEBO, CheckStatus.PASS, base + ".", ev);
    }

    private Map<String, Object> details(SyntheticControlResult res, Built b) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("unit", unit);
        d.put("period", period());
        d.put("method", sc.method().name().toLowerCase(Locale.ROOT));
        d.put("treated", b.treated());
        d.put("first_treated_period", b.first());
        d.put("pre_rmspe", res.preRmspe());
        d.put("post_rmspe", res.postRmspe());
        Map<String, Object> w = new LinkedHashMap<>();
        res.donorWeights().forEach(x -> w.put(x.unit(), x.weight()));
        d.put("donor_weights", w);
        Map<String, Object> lw = new LinkedHashMap<>();
        res.timeWeights().forEach(x -> lw.put(x.period(), x.weight()));
        d.put("time_weights", lw);
        Map<String, Object> paths = new LinkedHashMap<>();
        paths.put("periods", res.paths().periods());
        paths.put("treated", res.paths().treated());
        paths.put("synthetic", res.paths().synthetic());
        paths.put("gap", res.paths().gap());
        d.put("paths", paths);
        Map<String, Object> placebos = new LinkedHashMap<>();
        for (SyntheticControlResult.Placebo p : res.placebo().keptPlacebos()) {
            placebos.put(p.unit(), p.gap());
        }
        d.put("placebo_gaps", placebos);
        return d;
    }
}

package dev.verdict.design;

import dev.verdict.InputException;
import dev.verdict.check.CheckResult;
import dev.verdict.check.CheckStatus;
import dev.verdict.quasi.did.DidAnalysis;
import dev.verdict.quasi.did.DidOptions;
import dev.verdict.quasi.did.DidResult;
import dev.verdict.quasi.did.EventTimeEffect;
import dev.verdict.quasi.did.Panel;
import dev.verdict.quasi.did.PlaceboInSpace;
import dev.verdict.quasi.did.PreTrendTest;
import dev.verdict.quasi.did.TrendPoint;
import dev.verdict.readout.Effect;
import dev.verdict.reduce.Engine;
import dev.verdict.reduce.LogSchema;
import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.Reduction;
import dev.verdict.spec.CanonicalColumns;
import dev.verdict.spec.ExperimentSpec;
import dev.verdict.spec.QuasiDesign;
import dev.verdict.stats.Estimate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code design: did}: difference-in-differences on the unit x period panel of the log ({@link PanelCells}), cells
 * weighted equally. The headline is two-way fixed effects with CR2 standard errors clustered by unit for a single
 * adoption period, and the Callaway-Sant'Anna overall ATT under staggered adoption ({@code did.estimator: auto});
 * the identification check {@value #PRE_TRENDS} is the joint test of the event study's leads (Callaway-Sant'Anna's
 * pre-period effects under staggered adoption). It fails when pre-trends diverge, warns when they cannot be tested,
 * and in both cases the effects are reported as descriptive. With a single treated unit clustered standard errors
 * are meaningless, so none are reported: the p-value, interval and pre-trend test come from placebo in space
 * ({@link PlaceboInSpace}) and the check {@value #TREATED_UNITS} says so.
 */
final class DidDesign extends QuasiDesignAnalysis<QuasiDesign.Did> {
    static final String PRE_TRENDS = "pre_trends";
    static final String TREATED_UNITS = "treated_units";

    private final QuasiDesign.Did did;
    private final String unit;
    private final String time;

    DidDesign(ExperimentSpec spec, LogSource source, LogSchema schema) {
        super(spec, source, schema, QuasiDesign.Did.class);
        this.did = block;
        this.unit = columns.require(spec.unit(), "unit");
        this.time = columns.require(CanonicalColumns.TS, "columns.ts");
    }

    @Override
    public Analysis analyze(Reduction r, Engine engine) {
        DidOptions options = DidOptions.withDefaults().withAlpha(spec.alpha()).withPreTrendAlpha(spec.alpha())
                .withControlGroup(did.controlGroup() == QuasiDesign.ControlGroup.NOT_YET_TREATED
                        ? DidOptions.ControlGroup.NOT_YET_TREATED : DidOptions.ControlGroup.NEVER_TREATED);
        String period = did.period().name().toLowerCase(Locale.ROOT);
        List<Effect> effects = new ArrayList<>();
        DidResult head = null;
        PanelCells.Cells headCells = null;
        for (MetricPlan m : metrics) {
            PanelCells.Cells cells = PanelCells.of(engine, spec, source, arm, unit, time, did.period(), m);
            int n = cells.cells().size();
            String[] units = new String[n];
            long[] periods = new long[n];
            double[] y = new double[n];
            boolean[] treated = new boolean[n];
            for (int i = 0; i < n; i++) {
                PanelCells.Cell c = cells.cells().get(i);
                units[i] = c.unit();
                periods[i] = c.period();
                y[i] = c.value();
                treated[i] = c.treated();
            }
            DidResult res;
            try {
                res = DidAnalysis.analyze(Panel.withIndicator(units, periods, y, treated, null), options);
            } catch (IllegalArgumentException e) {
                throw InputException.data("column '" + m.column() + "' (spec key '" + m.key() + "') on the " + unit
                        + " x " + period + " panel: " + e.getMessage());
            }
            boolean cs = switch (did.estimator()) {
                case AUTO -> res.headlineMethod().startsWith("Callaway");
                case TWFE -> false;
                case CALLAWAY_SANTANNA -> true;
            };
            Estimate est = cs ? withMethod(res.callawaySantAnna().overall(), "did_callaway_santanna_overall_att")
                    : res.placebo() != null ? withMethod(res.placebo().effect(), "did_twfe_placebo_in_space")
                    : withMethod(res.twfe().effect(), "did_twfe_cr2_by_" + unit);
            Set<String> treatedUnits = new LinkedHashSet<>();
            Set<String> allUnits = new LinkedHashSet<>();
            double[] sides = new double[4]; // treated post mean, control mean over the same periods
            for (PanelCells.Cell c : cells.cells()) {
                allUnits.add(c.unit());
                if (c.treated()) {
                    treatedUnits.add(c.unit());
                }
            }
            for (TrendPoint t : res.trends()) {
                if (t.treatedShare() > 0 && !Double.isNaN(t.treatedMean())) {
                    sides[0] += t.treatedMean();
                    sides[1] += t.controlMean();
                    sides[2]++;
                }
            }
            double tMean = sides[2] == 0 ? Double.NaN : sides[0] / sides[2];
            double cMean = sides[2] == 0 ? Double.NaN : sides[1] / sides[2];
            effects.add(QuasiSupport.effect(m, cMean, tMean, est, allUnits.size() - treatedUnits.size(),
                    treatedUnits.size()));
            if (m.role().equals(Effect.ROLE_SUCCESS)) {
                head = res;
                headCells = cells;
                notes.add("did: " + m.label() + " as the " + QuasiSupport.cellOutcome(m) + " per " + unit + " and "
                        + period + " (" + n + (n == 1 ? " cell, " : " cells, ")
                        + allUnits.size() + " units of which " + treatedUnits.size() + " treated; cells weighted "
                        + "equally)" + (cells.mixed() > 0 ? "; " + cells.mixed() + (cells.mixed() == 1 ? " cell whose requests carried both "
                        : " cells whose requests carried both ")
                        + "arms (the switch happened within the " + period + ") left out" : "") + "; estimator: "
                        + res.headlineMethod());
                res.notes().forEach(x -> notes.add("did: " + x));
                if (res.twoByTwo() != null) {
                    notes.add("did: " + explanation(res));
                }
            }
            QuasiSupport.quantileOutcomeNote("did", m, unit, period).ifPresent(notes::add);
        }
        List<CheckResult> checks = new ArrayList<>();
        checks.add(QuasiSupport.dataQuality(spec, r, metrics.get(0)));
        checks.add(preTrends(head));
        checks.add(treatedUnits(head, effects.get(0)));
        checks.addAll(QuasiSupport.guardrailsAndEconomics(spec, effects));
        if (head.claim() == DidResult.Claim.DESCRIPTIVE && checks.stream().noneMatch(c -> c.name().equals(PRE_TRENDS)
                && c.status() == CheckStatus.FAIL)) {
            notes.add("descriptive only: " + head.claimReason());
            effects = effects.stream().map(e -> new Effect(e.metric(), e.kind(), e.role(), e.segment(), e.control(),
                    e.treatment(), e.estimate(), e.se(), e.df(), e.ciLow(), e.ciHigh(), e.pValue(), e.relative(),
                    e.nControl(), e.nTreatment(), e.method() + "_descriptive")).toList();
        } else {
            effects = QuasiSupport.descriptiveIfUnidentified(effects, checks, notes);
        }
        Analysis.IdealExperiment ideal = new Analysis.IdealExperiment("Every request randomly routed between '"
                + spec.arms().control() + "' and '" + spec.arms().treatment() + "' over the same period, with no "
                + "interference between arms and every outcome logged.", List.of("treatment was not randomized: "
                + "the comparison rests on parallel trends of treated and comparison " + unit + " values, which the "
                + PRE_TRENDS + " check tests on the periods before adoption", "concurrent changes that hit only the "
                + "treated units (incidents, other launches) are indistinguishable from the effect"));
        return new Analysis("did", unit, effects, List.of(), checks, notes, ideal, details(head, headCells));
    }

    private static Estimate withMethod(Estimate e, String method) {
        return new Estimate(e.estimate(), e.se(), e.df(), e.ciLow(), e.ciHigh(), e.pValue(), method);
    }

    private CheckResult preTrends(DidResult res) {
        PreTrendTest p = res.preTrend();
        CheckStatus status = switch (p.status()) {
            case PASS -> CheckStatus.PASS;
            case FAIL -> CheckStatus.FAIL;
            default -> CheckStatus.WARN;
        };
        CheckResult.Evidence ev = CheckResult.evidenceBuilder().put("status", p.status().name().toLowerCase(Locale.ROOT))
                .put("event_times", p.eventTimes()).put("statistic", p.statistic()).put("df1", p.df1())
                .put("df2", p.df2()).put("p_value", p.pValue()).put("alpha", p.alpha()).put("method", p.method())
                .put("claim", res.claim().name().toLowerCase(Locale.ROOT));
        String summary = switch (p.status()) {
            case PASS -> "Parallel pre-trends not rejected: " + p.reason();
            case FAIL -> "Pre-trends diverge, so the difference is not a causal effect: " + p.reason();
            default -> "Pre-trends could not be tested: " + p.reason();
        };
        return QuasiSupport.check(PRE_TRENDS, status, summary, ev);
    }

    private CheckResult treatedUnits(DidResult res, Effect success) {
        int treated = (int) success.nTreatment();
        int control = (int) success.nControl();
        CheckResult.Evidence ev = CheckResult.evidenceBuilder().put("treated_units", treated)
                .put("comparison_units", control).put("se_reported", !Double.isNaN(success.se()));
        MetricPlan m = metrics.get(0);
        String k = m.metric().kind().wireName();
        String quantile = !m.quantile() ? "" : " Nor can the requests within each cell supply one for a quantile "
                + "outcome: that would need the sampling variance of each cell's " + k + ", which depends on the "
                + "outcome's density at the quantile, and the panel's cells hold one " + k + " and a count each.";
        String oneTreated = "Only one treated " + unit + ": a standard error clustered by unit is meaningless even "
                + "when the arithmetic gives one, so none is reported";
        if (treated == 1 && res.placebo() != null) {
            PlaceboInSpace pl = res.placebo();
            ev.put("inference", "placebo_in_space").put("smallest_attainable_p", pl.smallestP());
            boolean finite = Double.isFinite(success.ciLow()) && Double.isFinite(success.ciHigh());
            return QuasiSupport.check(TREATED_UNITS, CheckStatus.WARN, oneTreated + "; the p-value and interval come "
                    + "from placebo in space instead (each of the " + control + " comparison units relabelled as "
                    + "treated; smallest attainable p 1/" + (control + 1) + " = "
                    + String.format(Locale.ROOT, "%.3f", pl.smallestP()) + (finite ? ")." : "; with fewer than "
                    + PlaceboInSpace.comparisonsForFiniteInterval(spec.alpha()) + " comparison units the interval "
                    + "has no finite end)."), ev);
        }
        if (treated == 1) {
            return QuasiSupport.check(TREATED_UNITS, CheckStatus.WARN, oneTreated + ", and with a single comparison "
                    + "unit there is no placebo to compare with; use more comparison units or design: "
                    + "synthetic_control." + quantile, ev);
        }
        if (Double.isNaN(success.se())) {
            String why = res.twfe().seUnavailableReason() != null ? res.twfe().seUnavailableReason()
                    : "the panel does not identify a standard error";
            return QuasiSupport.check(TREATED_UNITS, CheckStatus.WARN, "No standard error: " + why + "." + quantile, ev);
        }
        return QuasiSupport.check(TREATED_UNITS, CheckStatus.PASS, treated + " treated and " + control
                + " comparison units: standard errors clustered by " + unit + ".", ev);
    }

    /** The 2x2 explanation with its adoption period named by its start (UTC) instead of the period's index. */
    private String explanation(DidResult res) {
        long length = PanelCells.seconds(did.period());
        long origin = did.period() == QuasiDesign.Period.WEEK ? PanelCells.MONDAY : 0;
        long adoption = res.twoByTwo().adoptionPeriod();
        String start = java.time.Instant.ofEpochSecond(origin + adoption * length).toString();
        return res.twoByTwo().explanation("the " + did.period().name().toLowerCase(java.util.Locale.ROOT)
                + " starting " + start);
    }

    private Map<String, Object> details(DidResult res, PanelCells.Cells cells) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("unit", unit);
        d.put("period", did.period().name().toLowerCase(Locale.ROOT));
        d.put("estimator", res.headlineMethod());
        d.put("claim", res.claim().name().toLowerCase(Locale.ROOT));
        d.put("cells", cells.cells().size());
        d.put("mixed_cells_left_out", cells.mixed());
        if (res.twoByTwo() != null) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("treated_before", res.twoByTwo().treatedBefore());
            t.put("treated_after", res.twoByTwo().treatedAfter());
            t.put("control_before", res.twoByTwo().controlBefore());
            t.put("control_after", res.twoByTwo().controlAfter());
            t.put("estimate", res.twoByTwo().effect().estimate());
            t.put("explanation", explanation(res));
            d.put("two_by_two", t);
        }
        List<Map<String, Object>> trends = new ArrayList<>();
        long length = PanelCells.seconds(did.period());
        long origin = did.period() == QuasiDesign.Period.WEEK ? PanelCells.MONDAY : 0;
        for (TrendPoint t : res.trends()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("period_start", java.time.Instant.ofEpochSecond(origin + t.period() * length).toString());
            m.put("treated_mean", t.treatedMean());
            m.put("comparison_mean", t.controlMean());
            m.put("treated_share", t.treatedShare());
            trends.add(m);
        }
        d.put("trends", trends);
        List<EventTimeEffect> es = res.eventStudy() != null ? res.eventStudy().effects()
                : res.callawaySantAnna() != null ? res.callawaySantAnna().eventTime() : List.of();
        List<Map<String, Object>> event = new ArrayList<>();
        for (EventTimeEffect e : es) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event_time", e.eventTime());
            m.put("reference", e.reference());
            m.put("estimate", e.estimate().estimate());
            m.put("ci_low", e.estimate().ciLow());
            m.put("ci_high", e.estimate().ciHigh());
            event.add(m);
        }
        d.put("event_study", event);
        if (res.placebo() != null) {
            PlaceboInSpace pl = res.placebo();
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("treated_unit", pl.treatedUnit());
            p.put("estimate", pl.effect().estimate());
            p.put("p_value", pl.effect().pValue());
            p.put("smallest_attainable_p", pl.smallestP());
            p.put("pre_trend_statistic", pl.treatedStatistic());
            List<Map<String, Object>> units = new ArrayList<>();
            for (PlaceboInSpace.Placebo x : pl.placebos()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("unit", x.unit());
                m.put("estimate", x.estimate());
                m.put("pre_trend_statistic", x.preTrendStatistic());
                units.add(m);
            }
            p.put("placebos", units);
            d.put("placebo_in_space", p);
        }
        return d;
    }
}

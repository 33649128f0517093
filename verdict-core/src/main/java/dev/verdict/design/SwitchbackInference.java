package dev.verdict.design;

import dev.verdict.check.CheckCategory;
import dev.verdict.check.CheckResult;
import dev.verdict.check.CheckStatus;
import dev.verdict.readout.Effect;
import dev.verdict.reduce.BlockSums;
import dev.verdict.reduce.Engine;
import dev.verdict.reduce.ReductionPlan;
import dev.verdict.reduce.UnitKey;
import dev.verdict.spec.ExperimentSpec;
import dev.verdict.stats.Estimate;
import dev.verdict.switchback.BlockEstimators;
import dev.verdict.switchback.BlockSeries;
import dev.verdict.switchback.CarryoverTest;
import dev.verdict.switchback.DemandAdjustment;
import dev.verdict.switchback.RandomizationInference;
import dev.verdict.switchback.ScheduleDesign;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The block-level inference of a switchback on its decision metric, from the engine's per-block sums: randomization
 * inference under the declared schedule, the Horvitz-Thompson estimator under the declared carryover order, the
 * demand-cycle adjusted estimate and the carryover tests; reported as two identification checks,
 * {@value #INFERENCE} and {@value #CARRYOVER}.
 *
 * <p>Decision use. The headline effect stays the delta method over blocks (its interval decides significance). The
 * {@value #INFERENCE} check WARNs, which blocks ship and ramp (pause), when that interval is significant but the
 * randomization p-value of the same contrast is not below alpha: significance requires both to agree; and when the
 * logged schedule could not have come from the declared generator. The
 * {@value #CARRYOVER} check FAILs (stop gate: pause) when the arm of block t-(m+1) significantly moves block t's outcome
 * (m the declared carryover order; Bonferroni level alpha/2), i.e. carryover outlasts the washout and the declared
 * order; it WARNs when only the halves test is significant at alpha/2 (the effect changes within blocks).
 */
final class SwitchbackInference {
    /** Name of the randomization-inference check. */
    static final String INFERENCE = "switchback_inference";
    /** Name of the carryover check. */
    static final String CARRYOVER = "carryover";
    /** Re-drawn schedules for randomization inference (and within-day path probabilities). */
    static final int DRAWS = 10_000;

    private SwitchbackInference() {
    }

    /**
     * Runs the block-level inference and fills {@code details} with the per-block timeline of the decision metric
     * ({@link #timeline}) for the readout's switchback chart.
     */
    static List<CheckResult> run(ExperimentSpec spec, ReductionPlan plan, Engine engine, MetricPlan success,
                                 Effect headline, List<String> notes, Map<String, Object> details) {
        ExperimentSpec.Switchback sb = spec.switchback().orElseThrow();
        UnitKey.TimeBlocks key = plan.timeBlocks().orElseThrow();
        int m = sb.carryoverOrder();
        if (success.quantile()) {
            String why = "block-level randomization inference, Horvitz-Thompson and carryover tests need a mean, "
                    + "proportion or ratio decision metric; " + success.label() + " is a quantile";
            return notEvaluated(why);
        }
        BlockSums sums;
        try {
            sums = engine.blockSums(plan, success.group());
        } catch (UnsupportedOperationException e) {
            return notEvaluated(e.getMessage());
        }
        BlockSeries s = BlockSeries.of(sums, spec.arms().control(), spec.arms().treatment(), success.numerator(),
                success.denominator(), key.origin(), key.blockSeconds());
        details.put("timeline", timeline(s, success, key, spec));
        int k = s.treatedCount();
        if (k < 2 || s.size() - k < 2) {
            return notEvaluated("fewer than 2 blocks in an arm (" + (s.size() - k) + " control, " + k + " treatment)");
        }
        ScheduleDesign design = new ScheduleDesign(ScheduleDesign.Kind.of(sb.schedule()),
                sb.schedule().equals("minimax_regret") ? 0.5 : spec.allocation().treatment(),
                sb.schedule().equals("minimax_regret") ? m : 0);
        String unsupported = design.unsupportedReason(s);
        if (unsupported != null) {
            return notEvaluated(unsupported);
        }
        double alpha = spec.alpha();
        int[] run = s.runOfKnown();
        double[] p1 = design.pathProbabilities(s, m, true, DRAWS, spec.seed() ^ 0x48545031L);
        double[] p0 = design.pathProbabilities(s, m, false, DRAWS, spec.seed() ^ 0x48545030L);
        List<RandomizationInference.Statistic> stats = List.of(
                w -> BlockEstimators.pooledDifference(s, w),
                w -> BlockEstimators.meanDifference(s, w),
                w -> BlockEstimators.horvitzThompson(s, w, m, p1, p0, run));
        RandomizationInference.Result[] ri = RandomizationInference.test(s, design, stats, DRAWS, spec.seed());
        double htSe = Math.sqrt(dev.verdict.switchback.HorvitzThompsonVariance.conservative(s, s.arms(), m, design));
        Estimate dim = BlockEstimators.meanDifferenceEstimate(s, alpha);
        DemandAdjustment.Result adj = DemandAdjustment.run(s, alpha);
        CarryoverTest.Result co = CarryoverTest.run(s, m + 2, alpha);

        List<CheckResult> out = new ArrayList<>();
        String inconsistent = design.inconsistency(s);
        CheckResult inference = inferenceCheck(sb, s, ri, dim, adj, headline, alpha, m, htSe);
        if (inconsistent != null) {
            Map<String, Object> ev = new LinkedHashMap<>(inference.evidence());
            ev.put("schedule_inconsistency", inconsistent);
            inference = new CheckResult(INFERENCE, CheckCategory.IDENTIFICATION, CheckStatus.WARN, "The logged schedule "
                    + "is not a draw of the declared " + sb.schedule() + " generator (" + inconsistent + "), so "
                    + "randomization inference and the Horvitz-Thompson probabilities do not describe it; fix "
                    + "switchback.schedule. " + inference.summary(), ev);
        }
        out.add(inference);
        out.add(carryoverCheck(co, m, alpha, key));
        notes.add(String.format(Locale.ROOT, "switchback inference on %s: randomization inference re-draws the %s "
                        + "schedule %s (p = %s, %s); Horvitz-Thompson estimate under carryover order %d = %s (RI p = %s); "
                        + "equal-weight block difference in means %s (Welch SE %s across blocks); demand-adjusted %s",
                success.label(), sb.schedule(), ri[0].exact() ? "exhaustively (" + ri[0].draws() + " assignments)"
                        : ri[0].draws() + " times", fmt(ri[0].pValue()), ri[0].exact() ? "exact" : "Monte Carlo, (1 + "
                        + "#{|T_r| >= |T_obs|}) / (R + 1)", m, fmt(ri[2].observed()), fmt(ri[2].pValue()),
                fmt(dim.estimate()), fmt(dim.se()), adj.estimate().map(e -> fmt(e.estimate()) + " (HC2 SE " + fmt(e.se())
                        + ")").orElse("not identified: " + adj.reason().orElse(""))));
        return out;
    }

    private static CheckResult inferenceCheck(ExperimentSpec.Switchback sb, BlockSeries s,
                                              RandomizationInference.Result[] ri, Estimate dim,
                                              DemandAdjustment.Result adj, Effect headline, double alpha, int m,
                                              double htSe) {
        boolean tSignificant = headline.significant();
        boolean riSignificant = ri[0].pValue() < alpha;
        CheckStatus status = tSignificant && !riSignificant ? CheckStatus.WARN : CheckStatus.PASS;
        Map<String, Object> riMap = new LinkedHashMap<>();
        riMap.put("statistic", "pooled_ratio_difference");
        riMap.put("observed", ri[0].observed());
        riMap.put("p_value", ri[0].pValue());
        riMap.put("draws", ri[0].draws());
        riMap.put("exact", ri[0].exact());
        riMap.put("smallest_attainable_p", ri[0].smallestP());
        riMap.put("convention", ri[0].exact() ? "#{|T(a)| >= |T_obs|} / N over all N assignments"
                : "(1 + #{|T_r| >= |T_obs|}) / (R + 1) over R re-drawn schedules");
        Map<String, Object> ht = new LinkedHashMap<>();
        ht.put("carryover_order", m);
        ht.put("estimate", ri[2].observed());
        ht.put("ri_p_value", ri[2].pValue());
        ht.put("path_probabilities", sb.schedule().equals("within_day") ? "monte_carlo_" + DRAWS + "_draws" : "exact");
        Estimate htEstimate = Estimate.ofT(ri[2].observed(), Double.isFinite(htSe) ? htSe : Double.NaN,
                Double.POSITIVE_INFINITY, alpha, "horvitz_thompson_aronow_samii_bound");
        ht.put("se_bound", Double.isFinite(htSe) ? htSe : null);
        ht.put("ci_low", Double.isFinite(htSe) ? htEstimate.ciLow() : null);
        ht.put("ci_high", Double.isFinite(htSe) ? htEstimate.ciHigh() : null);
        ht.put("se_note", Double.isFinite(htSe) ? "conservative (Aronow-Samii) bound, normal interval"
                : "no variance bound for a " + sb.schedule() + " schedule (arms of all blocks are dependent); RI p only");
        Map<String, Object> dm = new LinkedHashMap<>();
        dm.put("estimate", dim.estimate());
        dm.put("se", dim.se());
        dm.put("df", dim.df());
        dm.put("p_value", dim.pValue());
        dm.put("ri_p_value", ri[1].pValue());
        Map<String, Object> ad = new LinkedHashMap<>();
        ad.put("identified", adj.estimate().isPresent());
        adj.estimate().ifPresent(e -> {
            ad.put("estimate", e.estimate());
            ad.put("se", e.se());
            ad.put("df", e.df());
            ad.put("ci_low", e.ciLow());
            ad.put("ci_high", e.ciHigh());
            ad.put("p_value", e.pValue());
        });
        ad.put("hours_of_day", adj.hours());
        ad.put("hours_with_both_arms", adj.hoursBothArms());
        ad.put("weekend_indicator", adj.weekend());
        adj.reason().ifPresent(r -> ad.put("reason", r));
        CheckResult.Evidence ev = CheckResult.evidenceBuilder()
                .put("schedule", sb.schedule())
                .put("blocks", s.size()).put("blocks_treatment", s.treatedCount())
                .put("blocks_mixed_excluded", s.mixedBlocks())
                .put("headline_significant", tSignificant)
                .put("randomization_inference", riMap)
                .put("horvitz_thompson", ht)
                .put("block_difference_in_means", dm)
                .put("demand_adjusted", ad);
        String summary = String.format(Locale.ROOT, "Randomization inference under the %s schedule (%s): p = %s for "
                        + "the block-level contrast %s (smallest attainable p %s); the t-interval is %s, so the two %s. "
                        + "Horvitz-Thompson under carryover order %d: %s (RI p = %s%s). Demand-adjusted (hour of day, "
                        + "weekend; HC2): %s.", sb.schedule(), ri[0].exact() ? ri[0].draws() + " assignments enumerated"
                        : ri[0].draws() + " re-draws", fmt(ri[0].pValue()), fmt(ri[0].observed()), fmt(ri[0].smallestP()),
                tSignificant ? "significant" : "not significant", tSignificant == riSignificant ? "agree"
                        : tSignificant ? "disagree: significance is not established, pause"
                        : "disagree (the decision uses the non-significant interval)",
                m, fmt(ri[2].observed()), fmt(ri[2].pValue()), Double.isFinite(htSe) ? ", conservative SE " + fmt(htSe)
                        + ", interval [" + fmt(htEstimate.ciLow()) + ", " + fmt(htEstimate.ciHigh()) + "]" : "",
                adj.estimate().map(e -> fmt(e.estimate()) + " [" + fmt(e.ciLow()) + ", " + fmt(e.ciHigh()) + "]")
                        .orElse("not identified (" + adj.reason().orElse("") + ")"));
        return new CheckResult(INFERENCE, CheckCategory.IDENTIFICATION, status, summary, ev.map());
    }

    private static CheckResult carryoverCheck(CarryoverTest.Result co, int m, double alpha, UnitKey.TimeBlocks key) {
        double level = alpha / 2;
        Estimate lag = co.lags().size() > m ? co.lags().get(m) : null;
        boolean lagDetected = lag != null && lag.pValue() < level;
        boolean halvesDetected = co.halvesDiff().pValue() < level;
        boolean evaluated = lag != null || Double.isFinite(co.halvesDiff().pValue());
        CheckStatus status = !evaluated ? CheckStatus.NOT_EVALUATED : lagDetected ? CheckStatus.FAIL
                : halvesDetected ? CheckStatus.WARN : CheckStatus.PASS;
        List<Object> lags = new ArrayList<>();
        for (int l = 0; l < co.lags().size(); l++) {
            Estimate e = co.lags().get(l);
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("lag", l + 1);
            x.put("estimate", e.estimate());
            x.put("se", e.se());
            x.put("df", e.df());
            x.put("p_value", e.pValue());
            lags.add(x);
        }
        CheckResult.Evidence ev = CheckResult.evidenceBuilder()
                .put("declared_carryover_order", m)
                .put("estimated_carryover_order", co.estimatedOrder() < 0 ? null : co.estimatedOrder())
                .put("level", level)
                .put("effect_first_half", co.firstHalf().estimate())
                .put("effect_second_half", co.secondHalf().estimate())
                .put("halves_difference", co.halvesDiff().estimate())
                .put("halves_difference_se", co.halvesDiff().se())
                .put("halves_difference_p_value", co.halvesDiff().pValue())
                .put("half_start_minutes", BlockSums.halfStart(key) / 60.0)
                .put("lag_regression_blocks", co.lagBlocks())
                .put("lags", lags);
        String lagText = lag == null ? "the lag regression is not identified"
                : String.format(Locale.ROOT, "the arm %d block(s) back moves a block's outcome by %s (HC2 SE %s, p = %s)",
                m + 1, fmt(lag.estimate()), fmt(lag.se()), fmt(lag.pValue()));
        String verdict = switch (status) {
            case FAIL -> "Carryover outlasts the washout" + (m > 0 ? " and the declared order " + m : "")
                    + ": the block-level effect is biased; lengthen the washout or the blocks, or declare "
                    + "switchback.carryover_order and use the Horvitz-Thompson estimate.";
            case WARN -> "The effect differs between the halves of the blocks (carryover early in a block or an effect "
                    + "still building up); consider a longer washout.";
            case PASS -> "No carryover detected past the washout.";
            default -> "Not evaluated: too few blocks.";
        };
        String summary = String.format(Locale.ROOT, "Effect in the first half of the post-washout window %s, in the "
                        + "second %s, difference %s (SE %s across blocks, p = %s); %s; estimated carryover order %s "
                        + "(declared %d; tests at level %s). %s", fmt(co.firstHalf().estimate()),
                fmt(co.secondHalf().estimate()), fmt(co.halvesDiff().estimate()), fmt(co.halvesDiff().se()),
                fmt(co.halvesDiff().pValue()), lagText, co.estimatedOrder() < 0 ? "unknown"
                        : co.estimatedOrder() == co.lags().size() ? ">= " + co.estimatedOrder()
                        : Integer.toString(co.estimatedOrder()), m, fmt(level), verdict);
        return new CheckResult(CARRYOVER, CheckCategory.IDENTIFICATION, status, summary, ev.map());
    }

    /**
     * The decision metric per block over its post-washout window, in schedule order, with each block's arm and start:
     * the data of the readout's switchback timeline (blocks that carried both arms are left out, and counted).
     */
    static Map<String, Object> timeline(BlockSeries s, MetricPlan success, UnitKey.TimeBlocks key, ExperimentSpec spec) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("metric", success.label());
        t.put("by", key.by().orElse(null));
        t.put("block_minutes", key.blockSeconds() / 60.0);
        t.put("washout_minutes", key.washoutSeconds() / 60.0);
        t.put("origin", java.time.Instant.ofEpochSecond(s.origin()).toString());
        t.put("mixed_blocks_excluded", s.mixedBlocks());
        List<Object> blocks = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("stratum", s.strata().get(s.stratum(i)));
            b.put("block", s.block(i));
            b.put("start", java.time.Instant.ofEpochSecond(s.start(i)).toString());
            b.put("arm", s.treated(i) ? spec.arms().treatment() : spec.arms().control());
            b.put("treated", s.treated(i));
            b.put("outcome", s.y(i));
            b.put("denominator", s.den(i));
            blocks.add(b);
        }
        t.put("blocks", blocks);
        return t;
    }

    private static List<CheckResult> notEvaluated(String why) {
        return List.of(
                new CheckResult(INFERENCE, CheckCategory.IDENTIFICATION, CheckStatus.NOT_EVALUATED,
                        "Block-level randomization inference not evaluated: " + why + ".", Map.of("reason", why)),
                new CheckResult(CARRYOVER, CheckCategory.IDENTIFICATION, CheckStatus.NOT_EVALUATED,
                        "Carryover tests not evaluated: " + why + ".", Map.of("reason", why)));
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "n/a";
    }
}

package dev.verdict.quasi.did;

import dev.verdict.stats.Estimate;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the whole difference-in-differences layer on a panel: 2x2 of means (single adoption period with
 * never-treated units), static two-way fixed effects, the event study with its pre-trend test,
 * Callaway-Sant'Anna, and the raw trends; then picks the headline and the claim.
 *
 * <p>Headline: with a single adoption period the two-way fixed-effects estimate (equal to the 2x2 on a
 * balanced unweighted panel), checked by the event study's pre-trend test; with staggered adoption the
 * Callaway-Sant'Anna overall ATT, checked by its own pre-adoption effects, because two-way fixed effects can be
 * biased there (Goodman-Bacon 2021). With a single treated unit (and at least two comparison units) the
 * inference and the pre-trend check are placebo in space ({@link PlaceboInSpace}), since clustered standard errors
 * are meaningless. The claim is {@link DidResult.Claim#CAUSAL} only when that check ran and passed: a failed check
 * refuses a causal claim, and an untestable one (fewer than {@code minPreTrendLeads} pre-periods, or no valid
 * standard errors) does not earn one.
 *
 * <p>Without never-treated units, Callaway-Sant'Anna switches to not-yet-treated comparisons and the event
 * study is left out if its window is not identified (both with a note); pass a binned window to keep it.
 */
public final class DidAnalysis {
    private DidAnalysis() {
    }

    public static DidResult analyze(Panel panel, DidOptions options) {
        boolean staggered = panel.cohortIndices().length > 1;
        TwoByTwoResult twoByTwo = !staggered && panel.neverTreatedUnits() > 0
                ? TwoByTwoDid.estimate(panel, options) : null;
        TwfeResult twfe = TwoWayFixedEffects.fit(panel, options);
        List<String> notes = new ArrayList<>(panel.notes());
        EventStudyResult es = null;
        try {
            es = EventStudy.fit(panel, options);
            notes.addAll(es.notes());
        } catch (IllegalArgumentException e) {
            notes.add("no event study: " + e.getMessage());
        }
        DidOptions csOptions = options;
        if (panel.neverTreatedUnits() == 0 && options.controlGroup() == DidOptions.ControlGroup.NEVER_TREATED) {
            csOptions = options.withControlGroup(DidOptions.ControlGroup.NOT_YET_TREATED);
            notes.add("no never-treated units: Callaway-Sant'Anna uses not-yet-treated comparisons");
        }
        CallawaySantAnnaResult cs = CallawaySantAnna.estimate(panel, csOptions);
        notes.addAll(cs.notes());
        PreTrendTest check = staggered || es == null ? cs.preTrend() : es.preTrend();
        Estimate headline = staggered ? cs.overall() : twfe.effect();
        PlaceboInSpace placebo = null;
        if (panel.treatedUnits() == 1 && panel.neverTreatedUnits() >= 2) {
            placebo = PlaceboInSpace.run(panel, options, twfe, es);
            headline = placebo.effect();
            if (es != null) {
                check = placebo.preTrend();
            }
            notes.add("a single treated unit: inference by placebo in space (each of the "
                    + placebo.placebos().size() + " comparison units relabelled as treated from the same period;"
                    + " smallest attainable p " + DidArguments.format(placebo.smallestP()) + ")");
        }
        DidResult.Claim claim = check.passed() ? DidResult.Claim.CAUSAL : DidResult.Claim.DESCRIPTIVE;
        String claimReason = switch (check.status()) {
            case PASS -> "causal reading allowed: " + check.reason();
            case FAIL -> "descriptive only, no causal claim: " + check.reason();
            case UNTESTABLE -> "descriptive only, no causal claim: " + check.reason();
        };
        return new DidResult(headline,
                staggered ? "Callaway-Sant'Anna overall ATT (staggered adoption)"
                        : placebo != null ? "two-way fixed effects with placebo-in-space inference"
                        : "two-way fixed effects",
                check, claim, claimReason, twoByTwo, twfe, es, cs, placebo, trends(panel), notes);
    }

    /** Cell-weighted mean of ever-treated and never-treated units per period. */
    public static List<TrendPoint> trends(Panel panel) {
        int periods = panel.periodCount();
        double[] wt = new double[periods];
        double[] st = new double[periods];
        double[] wc = new double[periods];
        double[] sc = new double[periods];
        int[] nt = new int[periods];
        int[] nc = new int[periods];
        int[] on = new int[periods];
        for (int u = 0; u < panel.unitCount(); u++) {
            boolean ever = panel.cohort(u) != Panel.NEVER;
            for (int r = panel.start(u); r < panel.end(u); r++) {
                int t = panel.periodIndex(r);
                double w = panel.weight(r);
                if (ever) {
                    wt[t] += w;
                    st[t] += w * panel.outcome(r);
                    nt[t]++;
                    on[t] += panel.treatedAt(u, t) ? 1 : 0;
                } else {
                    wc[t] += w;
                    sc[t] += w * panel.outcome(r);
                    nc[t]++;
                }
            }
        }
        long[] grid = panel.periods();
        List<TrendPoint> out = new ArrayList<>();
        for (int t = 0; t < periods; t++) {
            out.add(new TrendPoint(grid[t], nt[t] > 0 ? st[t] / wt[t] : Double.NaN,
                    nc[t] > 0 ? sc[t] / wc[t] : Double.NaN, nt[t], nc[t], nt[t] > 0 ? (double) on[t] / nt[t] : Double.NaN));
        }
        return out;
    }
}

package dev.verdict.quasi.did;

import dev.verdict.InputException;
import dev.verdict.stats.CoefficientTable;
import dev.verdict.stats.Estimate;
import dev.verdict.stats.OlsFit;
import dev.verdict.stats.WaldResult;

import java.util.ArrayList;
import java.util.List;

/**
 * The two-way fixed-effects event study: {@code y_it = a_i + l_t + sum_{e != -1} b_e 1[t - g_i = e] + e_it},
 * weighted by the cell weights, with {@code g_i} unit i's first treated period, relative periods outside the
 * window {@code [-L, K]} binned into the end points, and never-treated units in no event-time indicator.
 * Reference period {@code e = -1}; standard errors CR2 clustered by unit with Satterthwaite df per coefficient
 * (see {@link WithinRegression} for the absorption and df convention).
 *
 * <p>The pre-trend check is the Wald test that every lead ({@code e <= -2}, the lower bin included) is zero,
 * with the CR2 covariance and an {@code F(q, G - 1)} reference ({@link CoefficientTable#waldZero}); it is run
 * only with at least {@code minPreTrendLeads} leads and valid standard errors, else it is
 * {@link PreTrendTest.Status#UNTESTABLE}.
 *
 * <p>Without never-treated units the fully dynamic specification is not identified (relative time is
 * period minus cohort, which the two sets of effects absorb: Borusyak, Jaravel and Spiess 2024); the fit then
 * refuses, and a window that bins the end points restores identification. Under staggered adoption with
 * effects that vary by cohort the coefficients mix effects of other relative periods (Sun and Abraham 2021,
 * J. Econometrics 225:175-199); the result says so, and {@link CallawaySantAnna} gives clean event-time
 * effects.
 */
public final class EventStudy {
    private EventStudy() {
    }

    /** Fits the event study with the options' window, alpha and pre-trend settings. */
    public static EventStudyResult fit(Panel panel, DidOptions options) {
        int minE = Integer.MAX_VALUE;
        int maxE = Integer.MIN_VALUE;
        for (int u = 0; u < panel.unitCount(); u++) {
            int g = panel.cohort(u);
            if (g == Panel.NEVER) {
                continue;
            }
            for (int r = panel.start(u); r < panel.end(u); r++) {
                int e = panel.periodIndex(r) - g;
                minE = Math.min(minE, e);
                maxE = Math.max(maxE, e);
            }
        }
        int availableLeads = Math.max(0, -minE);
        int availableLags = Math.max(0, maxE);
        int leads = options.leads() < 0 ? availableLeads : Math.min(options.leads(), availableLeads);
        int lags = options.lags() < 0 ? availableLags : Math.min(options.lags(), availableLags);
        if (maxE < 0) {
            throw new IllegalArgumentException("no treated unit is observed in or after its first treated period;"
                    + " an event study needs post-adoption rows");
        }
        List<Integer> times = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int e = -leads; e <= lags; e++) {
            if (e == -1) {
                continue;
            }
            times.add(e);
            names.add(label(e, leads, lags, availableLeads, availableLags));
        }
        int lo = -leads;
        int[] column = new int[lags - lo + 1];
        for (int e = lo; e <= lags; e++) {
            column[e - lo] = times.indexOf(e);
        }
        int finalLags = lags;
        WithinRegression.Fit f = WithinRegression.fit(panel, names, (u, t, out) -> {
            java.util.Arrays.fill(out, 0);
            int g = panel.cohort(u);
            if (g == Panel.NEVER) {
                return;
            }
            int e = Math.max(lo, Math.min(finalLags, t - g));
            int c = column[e - lo];
            if (c >= 0) {
                out[c] = 1;
            }
        });
        OlsFit ols = f.ols();
        String reason = SmallSample.reason(panel);
        if (reason == null && f.exact()) {
            reason = "every cell is fitted exactly (no residual variation), so there is nothing to estimate a"
                    + " sampling variance from";
        }
        String method = "two-way fixed-effects event study, reference period -1";
        CoefficientTable table = reason == null ? ols.cr2() : null;
        String tableMethod = table == null ? method : method + ", " + table.method() + ", clustered by unit";
        List<EventTimeEffect> effects = new ArrayList<>();
        List<Integer> leadIndices = new ArrayList<>();
        List<Integer> leadTimes = new ArrayList<>();
        for (int i = 0; i < times.size(); i++) {
            int e = times.get(i);
            if (e == 0 && leads >= 1) {
                effects.add(EventTimeEffect.referencePoint(-1, method));
            }
            Estimate est = table == null ? DidArguments.pointOnly(ols.coefficient(i), method, reason)
                    : TwoWayFixedEffects.relabel(table.estimate(i, options.alpha()), tableMethod);
            boolean binned = (e == -leads && leads < availableLeads) || (e == lags && lags < availableLags);
            effects.add(new EventTimeEffect(e, names.get(i), false, binned, est, Double.NaN, Double.NaN));
            if (e <= -2) {
                leadIndices.add(i);
                leadTimes.add(e);
            }
        }
        PreTrendTest pre = null;
        String waldMethod = "Wald test of the leads, CR2 covariance, F(q, G-1) reference";
        if (reason != null) {
            pre = PreTrendTest.untestable(leadTimes, options.preTrendAlpha(), waldMethod,
                    "parallel trends cannot be tested: " + reason);
        } else if (leadIndices.size() < options.minPreTrendLeads()) {
            pre = PreTrendTest.untestable(leadTimes, options.preTrendAlpha(), waldMethod,
                    "parallel trends cannot be tested: " + leadIndices.size() + " pre-period coefficient(s) before the"
                            + " reference period, at least " + options.minPreTrendLeads() + " needed");
        } else {
            WaldResult w = null;
            try {
                w = table.waldZero(leadIndices.stream().mapToInt(Integer::intValue).toArray());
            } catch (InputException e) {
                pre = PreTrendTest.untestable(leadTimes, options.preTrendAlpha(), waldMethod,
                        "parallel trends cannot be tested: " + e.getMessage());
            }
            if (w != null) {
                pre = PreTrendTest.of(leadTimes, w.chiSquare(), w.f(), w.dfDenominator(), w.pF(),
                        options.preTrendAlpha(), waldMethod);
            }
        }
        List<String> notes = new ArrayList<>();
        if (panel.cohortIndices().length > 1) {
            notes.add("staggered adoption: two-way fixed-effects event-study coefficients can mix effects of other"
                    + " relative periods when effects differ by cohort (Sun and Abraham 2021); read the"
                    + " Callaway-Sant'Anna event-time effects");
        }
        return new EventStudyResult(effects, pre, reason, leads, lags, ols.clusters(), tableMethod, notes);
    }

    private static String label(int e, int leads, int lags, int availableLeads, int availableLags) {
        if (e == -leads && leads < availableLeads) {
            return "<= " + e;
        }
        if (e == lags && lags < availableLags) {
            return ">= " + e;
        }
        return Integer.toString(e);
    }
}

package dev.verdict.quasi.did;

import dev.verdict.stats.Estimate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Inference for a difference-in-differences with a single treated unit, where a standard error clustered by unit
 * is meaningless ({@link SmallSample}): placebo in space. Each comparison unit in turn is relabelled as treated from
 * the treated unit's first treated period, the real treated unit is left out, and the same estimator is refitted on
 * that panel. Under exchangeable unit-level errors and a constant effect (the assumptions of Conley and Taber 2011,
 * REStat 93:113-125, and of the placebo-in-space logic of Abadie, Diamond and Hainmueller 2010, JASA 105:493-505),
 * the treated unit's estimate minus its effect is distributed like the placebo estimates.
 *
 * <ul>
 *   <li>Effect: the two-way fixed-effects coefficient; its permutation p-value is
 *       {@code (1 + #{j : |b_j| >= |b|}) / (J + 1)} over the J placebo estimates {@code b_j}, so the smallest
 *       attainable value is {@code 1/(J + 1)}.</li>
 *   <li>Interval: the inversion of that test for {@code H0: effect = beta}. The placebo fits leave the treated unit
 *       out, so they do not depend on beta, and the test accepts beta when {@code (1 + #{|b_j| >= |b - beta|})/(J + 1)
 *       >= alpha}: the interval is {@code b -/+ a_(m)}, with {@code a_(m)} the m-th largest |b_j| and m the smallest
 *       count that reaches alpha. With {@code 1/(J + 1) >= alpha} every beta is accepted and the interval has no
 *       finite end (19 or fewer comparison units at alpha = 0.05; {@link #comparisonsForFiniteInterval}).</li>
 *   <li>Pre-trends: the mean squared event-study lead ({@code e <= -2}) of the treated unit, ranked among the same
 *       statistic of every placebo, with the same p-value formula; untestable with fewer than
 *       {@code minPreTrendLeads} leads or when the smallest attainable p-value is not below the level.</li>
 * </ul>
 *
 * <p>The placebo estimates use J - 1 comparison units and the treated estimate J, a slight mismatch the literature
 * accepts; the simulation tests show size and coverage at the nominal level. Written here because no JVM library
 * offers it; the arithmetic is the package's own estimators refitted on relabelled panels.
 *
 * @param treatedUnit      the treated unit's name
 * @param effect           the estimate with permutation p-value and inverted interval (no standard error)
 * @param preTrend         the placebo pre-trend test
 * @param placebos         each comparison unit's placebo estimate and pre-trend statistic, in unit order
 * @param treatedStatistic the treated unit's mean squared lead (NaN without leads)
 * @param smallestP        {@code 1/(J + 1)}
 */
public record PlaceboInSpace(String treatedUnit, Estimate effect, PreTrendTest preTrend, List<Placebo> placebos,
                             double treatedStatistic, double smallestP) {

    /** A comparison unit relabelled as treated: its estimate and its mean squared lead (NaN without leads). */
    public record Placebo(String unit, double estimate, double preTrendStatistic) {
    }

    public PlaceboInSpace {
        placebos = List.copyOf(placebos);
    }

    /** The method name the effect carries. */
    static final String METHOD = "two-way fixed effects, placebo-in-space permutation inference";

    /**
     * Runs placebo in space on a panel with exactly one treated unit and at least two never-treated units.
     *
     * @param panel   the panel
     * @param options alpha (interval), preTrendAlpha and minPreTrendLeads (pre-trend test), the event-study window
     * @param twfe    the two-way fixed-effects fit of the panel (its point estimate is the effect)
     * @param es      the panel's event study, or null when it was not identified
     * @throws IllegalArgumentException when the panel does not have one treated and two comparison units
     */
    public static PlaceboInSpace run(Panel panel, DidOptions options, TwfeResult twfe, EventStudyResult es) {
        if (panel.treatedUnits() != 1 || panel.neverTreatedUnits() < 2) {
            throw new IllegalArgumentException("placebo in space needs one treated and at least two comparison units,"
                    + " got " + panel.treatedUnits() + " treated and " + panel.neverTreatedUnits() + " comparison");
        }
        int treatedUnit = -1;
        for (int u = 0; u < panel.unitCount(); u++) {
            if (panel.cohort(u) != Panel.NEVER) {
                treatedUnit = u;
            }
        }
        long adoption = panel.firstTreated(treatedUnit);
        double b = twfe.effect().estimate();
        double s = es == null ? Double.NaN : meanSquaredLead(es);
        List<Placebo> placebos = new ArrayList<>();
        for (int j = 0; j < panel.unitCount(); j++) {
            if (j == treatedUnit) {
                continue;
            }
            Panel p = relabel(panel, treatedUnit, j, adoption);
            double bj = TwoWayFixedEffects.fit(p, options).effect().estimate();
            double sj = Double.NaN;
            if (es != null) {
                try {
                    sj = meanSquaredLead(EventStudy.fit(p, options));
                } catch (IllegalArgumentException e) {
                    sj = Double.NaN;
                }
            }
            placebos.add(new Placebo(panel.units().get(j), bj, sj));
        }
        int comparisons = placebos.size();
        double smallest = 1.0 / (comparisons + 1);
        double[] abs = placebos.stream().mapToDouble(x -> Math.abs(x.estimate())).toArray();
        double p = permutationP(abs, Math.abs(b));
        double[] ci = interval(abs, b, options.alpha());
        Estimate effect = new Estimate(b, Double.NaN, Double.NaN, ci[0], ci[1], p, METHOD + " over " + comparisons
                + " comparison units (smallest attainable p " + DidArguments.format(smallest) + ")");
        return new PlaceboInSpace(panel.units().get(treatedUnit), effect, preTrend(es, s, placebos, smallest, options), placebos, s, smallest);
    }

    /** {@code (1 + #{a_j >= a}) / (J + 1)}, ties counted as at least as extreme. */
    static double permutationP(double[] placeboAbs, double actualAbs) {
        int count = 0;
        for (double a : placeboAbs) {
            if (a >= actualAbs) {
                count++;
            }
        }
        return (1.0 + count) / (placeboAbs.length + 1);
    }

    /**
     * The fewest comparison units J whose interval can have finite ends at level {@code alpha}: the smallest J with
     * {@code 1/(J + 1) < alpha} (20 at alpha = 0.05), the same condition {@link #interval} tests.
     */
    public static int comparisonsForFiniteInterval(double alpha) {
        int j = 1;
        while (!(1.0 / (j + 1) < alpha)) {
            j++;
        }
        return j;
    }

    /** The inverted test's interval {@code b -/+ a_(m)}; infinite ends when every beta is accepted. */
    static double[] interval(double[] placeboAbs, double b, double alpha) {
        int j = placeboAbs.length;
        int m = 0;
        while ((1.0 + m) / (j + 1) < alpha) {
            m++;
        }
        if (m == 0) {
            return new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
        }
        double[] sorted = placeboAbs.clone();
        Arrays.sort(sorted);
        double radius = sorted[j - m]; // the m-th largest
        return new double[] {b - radius, b + radius};
    }

    private static PreTrendTest preTrend(EventStudyResult es, double s, List<Placebo> placebos, double smallest,
                                         DidOptions options) {
        String method = "placebo-in-space permutation test of the mean squared pre-period coefficient";
        List<Integer> leads = es == null ? List.of() : es.preTrend().eventTimes();
        double alpha = options.preTrendAlpha();
        if (es == null || leads.size() < options.minPreTrendLeads()) {
            return PreTrendTest.untestable(leads, alpha, method, "parallel trends cannot be tested: " + leads.size()
                    + " pre-period coefficient(s) before the reference period, at least "
                    + options.minPreTrendLeads() + " needed");
        }
        double[] stats = placebos.stream().mapToDouble(Placebo::preTrendStatistic).filter(Double::isFinite).toArray();
        double least = 1.0 / (stats.length + 1);
        if (!(least < alpha)) {
            return PreTrendTest.untestable(leads, alpha, method, "parallel trends cannot be tested: with "
                    + stats.length + " comparison units the smallest attainable permutation p-value is "
                    + DidArguments.format(least) + ", not below " + DidArguments.format(alpha));
        }
        double p = permutationP(stats, s);
        return PreTrendTest.of(leads, s, s, Double.NaN, p, alpha, method + " (" + stats.length
                + " placebos, smallest attainable p " + DidArguments.format(least) + ")");
    }

    private static double meanSquaredLead(EventStudyResult es) {
        double sum = 0;
        int q = 0;
        for (EventTimeEffect e : es.effects()) {
            if (!e.reference() && e.eventTime() <= -2) {
                double v = e.estimate().estimate();
                sum += v * v;
                q++;
            }
        }
        return q == 0 ? Double.NaN : sum / q;
    }

    /** The panel without the treated unit, with comparison unit {@code j} treated from {@code adoption}. */
    private static Panel relabel(Panel panel, int treatedUnit, int j, long adoption) {
        int n = panel.rows() - (panel.end(treatedUnit) - panel.start(treatedUnit));
        String[] unit = new String[n];
        long[] period = new long[n];
        double[] y = new double[n];
        long[] first = new long[n];
        double[] w = panel.weighted() ? new double[n] : null;
        long[] grid = panel.periods();
        int i = 0;
        for (int u = 0; u < panel.unitCount(); u++) {
            if (u == treatedUnit) {
                continue;
            }
            String name = panel.units().get(u);
            for (int r = panel.start(u); r < panel.end(u); r++) {
                unit[i] = name;
                period[i] = grid[panel.periodIndex(r)];
                y[i] = panel.outcome(r);
                first[i] = u == j ? adoption : Panel.NEVER_TREATED;
                if (w != null) {
                    w[i] = panel.weight(r);
                }
                i++;
            }
        }
        return Panel.withFirstTreated(unit, period, y, first, w);
    }
}

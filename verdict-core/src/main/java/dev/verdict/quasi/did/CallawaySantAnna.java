package dev.verdict.quasi.did;

import dev.verdict.stats.Estimate;
import org.apache.commons.statistics.distribution.FDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Callaway and Sant'Anna (2021, J. Econometrics 225:200-230, doi:10.1016/j.jeconom.2020.12.001) group-time
 * average treatment effects under unconditional parallel trends (no covariates), for staggered adoption.
 *
 * <p>For the cohort first treated in period g and a period t, with base period {@code b = g - 1} when
 * {@code t >= g} and {@code b = t - 1} when {@code t < g} (the "varying" base period of the {@code did}
 * package, so pre-adoption cells are one-period placebo differences):
 * {@code ATT(g,t) = sum_{i in G_g} w_i (Y_it - Y_ib) / sum_{G_g} w_i - sum_{i in C} w_i (Y_it - Y_ib) /
 * sum_C w_i}, over units observed in both periods. Comparison units C: never treated
 * ({@link DidOptions.ControlGroup#NEVER_TREATED}, default) or, in addition, units first treated after t and not
 * in cohort g ({@link DidOptions.ControlGroup#NOT_YET_TREATED}). Unit weight {@code w_i}: 1, or with cell weights
 * the unit's mean cell weight, normalised to mean 1 over the N units (the package uses time-invariant unit
 * weights; a cell-level weight has no place in a unit-level estimand).
 *
 * <p>Aggregations, with {@code p_g = sum_{i: G_i = g} w_i / N}: overall ATT = post-adoption cells
 * ({@code t >= g}) averaged with weights {@code p_g / sum p_g}; event-time effect {@code theta(e)} = cells with
 * {@code t - g = e} averaged with weights {@code p_g / sum p_g} over the cohorts observed at e.
 *
 * <p>Inference (stated in the result): analytic standard errors from the influence function, with the term for
 * the estimated aggregation weights, exactly as the {@code did} package forms them: for ATT(g, t), unit i's
 * influence is {@code N w_i (dY_i - m_T) / W_T} if treated, {@code -N w_i (dY_i - m_C) / W_C} if a comparison
 * unit, else 0, and {@code SE = sqrt(sum_i psi_i^2) / N}; reference distribution normal. Alternatively, with
 * {@code bootstrapDraws > 0}, the multiplier bootstrap clustered by unit: draws {@code sum_i v_i psi_i / N} with
 * Mammen's two-point weights from a seeded {@link SplittableRandom}, SE from the interquartile range divided by
 * that of the normal, and a simultaneous (sup-t) band over event times. The pre-trend test is the Wald test
 * that every pre-adoption event-time effect is zero with the influence-function covariance, Hotelling F
 * reference. Hand-written: no Java library implements these estimators.
 *
 * <p>Unbalanced panels: each ATT(g, t) uses the units observed in both t and its base period (the package
 * instead balances the panel or switches to a repeated cross-section estimator).
 */
public final class CallawaySantAnna {
    private CallawaySantAnna() {
    }

    private record Cell(int g, int t, int base, double att, double[] psi, int nT, int nC) {
    }

    /** Group-time effects and their aggregations with the options' control group, alpha and inference. */
    public static CallawaySantAnnaResult estimate(Panel panel, DidOptions options) {
        int n = panel.unitCount();
        int periods = panel.periodCount();
        long[] grid = panel.periods();
        double[][] y = new double[n][periods];
        double[] unitWeight = new double[n];
        double totalWeight = 0;
        for (int u = 0; u < n; u++) {
            Arrays.fill(y[u], Double.NaN);
            double ws = 0;
            for (int r = panel.start(u); r < panel.end(u); r++) {
                y[u][panel.periodIndex(r)] = panel.outcome(r);
                ws += panel.weight(r);
            }
            unitWeight[u] = panel.end(u) > panel.start(u) ? ws / (panel.end(u) - panel.start(u)) : 0;
            totalWeight += unitWeight[u];
        }
        for (int u = 0; u < n; u++) {
            unitWeight[u] *= n / totalWeight;
        }
        boolean notYet = options.controlGroup() == DidOptions.ControlGroup.NOT_YET_TREATED;
        int[] cohorts = panel.cohortIndices();
        List<Cell> cells = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int g : cohorts) {
            for (int t = 1; t < periods; t++) {
                int base = t < g ? t - 1 : g - 1;
                double wT = 0;
                double sT = 0;
                double wC = 0;
                double sC = 0;
                int nT = 0;
                int nC = 0;
                for (int u = 0; u < n; u++) {
                    int c = panel.cohort(u);
                    boolean treated = c == g;
                    boolean control = c == Panel.NEVER || (notYet && c > t && c != g);
                    if ((!treated && !control) || Double.isNaN(y[u][t]) || Double.isNaN(y[u][base])) {
                        continue;
                    }
                    double d = y[u][t] - y[u][base];
                    if (treated) {
                        wT += unitWeight[u];
                        sT += unitWeight[u] * d;
                        nT++;
                    } else {
                        wC += unitWeight[u];
                        sC += unitWeight[u] * d;
                        nC++;
                    }
                }
                if (nT == 0 || nC == 0) {
                    skipped.add("(" + grid[g] + ", " + grid[t] + ")");
                    continue;
                }
                double mT = sT / wT;
                double mC = sC / wC;
                // leverage (HC2) correction: the plain influence function gives the group variances with divisor n_g
                // instead of n_g - 1, which understates the variance of a small cohort by (n_g - 1) / n_g (a cohort of
                // 3 units: by a third) and made the pre-trend test reject parallel trends in 15% of null panels; with
                // the factors the variance of each ATT(g, t) equals Welch's for its two groups
                double kT = nT > 1 ? Math.sqrt(nT / (nT - 1.0)) : 1;
                double kC = nC > 1 ? Math.sqrt(nC / (nC - 1.0)) : 1;
                double[] psi = new double[n];
                for (int u = 0; u < n; u++) {
                    int c = panel.cohort(u);
                    boolean treated = c == g;
                    boolean control = c == Panel.NEVER || (notYet && c > t && c != g);
                    if ((!treated && !control) || Double.isNaN(y[u][t]) || Double.isNaN(y[u][base])) {
                        continue;
                    }
                    double d = y[u][t] - y[u][base];
                    psi[u] = treated ? kT * n * unitWeight[u] * (d - mT) / wT : -kC * n * unitWeight[u] * (d - mC) / wC;
                }
                cells.add(new Cell(g, t, base, mT - mC, psi, nT, nC));
            }
        }
        if (!skipped.isEmpty()) {
            notes.add(skipped.size() + " group-time cell(s) have no treated or no comparison unit observed in both"
                    + " periods and are not estimated: " + String.join(" ", skipped.subList(0, Math.min(8,
                    skipped.size()))) + (skipped.size() > 8 ? " ..." : ""));
        }
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("no group-time effect can be estimated: no cohort has comparison units"
                    + " observed in the same periods (with NEVER_TREATED, add never-treated units or use"
                    + " NOT_YET_TREATED)");
        }
        for (int g : cohorts) {
            int size = 0;
            for (int u = 0; u < n; u++) {
                size += panel.cohort(u) == g ? 1 : 0;
            }
            if (size == 1) {
                notes.add("the cohort first treated in " + grid[g] + " has a single unit: its ATT(g, t) standard"
                        + " errors reflect only the comparison units' noise");
            }
        }
        double[] pg = new double[periods];
        for (int u = 0; u < n; u++) {
            if (panel.cohort(u) != Panel.NEVER) {
                pg[panel.cohort(u)] += unitWeight[u] / n;
            }
        }
        List<Integer> post = new ArrayList<>();
        TreeMap<Integer, List<Integer>> byEvent = new TreeMap<>();
        for (int k = 0; k < cells.size(); k++) {
            Cell c = cells.get(k);
            if (c.t >= c.g) {
                post.add(k);
            }
            byEvent.computeIfAbsent(c.t - c.g, e -> new ArrayList<>()).add(k);
        }
        if (post.isEmpty()) {
            throw new IllegalArgumentException("no post-adoption group-time effect can be estimated; check that treated"
                    + " units are observed from their first treated period on");
        }
        // targets: every cell, the overall ATT, then each event time
        List<double[]> psis = new ArrayList<>();
        List<Double> points = new ArrayList<>();
        for (Cell c : cells) {
            psis.add(c.psi);
            points.add(c.att);
        }
        double[][] overall = aggregate(cells, post, pg, panel, unitWeight);
        psis.add(overall[1]);
        points.add(overall[0][0]);
        List<Integer> eventTimes = new ArrayList<>(byEvent.keySet());
        for (int e : eventTimes) {
            double[][] a = aggregate(cells, byEvent.get(e), pg, panel, unitWeight);
            psis.add(a[1]);
            points.add(a[0][0]);
        }
        String reason = SmallSample.reason(panel);
        int m = psis.size();
        double[] se = new double[m];
        for (int j = 0; j < m; j++) {
            double s = 0;
            for (double v : psis.get(j)) {
                s += v * v;
            }
            se[j] = Math.sqrt(s) / n;
        }
        String inference;
        double uniformCrit = Double.NaN;
        int firstEvent = cells.size() + 1;
        if (options.bootstrapDraws() > 0 && reason == null) {
            double[] crit = new double[1];
            se = bootstrap(psis, n, options.bootstrapDraws(), options.seed(), firstEvent, options.alpha(), crit);
            uniformCrit = crit[0];
            inference = "multiplier bootstrap clustered by unit (" + options.bootstrapDraws() + " draws, Mammen weights,"
                    + " seed " + options.seed() + "), normal reference";
        } else {
            inference = "analytic influence-function standard errors, normal reference";
        }
        String method = "Callaway-Sant'Anna ATT(g,t), " + (notYet ? "not-yet-treated" : "never-treated")
                + " comparisons; " + inference;
        List<GroupTimeEffect> gt = new ArrayList<>();
        for (int k = 0; k < cells.size(); k++) {
            Cell c = cells.get(k);
            gt.add(new GroupTimeEffect(grid[c.g], grid[c.t], grid[c.base], c.t - c.g,
                    estimate(points.get(k), se[k], options.alpha(), method, reason), c.nT, c.nC));
        }
        Estimate overallEstimate = estimate(points.get(cells.size()), se[cells.size()], options.alpha(),
                method + "; overall ATT, cohort-size weights", reason);
        List<EventTimeEffect> events = new ArrayList<>();
        for (int i = 0; i < eventTimes.size(); i++) {
            int j = firstEvent + i;
            Estimate est = estimate(points.get(j), se[j], options.alpha(), method + "; event-time effect", reason);
            double lo = Double.NaN;
            double hi = Double.NaN;
            if (Double.isFinite(uniformCrit) && reason == null) {
                lo = points.get(j) - uniformCrit * se[j];
                hi = points.get(j) + uniformCrit * se[j];
            }
            events.add(new EventTimeEffect(eventTimes.get(i), Integer.toString(eventTimes.get(i)), false, false, est,
                    lo, hi));
        }
        int[] cohortOf = new int[n];
        for (int u = 0; u < n; u++) {
            cohortOf[u] = panel.cohort(u);
        }
        PreTrendTest pre = preTrend(eventTimes, psis, points, firstEvent, n, cohortOf, options, reason);
        return new CallawaySantAnnaResult(gt, overallEstimate, events, pre, options.controlGroup(), inference, reason,
                notes);
    }

    private static Estimate estimate(double point, double se, double alpha, String method, String reason) {
        if (reason != null) {
            return DidArguments.pointOnly(point, method, reason);
        }
        return Estimate.ofT(point, se, Double.POSITIVE_INFINITY, alpha, method);
    }

    /**
     * The weighted average of the given cells with weights {@code p_g / sum p_g} and its influence function,
     * including the term for estimating the weights: {@code {point}, psi}.
     */
    private static double[][] aggregate(List<Cell> cells, List<Integer> keep, double[] pg, Panel panel,
                                        double[] unitWeight) {
        int n = unitWeight.length;
        double s = 0;
        for (int k : keep) {
            s += pg[cells.get(k).g];
        }
        double point = 0;
        double[] psi = new double[n];
        for (int k : keep) {
            Cell c = cells.get(k);
            double w = pg[c.g] / s;
            point += w * c.att;
            for (int u = 0; u < n; u++) {
                psi[u] += w * c.psi[u];
            }
        }
        // influence of the estimated weights: d/dp of p_g / sum p, with p_g's influence w_i 1[G_i = g] - p_g
        for (int u = 0; u < n; u++) {
            int gu = panel.cohort(u);
            double centredSum = 0;
            double first = 0;
            for (int k : keep) {
                Cell c = cells.get(k);
                double centred = (gu == c.g ? unitWeight[u] : 0) - pg[c.g];
                centredSum += centred;
                first += centred / s * c.att;
            }
            double second = 0;
            for (int k : keep) {
                Cell c = cells.get(k);
                second += centredSum * pg[c.g] / (s * s) * c.att;
            }
            psi[u] += first - second;
        }
        return new double[][] {{point}, psi};
    }

    /**
     * Multiplier-bootstrap standard errors of every target, and in {@code crit[0]} the sup-t critical value over
     * the event-time targets (indices from {@code firstEvent}).
     */
    private static double[] bootstrap(List<double[]> psis, int n, int draws, long seed, int firstEvent, double alpha,
                                      double[] crit) {
        int m = psis.size();
        double sqrt5 = Math.sqrt(5);
        double low = (1 - sqrt5) / 2;
        double high = (1 + sqrt5) / 2;
        double pLow = (sqrt5 + 1) / (2 * sqrt5);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] draw = new double[m][draws];
        double[] v = new double[n];
        for (int b = 0; b < draws; b++) {
            for (int u = 0; u < n; u++) {
                v[u] = rnd.nextDouble() < pLow ? low : high;
            }
            for (int j = 0; j < m; j++) {
                double[] psi = psis.get(j);
                double s = 0;
                for (int u = 0; u < n; u++) {
                    s += v[u] * psi[u];
                }
                draw[j][b] = s / n;
            }
        }
        NormalDistribution z = NormalDistribution.of(0, 1);
        double iqrNormal = z.inverseCumulativeProbability(0.75) - z.inverseCumulativeProbability(0.25);
        double[] se = new double[m];
        for (int j = 0; j < m; j++) {
            double[] sorted = draw[j].clone();
            Arrays.sort(sorted);
            se[j] = (orderStatistic(sorted, 0.75) - orderStatistic(sorted, 0.25)) / iqrNormal;
        }
        double[] sup = new double[draws];
        for (int b = 0; b < draws; b++) {
            double mx = 0;
            for (int j = firstEvent; j < m; j++) {
                if (se[j] > 0) {
                    mx = Math.max(mx, Math.abs(draw[j][b]) / se[j]);
                }
            }
            sup[b] = mx;
        }
        Arrays.sort(sup);
        crit[0] = orderStatistic(sup, 1 - alpha);
        return se;
    }

    /** The type-1 (inverse empirical CDF) quantile {@code x_(ceil(B p))}. */
    private static double orderStatistic(double[] sorted, double p) {
        int i = (int) Math.ceil(sorted.length * p) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /**
     * Welch-Satterthwaite df of the variance {@code sum_u psi_u^2} as a sum of per-group (cohort, never-treated)
     * components {@code V_g}: {@code (sum_g V_g)^2 / sum_g V_g^2 / (n_g - 1)}, over groups with a non-zero component.
     */
    static double satterthwaite(double[] psi, int[] cohortOf) {
        java.util.Map<Integer, double[]> groups = new java.util.TreeMap<>();
        for (int u = 0; u < psi.length; u++) {
            if (psi[u] != 0) {
                double[] g = groups.computeIfAbsent(cohortOf[u], k -> new double[2]);
                g[0] += psi[u] * psi[u];
                g[1]++;
            }
        }
        double total = 0;
        double denom = 0;
        for (double[] g : groups.values()) {
            total += g[0];
            denom += g[1] > 1 ? g[0] * g[0] / (g[1] - 1) : Double.POSITIVE_INFINITY;
        }
        return denom == 0 ? Double.POSITIVE_INFINITY : total * total / denom;
    }

    private static PreTrendTest preTrend(List<Integer> eventTimes, List<double[]> psis, List<Double> points,
                                         int firstEvent, int n, int[] cohortOf, DidOptions options, String reason) {
        List<Integer> idx = new ArrayList<>();
        List<Integer> times = new ArrayList<>();
        for (int i = 0; i < eventTimes.size(); i++) {
            if (eventTimes.get(i) < 0) {
                idx.add(firstEvent + i);
                times.add(eventTimes.get(i));
            }
        }
        String method = "Wald test of the pre-adoption event-time effects, leverage-corrected influence-function "
                + "covariance, F(q, nu) reference with nu the smallest Welch-Satterthwaite df of the tested effects";
        if (reason != null) {
            return PreTrendTest.untestable(times, options.preTrendAlpha(), method,
                    "parallel trends cannot be tested: " + reason);
        }
        if (idx.size() < options.minPreTrendLeads()) {
            return PreTrendTest.untestable(times, options.preTrendAlpha(), method, "parallel trends cannot be tested: "
                    + idx.size() + " pre-adoption event time(s), at least " + options.minPreTrendLeads() + " needed");
        }
        int q = idx.size();
        double nu = Double.POSITIVE_INFINITY;
        for (int j : idx) {
            nu = Math.min(nu, satterthwaite(psis.get(j), cohortOf));
        }
        if (!(nu >= 1)) {
            return PreTrendTest.untestable(times, options.preTrendAlpha(), method, "parallel trends cannot be tested: "
                    + "a pre-adoption effect rests on groups too small to estimate its variance");
        }
        DMatrixRMaj v = new DMatrixRMaj(q, q);
        DMatrixRMaj d = new DMatrixRMaj(q, 1);
        for (int a = 0; a < q; a++) {
            d.set(a, 0, points.get(idx.get(a)));
            double[] pa = psis.get(idx.get(a));
            for (int b = a; b < q; b++) {
                double[] pb = psis.get(idx.get(b));
                double s = 0;
                for (int u = 0; u < n; u++) {
                    s += pa[u] * pb[u];
                }
                v.set(a, b, s / ((double) n * n));
                v.set(b, a, s / ((double) n * n));
            }
        }
        DMatrixRMaj inv = new DMatrixRMaj(q, q);
        if (!CommonOps_DDRM.invertSPD(v.copy(), inv)) {
            return PreTrendTest.untestable(times, options.preTrendAlpha(), method,
                    "parallel trends cannot be tested: the pre-adoption effects' covariance is singular");
        }
        DMatrixRMaj tmp = new DMatrixRMaj(q, 1);
        CommonOps_DDRM.mult(inv, d, tmp);
        double w = CommonOps_DDRM.dot(d, tmp);
        // A chi-square reference treats the covariance as known; with small cohorts it is estimated from a handful of
        // units and the test over-rejects (24 clusters, a 3-unit cohort, 9 leads: 15% of null panels rejected). W / q
        // is referred to F(q, nu), nu the smallest Welch-Satterthwaite df among the tested effects (their variance is
        // a sum of per-group variances); as groups grow nu grows and the test tends to the chi-square one.
        double f = w / q;
        double p = FDistribution.of(q, nu).survivalProbability(f);
        return PreTrendTest.of(times, w, f, nu, p, options.preTrendAlpha(), method);
    }
}

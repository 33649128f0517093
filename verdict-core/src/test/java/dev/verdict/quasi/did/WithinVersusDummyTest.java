package dev.verdict.quasi.did;

import dev.verdict.stats.ClusterBlock;
import dev.verdict.stats.ClusterRobustOls;
import dev.verdict.stats.CoefficientTable;
import dev.verdict.stats.OlsFit;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The within-transformed two-way fixed-effects fit against the dummy-variable regression it stands for (unit
 * dummies, period dummies, the treated indicator, no intercept), fitted by {@link ClusterRobustOls} on the raw
 * rows: coefficients, CR2 standard errors and Satterthwaite df agree to 1e-8 relative; CR1 differs by exactly the
 * documented factor {@code (N - K)/(N - K - G)}; positive control: absorbing the period effects as well (two-way
 * demeaning of a balanced panel) keeps the coefficient but changes CR2, which is why they stay as dummies.
 */
class WithinVersusDummyTest {
    private static final double TOL = 1e-8;

    @Test
    void balancedUnweightedPanelMatchesTheDummyVariableFit() {
        Panel p = staggered(new SplittableRandom(3), false, false);
        assertTrue(p.balanced());
        compare(p);
    }

    @Test
    void unbalancedWeightedPanelMatchesTheDummyVariableFit() {
        Panel p = staggered(new SplittableRandom(4), true, true);
        assertTrue(!p.balanced() && p.weighted());
        compare(p);
    }

    @Test
    void eventStudyCoefficientsMatchTheDummyVariableFit() {
        Panel p = staggered(new SplittableRandom(5), true, true);
        EventStudyResult es = EventStudy.fit(p, DidOptions.withDefaults().withWindow(3, 3));
        List<Integer> times = new ArrayList<>();
        for (EventTimeEffect e : es.effects()) {
            if (!e.reference()) {
                times.add(e.eventTime());
            }
        }
        int lo = -es.leads();
        int hi = es.lags();
        OlsFit dummy = dummyFit(p, times.size(), (u, t, out) -> {
            int g = p.cohort(u);
            if (g != Panel.NEVER) {
                int e = Math.max(lo, Math.min(hi, t - g));
                int c = times.indexOf(e);
                if (c >= 0) {
                    out[c] = 1;
                }
            }
        });
        CoefficientTable cr2 = dummy.cr2();
        int j = 0;
        for (EventTimeEffect e : es.effects()) {
            if (e.reference()) {
                continue;
            }
            assertClose(cr2.coefficient(j), e.estimate().estimate(), "event time " + e.label());
            assertClose(cr2.se(j), e.estimate().se(), "CR2 SE at " + e.label());
            assertClose(cr2.df(j), e.estimate().df(), "Satterthwaite df at " + e.label());
            j++;
        }
    }

    @Test
    void absorbingPeriodEffectsToochangesCr2ThePositiveControl() {
        Panel p = staggered(new SplittableRandom(3), false, false);
        TwfeResult within = TwoWayFixedEffects.fit(p, DidOptions.withDefaults());
        // two-way demeaning (valid for a balanced panel): same coefficient, different CR2
        int n = p.unitCount();
        int periods = p.periodCount();
        double[][] d = new double[n][periods];
        double[][] y = new double[n][periods];
        for (int u = 0; u < n; u++) {
            for (int r = p.start(u); r < p.end(u); r++) {
                d[u][p.periodIndex(r)] = p.treatedAt(u, p.periodIndex(r)) ? 1 : 0;
                y[u][p.periodIndex(r)] = p.outcome(r);
            }
        }
        double[][] dd = twoWayDemean(d);
        double[][] yy = twoWayDemean(y);
        List<ClusterBlock> blocks = new ArrayList<>();
        for (int u = 0; u < n; u++) {
            double[][] x = new double[periods][1];
            for (int t = 0; t < periods; t++) {
                x[t][0] = dd[u][t];
            }
            blocks.add(ClusterBlock.ofRows(x, yy[u]));
        }
        CoefficientTable both = ClusterRobustOls.fit(blocks).cr2();
        assertClose(within.effect().estimate(), both.coefficient(0), "two-way demeaned coefficient");
        double rel = Math.abs(both.se(0) - within.effect().se()) / within.effect().se();
        assertTrue(rel > 1e-4, "absorbing the period effects should change CR2, relative change " + rel);
    }

    private static void compare(Panel p) {
        TwfeResult within = TwoWayFixedEffects.fit(p, DidOptions.withDefaults());
        OlsFit dummy = dummyFit(p, 1, (u, t, out) -> out[0] = p.treatedAt(u, t) ? 1 : 0);
        CoefficientTable cr2 = dummy.cr2();
        assertClose(cr2.coefficient(0), within.effect().estimate(), "coefficient");
        assertClose(cr2.se(0), within.effect().se(), "CR2 SE");
        assertClose(cr2.df(0), within.effect().df(), "CR2 Satterthwaite df");
        CoefficientTable cr1 = dummy.cr1();
        double nRows = within.cells();
        double k = within.coefficients();
        double g = within.clusters();
        assertEquals(p.unitCount(), (int) g);
        assertEquals(dummy.k(), (int) (k + g));
        double factor = (nRows - k - g) / (nRows - k);
        assertClose(cr1.se(0) * Math.sqrt(factor), within.effectCr1().se(), "CR1 SE times sqrt((N-K-G)/(N-K))");
        assertTrue(Math.abs(cr1.se(0) - within.effectCr1().se()) > 1e-3 * cr1.se(0), "the factor is not 1");
        assertEquals(g - 1, within.effectCr1().df(), 0);
    }

    /** Rows {@code sqrt(w) [slopes, unit dummies, period dummies for periods 1..T-1]}, one block per unit. */
    static OlsFit dummyFit(Panel p, int slopes, WithinRegression.Columns columns) {
        int n = p.unitCount();
        int periods = p.periodCount();
        int k = slopes + n + periods - 1;
        List<ClusterBlock> blocks = new ArrayList<>();
        double[] s = new double[slopes];
        for (int u = 0; u < n; u++) {
            int m = p.end(u) - p.start(u);
            double[][] x = new double[m][k];
            double[] y = new double[m];
            for (int r = p.start(u); r < p.end(u); r++) {
                int t = p.periodIndex(r);
                double root = Math.sqrt(p.weight(r));
                java.util.Arrays.fill(s, 0);
                columns.fill(u, t, s);
                double[] row = x[r - p.start(u)];
                for (int j = 0; j < slopes; j++) {
                    row[j] = root * s[j];
                }
                row[slopes + u] = root;
                if (t > 0) {
                    row[slopes + n + t - 1] = root;
                }
                y[r - p.start(u)] = root * p.outcome(r);
            }
            blocks.add(ClusterBlock.ofRows(x, y));
        }
        return ClusterRobustOls.fit(blocks);
    }

    /** 24 units, 8 periods, cohorts at 3 and 5 and never treated; optionally drop cells and add weights. */
    static Panel staggered(SplittableRandom rnd, boolean unbalanced, boolean weighted) {
        List<String> unit = new ArrayList<>();
        List<Long> period = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<Long> first = new ArrayList<>();
        List<Double> w = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            int g = i % 3 == 0 ? -1 : i % 3 == 1 ? 3 : 5;
            double a = 5 * rnd.nextGaussian();
            for (int t = 0; t < 8; t++) {
                if (unbalanced && t != 0 && t != 7 && rnd.nextDouble() < 0.15) {
                    continue;
                }
                unit.add("unit" + i);
                period.add((long) t);
                double effect = g >= 0 && t >= g ? 1 + 0.5 * (t - g) : 0;
                y.add(a + 0.3 * t + effect + (1 + (i % 4)) * rnd.nextGaussian());
                first.add(g < 0 ? Panel.NEVER_TREATED : g);
                w.add(weighted ? 1 + rnd.nextInt(50) : 1.0);
            }
        }
        return Panel.withFirstTreated(unit.toArray(String[]::new), period.stream().mapToLong(Long::longValue).toArray(),
                y.stream().mapToDouble(Double::doubleValue).toArray(), first.stream().mapToLong(Long::longValue).toArray(),
                weighted ? w.stream().mapToDouble(Double::doubleValue).toArray() : null);
    }

    private static double[][] twoWayDemean(double[][] a) {
        int n = a.length;
        int t = a[0].length;
        double[] row = new double[n];
        double[] col = new double[t];
        double all = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < t; j++) {
                row[i] += a[i][j] / t;
                col[j] += a[i][j] / n;
                all += a[i][j] / (n * t);
            }
        }
        double[][] out = new double[n][t];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < t; j++) {
                out[i][j] = a[i][j] - row[i] - col[j] + all;
            }
        }
        return out;
    }

    private static void assertClose(double expected, double actual, String what) {
        double err = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
        assertTrue(err <= TOL, what + ": dummy-variable fit " + expected + ", within fit " + actual + " (relative error "
                + err + ")");
    }
}

package dev.verdict.quasi.did;

import dev.verdict.stats.Estimate;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TwoByTwoDidTest {
    private static final DidOptions DEFAULTS = DidOptions.withDefaults();

    /** FRAMEWORK.md section 3's worked example: two regions, one row per region and period. */
    static Panel frameworkExample() {
        return Panel.withIndicator(new String[] {"treated-region", "treated-region", "control-region", "control-region"},
                new long[] {1, 2, 1, 2}, new double[] {180, 140, 175, 150}, new boolean[] {false, true, false, false},
                null);
    }

    @Test
    void frameworkWorkedExampleNamesEachDifferenceAndGivesMinus15() {
        TwoByTwoResult r = TwoByTwoDid.estimate(frameworkExample(), DEFAULTS);
        assertEquals(-40, r.treatedChange(), 1e-12);
        assertEquals(-25, r.controlChange(), 1e-12);
        assertEquals(-15, r.effect().estimate(), 1e-12);
        String text = r.explanation();
        assertTrue(text.contains("treated change of -40"), text);
        assertTrue(text.contains("control change of -25"), text);
        assertTrue(text.contains("-40 - (-25) = -15"), text);
        // the source draft's error: 25 is the control's own trend, never the effect
        assertFalse(Pattern.compile("effect (is|of|=) -?25\\b").matcher(text).find(), text);
        assertFalse(Pattern.compile("-?25 ms (improvement|effect)").matcher(text).find(), text);
        assertTrue(text.contains("the control change (-25) is the common trend, not the effect"), text);
        // aggregated data with 2 units: a point estimate and an explicit "not available"
        assertTrue(Double.isNaN(r.effect().se()));
        assertTrue(Double.isNaN(r.effect().ciLow()) && Double.isNaN(r.effect().pValue()));
        assertTrue(r.seUnavailableReason().startsWith("aggregated data with only 2 units"), r.seUnavailableReason());
        assertTrue(r.effect().method().contains("standard error not available"), r.effect().method());
        assertTrue(text.contains("Standard error not available"), text);
    }

    @Test
    void frameworkExampleThroughTheWholeLayerIsDescriptiveWithoutStandardErrors() {
        DidResult r = DidAnalysis.analyze(frameworkExample(), DEFAULTS);
        assertEquals(-15, r.headline().estimate(), 1e-9);
        assertTrue(Double.isNaN(r.headline().se()));
        assertEquals(-15, r.twfe().effect().estimate(), 1e-9);
        assertFalse(r.twfe().seAvailable());
        assertEquals(-15, r.callawaySantAnna().overall().estimate(), 1e-12);
        assertTrue(Double.isNaN(r.callawaySantAnna().overall().se()));
        assertEquals(PreTrendTest.Status.UNTESTABLE, r.preTrend().status());
        assertEquals(DidResult.Claim.DESCRIPTIVE, r.claim());
        assertEquals(2, r.trends().size());
        assertEquals(180, r.trends().get(0).treatedMean(), 0);
        assertEquals(150, r.trends().get(1).controlMean(), 0);
    }

    /**
     * synthdid::did_estimate on Prop 99 (reference case prop99_did_estimate, R 4.2.2, synthdid 0.0.9): equal unit
     * and time weights, i.e. the 2x2 difference of mean changes; 1e-8 relative (the reference README's tolerance
     * for deterministic quantities).
     */
    @Test
    void prop99TwoByTwoReproducesSynthdidDidEstimate() {
        double expected = Prop99.reference("prop99_did_estimate", "estimate");
        assertEquals(-27.349111083615, expected, 0);
        Panel p = Prop99.panel();
        assertEquals(39, p.unitCount());
        assertEquals(31, p.periodCount());
        assertEquals(1, p.treatedUnits());
        TwoByTwoResult r = TwoByTwoDid.estimate(p, DEFAULTS);
        assertEquals(1989, r.adoptionPeriod());
        assertEquals(38, r.controlUnits());
        assertRelative(expected, r.effect().estimate(), 1e-8);
        // single treated unit: no clustered SE reported as valid
        assertTrue(Double.isNaN(r.effect().se()));
        assertTrue(r.seUnavailableReason().startsWith("a single treated unit"), r.seUnavailableReason());
        assertTrue(r.seUnavailableReason().contains("meaningless"));
    }

    /** With a single treated unit and block adoption on a balanced panel, TWFE equals the 2x2: same reference. */
    @Test
    void prop99TwfeCoefficientCoincidesWithTheReference() {
        double expected = Prop99.reference("prop99_did_estimate", "estimate");
        TwfeResult t = TwoWayFixedEffects.fit(Prop99.panel(), DEFAULTS);
        assertRelative(expected, t.effect().estimate(), 1e-8);
        assertFalse(t.seAvailable());
        assertTrue(Double.isNaN(t.effect().se()) && Double.isNaN(t.effectCr1().se()));
        assertEquals(39, t.clusters());
        EventStudyResult es = EventStudy.fit(Prop99.panel(), DEFAULTS);
        assertEquals(PreTrendTest.Status.UNTESTABLE, es.preTrend().status());
        assertEquals(19, es.leads());
        assertEquals(11, es.lags());
        // with one treated unit every event-time coefficient is a 2x2 against period -1, so the mean of the lags
        // minus the mean of the leads (the reference counted as 0) is again the 2x2 DiD
        double post = 0;
        double pre = 0;
        for (EventTimeEffect e : es.effects()) {
            if (e.eventTime() >= 0) {
                post += e.estimate().estimate() / 12;
            } else {
                pre += e.estimate().estimate() / 19;
            }
        }
        assertRelative(expected, post - pre, 1e-8);
    }

    /** With SEs available, HC2 on unit changes in a two-group regression is Welch's unequal-variance SE. */
    @Test
    void standardErrorIsWelchOnUnitChanges() {
        SplittableRandom rnd = new SplittableRandom(11);
        int[] cohort = SimulatedPanels.cohorts(new int[] {3, -1}, new int[] {7, 12});
        Panel p = SimulatedPanels.balanced(cohort, 6, (g, e) -> 2.0, 0, 1.0, rnd);
        TwoByTwoResult r = TwoByTwoDid.estimate(p, DEFAULTS);
        assertNull(r.seUnavailableReason());
        double[][] d = new double[2][];
        d[0] = new double[12];
        d[1] = new double[7];
        int[] c = new int[2];
        for (int u = 0; u < p.unitCount(); u++) {
            double pre = 0;
            double post = 0;
            for (int row = p.start(u); row < p.end(u); row++) {
                if (p.periodIndex(row) < 3) {
                    pre += p.outcome(row) / 3;
                } else {
                    post += p.outcome(row) / 3;
                }
            }
            int a = p.cohort(u) == Panel.NEVER ? 0 : 1;
            d[a][c[a]++] = post - pre;
        }
        double v = 0;
        double diff = mean(d[1]) - mean(d[0]);
        for (double[] x : d) {
            v += variance(x) / x.length;
        }
        assertEquals(diff, r.effect().estimate(), 1e-9);
        assertRelative(Math.sqrt(v), r.effect().se(), 1e-9);
        Estimate e = r.effect();
        assertEquals(e.estimate(), (e.ciLow() + e.ciHigh()) / 2, 1e-9);
        assertTrue(e.df() > 5 && e.df() < 17, "Satterthwaite df between min(n)-1 and n1+n0-2, got " + e.df());
    }

    @Test
    void refusesStaggeredAdoptionAndPointsToCallawaySantAnna() {
        int[] cohort = SimulatedPanels.cohorts(new int[] {2, 4, -1}, new int[] {3, 3, 3});
        Panel p = SimulatedPanels.balanced(cohort, 6, (g, e) -> 1, 0, 1, new SplittableRandom(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TwoByTwoDid.estimate(p, DEFAULTS));
        assertTrue(e.getMessage().contains("CallawaySantAnna"), e.getMessage());
    }

    static void assertRelative(double expected, double actual, double tol) {
        double err = Math.abs(actual - expected) / Math.abs(expected);
        assertTrue(err <= tol, "expected " + expected + ", got " + actual + " (relative error " + err + ")");
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double variance(double[] x) {
        double m = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return s / (x.length - 1);
    }
}

package dev.verdict.quasi.did;

import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Callaway-Sant'Anna on hand-computed numbers (each ATT(g,t) is a 2x2 difference of mean changes), on simulated
 * staggered adoption with heterogeneous dynamic effects (CS recovers the truth, TWFE does not), the coverage of
 * its analytic standard errors, and the multiplier bootstrap's determinism.
 */
class CallawaySantAnnaTest {
    private static final DidOptions DEFAULTS = DidOptions.withDefaults();

    /**
     * Four units, periods 1-3: A first treated in 2, B in 3, C and D never.
     * A 10 14 17; B 20 21 26; C 5 6 8; D 7 9 10.
     */
    private static Panel tiny() {
        String[] u = {"A", "A", "A", "B", "B", "B", "C", "C", "C", "D", "D", "D"};
        long[] t = {1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3};
        double[] y = {10, 14, 17, 20, 21, 26, 5, 6, 8, 7, 9, 10};
        long[] g = {2, 2, 2, 3, 3, 3, Panel.NEVER_TREATED, Panel.NEVER_TREATED, Panel.NEVER_TREATED,
                Panel.NEVER_TREATED, Panel.NEVER_TREATED, Panel.NEVER_TREATED};
        return Panel.withFirstTreated(u, t, y, g, null);
    }

    @Test
    void handComputedGroupTimeEffects() {
        CallawaySantAnnaResult r = CallawaySantAnna.estimate(tiny(), DEFAULTS);
        // ATT(2,2) = (14 - 10) - mean(6 - 5, 9 - 7) = 4 - 1.5
        assertEquals(2.5, r.att(2, 2).att().estimate(), 1e-12);
        assertEquals(1, r.att(2, 2).basePeriod());
        // ATT(2,3) = (17 - 10) - mean(8 - 5, 10 - 7) = 7 - 3, base g - 1 = 1
        assertEquals(4.0, r.att(2, 3).att().estimate(), 1e-12);
        // ATT(3,3) = (26 - 21) - mean(8 - 6, 10 - 9) = 5 - 1.5
        assertEquals(3.5, r.att(3, 3).att().estimate(), 1e-12);
        // pre-adoption placebo ATT(3,2) with varying base 1: (21 - 20) - mean(1, 2)
        assertEquals(-0.5, r.att(3, 2).att().estimate(), 1e-12);
        assertEquals(4, r.groupTime().size());
        // overall: equal cohort sizes, so the three post cells weigh equally
        assertEquals(10.0 / 3, r.overall().estimate(), 1e-12);
        assertEquals(3.0, r.atEventTime(0).estimate().estimate(), 1e-12);
        assertEquals(4.0, r.atEventTime(1).estimate().estimate(), 1e-12);
        assertEquals(-0.5, r.atEventTime(-1).estimate().estimate(), 1e-12);
        // leverage-corrected influence-function SE of ATT(2,2) = Welch's: one treated unit contributes 0; controls'
        // changes 1 and 2 have sample variance ((1 - 1.5)^2 + (2 - 1.5)^2) / (2 - 1) = 0.5, over 2 units: sqrt(0.25)
        // (the package's uncorrected form gives sqrt(0.5 / 2 * 1 / 2) = sqrt(2) / 4)
        assertNull(r.seUnavailableReason());
        assertEquals(0.5, r.att(2, 2).att().se(), 1e-12);
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("single unit")), r.notes().toString());
    }

    @Test
    void groupTimeEffectEqualsTheTwoByTwoOfMeansOnItsTwoPeriods() {
        // ATT(2,3) uses periods 1 (base) and 3, cohort A against C and D: the 2x2 on that sub-panel
        Panel sub = Panel.withFirstTreated(new String[] {"A", "A", "C", "C", "D", "D"}, new long[] {1, 3, 1, 3, 1, 3},
                new double[] {10, 17, 5, 8, 7, 10}, new long[] {2, 2, Panel.NEVER_TREATED, Panel.NEVER_TREATED,
                        Panel.NEVER_TREATED, Panel.NEVER_TREATED}, null);
        double twoByTwo = TwoByTwoDid.estimate(sub, DEFAULTS).effect().estimate();
        assertEquals(CallawaySantAnna.estimate(tiny(), DEFAULTS).att(2, 3).att().estimate(), twoByTwo, 1e-12);
    }

    @Test
    void notYetTreatedAddsLaterCohortsAsComparisons() {
        CallawaySantAnnaResult r = CallawaySantAnna.estimate(tiny(),
                DEFAULTS.withControlGroup(DidOptions.ControlGroup.NOT_YET_TREATED));
        // ATT(2,2): B is not yet treated in 2, so the comparison change is mean(1, 2, 21 - 20) = 4/3
        assertEquals(4 - 4.0 / 3, r.att(2, 2).att().estimate(), 1e-12);
        assertEquals(3, r.att(2, 2).controlUnits());
        // ATT(2,3): B is treated in 3, so only C and D
        assertEquals(4.0, r.att(2, 3).att().estimate(), 1e-12);
    }

    /** Cohorts at period indices 3, 5, 7 and never treated; effect delta_g (1 + e), larger for early adopters. */
    private static final int[] COHORTS = {3, 5, 7, -1};
    private static final double[] DELTA = {2.0, 1.0, 0.5};

    private static double effect(int g, int e) {
        return DELTA[g == 3 ? 0 : g == 5 ? 1 : 2] * (1 + e);
    }

    private static Panel heterogeneous(long seed, int perCohort, double preSlope) {
        int[] cohort = SimulatedPanels.cohorts(COHORTS, new int[] {perCohort, perCohort, perCohort, perCohort});
        return SimulatedPanels.balanced(cohort, 10, CallawaySantAnnaTest::effect, preSlope, 1.0,
                new SplittableRandom(seed));
    }

    /** Equal cohort sizes: the simple aggregation weighs every post-adoption (g, t) cell equally. */
    private static double trueOverall() {
        double s = 0;
        int cells = 0;
        for (int j = 0; j < 3; j++) {
            for (int t = COHORTS[j]; t < 10; t++) {
                s += effect(COHORTS[j], t - COHORTS[j]);
                cells++;
            }
        }
        return s / cells;
    }

    private static double trueEventTime(int e) {
        double s = 0;
        int n = 0;
        for (int j = 0; j < 3; j++) {
            if (COHORTS[j] + e < 10) {
                s += e < 0 ? 0 : effect(COHORTS[j], e);
                n++;
            }
        }
        return s / n;
    }

    @Test
    void recoversHeterogeneousDynamicEffectsWhereTwfeIsBiased() {
        Panel p = heterogeneous(21, 60, 0);
        DidResult r = DidAnalysis.analyze(p, DEFAULTS);
        double truth = trueOverall();
        CallawaySantAnnaResult cs = r.callawaySantAnna();
        assertTrue(Math.abs(cs.overall().estimate() - truth) < 4 * cs.overall().se(), "CS " + cs.overall().estimate()
                + " vs truth " + truth + " (SE " + cs.overall().se() + ")");
        for (int e = -3; e <= 6; e++) {
            EventTimeEffect x = cs.atEventTime(e);
            assertTrue(Math.abs(x.estimate().estimate() - trueEventTime(e)) < 4 * x.estimate().se(),
                    "event time " + e + ": " + x.estimate().estimate() + " vs " + trueEventTime(e));
        }
        TwfeResult twfe = r.twfe();
        assertTrue(twfe.staggered());
        double bias = twfe.effect().estimate() - truth;
        assertTrue(Math.abs(bias) > 8 * twfe.effect().se() && Math.abs(bias) > 1.0, "TWFE " + twfe.effect().estimate()
                + " should be biased away from " + truth + " (SE " + twfe.effect().se() + ")");
        // the layer reports CS for staggered adoption and its pre-trend check passes here
        assertEquals(cs.overall(), r.headline());
        assertEquals(PreTrendTest.Status.PASS, r.preTrend().status(), r.preTrend().reason());
        assertEquals(DidResult.Claim.CAUSAL, r.claim());
    }

    @Test
    void divergingPreTrendsFailTheCallawaySantAnnaPreTest() {
        DidResult r = DidAnalysis.analyze(heterogeneous(22, 60, 0.4), DEFAULTS);
        assertEquals(PreTrendTest.Status.FAIL, r.preTrend().status());
        assertEquals(DidResult.Claim.DESCRIPTIVE, r.claim());
    }

    @Test
    void analyticStandardErrorsCover() {
        int sims = 300;
        int covered = 0;
        double truth = trueOverall();
        for (int s = 0; s < sims; s++) {
            CallawaySantAnnaResult r = CallawaySantAnna.estimate(heterogeneous(100 + s, 15, 0), DEFAULTS);
            if (r.overall().ciLow() <= truth && truth <= r.overall().ciHigh()) {
                covered++;
            }
        }
        BinomialDistribution b = BinomialDistribution.of(sims, 0.95);
        int lo = b.inverseCumulativeProbability(0.0005);
        assertTrue(covered >= lo && covered <= sims, "95% intervals covered the truth " + covered + " of " + sims
                + " times, below the 99.9% binomial band's lower end " + lo);
    }

    @Test
    void multiplierBootstrapIsSeededAndAgreesWithTheAnalyticStandardErrors() {
        Panel p = heterogeneous(31, 40, 0);
        DidOptions boot = DEFAULTS.withBootstrap(999, 42);
        CallawaySantAnnaResult a = CallawaySantAnna.estimate(p, boot);
        CallawaySantAnnaResult again = CallawaySantAnna.estimate(p, boot);
        CallawaySantAnnaResult other = CallawaySantAnna.estimate(p, DEFAULTS.withBootstrap(999, 43));
        CallawaySantAnnaResult analytic = CallawaySantAnna.estimate(p, DEFAULTS);
        assertEquals(a, again);
        assertTrue(a.overall().se() != other.overall().se());
        assertTrue(a.inference().contains("multiplier bootstrap"), a.inference());
        assertEquals(analytic.overall().estimate(), a.overall().estimate(), 0);
        double rel = Math.abs(a.overall().se() / analytic.overall().se() - 1);
        assertTrue(rel < 0.15, "bootstrap SE " + a.overall().se() + " vs analytic " + analytic.overall().se());
        for (EventTimeEffect e : a.eventTime()) {
            assertTrue(e.uniformLow() < e.estimate().ciLow() && e.uniformHigh() > e.estimate().ciHigh(),
                    "the simultaneous band contains the pointwise interval at e = " + e.eventTime());
        }
        for (EventTimeEffect e : analytic.eventTime()) {
            assertTrue(Double.isNaN(e.uniformLow()));
        }
    }

    /**
     * Size of the pre-trend test where a chi-square reference fails: 24 units (8 never treated, cohorts adopting in
     * periods 6, 8 and 10), 14 periods, 9 pre-adoption event times, parallel trends true. Over 300 seeded panels the
     * rejection rate at 5% must lie in [2%, 9%] (binomial 99.9% band around 5% is about [2.1%, 8.9%]).
     */
    @Test
    void preTrendTestHoldsItsSizeWithFewUnitsAndManyLeads() {
        int reject = 0;
        int reps = 300;
        for (int rep = 0; rep < reps; rep++) {
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(1000 + rep);
            int n = 24 * 14;
            String[] u = new String[n];
            long[] t = new long[n];
            double[] y = new double[n];
            long[] g = new long[n];
            double[] period = new double[14];
            for (int p = 0; p < 14; p++) {
                period[p] = 2 * p + rnd.nextGaussian();
            }
            int i = 0;
            for (int c = 0; c < 24; c++) {
                long adopt = c < 8 ? 6 : c < 13 ? 8 : c < 16 ? 10 : Panel.NEVER_TREATED;
                double level = 10 * rnd.nextGaussian();
                for (int p = 0; p < 14; p++) {
                    u[i] = "u" + c;
                    t[i] = p;
                    g[i] = adopt;
                    y[i] = level + period[p] + (p >= adopt ? -5 : 0) + 3 * rnd.nextGaussian();
                    i++;
                }
            }
            PreTrendTest test = CallawaySantAnna.estimate(Panel.withFirstTreated(u, t, y, g, null), DEFAULTS).preTrend();
            assertEquals(PreTrendTest.Status.class, test.status().getClass());
            reject += test.status() == PreTrendTest.Status.FAIL ? 1 : 0;
        }
        double rate = (double) reject / reps;
        assertTrue(rate >= 0.02 && rate <= 0.09, "rejection rate under parallel trends " + rate);
    }
}

package dev.verdict.quasi.did;

import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event study's joint pre-trend test: it rejects diverging pre-trends (and the whole layer then refuses a
 * causal claim), and under parallel trends its rejection rate over 400 seeded panels lies in the central 99.9%
 * binomial band around 5%.
 */
class EventStudyPreTrendTest {
    /** 40 units, 8 periods, half adopting at period index 5: leads -5..-2 (4 tested), lags 0..2. */
    private static Panel block(long seed, double preSlope) {
        int[] cohort = SimulatedPanels.cohorts(new int[] {5, -1}, new int[] {20, 20});
        return SimulatedPanels.balanced(cohort, 8, (g, e) -> 3.0 + e, preSlope, 1.0, new SplittableRandom(seed));
    }

    @Test
    void divergingPreTrendsFailTheTestAndRefuseACausalClaim() {
        Panel p = block(7, 0.8);
        EventStudyResult es = EventStudy.fit(p, DidOptions.withDefaults());
        assertEquals(PreTrendTest.Status.FAIL, es.preTrend().status(), es.preTrend().reason());
        assertEquals(4, es.preTrend().df1());
        assertEquals(39, es.preTrend().df2(), 0);
        assertTrue(es.preTrend().pValue() < 1e-4, "p = " + es.preTrend().pValue());
        DidResult r = DidAnalysis.analyze(p, DidOptions.withDefaults());
        assertEquals(DidResult.Claim.DESCRIPTIVE, r.claim());
        assertTrue(r.claimReason().startsWith("descriptive only, no causal claim: pre-trends diverge"), r.claimReason());
    }

    /** One seeded draw under parallel trends (the size test below covers how often such a draw fails). */
    @Test
    void parallelTrendsPassAndAllowACausalClaimWithTheEffectsRecovered() {
        Panel p = block(12, 0.0);
        DidResult r = DidAnalysis.analyze(p, DidOptions.withDefaults());
        assertEquals(PreTrendTest.Status.PASS, r.preTrend().status(), r.preTrend().reason());
        assertEquals(DidResult.Claim.CAUSAL, r.claim());
        EventStudyResult es = r.eventStudy();
        // reference point, 4 leads, 3 lags, in event-time order
        assertEquals(8, es.effects().size());
        assertTrue(es.effects().get(4).reference());
        assertEquals(-1, es.effects().get(4).eventTime());
        for (int e = 0; e <= 2; e++) {
            EventTimeEffect x = es.at(e);
            double truth = 3.0 + e;
            assertTrue(Math.abs(x.estimate().estimate() - truth) < 4 * x.estimate().se(), "event time " + e + ": "
                    + x.estimate());
            assertTrue(x.estimate().ciLow() < x.estimate().ciHigh());
        }
        // the static TWFE estimate is the average post effect (4), CR2 interval around it
        assertTrue(Math.abs(r.twfe().effect().estimate() - 4.0) < 4 * r.twfe().effect().se());
        assertNotNull(r.twoByTwo());
        assertEquals(r.twoByTwo().effect().estimate(), r.twfe().effect().estimate(), 1e-9);
    }

    @Test
    void sizeUnderParallelTrendsIsNearFivePercent() {
        int sims = 400;
        int rejections = 0;
        int divergingRejections = 0;
        for (int s = 0; s < sims; s++) {
            if (EventStudy.fit(block(1000 + s, 0), DidOptions.withDefaults()).preTrend().status()
                    == PreTrendTest.Status.FAIL) {
                rejections++;
            }
        }
        for (int s = 0; s < 100; s++) {
            if (EventStudy.fit(block(5000 + s, 0.5), DidOptions.withDefaults()).preTrend().status()
                    == PreTrendTest.Status.FAIL) {
                divergingRejections++;
            }
        }
        BinomialDistribution b = BinomialDistribution.of(sims, 0.05);
        int lo = b.inverseCumulativeProbability(0.0005);
        int hi = b.inverseCumulativeProbability(0.9995);
        assertTrue(rejections >= lo && rejections <= hi, "rejections " + rejections + " of " + sims + " outside the 99.9%"
                + " binomial band [" + lo + ", " + hi + "] around 5%");
        assertTrue(divergingRejections >= 80, "power against a pre-trend slope of 0.5 noise sd per period: "
                + divergingRejections + " of 100");
    }

    @Test
    void tooFewLeadsIsUntestableNotAPass() {
        int[] cohort = SimulatedPanels.cohorts(new int[] {2, -1}, new int[] {10, 10});
        Panel p = SimulatedPanels.balanced(cohort, 5, (g, e) -> 1, 0, 1, new SplittableRandom(2));
        EventStudyResult es = EventStudy.fit(p, DidOptions.withDefaults());
        assertEquals(PreTrendTest.Status.UNTESTABLE, es.preTrend().status());
        assertTrue(es.preTrend().reason().contains("1 pre-period coefficient(s)"), es.preTrend().reason());
        assertFalse(es.preTrend().passed());
        assertEquals(DidResult.Claim.DESCRIPTIVE, DidAnalysis.analyze(p, DidOptions.withDefaults()).claim());
        // with the threshold lowered to one lead it runs
        EventStudyResult one = EventStudy.fit(p, DidOptions.withDefaults().withMinPreTrendLeads(1));
        assertTrue(one.preTrend().status() != PreTrendTest.Status.UNTESTABLE);
    }

    @Test
    void windowBinsTheEndPoints() {
        Panel p = block(9, 0);
        EventStudyResult es = EventStudy.fit(p, DidOptions.withDefaults().withWindow(3, 1));
        assertEquals("<= -3", es.effects().get(0).label());
        assertTrue(es.effects().get(0).binned());
        assertEquals(">= 1", es.effects().get(es.effects().size() - 1).label());
        assertEquals(es.at(-5), es.at(-3));
        assertEquals(2, es.preTrend().df1());
    }

    @Test
    void noNeverTreatedUnitsAndFullWindowIsRefusedWithTheFix() {
        int[] cohort = SimulatedPanels.cohorts(new int[] {3, 5}, new int[] {10, 10});
        Panel p = SimulatedPanels.balanced(cohort, 8, (g, e) -> 1, 0, 1, new SplittableRandom(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EventStudy.fit(p, DidOptions.withDefaults()));
        assertTrue(e.getMessage().contains("bin"), e.getMessage());
        EventStudyResult binned = EventStudy.fit(p, DidOptions.withDefaults().withWindow(2, 2));
        assertEquals(5, binned.effects().size());
    }
}

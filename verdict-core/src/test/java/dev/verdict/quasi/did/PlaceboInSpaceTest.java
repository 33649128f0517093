package dev.verdict.quasi.did;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Placebo-in-space inference for a single treated unit: hand-worked numbers, an independent brute force on
 * California's Proposition 99, size and coverage over seeded panels, and the placebo pre-trend test with a positive
 * control (a treated unit drifting before adoption fails it).
 */
class PlaceboInSpaceTest {
    private static final DidOptions DEFAULTS = DidOptions.withDefaults();

    /** Two periods; the treated unit changes by -10, the five controls by 1..5: b = -13, placebos (5d - 15)/4. */
    @Test
    void handWorkedTwoPeriodPanel() {
        double[] change = {-10, 1, 2, 3, 4, 5};
        List<String> unit = new ArrayList<>();
        List<Long> period = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<Boolean> treated = new ArrayList<>();
        for (int u = 0; u < change.length; u++) {
            for (int t = 0; t < 2; t++) {
                unit.add("u" + u);
                period.add((long) t);
                y.add(100.0 + 7 * u + (t == 1 ? change[u] : 0));
                treated.add(u == 0 && t == 1);
            }
        }
        Panel p = panel(unit, period, y, treated);
        DidResult r = DidAnalysis.analyze(p, DEFAULTS.withAlpha(0.4));
        PlaceboInSpace pl = r.placebo();
        assertNotNull(pl);
        assertEquals(-13.0, r.headline().estimate(), 1e-9);
        double[] expected = {-2.5, -1.25, 0, 1.25, 2.5};
        for (int j = 0; j < 5; j++) {
            assertEquals(expected[j], pl.placebos().get(j).estimate(), 1e-9, "placebo " + j);
            assertEquals("u" + (j + 1), pl.placebos().get(j).unit());
        }
        assertEquals(1.0 / 6, r.headline().pValue(), 1e-12, "no placebo is as large as |-13|");
        assertEquals(1.0 / 6, pl.smallestP(), 1e-12);
        assertTrue(Double.isNaN(r.headline().se()), "no standard error");
        // alpha 0.4: the smallest count with (1 + m)/6 >= 0.4 is m = 2, the second largest |b_j| is 2.5
        assertEquals(-15.5, r.headline().ciLow(), 1e-9);
        assertEquals(-10.5, r.headline().ciHigh(), 1e-9);
        // at alpha 0.05 no finite interval exists with 5 comparison units
        DidResult r05 = DidAnalysis.analyze(p, DEFAULTS);
        assertEquals(Double.NEGATIVE_INFINITY, r05.headline().ciLow());
        assertEquals(Double.POSITIVE_INFINITY, r05.headline().ciHigh());
        assertEquals(PreTrendTest.Status.UNTESTABLE, r05.preTrend().status(), "two periods have no leads");
    }

    /** Boundary of the finite interval from 1/(J + 1) < alpha: J = 19 at alpha 0.05 gives p >= 1/20, never below. */
    @Test
    void finiteIntervalNeedsMoreThanNineteenComparisonsAtFivePercent() {
        assertEquals(20, PlaceboInSpace.comparisonsForFiniteInterval(0.05));
        assertEquals(10, PlaceboInSpace.comparisonsForFiniteInterval(0.1));
        double[] nineteen = new double[19];
        double[] twenty = new double[20];
        java.util.Arrays.fill(nineteen, 1);
        java.util.Arrays.fill(twenty, 1);
        assertEquals(Double.POSITIVE_INFINITY, PlaceboInSpace.interval(nineteen, 0, 0.05)[1]);
        assertEquals(1.0, PlaceboInSpace.interval(twenty, 0, 0.05)[1]);
    }

    @Test
    void intervalIsTheInvertedPermutationTest() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int rep = 0; rep < 200; rep++) {
            int j = 3 + rnd.nextInt(60);
            double[] abs = new double[j];
            for (int i = 0; i < j; i++) {
                abs[i] = Math.abs(rnd.nextGaussian());
            }
            double b = rnd.nextGaussian() * 2;
            double alpha = 0.01 + 0.3 * rnd.nextDouble();
            double[] ci = PlaceboInSpace.interval(abs, b, alpha);
            for (int k = 0; k < 50; k++) {
                double beta = b + 4 * rnd.nextGaussian();
                boolean accepted = PlaceboInSpace.permutationP(abs, Math.abs(b - beta)) >= alpha;
                boolean inside = beta >= ci[0] && beta <= ci[1];
                assertEquals(accepted, inside, "beta " + beta + " ci " + ci[0] + ", " + ci[1]);
            }
        }
    }

    /** Prop 99 (balanced, one treated state, 38 donors): every placebo equals the 2x2 of unit means by hand. */
    @Test
    void prop99PlacebosEqualTwoByTwoByHand() {
        Panel p = Prop99.panel();
        DidResult r = DidAnalysis.analyze(p, DEFAULTS);
        PlaceboInSpace pl = r.placebo();
        assertNotNull(pl);
        assertEquals(38, pl.placebos().size());
        assertEquals(Prop99.reference("prop99_did_estimate", "estimate"), r.headline().estimate(), 1e-8 * 27.35);
        int adopt = -1;
        int treatedUnit = -1;
        for (int u = 0; u < p.unitCount(); u++) {
            if (p.cohort(u) != Panel.NEVER) {
                adopt = p.cohort(u);
                treatedUnit = u;
            }
        }
        double[] change = new double[p.unitCount()];
        for (int u = 0; u < p.unitCount(); u++) {
            double pre = 0;
            double post = 0;
            int npre = 0;
            int npost = 0;
            for (int row = p.start(u); row < p.end(u); row++) {
                if (p.periodIndex(row) >= adopt) {
                    post += p.outcome(row);
                    npost++;
                } else {
                    pre += p.outcome(row);
                    npre++;
                }
            }
            change[u] = post / npost - pre / npre;
        }
        int k = 0;
        int extreme = 0;
        for (int j = 0; j < p.unitCount(); j++) {
            if (j == treatedUnit) {
                continue;
            }
            double others = 0;
            for (int u = 0; u < p.unitCount(); u++) {
                others += u != j && u != treatedUnit ? change[u] : 0;
            }
            double bj = change[j] - others / 37;
            assertEquals(bj, pl.placebos().get(k++).estimate(), 1e-9, "donor " + p.units().get(j));
            extreme += Math.abs(bj) >= Math.abs(r.headline().estimate()) ? 1 : 0;
        }
        assertEquals((1.0 + extreme) / 39, r.headline().pValue(), 1e-12);
        assertTrue(Double.isFinite(r.headline().ciLow()), "38 donors give a finite 95% interval");
        assertTrue(r.headline().method().contains("placebo-in-space"), r.headline().method());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("placebo in space")), r.notes().toString());
    }

    /**
     * Unit and period effects with AR(1) unit noise, 29 comparison units, adoption in period 6 of 10: over 400 seeds
     * the 95% interval covers the true effect within the 99.9% binomial band around its exact level, and with no
     * effect the test rejects within the band around its exact size; the placebo pre-trend test holds its size under parallel trends and rejects a
     * treated unit that drifts before adoption.
     */
    @Test
    void coverageSizeAndPreTrendTestOverSeeds() {
        int reps = 400;
        int covered = 0;
        int nullRejections = 0;
        int preTrendRejections = 0;
        int driftRejections = 0;
        for (int seed = 0; seed < reps; seed++) {
            Panel withEffect = simulated(seed, 3.0, 0);
            DidResult r = DidAnalysis.analyze(withEffect, DEFAULTS);
            covered += r.headline().ciLow() <= 3.0 && 3.0 <= r.headline().ciHigh() ? 1 : 0;
            preTrendRejections += r.preTrend().status() == PreTrendTest.Status.FAIL ? 1 : 0;
            DidResult zero = DidAnalysis.analyze(simulated(seed, 0.0, 0), DEFAULTS);
            nullRejections += zero.headline().pValue() < 0.05 ? 1 : 0;
            assertEquals(zero.headline().pValue() < 0.05,
                    zero.headline().ciLow() > 0 || zero.headline().ciHigh() < 0, "p and interval agree");
            if (seed < 100) {
                DidResult drift = DidAnalysis.analyze(simulated(seed, 3.0, 1.5), DEFAULTS);
                driftRejections += drift.preTrend().status() == PreTrendTest.Status.FAIL ? 1 : 0;
                if (!drift.preTrend().passed()) {
                    assertEquals(DidResult.Claim.DESCRIPTIVE, drift.claim(), "a failed pre-trend test refuses a claim");
                }
            }
        }
        // With 29 placebos p takes the values k/30, and p < 0.05 only at 1/30: the exact size is 1/30 (3.33%) and the
        // interval's coverage 29/30 (96.7%). 99.9% binomial bands for 400 draws: [2, 25] rejections, [375, 398] covered.
        // (Seen: 387 covered, 13 and 9 rejections.)
        assertTrue(covered >= 375 && covered <= 398, "coverage " + covered + "/400");
        assertTrue(nullRejections >= 2 && nullRejections <= 25, "size " + nullRejections + "/400");
        assertTrue(preTrendRejections >= 2 && preTrendRejections <= 25, "pre-trend size " + preTrendRejections + "/400");
        assertTrue(driftRejections >= 80, "drifting treated unit rejected in " + driftRejections + "/100");
    }

    @Test
    void notUsedWithSeveralTreatedUnitsOrOneComparison() {
        Panel several = simulated(1, 3.0, 0, 2, 10);
        assertNull(DidAnalysis.analyze(several, DEFAULTS).placebo());
        Panel two = simulated(1, 3.0, 0, 1, 1);
        assertNull(DidAnalysis.analyze(two, DEFAULTS).placebo());
    }

    private static Panel simulated(long seed, double effect, double preSlope) {
        return simulated(seed, effect, preSlope, 1, 29);
    }

    /** {@code treatedUnits} units adopt in period 6 of 10; the treated drift by preSlope per period before that. */
    private static Panel simulated(long seed, double effect, double preSlope, int treatedUnits, int controls) {
        SplittableRandom rnd = new SplittableRandom(seed * 7919 + 17);
        List<String> unit = new ArrayList<>();
        List<Long> period = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<Boolean> treated = new ArrayList<>();
        double[] periodEffect = new double[10];
        for (int t = 0; t < 10; t++) {
            periodEffect[t] = 2 * rnd.nextGaussian() + 0.5 * t;
        }
        for (int u = 0; u < treatedUnits + controls; u++) {
            boolean isTreated = u < treatedUnits;
            double level = 50 + 10 * rnd.nextGaussian();
            double e = 0;
            for (int t = 0; t < 10; t++) {
                e = 0.5 * e + rnd.nextGaussian();
                boolean on = isTreated && t >= 6;
                double drift = isTreated && t < 6 ? preSlope * (t - 5) : 0;
                unit.add(String.format("unit-%02d", u));
                period.add((long) t);
                y.add(level + periodEffect[t] + e + drift + (on ? effect : 0));
                treated.add(on);
            }
        }
        return panel(unit, period, y, treated);
    }

    private static Panel panel(List<String> unit, List<Long> period, List<Double> y, List<Boolean> treated) {
        int n = unit.size();
        boolean[] tr = new boolean[n];
        for (int i = 0; i < n; i++) {
            tr[i] = treated.get(i);
        }
        return Panel.withIndicator(unit.toArray(String[]::new), period.stream().mapToLong(Long::longValue).toArray(),
                y.stream().mapToDouble(Double::doubleValue).toArray(), tr, null);
    }
}

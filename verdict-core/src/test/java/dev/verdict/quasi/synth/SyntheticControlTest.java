package dev.verdict.quasi.synth;

import dev.verdict.stats.Estimate;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.verdict.quasi.synth.Prop99.REL_TOL;
import static dev.verdict.quasi.synth.Prop99.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The analysis layer: Proposition 99 through {@link SyntheticControl} against synthdid 0.0.9 (estimate, placebo SE and
 * weights by name, 1e-8 relative as in {@link SynthDidReferenceTest}), the plot paths' identities, the placebo-in-space
 * test recomputed independently, and a positive control for every check (outside-the-hull pre-fit failure, exclusion,
 * unreachable significance).
 */
class SyntheticControlTest {
    private static final List<String> CA = List.of("California");

    @Test
    void prop99DefaultIsSynthdidWithItsPlaceboStandardError() {
        SyntheticControlResult r = SyntheticControl.withDefaults().analyze(Prop99.PANEL, CA, "1989");
        String id = "prop99_synthdid";
        assertEquals(SynthDid.Method.SYNTHDID, r.method());
        assertEquals(19, r.preperiods());
        assertEquals(12, r.postperiods());
        Estimate e = r.effect();
        assertEquals("synthdid_placebo_se", e.method());
        assertRelative(Prop99.num(id, "estimate"), e.estimate(), REL_TOL, id + " estimate");
        assertRelative(Prop99.num(id, "se_placebo"), e.se(), REL_TOL, id + " se_placebo, set.seed(12345)");
        assertEquals(e.estimate() - 1.959963984540054 * e.se(), e.ciLow(), 1e-9);
        assertEquals(38, r.donorWeights().size());
        for (SyntheticControlResult.UnitWeight w : r.donorWeights()) {
            assertWeight(Prop99.num(id, "omega", w.unit()), w.weight(), id + " omega " + w.unit());
        }
        for (SyntheticControlResult.PeriodWeight w : r.timeWeights()) {
            assertWeight(Prop99.num(id, "lambda", w.period()), w.weight(), id + " lambda " + w.period());
        }
    }

    @Test
    void scAndDidThroughTheAnalysisMatchSynthdid() {
        SyntheticControlResult sc = SyntheticControl.withDefaults().withMethod(SynthDid.Method.SYNTHETIC_CONTROL)
                .withPlaceboReplications(0).analyze(Prop99.PANEL, CA, "1989");
        assertRelative(Prop99.num("prop99_sc_estimate", "estimate"), sc.effect().estimate(), REL_TOL, "sc estimate");
        assertEquals("sc_no_se", sc.effect().method());
        assertTrue(Double.isNaN(sc.effect().se()));
        SyntheticControlResult did = SyntheticControl.withDefaults().withMethod(SynthDid.Method.DID)
                .withPlaceboReplications(0).analyze(Prop99.PANEL, CA, "1989");
        assertRelative(Prop99.num("prop99_did_estimate", "estimate"), did.effect().estimate(), REL_TOL, "did estimate");
    }

    @Test
    void pathsAreConsistentWithTheEstimate() {
        SyntheticControlResult r = SyntheticControl.withDefaults().withPlaceboReplications(0)
                .analyze(Prop99.PANEL, CA, "1989");
        SyntheticControlResult.Paths p = r.paths();
        double[] ca = Prop99.PANEL.series(Prop99.PANEL.unitIndex("California"));
        assertEquals(31, p.periods().size());
        double post = 0;
        double pre = 0;
        for (int t = 0; t < 31; t++) {
            assertEquals(ca[t], p.treated().get(t), 0.0);
            assertEquals(p.treated().get(t) - p.gap().get(t), p.synthetic().get(t), 1e-12);
            if (t >= 19) {
                post += p.gap().get(t);
            } else {
                pre += p.gap().get(t) * p.gap().get(t);
            }
        }
        assertEquals(r.effect().estimate(), post / 12, 1e-10, "the effect is the mean post-period gap");
        assertEquals(Math.sqrt(pre / 19), r.preRmspe(), 1e-12);
        // the synthetic path is the omega-weighted donors plus the lambda-weighted pre-period difference
        double[] synthetic = new double[31];
        for (SyntheticControlResult.UnitWeight w : r.donorWeights()) {
            double[] s = Prop99.PANEL.series(Prop99.PANEL.unitIndex(w.unit()));
            for (int t = 0; t < 31; t++) {
                synthetic[t] += w.weight() * s[t];
            }
        }
        double shift = 0;
        for (int t = 0; t < 19; t++) {
            shift += r.timeWeights().get(t).weight() * (ca[t] - synthetic[t]);
        }
        for (int t = 0; t < 31; t++) {
            assertEquals(synthetic[t] + shift, p.synthetic().get(t), 1e-10);
        }
    }

    @Test
    void placeboInSpaceIsEachDonorAgainstTheOthersAndThePValueIsItsRank() {
        SyntheticControlResult r = SyntheticControl.withDefaults().withMethod(SynthDid.Method.SYNTHETIC_CONTROL)
                .withPlaceboReplications(0).analyze(Prop99.PANEL, CA, "1989");
        SyntheticControlResult.PlaceboTest test = r.placebo();
        assertEquals(38, test.donors());
        assertEquals(38, test.placebos().size());
        // one placebo recomputed by hand: Utah treated, the other 37 donors (California left out) as its pool
        List<String> pool = new ArrayList<>(Prop99.controls());
        pool.remove("Utah");
        pool.add("Utah");
        double[][] y = new double[38][];
        for (int i = 0; i < 38; i++) {
            y[i] = Prop99.PANEL.series(Prop99.PANEL.unitIndex(pool.get(i)));
        }
        SyntheticControlResult.Placebo utah = test.placebos().stream().filter(p -> p.unit().equals("Utah"))
                .findFirst().orElseThrow();
        assertEquals(SynthDid.estimate(y, 37, 19, SynthDid.Method.SYNTHETIC_CONTROL).estimate(), utah.estimate(), 0.0);
        // exclusion, rank and p recomputed from the runs
        double treatedMspe = r.preRmspe() * r.preRmspe();
        int kept = 0;
        int rank = 1;
        for (SyntheticControlResult.Placebo p : test.placebos()) {
            boolean keep = p.preRmspe() * p.preRmspe() <= 5 * treatedMspe;
            assertEquals(keep, p.kept(), p.unit());
            assertEquals(p.postRmspe() / p.preRmspe(), p.ratio(), 1e-12);
            if (keep) {
                kept++;
                rank += p.ratio() >= test.treatedRatio() ? 1 : 0;
            }
        }
        assertTrue(kept < 38, "some donors fit too poorly to be kept");
        assertEquals(kept, test.kept());
        assertEquals(kept, test.keptPlacebos().size());
        assertEquals(rank, test.rank());
        assertEquals((double) rank / (kept + 1), test.pValue(), 0.0);
        assertEquals(1.0 / (kept + 1), test.smallestPValue(), 0.0);
        assertEquals(1.0 / 39, test.smallestPValueAllDonors(), 0.0);
        assertEquals(r.postRmspe() / r.preRmspe(), test.treatedRatio(), 1e-12);
    }

    @Test
    void exclusionMultipleControlsWhichPlacebosAreKept() {
        SyntheticControl sc = SyntheticControl.withDefaults().withMethod(SynthDid.Method.SYNTHETIC_CONTROL)
                .withPlaceboReplications(0);
        SyntheticControlResult all = sc.withExclusionMultiple(Double.POSITIVE_INFINITY).analyze(Prop99.PANEL, CA, "1989");
        assertEquals(38, all.placebo().kept());
        SyntheticControlResult strict = sc.withExclusionMultiple(2).analyze(Prop99.PANEL, CA, "1989");
        SyntheticControlResult loose = sc.withExclusionMultiple(20).analyze(Prop99.PANEL, CA, "1989");
        assertTrue(strict.placebo().kept() < loose.placebo().kept());
        assertTrue(loose.placebo().kept() <= 38);
        // New Hampshire, the state with the highest consumption, lies outside the others' hull: dropped at 20x
        assertFalse(loose.placebo().placebos().stream().filter(p -> p.unit().equals("New Hampshire")).findFirst()
                .orElseThrow().kept());
    }

    @Test
    void aLargeEffectWithManyDonorsRanksFirstAndIsSignificant() {
        Panel panel = SimulatedPanel.panel(SimulatedPanel.matrix(40, 40, 30, 25.0, 0.3, 3));
        SyntheticControlResult r = SyntheticControl.withDefaults().withPlaceboReplications(0)
                .withExclusionMultiple(Double.POSITIVE_INFINITY).analyze(panel, List.of("unit0"), "2030");
        assertEquals(25.0, r.effect().estimate(), 1.0);
        assertEquals(1, r.placebo().rank());
        assertEquals(1.0 / 40, r.placebo().pValue(), 0.0);
        assertTrue(r.placebo().significanceReachable());
        assertTrue(r.placebo().significant());
    }

    @Test
    void withFewDonorsSignificanceIsUnreachableEvenAtRankOne() {
        // positive control of the flag: 9 donors, smallest p = 1/10 > 0.05 although the treated unit ranks first
        Panel panel = SimulatedPanel.panel(SimulatedPanel.matrix(10, 30, 20, 25.0, 0.3, 3));
        SyntheticControlResult r = SyntheticControl.withDefaults().withPlaceboReplications(0)
                .withExclusionMultiple(Double.POSITIVE_INFINITY).analyze(panel, List.of("unit0"), "2020");
        assertEquals(1, r.placebo().rank());
        assertEquals(0.1, r.placebo().smallestPValue(), 0.0);
        assertEquals(0.1, r.placebo().pValue(), 0.0);
        assertFalse(r.placebo().significanceReachable());
        assertFalse(r.placebo().significant());
        SyntheticControlResult at10 = SyntheticControl.withDefaults().withPlaceboReplications(0).withAlpha(0.10)
                .withExclusionMultiple(Double.POSITIVE_INFINITY).analyze(panel, List.of("unit0"), "2020");
        assertTrue(at10.placebo().significanceReachable());
        assertTrue(at10.placebo().significant());
    }

    @Test
    void preFitPassesOnProp99AndFailsOutsideTheConvexHull() {
        SyntheticControl sdid = SyntheticControl.withDefaults().withPlaceboReplications(0);
        SyntheticControlResult.PreFitCheck ok = sdid.analyze(Prop99.PANEL, CA, "1989").preFit();
        assertTrue(ok.passed(), ok.toString());
        assertEquals(ok.preRmspe() / ok.treatedPreSd(), ok.ratio(), 1e-12);
        assertTrue(ok.ratio() < 0.25, ok.toString());
        // DiD's parallel-trends fit of California is poor: the check says so on real data
        assertFalse(sdid.withMethod(SynthDid.Method.DID).analyze(Prop99.PANEL, CA, "1989").preFit().passed());

        double[][] base = SimulatedPanel.matrix(20, 30, 20, 0, 0.3, 9);
        // treated above every donor in every period: outside the hull; synthetic control (no intercept) cannot fit it
        double[][] above = copy(base);
        for (int t = 0; t < 30; t++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 1; i < 20; i++) {
                max = Math.max(max, base[i][t]);
            }
            above[0][t] = max + 15;
        }
        SyntheticControlResult.PreFitCheck scAbove = sdid.withMethod(SynthDid.Method.SYNTHETIC_CONTROL)
                .analyze(SimulatedPanel.panel(above), List.of("unit0"), "2020").preFit();
        assertFalse(scAbove.passed(), scAbove.toString());
        // synthdid's intercept absorbs a level difference, but not a trend no donor has
        double[][] shifted = copy(base);
        double[][] trend = copy(base);
        for (int t = 0; t < 30; t++) {
            shifted[0][t] = base[0][t] + 15;
            trend[0][t] = base[0][t] + 2.0 * t;
        }
        assertTrue(sdid.analyze(SimulatedPanel.panel(shifted), List.of("unit0"), "2020").preFit().passed());
        SyntheticControlResult.PreFitCheck steep = sdid.analyze(SimulatedPanel.panel(trend), List.of("unit0"), "2020")
                .preFit();
        assertFalse(steep.passed(), steep.toString());
        assertTrue(sdid.withPreFitThreshold(10).analyze(SimulatedPanel.panel(trend), List.of("unit0"), "2020")
                .preFit().passed(), "the threshold is the declared rule");
    }

    @Test
    void blockAdoptionAveragesTheTreatedUnits() {
        double[][] y = SimulatedPanel.matrix(30, 25, 18, 4.0, 0.3, 21);
        for (int t = 18; t < 25; t++) {
            y[1][t] += 4.0;
        }
        Panel panel = SimulatedPanel.panel(y);
        SyntheticControlResult r = SyntheticControl.withDefaults().withPlaceboReplications(50)
                .analyze(panel, List.of("unit0", "unit1"), "2018");
        double[][] m = new double[30][];
        for (int i = 2; i < 30; i++) {
            m[i - 2] = y[i];
        }
        m[28] = y[0];
        m[29] = y[1];
        assertEquals(SynthDid.estimate(m, 28, 18, SynthDid.Method.SYNTHDID).estimate(), r.effect().estimate(), 0.0);
        assertEquals(4.0, r.effect().estimate(), 1.0);
        assertEquals(28, r.placebo().donors());
        for (int t = 0; t < 25; t++) {
            assertEquals((y[0][t] + y[1][t]) / 2, r.paths().treated().get(t), 1e-12);
        }
        assertTrue(r.effect().se() > 0);
    }

    @Test
    void sameInputsGiveEqualResults() {
        Panel panel = SimulatedPanel.panel(SimulatedPanel.matrix(15, 20, 14, 2.0, 0.5, 4));
        SyntheticControl a = SyntheticControl.withDefaults().withPlaceboReplications(20).withSeed(7);
        assertEquals(a.analyze(panel, List.of("unit0"), "2014"), a.analyze(panel, List.of("unit0"), "2014"));
    }

    @Test
    void badInputsAreRefusedWithTheValueAndTheFix() {
        SyntheticControl sc = SyntheticControl.withDefaults();
        Panel panel = SimulatedPanel.panel(SimulatedPanel.matrix(6, 10, 5, 0, 1, 1));
        assertMessage(() -> sc.analyze(panel, List.of("Atlantis"), "2005"), "'Atlantis' is not in the panel");
        assertMessage(() -> sc.analyze(panel, List.of("unit0", "unit0"), "2005"), "listed twice");
        assertMessage(() -> sc.analyze(panel, List.of(), "2005"), "empty");
        assertMessage(() -> sc.analyze(panel, List.of("unit0"), "1999"), "'1999' is not a period");
        assertMessage(() -> sc.analyze(panel, List.of("unit0"), "2001"), "at least 2 periods before");
        assertMessage(() -> sc.analyze(panel, List.of("unit0", "unit1", "unit2", "unit3"), "2005"), "at least 3");
        assertMessage(() -> sc.withAlpha(1.5), "alpha");
        assertMessage(() -> sc.withPlaceboReplications(1), "at least 2");
        assertMessage(() -> sc.withExclusionMultiple(0.5), ">= 1");
        assertMessage(() -> sc.withPreFitThreshold(Double.NaN), "preFitThreshold");
        assertMessage(() -> Panel.of(List.of("a", "a"), List.of("1"), new double[][] {{1}, {2}}), "appears twice");
        assertMessage(() -> Panel.fromObservations(List.of(new Panel.Observation("a", "1", 1)), List.of("1", "2")),
                "no outcome in period '2'");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String fragment) {
        String message = assertThrows(IllegalArgumentException.class, call).getMessage();
        assertTrue(message.contains(fragment), message);
    }

    private static double[][] copy(double[][] y) {
        double[][] c = new double[y.length][];
        for (int i = 0; i < y.length; i++) {
            c[i] = y[i].clone();
        }
        return c;
    }

    private static void assertWeight(double expected, double actual, String source) {
        if (expected == 0) {
            assertEquals(0, actual, 1e-12, source);
        } else {
            assertRelative(expected, actual, REL_TOL, source);
        }
    }
}

package dev.verdict.quasi.rd;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static dev.verdict.quasi.rd.RdReference.MARGIN;
import static dev.verdict.quasi.rd.RdReference.VOTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Invariants, determinism, the sensitivity table, plot data and error messages. */
class RdPropertyTest {

    @Test
    void rowOrderDoesNotMatter() {
        int n = VOTE.length;
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom r = new SplittableRandom(1);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        double[] y = new double[n];
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = VOTE[perm[i]];
            x[i] = MARGIN[perm[i]];
        }
        RdEstimate a = RdRobust.withDefaults().sharp(VOTE, MARGIN, 0.0);
        RdEstimate b = RdRobust.withDefaults().sharp(y, x, 0.0);
        assertEquals(a.robust().estimate(), b.robust().estimate(), 1e-10);
        assertEquals(a.robust().se(), b.robust().se(), 1e-10);
        assertEquals(a.bandwidths().hLeft(), b.bandwidths().hLeft(), 1e-9);
        RdEstimate again = RdRobust.withDefaults().sharp(VOTE, MARGIN, 0.0);
        assertEquals(a.robust(), again.robust(), "same input, same output");
        assertEquals(a.bandwidths(), again.bandwidths());
    }

    /** Leverage corrections only inflate: HC0 <= HC2 <= HC3 at fixed bandwidths. */
    @Test
    void hcVariancesAreOrdered() {
        RdRobust base = RdRobust.withDefaults().withBandwidths(Bandwidths.manual(15, 25));
        double hc0 = base.withVariance(RdVariance.HC0).sharp(VOTE, MARGIN, 0.0).robust().se();
        double hc2 = base.withVariance(RdVariance.HC2).sharp(VOTE, MARGIN, 0.0).robust().se();
        double hc3 = base.withVariance(RdVariance.HC3).sharp(VOTE, MARGIN, 0.0).robust().se();
        assertTrue(hc0 < hc2 && hc2 < hc3, hc0 + " " + hc2 + " " + hc3);
    }

    /** The Epanechnikov conventional estimate is the jump of two independent weighted least-squares lines. */
    @Test
    void epanechnikovMatchesBruteForceWls() {
        double h = 12;
        RdEstimate e = RdRobust.withDefaults().withKernel(RdKernel.EPANECHNIKOV).withBandwidths(Bandwidths.manual(h))
                .sharp(VOTE, MARGIN, 0.0);
        double[] left = wlsLine(h, false);
        double[] right = wlsLine(h, true);
        assertEquals(right[0] - left[0], e.conventional().estimate(), 1e-10);
        assertEquals(left[1], e.fitLeft()[1], 1e-10);
    }

    private static double[] wlsLine(double h, boolean right) {
        double s0 = 0, s1 = 0, s2 = 0, t0 = 0, t1 = 0;
        for (int i = 0; i < VOTE.length; i++) {
            double x = MARGIN[i];
            if (Double.isNaN(VOTE[i]) || (x >= 0) != right || Math.abs(x / h) > 1) {
                continue;
            }
            double w = 0.75 * (1 - (x / h) * (x / h));
            s0 += w;
            s1 += w * x;
            s2 += w * x * x;
            t0 += w * VOTE[i];
            t1 += w * x * VOTE[i];
        }
        double det = s0 * s2 - s1 * s1;
        return new double[] {(s2 * t0 - s1 * t1) / det, (s0 * t1 - s1 * t0) / det};
    }

    @Test
    void sensitivityTableRefitsAtEachFactor() {
        RdEstimate e = RdRobust.withDefaults().sharp(VOTE, MARGIN, 0.0);
        List<BandwidthSensitivity.Row> rows = BandwidthSensitivity.table(RdRobust.withDefaults(), VOTE, MARGIN, 0.0,
                e.bandwidths(), BandwidthSensitivity.DEFAULT_FACTORS);
        assertEquals(5, rows.size());
        BandwidthSensitivity.Row one = rows.get(2);
        assertEquals(1.0, one.factor());
        assertEquals(e.robust().estimate(), one.robust().estimate(), 1e-12);
        assertEquals(e.conventional().se(), one.conventional().se(), 1e-12);
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(rows.get(i).nhLeft() >= rows.get(i - 1).nhLeft(), "wider windows hold more observations");
            assertEquals(rows.get(i).factor() * e.bandwidths().hLeft(), rows.get(i).bandwidths().hLeft(), 1e-9);
        }
    }

    @Test
    void plotDataBinsEveryObservationAndMeetsTheFitAtTheCutoff() {
        RdEstimate e = RdRobust.withDefaults().sharp(VOTE, MARGIN, 0.0);
        RdPlotData p = RdPlotData.of(VOTE, MARGIN, e, 20, 50);
        assertEquals(e.nLeft(), p.binsLeft().stream().mapToInt(RdPlotData.Bin::count).sum());
        assertEquals(e.nRight(), p.binsRight().stream().mapToInt(RdPlotData.Bin::count).sum());
        for (RdPlotData.Bin b : p.binsLeft()) {
            assertTrue(b.meanX() >= b.lower() && b.meanX() < b.upper() && b.upper() <= 0, b.toString());
        }
        for (RdPlotData.Bin b : p.binsRight()) {
            assertTrue(b.meanX() >= b.lower() && b.meanX() <= b.upper() && b.lower() >= 0, b.toString());
        }
        assertEquals(e.muLeft(), p.fitLeft().get(49).fitted(), 1e-12);
        assertEquals(0.0, p.fitLeft().get(49).x());
        assertEquals(e.muRight(), p.fitRight().get(0).fitted(), 1e-12);
        assertEquals(-e.bandwidths().hLeft(), p.fitLeft().get(0).x(), 1e-12);
    }

    @Test
    void analysisBundlesEstimateAndChecks() {
        RdReport r = RdAnalysis.withDefaults().run(VOTE, null, MARGIN, 0.0,
                List.of(new Covariate("termshouse", RdReference.TERMS_HOUSE)));
        assertEquals(RdRobust.withDefaults().sharp(VOTE, MARGIN, 0.0).robust(), r.estimate().robust());
        assertTrue(r.densityPasses());
        assertEquals(1, r.covariates().size());
        assertEquals(5, r.sensitivity().size());
        assertEquals(r.densityPasses() && r.covariatesPass(), r.checksPass());
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RdRobust.withDefaults().sharp(VOTE, MARGIN, 150.0));
        assertTrue(e.getMessage().contains("cutoff 150.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RdRobust.withDefaults().sharp(new double[3], MARGIN, 0.0));
        assertTrue(e.getMessage().contains("has 3 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RdRobust.withDefaults().sharp(new double[] {1, 2, 3, 4}, new double[] {-2, -1, 1, 2}, 0.0));
        assertTrue(e.getMessage().contains("at least 20"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Bandwidths.manual(Double.NaN));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RdRobust.withDefaults().withOrder(-1));
        assertTrue(e.getMessage().contains("polynomial order p"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RdRobust.withDefaults().withBandwidths(Bandwidths.manual(0.05)).sharp(VOTE, MARGIN, 0.0));
        assertTrue(e.getMessage().contains("widen the bandwidth"), e.getMessage());
    }
}

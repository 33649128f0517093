package dev.verdict.quasi.rd;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import static dev.verdict.quasi.rd.RdReference.MARGIN;
import static dev.verdict.quasi.rd.RdReference.REL_TOL;
import static dev.verdict.quasi.rd.RdReference.assertReference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The density plot data ({@link DensityTest#plotData}): at the cutoff it is the test's own estimate, elsewhere it
 * recovers known densities, its histogram is normalised like the estimate, and bunching shows as a gap (positive
 * control).
 */
class DensityPlotDataTest {
    /** The plot's points at the cutoff versus the test's; they differ only by rounding (about 3e-11 seen). */
    private static final double SAME = 1e-9;

    private static void sameAsTest(DensityTest t, double[] x, double c) {
        DensityTestResult d = t.test(x, c);
        DensityPlotData p = t.plotData(x, c, d, 25);
        DensityPlotData.Point l = p.left().get(p.left().size() - 1);
        DensityPlotData.Point r = p.right().get(0);
        assertEquals(c, l.x(), 0);
        assertEquals(c, r.x(), 0);
        assertEquals(d.fLeft(), l.density(), SAME * Math.abs(d.fLeft()), "f_left(c)");
        assertEquals(d.fRight(), r.density(), SAME * Math.abs(d.fRight()), "f_right(c)");
        assertEquals(d.seLeft(), l.se(), SAME * d.seLeft(), "se_left(c)");
        assertEquals(d.seRight(), r.se(), SAME * d.seRight(), "se_right(c)");
        assertEquals(d.p() + 1, p.order());
        assertEquals(d.hLeft(), p.hLeft(), 0);
        assertEquals(d.hRight(), p.hRight(), 0);
    }

    @Test
    void pointsAtTheCutoffAreTheTestsEstimates() {
        sameAsTest(DensityTest.withDefaults(), MARGIN, 0.0);
        sameAsTest(DensityTest.withDefaults().withBandwidth(10), MARGIN, 0.0);
        sameAsTest(DensityTest.withDefaults().withKernel(RdKernel.UNIFORM).withOrder(1), MARGIN, 5.0);
        sameAsTest(DensityTest.withDefaults().withKernel(RdKernel.EPANECHNIKOV).withRule(DensityTest.Rule.EACH),
                MARGIN, -3.0);
        double[] rounded = new double[MARGIN.length];
        for (int i = 0; i < rounded.length; i++) {
            rounded[i] = Math.rint(MARGIN[i]);
        }
        sameAsTest(DensityTest.withDefaults(), rounded, 0.5);
        sameAsTest(DensityTest.withDefaults().withMassPoints(false), rounded, 0.5);

        // and so rddensity 2.6's f_left, f_right on the Senate margin (senate_rddensity_default)
        DensityTestResult d = DensityTest.withDefaults().test(MARGIN, 0.0);
        DensityPlotData p = DensityTest.withDefaults().plotData(MARGIN, 0.0, d, 25);
        assertReference(p.left().get(24).density(), REL_TOL, "senate_rddensity_default", "f_left");
        assertReference(p.right().get(0).density(), REL_TOL, "senate_rddensity_default", "f_right");
        DensityPlotData.Point c = p.left().get(24);
        assertEquals(c.density() - 1.959963984540054 * c.se(), c.ciLow(), 1e-15);
        assertEquals(c.density() + 1.959963984540054 * c.se(), c.ciHigh(), 1e-15);
    }

    @Test
    void gridSpansEachSidesBandwidthWithinTheData() {
        DensityTestResult d = DensityTest.withDefaults().test(MARGIN, 0.0);
        DensityPlotData p = DensityTest.withDefaults().plotData(MARGIN, 0.0, d, 25);
        assertEquals(25, p.left().size());
        assertEquals(25, p.right().size());
        assertEquals(-d.hLeft(), p.left().get(0).x(), 1e-12);
        assertEquals(d.hRight(), p.right().get(24).x(), 1e-12);
        for (List<DensityPlotData.Point> side : List.of(p.left(), p.right())) {
            for (int i = 1; i < side.size(); i++) {
                assertTrue(side.get(i).x() > side.get(i - 1).x());
                assertTrue(side.get(i).ciLow() < side.get(i).density() && side.get(i).density() < side.get(i).ciHigh());
            }
        }
        double[] narrow = {-1, -0.5, -0.2, 0.1, 0.3, 0.6, 0.7, 0.8, 0.9, 1};
        DensityTest t = DensityTest.withDefaults().withOrder(1).withBandwidth(5);
        DensityPlotData q = t.plotData(narrow, 0.0, t.test(narrow, 0.0), 5);
        assertEquals(-1, q.left().get(0).x(), 0, "the grid stops at the smallest x");
        assertEquals(1, q.right().get(4).x(), 0, "and at the largest");
    }

    @Test
    void histogramIsNormalisedLikeTheEstimate() {
        DensityTestResult d = DensityTest.withDefaults().test(MARGIN, 0.0);
        DensityPlotData p = DensityTest.withDefaults().plotData(MARGIN, 0.0, d, 25);
        List<DensityPlotData.Bin> h = p.histogram();
        int inWindow = 0;
        for (double v : MARGIN) {
            inWindow += v >= -d.hLeft() && v <= d.hRight() ? 1 : 0;
        }
        int counted = 0;
        double mass = 0;
        int below = 0;
        for (int i = 0; i < h.size(); i++) {
            DensityPlotData.Bin b = h.get(i);
            counted += b.count();
            mass += b.density() * (b.upper() - b.lower());
            assertEquals(b.count() / (1390.0 * (b.upper() - b.lower())), b.density(), 1e-15);
            if (i > 0) {
                assertEquals(h.get(i - 1).upper(), b.lower(), 0, "bins are contiguous");
            }
            below += b.upper() <= 0 ? 1 : 0;
        }
        assertEquals(inWindow, counted, "every row within the bandwidths is in one bin");
        assertEquals(inWindow / 1390.0, mass, 1e-12, "the bars' area is the window's share of the rows");
        // rdplotdensity's rule: ceil(min(sqrt(m), 10 log10(m))) bins, m = 408 rows below (N_eff_left) and 460 above
        assertEquals(21, below);
        assertEquals(22, h.size() - below);
        assertEquals(0.0, h.get(below - 1).upper(), 0, "the bins meet at the cutoff");
    }

    private static double normal(double x) {
        return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }

    /** Trapezoid rule over one side's grid. */
    private static double area(List<DensityPlotData.Point> side) {
        double a = 0;
        for (int i = 1; i < side.size(); i++) {
            a += 0.5 * (side.get(i).density() + side.get(i - 1).density()) * (side.get(i).x() - side.get(i - 1).x());
        }
        return a;
    }

    /**
     * 20,000 seeded N(0, 1) draws, cutoff 0: each grid point within 3 standard errors or 5% of the normal density,
     * and each side's curve integrates to the normal probability of its window within 5% (a density scaled to one
     * side's rows instead of all of them would be off by a factor of 2).
     */
    @Test
    void recoversTheStandardNormalDensity() {
        SplittableRandom r = new SplittableRandom(11);
        double[] x = new double[20_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        DensityTest t = DensityTest.withDefaults();
        DensityTestResult d = t.test(x, 0.0);
        DensityPlotData p = t.plotData(x, 0.0, d, 25);
        closeToTruth(p, DensityPlotDataTest::normal);
        double phiLeft = 0.5 - cdfNormal(-d.hLeft());
        double phiRight = cdfNormal(d.hRight()) - 0.5;
        assertEquals(phiLeft, area(p.left()), 0.05 * phiLeft, "left area");
        assertEquals(phiRight, area(p.right()), 0.05 * phiRight, "right area");
    }

    private static double cdfNormal(double z) {
        return org.apache.commons.statistics.distribution.NormalDistribution.of(0, 1).cumulativeProbability(z);
    }

    /** 20,000 seeded U(-1, 1) draws, cutoff 0.3: the flat density 0.5 on both sides. */
    @Test
    void recoversAUniformDensity() {
        SplittableRandom r = new SplittableRandom(12);
        double[] x = new double[20_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = 2 * r.nextDouble() - 1;
        }
        DensityTest t = DensityTest.withDefaults();
        DensityPlotData p = t.plotData(x, 0.3, t.test(x, 0.3), 25);
        closeToTruth(p, v -> 0.5);
    }

    private static void closeToTruth(DensityPlotData p, DoubleUnaryOperator truth) {
        for (List<DensityPlotData.Point> side : List.of(p.left(), p.right())) {
            for (DensityPlotData.Point q : side) {
                double f = truth.applyAsDouble(q.x());
                double err = Math.abs(q.density() - f);
                assertTrue(err <= 3 * q.se() || err <= 0.05 * f, "at x = " + q.x() + ": estimate " + q.density()
                        + " (se " + q.se() + "), true density " + f);
            }
        }
    }

    /**
     * Positive control: of 5,000 U(-1, 1) draws, 60% of those in (-0.2, 0) move to (0, 0.2), so the true density is
     * 0.2 just below the cutoff and 0.8 just above. The intervals at the cutoff separate and cover those values; the
     * same sample without the move gives overlapping intervals.
     */
    @Test
    void bunchingShowsAsAGapAtTheCutoff() {
        SplittableRandom r = new SplittableRandom(3);
        double[] bunched = new double[5000];
        double[] clean = new double[5000];
        for (int i = 0; i < bunched.length; i++) {
            double v = 2 * r.nextDouble() - 1;
            clean[i] = v;
            bunched[i] = v < 0 && v > -0.2 && r.nextDouble() < 0.6 ? -v : v;
        }
        DensityTest t = DensityTest.withDefaults();
        DensityTestResult d = t.test(bunched, 0.0);
        DensityPlotData p = t.plotData(bunched, 0.0, d, 25);
        DensityPlotData.Point l = p.left().get(24);
        DensityPlotData.Point u = p.right().get(0);
        assertTrue(l.ciHigh() < u.ciLow(), "gap at the cutoff: below " + l + ", above " + u);
        assertTrue(l.ciLow() <= 0.2 && 0.2 <= l.ciHigh(), "below covers 0.2: " + l);
        assertTrue(u.ciLow() <= 0.8 && 0.8 <= u.ciHigh(), "above covers 0.8: " + u);
        assertTrue(!d.passes(0.05));
        int last = 0;
        while (p.histogram().get(last + 1).upper() <= 0) {
            last++;
        }
        assertTrue(p.histogram().get(last + 1).density() > 2 * p.histogram().get(last).density(),
                "the histogram jumps too: " + p.histogram().get(last) + " then " + p.histogram().get(last + 1));

        DensityTestResult dc = t.test(clean, 0.0);
        DensityPlotData pc = t.plotData(clean, 0.0, dc, 25);
        assertTrue(pc.left().get(24).ciHigh() > pc.right().get(0).ciLow()
                && pc.right().get(0).ciHigh() > pc.left().get(24).ciLow(), "no gap without bunching");
    }

    @Test
    void aResultFromAnotherOrderIsRejected() {
        DensityTestResult d = DensityTest.withDefaults().withOrder(1).test(MARGIN, 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DensityTest.withDefaults().plotData(MARGIN, 0.0, d, 25));
        assertTrue(e.getMessage().contains("p = 1"), e.getMessage());
    }
}

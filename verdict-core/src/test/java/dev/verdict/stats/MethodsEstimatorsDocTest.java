package dev.verdict.stats;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Keeps the examples of docs/methods-estimators.md compiling and true: the code blocks are copied here
 * and the figures the page quotes (rounded to 7 significant digits from the R 4.2.2 reference values)
 * are asserted to 5e-7 relative.
 */
class MethodsEstimatorsDocTest {
    private static void near(double doc, double actual) {
        assertEquals(doc, actual, 5e-7 * Math.abs(doc));
    }

    @Test
    void welchExample() {
        Moments.Accumulator a = new Moments.Accumulator(1);
        for (double v : new double[] {12.1, 9.8, 11.4, 10.9, 13.2, 10.1, 12.7, 11.8}) {
            a.add(v);
        }
        Moments.Accumulator b = new Moments.Accumulator(1);
        for (double v : new double[] {9.9, 10.4, 8.7, 11.0, 9.1, 10.2, 9.6}) {
            b.add(v);
        }
        Estimate e = WelchTest.welch(a.toMoments(), b.toMoments(), 0, 0.05);
        near(1.657143, e.estimate());
        near(0.5163319, e.se());
        near(12.15607, e.df());
        near(0.007388039, e.pValue());
        near(0.5337521, e.ciLow());
        near(2.780534, e.ciHigh());
    }

    @Test
    void twoProportionExample() {
        TwoProportionResult r = TwoProportionTest.compare(1200, 10000, 1300, 10000, 0.05, false);
        near(4.571429, r.chiSquare());
        near(0.03250944, r.pValue());
        near(-2.13809, r.zPooled());
        near(-0.01916584, r.unpooled().ciLow());
        near(-0.0008341556, r.unpooled().ciHigh());
    }

    @Test
    void regressionExample() {
        int size = PetersenData.ROWS.size();
        int[] firm = new int[size];
        double[] x = new double[size];
        double[] y = new double[size];
        for (int i = 0; i < size; i++) {
            double[] row = PetersenData.ROWS.get(i);
            firm[i] = (int) row[0];
            x[i] = row[2];
            y[i] = row[3];
        }
        // --- as in the doc
        Map<Integer, ClusterBlock.Accumulator> byFirm = new TreeMap<>();
        for (int i = 0; i < y.length; i++) {
            byFirm.computeIfAbsent(firm[i], f -> new ClusterBlock.Accumulator(2)).add(new double[] {1, x[i]}, y[i]);
        }
        List<ClusterBlock> blocks = new ArrayList<>();
        byFirm.values().forEach(acc -> blocks.add(acc.toBlock()));
        OlsFit fit = ClusterRobustOls.fit(blocks, List.of("(Intercept)", "x"));
        CoefficientTable cr2 = fit.cr2();
        Estimate slope = cr2.estimate(1, 0.05);
        // ---
        near(1.034833, slope.estimate());
        near(0.05059573, fit.cr1().se(1));
        assertEquals(499.0, fit.cr1().df(1));
        near(0.05067777, slope.se());
        near(308.7564, slope.df());
        near(8.989436, ClusterRobustOls.fit(PetersenData.blocksBy(1)).cr2().df(1));
    }

    @Test
    void multipleComparisonsExample() {
        double[] holm = MultipleComparisons.holm(new double[] {0.01, 0.04, 0.03, 0.005});
        double[] bh = MultipleComparisons.benjaminiHochberg(new double[] {0.01, 0.04, 0.03, 0.005});
        assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02}, holm, 1e-15);
        assertArrayEquals(new double[] {0.02, 0.04, 0.04, 0.02}, bh, 1e-15);
    }
}

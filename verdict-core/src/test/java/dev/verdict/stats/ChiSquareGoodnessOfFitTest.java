package dev.verdict.stats;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reference values: R 4.2.2 (stats 4.2.2), from shared/reference/reference.json, script
 * scripts/case_f_simple_tests.R; deterministic, matched to 1e-8 relative.
 */
class ChiSquareGoodnessOfFitTest {
    private static final double REL = 1e-8;

    private static void assertRel(double expected, double actual) {
        assertEquals(expected, actual, REL * Math.abs(expected), () -> "expected " + expected + " got " + actual);
    }

    @Test
    void srm5012349877() {
        // reference.json srm_50123_49877: chisq.test(c(50123, 49877), p = c(0.5, 0.5))
        var r = ChiSquareGoodnessOfFit.test(new long[] {50123, 49877}, new double[] {0.5, 0.5});
        assertRel(0.60516, r.statistic());
        assertEquals(1, r.df());
        assertRel(0.436615997443964, r.pValue());
        assertArrayEquals(new double[] {50000, 50000}, r.expected(), 0.0);
    }

    @Test
    void srm1000010250() {
        // reference.json srm_10000_10250: chisq.test(c(10000, 10250), p = c(0.5, 0.5))
        var r = ChiSquareGoodnessOfFit.test(new long[] {10000, 10250}, new double[] {0.5, 0.5});
        assertRel(3.08641975308642, r.statistic());
        assertEquals(1, r.df());
        assertRel(0.0789483377160013, r.pValue());
        assertArrayEquals(new double[] {10125, 10125}, r.expected(), 0.0);
    }

    @Test
    void srmThreeArms() {
        // reference.json srm_three_arms: chisq.test(c(33500, 33200, 33300), p = c(1, 1, 1) / 3)
        var r = ChiSquareGoodnessOfFit.test(new long[] {33500, 33200, 33300}, new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3});
        assertRel(1.4, r.statistic());
        assertEquals(2, r.df());
        assertRel(0.496585303791409, r.pValue());
        for (double e : r.expected()) {
            assertRel(33333.3333333333, e);
        }
    }

    @Test
    void srm9010() {
        // reference.json srm_90_10: chisq.test(c(9000, 1050), p = c(0.9, 0.1))
        var r = ChiSquareGoodnessOfFit.test(new long[] {9000, 1050}, new double[] {0.9, 0.1});
        assertRel(2.23880597014925, r.statistic());
        assertEquals(1, r.df());
        assertRel(0.134584871391077, r.pValue());
        assertRel(9045, r.expected()[0]);
        assertRel(1005, r.expected()[1]);
    }

    @Test
    void exactMatchIsZeroWithPValueOne() {
        // invariant: observed == expected gives X^2 = 0 and p = 1 exactly
        var r = ChiSquareGoodnessOfFit.test(new long[] {300, 700}, new double[] {0.3, 0.7});
        assertEquals(0.0, r.statistic(), 0.0);
        assertEquals(1.0, r.pValue(), 0.0);
    }

    @Test
    void farTailStaysPositive() {
        // invariant: survival function, not 1 - cdf: a gross mismatch gives a tiny but positive p
        var r = ChiSquareGoodnessOfFit.test(new long[] {60000, 40000}, new double[] {0.5, 0.5});
        assertEquals(4000.0, r.statistic(), 1e-9); // known truth: 2 * 10000^2 / 50000
        assertTrue(r.pValue() >= 0 && r.pValue() < 1e-300);
    }

    @Test
    void noCountsGiveNaN() {
        var r = ChiSquareGoodnessOfFit.test(new long[] {0, 0}, new double[] {0.5, 0.5});
        assertTrue(Double.isNaN(r.statistic()));
        assertTrue(Double.isNaN(r.pValue()));
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> ChiSquareGoodnessOfFit.test(new long[] {1, 2}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> ChiSquareGoodnessOfFit.test(new long[] {1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> ChiSquareGoodnessOfFit.test(new long[] {-1, 2}, new double[] {0.5, 0.5}));
        assertThrows(IllegalArgumentException.class,
                () -> ChiSquareGoodnessOfFit.test(new long[] {1, 2}, new double[] {Double.NaN, 0.5}));
        assertThrows(IllegalArgumentException.class,
                () -> ChiSquareGoodnessOfFit.test(new long[] {1, 2}, new double[] {0.5, 0.6}));
        assertThrows(IllegalArgumentException.class,
                () -> ChiSquareGoodnessOfFit.test(new long[] {1, 2}, new double[] {0, 1}));
    }
}

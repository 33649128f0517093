package dev.verdict.stats;

import dev.verdict.InputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WaldTestTest {
    private static final double[] B = {0.4, 1.0, 2.0};
    private static final double[][] V = {{0.04, 0, 0}, {0, 0.25, 0}, {0, 0, 1.0}};

    @Test
    void jointZeroWithDiagonalCovarianceIsTheSumOfSquaredZ() {
        // known truth: W = 1^2/0.25 + 2^2/1 = 8; P(chi2_2 > 8) = exp(-4) (chi-square with 2 df is exponential)
        WaldResult w = WaldTest.zero(B, V, Double.POSITIVE_INFINITY, 1, 2);
        assertEquals(8.0, w.chiSquare(), 1e-12);
        assertEquals(2, w.restrictions());
        assertEquals(Math.exp(-4), w.pChiSquare(), 1e-15);
        assertEquals(4.0, w.f(), 1e-12);
        assertEquals(w.pChiSquare(), w.pF(), 0.0, "infinite denominator df: F test is the chi-square test");
    }

    @Test
    void equalityOfTwoCoefficients() {
        // known truth: (1 - 2)^2 / (0.25 + 1) = 0.8
        WaldResult w = WaldTest.equal(B, V, 20, 1, 2);
        assertEquals(0.8, w.chiSquare(), 1e-12);
        assertEquals(1, w.restrictions());
    }

    @Test
    void fWithOneRestrictionMatchesTheTTest() {
        // invariant: F(1, df) p-value = two-sided t(df) p-value of z = b / se
        WaldResult w = WaldTest.zero(B, V, 12, 1);
        Estimate t = Estimate.ofT(B[1], 0.5, 12, 0.05, "t");
        assertEquals(t.pValue(), w.pF(), 1e-12);
    }

    @Test
    void redundantRestrictionsAreAnInputError() {
        double[][] r = {{0, 1, 0}, {0, 2, 0}};
        assertThrows(InputException.class, () -> WaldTest.linear(B, V, r, new double[2], 10));
        assertThrows(IllegalArgumentException.class, () -> WaldTest.zero(B, V, 10));
        assertThrows(IllegalArgumentException.class, () -> WaldTest.zero(B, V, 10, 5));
    }
}

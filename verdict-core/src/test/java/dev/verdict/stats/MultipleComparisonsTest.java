package dev.verdict.stats;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Holm and BH on small vectors whose {@code p.adjust} output is derived by hand below (R's algorithm:
 * Holm {@code pmin(1, cummax((n - i + 1) * p[o]))[ro]}; BH {@code pmin(1, cummin(n / i * p[o]))[ro]} with
 * o decreasing).
 */
class MultipleComparisonsTest {
    private static final double[] P = {0.01, 0.04, 0.03, 0.005};

    @Test
    void holmByHand() {
        // sorted 0.005, 0.01, 0.03, 0.04 -> 4*0.005 = 0.02, 3*0.01 = 0.03, 2*0.03 = 0.06, 1*0.04 -> cummax 0.06
        assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02}, MultipleComparisons.holm(P), 1e-15);
    }

    @Test
    void benjaminiHochbergByHand() {
        // sorted p_(j) * 4 / j: 0.02, 0.02, 0.04, 0.04 -> cummin from the top leaves them
        assertArrayEquals(new double[] {0.02, 0.04, 0.04, 0.02}, MultipleComparisons.benjaminiHochberg(P), 1e-15);
    }

    @Test
    void keepsTies() {
        // holm: sorted 0.2, 0.2, 0.6 -> 3*0.2 = 0.6, 2*0.2 = 0.4 -> cummax 0.6, 1*0.6 = 0.6
        // BH: 0.2*3/1 = 0.6, 0.2*3/2 = 0.3, 0.6*3/3 = 0.6 -> cummin from the top 0.3, 0.3, 0.6
        double[] p = {0.6, 0.2, 0.2};
        assertArrayEquals(new double[] {0.6, 0.6, 0.6}, MultipleComparisons.holm(p), 1e-15);
        assertArrayEquals(new double[] {0.6, 0.3, 0.3}, MultipleComparisons.benjaminiHochberg(p), 1e-15);
    }

    @Test
    void capsAtOne() {
        // holm: 2*0.55 = 1.1 -> 1, then max(1, 0.7) = 1; BH: 0.7*2/2 = 0.7, min(0.7, 0.55*2/1) = 0.7
        double[] p = {0.55, 0.7};
        assertArrayEquals(new double[] {1.0, 1.0}, MultipleComparisons.holm(p), 0.0);
        assertArrayEquals(new double[] {0.7, 0.7}, MultipleComparisons.benjaminiHochberg(p), 1e-15);
    }

    @Test
    void singlePValueIsUnchanged() {
        assertArrayEquals(new double[] {0.37}, MultipleComparisons.holm(new double[] {0.37}), 0.0);
        assertArrayEquals(new double[] {0.37}, MultipleComparisons.benjaminiHochberg(new double[] {0.37}), 0.0);
    }

    @Test
    void nanAndOutOfRangeFail() {
        assertThrows(IllegalArgumentException.class, () -> MultipleComparisons.holm(new double[] {0.1, Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> MultipleComparisons.benjaminiHochberg(new double[] {1.5}));
    }
}

package dev.verdict.stats;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EstimateTest {

    @Test
    void normalReferenceMatchesKnownQuantiles() {
        Estimate e = Estimate.ofT(1.96, 1.0, Double.POSITIVE_INFINITY, 0.05, "z");
        // known truth: qnorm(0.975) = 1.959963984540054 (R 4.2.2), 2 * pnorm(-1.96) = 0.04999579029644097
        assertEquals(1.96 - 1.959963984540054, e.ciLow(), 1e-15);
        assertEquals(1.96 + 1.959963984540054, e.ciHigh(), 1e-15);
        ReferenceCases.assertRelative(0.04999579029644097, e.pValue(), 1e-12, "2 * pnorm(-1.96), R 4.2.2");
    }

    @Test
    void studentReferenceMatchesKnownQuantile() {
        // known truth: qt(0.975, 10) = 2.228138851986274 (R 4.2.2); p at t = qt is alpha by construction
        Estimate e = Estimate.ofT(2.228138851986274, 1.0, 10, 0.05, "t");
        ReferenceCases.assertRelative(0.05, e.pValue(), 1e-12, "invariant: p(t = qt(0.975, 10)) = 0.05");
        assertEquals(0.0, e.ciLow(), 1e-14, "invariant: CI touches 0 exactly when p = alpha");
    }

    @Test
    void nanStandardErrorGivesNanIntervalAndP() {
        Estimate e = Estimate.ofT(1.0, Double.NaN, 10, 0.05, "t");
        assertTrue(Double.isNaN(e.ciLow()) && Double.isNaN(e.ciHigh()) && Double.isNaN(e.pValue()));
        assertEquals(1.0, e.estimate());
    }

    @Test
    void zeroStandardErrorGivesPointInterval() {
        Estimate e = Estimate.ofT(2.0, 0.0, 10, 0.05, "t");
        assertEquals(2.0, e.ciLow());
        assertEquals(2.0, e.ciHigh());
        assertEquals(0.0, e.pValue());
    }

    @Test
    void invalidArgumentsFailIncludingNan() {
        assertThrows(IllegalArgumentException.class, () -> Estimate.ofT(1, 1, 10, Double.NaN, "t"));
        assertThrows(IllegalArgumentException.class, () -> Estimate.ofT(1, 1, 10, 1.0, "t"));
        assertThrows(IllegalArgumentException.class, () -> Estimate.ofT(1, -1, 10, 0.05, "t"));
        assertThrows(IllegalArgumentException.class, () -> Estimate.ofT(1, 1, 0, 0.05, "t"));
        assertThrows(IllegalArgumentException.class, () -> Estimate.ofT(1, 1, 10, 0.05, " "));
    }
}

package dev.verdict.quasi.synth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps the example of docs/methods-synthetic-control.md compiling and true. */
class SyntheticControlDocTest {
    @Test
    void example() {
        Panel panel = Panel.of(
                List.of("north", "south", "east", "west", "central"),
                List.of("w1", "w2", "w3", "w4", "w5", "w6"),
                new double[][] {
                        {101, 102.4, 102.3, 103.6, 96, 95},   // north: treated from w5
                        {100, 102, 101, 103, 104, 103},
                        {98, 100.6, 99.4, 102.3, 101.5, 101.2},
                        {103, 103.7, 104.4, 105.2, 105.6, 106.3},
                        {99, 101.3, 100.2, 101.6, 103.4, 102.1}});
        SyntheticControlResult r = SyntheticControl.withDefaults()
                .withPlaceboReplications(50)
                .analyze(panel, List.of("north"), "w5");
        assertEquals(-8.735365, r.effect().estimate(), 5e-6);
        assertEquals(0.436755, r.effect().se(), 5e-6);
        assertEquals("synthdid_placebo_se", r.effect().method());
        assertTrue(r.preFit().passed());
        assertEquals(0.216888, r.preFit().preRmspe(), 5e-6);
        assertEquals(0.204106, r.preFit().ratio(), 5e-6);
        assertEquals(1, r.placebo().rank());
        assertEquals(2, r.placebo().kept());
        assertEquals(40.2976, r.placebo().treatedRatio(), 5e-4);
        assertEquals(1.0 / 3, r.placebo().pValue(), 0.0);
        assertEquals(1.0 / 3, r.placebo().smallestPValue(), 0.0);
        assertEquals(0.2, r.placebo().smallestPValueAllDonors(), 0.0);
        assertFalse(r.placebo().significanceReachable());
    }
}

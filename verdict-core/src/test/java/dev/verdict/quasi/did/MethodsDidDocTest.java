package dev.verdict.quasi.did;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps the example of docs/methods-did.md compiling and true: the code block is copied here. */
class MethodsDidDocTest {
    @Test
    void frameworkExample() {
        Panel panel = Panel.withIndicator(
                new String[] {"eu-west", "eu-west", "us-east", "us-east"},      // unit
                new long[] {1, 2, 1, 2},                                         // period
                new double[] {180, 140, 175, 150},                               // mean latency, ms
                new boolean[] {false, true, false, false},                       // treated in that period
                null);                                                           // no cell weights
        DidResult r = DidAnalysis.analyze(panel, DidOptions.withDefaults());
        TwoByTwoResult two = r.twoByTwo();
        assertEquals(-15, two.effect().estimate(), 1e-12);
        assertTrue(Double.isNaN(two.effect().se()));
        assertEquals(DidResult.Claim.DESCRIPTIVE, r.claim());
        String expected = "Treated units went from 180 before period 2 to 140 after: a treated change of -40."
                + " Comparison units went from 175 to 150: a control change of -25, the trend the treated units would"
                + " have followed without the change. Difference-in-differences = treated change - control change ="
                + " -40 - (-25) = -15. A before/after comparison of the treated units alone would claim -40; the"
                + " control change (-25) is the common trend, not the effect. Standard error not available:"
                + " aggregated data with only 2 units (one row per unit and period, no within-cell variation): the"
                + " difference-in-differences uses every cell, so there is no variation between units left to"
                + " estimate a sampling variance from.";
        assertEquals(expected, two.explanation());
        assertEquals("descriptive only, no causal claim: parallel trends cannot be tested: aggregated data with only"
                + " 2 units (one row per unit and period, no within-cell variation): the difference-in-differences"
                + " uses every cell, so there is no variation between units left to estimate a sampling variance"
                + " from", r.claimReason());
    }
}

package dev.verdict.quasi.rd;

import org.junit.jupiter.api.Test;

import static dev.verdict.quasi.rd.RdReference.MARGIN;
import static dev.verdict.quasi.rd.RdReference.REL_TOL;
import static dev.verdict.quasi.rd.RdReference.assertReference;
import static dev.verdict.quasi.rd.RdReference.num;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * rddensity 2.6 on the Senate margin (all 1390 rows; R 4.2.2; calls in reference-rd.json), including its estimated
 * bandwidths, to 1e-8 relative (achieved about 3e-11).
 */
class DensityTestReferenceTest {

    @Test
    void reproducesRddensityDefault() {
        String id = "senate_rddensity_default";
        DensityTestResult d = DensityTest.withDefaults().test(MARGIN, 0.0);
        assertReference(d.statistic(), REL_TOL, id, "t_jk");
        assertReference(d.pValue(), REL_TOL, id, "p_jk");
        assertReference(d.hLeft(), REL_TOL, id, "h_left");
        assertReference(d.hRight(), REL_TOL, id, "h_right");
        assertReference(d.fLeft(), REL_TOL, id, "f_left");
        assertReference(d.fRight(), REL_TOL, id, "f_right");
        assertReference(d.difference().estimate(), REL_TOL, id, "f_diff");
        assertReference(d.difference().se(), REL_TOL, id, "sd_jk_diff");
        assertEquals((int) num(id, "N_left"), d.nLeft());
        assertEquals((int) num(id, "N_right"), d.nRight());
        assertEquals((int) num(id, "N_eff_left"), d.nEffLeft());
        assertEquals((int) num(id, "N_eff_right"), d.nEffRight());
        assertEquals("comb", d.bandwidthRule());
        assertEquals(true, d.passes(0.05), "the Senate margin shows no manipulation (p = 0.38)");
    }

    @Test
    void reproducesRddensityFixedBandwidth() {
        String id = "senate_rddensity_h10";
        DensityTestResult d = DensityTest.withDefaults().withBandwidth(10).test(MARGIN, 0.0);
        assertReference(d.statistic(), REL_TOL, id, "t_jk");
        assertReference(d.pValue(), REL_TOL, id, "p_jk");
        assertEquals((int) num(id, "N_eff_left"), d.nEffLeft());
        assertEquals((int) num(id, "N_eff_right"), d.nEffRight());
        assertEquals("manual", d.bandwidthRule());
    }
}

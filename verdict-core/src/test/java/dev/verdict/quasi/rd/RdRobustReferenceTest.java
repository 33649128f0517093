package dev.verdict.quasi.rd;

import dev.verdict.stats.Estimate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.verdict.quasi.rd.RdReference.MARGIN;
import static dev.verdict.quasi.rd.RdReference.REL_TOL;
import static dev.verdict.quasi.rd.RdReference.VOTE;
import static dev.verdict.quasi.rd.RdReference.assertReference;
import static dev.verdict.quasi.rd.RdReference.num;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * rdrobust 3.0.0 on the Lee (2008) Senate data (R 4.2.2; calls in reference-rd.json). Every number, including the
 * data-driven bandwidths, is checked to 1e-8 relative: the port follows rdrobust's selector step by step, so it
 * agrees to about 1e-11 (the README would allow 1e-6 on selected bandwidths, because they come from an iterative
 * selector; no loosening is needed here). Counts are exact.
 */
class RdRobustReferenceTest {

    static RdRobust estimatorFor(String id) {
        RdRobust r = RdRobust.withDefaults();
        if (id.contains("h10")) {
            r = r.withBandwidths(Bandwidths.manual(10));
        }
        if (id.contains("uniform")) {
            r = r.withKernel(RdKernel.UNIFORM);
        }
        if (id.contains("hc1")) {
            r = r.withVariance(RdVariance.HC1);
        }
        if (id.contains("p2")) {
            r = r.withOrder(2);
        }
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"senate_rdrobust_default", "senate_rdrobust_h10_uniform", "senate_rdrobust_h10_triangular",
        "senate_rdrobust_vce_hc1", "senate_rdrobust_p2"})
    void reproducesRdrobust(String id) {
        RdEstimate e = estimatorFor(id).sharp(VOTE, MARGIN, 0.0);
        assertReference(e.bandwidths().hLeft(), REL_TOL, id, "h_left");
        assertReference(e.bandwidths().hRight(), REL_TOL, id, "h_right");
        assertReference(e.bandwidths().bLeft(), REL_TOL, id, "b_left");
        assertReference(e.bandwidths().bRight(), REL_TOL, id, "b_right");
        row(e.conventional(), id, "conventional", true);
        row(e.biasCorrected(), id, "bias_corrected", false);
        row(e.robust(), id, "robust", true);
        assertReference(e.muLeft(), REL_TOL, id, "mu_left_conventional");
        assertReference(e.muRight(), REL_TOL, id, "mu_right_conventional");
        assertEquals((int) num(id, "N_left"), e.nLeft(), id + " N_left (rows with missing vote dropped)");
        assertEquals((int) num(id, "N_right"), e.nRight(), id + " N_right");
        assertEquals((int) num(id, "N_h_left"), e.nhLeft(), id + " N_h_left");
        assertEquals((int) num(id, "N_h_right"), e.nhRight(), id + " N_h_right");
        assertEquals((int) num(id, "N_b_left"), e.nbLeft(), id + " N_b_left");
        assertEquals((int) num(id, "N_b_right"), e.nbRight(), id + " N_b_right");
        assertEquals((int) num(id, "p"), e.p(), id + " p");
        assertEquals((int) num(id, "q"), e.q(), id + " q");
        assertEquals(RdReference.node(id, "kernel").asText(), e.kernel().label(), id + " kernel");
    }

    private static void row(Estimate est, String id, String row, boolean hasTest) {
        assertReference(est.estimate(), REL_TOL, id, row, "coef");
        assertReference(est.se(), REL_TOL, id, row, "se");
        assertReference(est.ciLow(), REL_TOL, id, row, "ci", "0");
        assertReference(est.ciHigh(), REL_TOL, id, row, "ci", "1");
        if (hasTest) {
            assertReference(est.statistic(), REL_TOL, id, row, "z");
            assertReference(est.pValue(), REL_TOL, id, row, "p");
        }
    }

    /** The uniform-kernel conventional estimate is the OLS jump of lm(vote ~ margin * I(margin >= 0)) on |margin| <= 10. */
    @Test
    void uniformKernelIsOlsOnTheWindow() {
        String id = "senate_rdrobust_h10_uniform";
        RdEstimate e = estimatorFor(id).sharp(VOTE, MARGIN, 0.0);
        assertReference(e.conventional().estimate(), REL_TOL, id, "ols_cross_check");
        assertEquals((int) num(id, "ols_window_n"), e.nhLeft() + e.nhRight());
    }

    @Test
    void reproducesRdbwselectAll() {
        String id = "senate_rdbwselect_all";
        Map<BandwidthRule, Bandwidths> all = RdRobust.withDefaults().selectAllBandwidths(VOTE, MARGIN, 0.0);
        assertEquals(10, all.size());
        for (Map.Entry<BandwidthRule, Bandwidths> en : all.entrySet()) {
            String rule = en.getKey().label();
            Bandwidths b = en.getValue();
            assertEquals(rule, b.rule());
            assertReference(b.hLeft(), REL_TOL, id, rule, "h_left");
            assertReference(b.hRight(), REL_TOL, id, rule, "h_right");
            assertReference(b.bLeft(), REL_TOL, id, rule, "b_left");
            assertReference(b.bRight(), REL_TOL, id, rule, "b_right");
            Bandwidths single = RdRobust.withDefaults().withBandwidthRule(en.getKey())
                    .selectBandwidths(VOTE, MARGIN, 0.0);
            assertEquals(b, single, rule + ": one rule alone gives the same bandwidths as all rules together");
        }
    }
}

package dev.verdict.stats;

import dev.verdict.InputException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.verdict.stats.ReferenceCases.assertReference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OLS y ~ x on Petersen's panel from per-cluster blocks, against R 4.2.2 lm, sandwich 3.0-2,
 * clubSandwich 0.5.8 and estimatr 1.0.0 (cases petersen_ols_se_variants, petersen_cluster_firm,
 * petersen_cluster_year_few), all to 1e-8 relative.
 */
class ClusterRobustOlsReferenceTest {
    private static final String[] COEF = {"(Intercept)", "x"};

    @Test
    void coefficientsClassicalAndHc1MatchLmAndVcovHC() {
        String id = "petersen_ols_se_variants";
        OlsFit fit = ClusterRobustOls.fit(PetersenData.blocksPerRow(), PetersenData.NAMES);
        assertEquals(5000, fit.n());
        assertEquals(2, fit.k());
        assertEquals(5000, fit.clusters());
        CoefficientTable classical = fit.classical();
        CoefficientTable hc1 = fit.hc1();
        for (int j = 0; j < 2; j++) {
            assertReference(fit.coefficient(j), id, "coef", COEF[j]);
            assertReference(classical.se(j), id, "classical", "se", COEF[j]);
            assertReference(classical.t(j), id, "classical", "t", COEF[j]);
            assertReference(classical.p(j), id, "classical", "p", COEF[j]);
            assertEquals(ReferenceCases.num(id, "classical", "df"), classical.df(j), 0.0);
            assertReference(hc1.se(j), id, "HC1_se", COEF[j]);
            assertReference(hc1.se(j), id, "estimatr_HC1", "se", COEF[j]);
        }
        assertReference(fit.sigma(), id, "classical", "sigma");
    }

    @Test
    void classicalSeDoesNotDependOnTheBlocking() {
        // invariant: the classical variance uses only the pooled sums, so firm blocks give the same table
        OlsFit byRow = ClusterRobustOls.fit(PetersenData.blocksPerRow(), PetersenData.NAMES);
        OlsFit byFirm = ClusterRobustOls.fit(PetersenData.blocksBy(0), PetersenData.NAMES);
        for (int j = 0; j < 2; j++) {
            assertEquals(byRow.classical().se(j), byFirm.classical().se(j), 1e-12 * byRow.classical().se(j));
        }
    }

    @Test
    void clusteredByFirmMatchesCr1StataAndCr2Satterthwaite() {
        assertClustered("petersen_cluster_firm", ClusterRobustOls.fit(PetersenData.blocksBy(0), PetersenData.NAMES), 500);
    }

    @Test
    void clusteredByYearFewClustersMatchesCr1StataAndCr2Satterthwaite() {
        assertClustered("petersen_cluster_year_few", ClusterRobustOls.fit(PetersenData.blocksBy(1), PetersenData.NAMES), 10);
    }

    private static void assertClustered(String id, OlsFit fit, int g) {
        assertEquals((int) ReferenceCases.num(id, "G"), fit.clusters());
        assertEquals(g, fit.clusters());
        CoefficientTable cr1 = fit.cr1();
        CoefficientTable cr2 = fit.cr2();
        for (int j = 0; j < 2; j++) {
            String c = COEF[j];
            assertReference(fit.coefficient(j), id, "coef", c);
            assertReference(cr1.se(j), id, "sandwich_vcovCL_HC1", "se", c);
            assertReference(cr1.t(j), id, "sandwich_vcovCL_HC1", "t", c);
            assertReference(cr1.p(j), id, "sandwich_vcovCL_HC1", "p_t_df_G_minus_1", c);
            assertReference(cr1.se(j), id, "clubSandwich_CR1S", "se", c);
            assertEquals(ReferenceCases.num(id, "clubSandwich_CR1S", "df", c), cr1.df(j), 0.0);
            Estimate e1 = cr1.estimate(j, 0.05);
            assertReference(e1.ciLow(), id, "estimatr_stata", "ci_lower", c);
            assertReference(e1.ciHigh(), id, "estimatr_stata", "ci_upper", c);

            assertReference(cr2.se(j), id, "clubSandwich_CR2_Satterthwaite", "se", c);
            assertReference(cr2.t(j), id, "clubSandwich_CR2_Satterthwaite", "t", c);
            assertReference(cr2.df(j), id, "clubSandwich_CR2_Satterthwaite", "df", c);
            assertReference(cr2.p(j), id, "clubSandwich_CR2_Satterthwaite", "p", c);
            Estimate e2 = cr2.estimate(j, 0.05);
            assertReference(e2.ciLow(), id, "estimatr_CR2", "ci_lower", c);
            assertReference(e2.ciHigh(), id, "estimatr_CR2", "ci_upper", c);
        }
    }

    @Test
    void theToleranceSeparatesSmallSampleConventions() {
        // positive control: the 1e-8 check can fail. Our CR1 (Stata factor) must NOT match sandwich's
        // vcovCL type = 'HC0' (G/(G-1) only), which differs by sqrt((N-1)/(N-K)) - 1 = 1.0e-4 relative
        String id = "petersen_cluster_firm";
        double cr1 = ClusterRobustOls.fit(PetersenData.blocksBy(0), PetersenData.NAMES).cr1().se(1);
        double hc0 = ReferenceCases.num(id, "sandwich_vcovCL_HC0", "se", "x");
        assertThrows(org.opentest4j.AssertionFailedError.class,
                () -> ReferenceCases.assertRelative(hc0, cr1, ReferenceCases.REL_TOL, "CR1 vs vcovCL HC0"));
        assertEquals(Math.sqrt(4999.0 / 4998.0), cr1 / hc0, 1e-12, "invariant: the two conventions differ by this factor");
    }

    @Test
    void waldOnASingleCoefficientIsTheSquaredT() {
        // invariant: W = t^2 for one restriction; F(1, G-1) p equals the t(G-1) p of sandwich's coeftest
        String id = "petersen_cluster_year_few";
        CoefficientTable cr1 = ClusterRobustOls.fit(PetersenData.blocksBy(1), PetersenData.NAMES).cr1();
        WaldResult w = cr1.waldZero(1);
        assertEquals(cr1.t(1) * cr1.t(1), w.chiSquare(), 1e-12 * w.chiSquare());
        assertEquals(9.0, w.dfDenominator());
        assertReference(w.pF(), id, "sandwich_vcovCL_HC1", "p_t_df_G_minus_1", "x");
    }

    @Test
    void hc1RefusesClusteredBlocks() {
        OlsFit byFirm = ClusterRobustOls.fit(PetersenData.blocksBy(0), PetersenData.NAMES);
        IllegalStateException e = assertThrows(IllegalStateException.class, byFirm::hc1);
        assertTrue(e.getMessage().contains("one row per block"), e.getMessage());
    }

    @Test
    void oneClusterIsAnInputErrorForClusterRobustVariances() {
        OlsFit one = ClusterRobustOls.fit(List.of(ClusterBlock.sum(PetersenData.blocksBy(0))), PetersenData.NAMES);
        assertTrue(Double.isFinite(one.classical().se(1)), "classical SE still exists with one cluster");
        InputException e1 = assertThrows(InputException.class, one::cr1);
        assertEquals("one cluster: a cluster-robust variance needs at least 2", e1.getMessage());
        assertThrows(InputException.class, one::cr2);
    }

    @Test
    void singularDesignIsAnInputErrorNamingTheColumns() {
        // x2 = 2 x: collinear with x
        ClusterBlock.Accumulator a = new ClusterBlock.Accumulator(3);
        for (double[] r : PetersenData.ROWS) {
            a.add(new double[] {1, r[2], 2 * r[2]}, r[3]);
        }
        InputException e = assertThrows(InputException.class,
                () -> ClusterRobustOls.fit(List.of(a.toBlock()), List.of("(Intercept)", "x", "x2")));
        assertTrue(e.getMessage().startsWith("singular design"), e.getMessage());
        assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("'x2'"), e.getMessage());
        assertEquals(InputException.INVALID_DATA, e.exitCode());

        // treatment that never varies next to the intercept
        ClusterBlock.Accumulator t = new ClusterBlock.Accumulator(2);
        for (double[] r : PetersenData.ROWS) {
            t.add(new double[] {1, 1}, r[3]);
        }
        InputException e2 = assertThrows(InputException.class,
                () -> ClusterRobustOls.fit(List.of(t.toBlock()), List.of("(Intercept)", "treatment")));
        assertTrue(e2.getMessage().contains("rank 1 < 2"), e2.getMessage());

        // a column of zeros
        ClusterBlock.Accumulator z = new ClusterBlock.Accumulator(2);
        for (double[] r : PetersenData.ROWS) {
            z.add(new double[] {1, 0}, r[3]);
        }
        InputException e3 = assertThrows(InputException.class,
                () -> ClusterRobustOls.fit(List.of(z.toBlock()), List.of("(Intercept)", "dose")));
        assertTrue(e3.getMessage().contains("'dose' is zero in every row"), e3.getMessage());
    }

    @Test
    void rankDeficientClusterBlocksAreHandledByTheThinForm() {
        // positive control for the thin form: clusters with a treatment constant inside (rank-1 X_g'X_g);
        // CR2 must match the same model fitted with each cluster split into its rows and the blocks
        // re-merged (identical sums), and stay finite.
        List<ClusterBlock> blocks = new java.util.ArrayList<>();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
        for (int g = 0; g < 12; g++) {
            ClusterBlock.Accumulator a = new ClusterBlock.Accumulator(2);
            double treat = g % 2;
            for (int i = 0; i < 5 + g; i++) {
                a.add(new double[] {1, treat}, 1 + 0.5 * treat + rnd.nextGaussian() + 0.3 * g);
            }
            blocks.add(a.toBlock());
        }
        CoefficientTable cr2 = ClusterRobustOls.fit(blocks).cr2();
        assertTrue(Double.isFinite(cr2.se(1)) && cr2.se(1) > 0);
        assertTrue(cr2.df(1) > 1 && cr2.df(1) <= 11, "Satterthwaite df within (1, G-1]: " + cr2.df(1));
    }
}

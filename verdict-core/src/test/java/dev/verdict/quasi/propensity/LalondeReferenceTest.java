package dev.verdict.quasi.propensity;

import dev.verdict.stats.Estimate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.verdict.quasi.propensity.PropensityReference.assertReference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The weighting layer on LaLonde (NSW treated vs PSID controls) against R 4.2.2 (script case_b_lalonde.R of the
 * shared reference; cases lalonde_naive_difference, lalonde_ipw_hajek, lalonde_smd, lalonde_ipw_trimmed), all to the
 * reference README's 1e-8 relative. The propensity model is fitted with glm's rule at epsilon 1e-14, as the reference.
 */
class LalondeReferenceTest {
    private static PropensityResult result;
    private static final List<String> COVARIATES =
            List.of("age", "educ", "black", "hispan", "white", "married", "nodegree", "re74", "re75");

    @BeforeAll
    static void analyze() {
        result = PropensityWeighting.withDefaults()
                .withLogistic(LogisticRegression.Options.defaults().withEpsilon(1e-14))
                .withBootstrap(0, 1)
                .withTrimming(TrimRule.interval(0.1), TrimRule.crump())
                .analyze(PropensityReference.lalonde().data());
        assertTrue(result.estimable(), result.model().message());
    }

    @Test
    void naiveDifferenceIsWelch() {
        String id = "lalonde_naive_difference";
        assertReference(result.naive().estimate(), id, "difference");
        assertReference(result.naive().se(), id, "welch_se");
        assertReference(result.naive().df(), id, "welch_df");
        assertReference(result.naive().pValue(), id, "welch_p");
        assertReference(result.naive().ciLow(), id, "welch_ci95", "0");
    }

    @Test
    void hajekAndHorvitzThompsonMatchR() {
        String id = "lalonde_ipw_hajek";
        WeightedEffect ate = result.effect(Effect.ATE_HAJEK);
        assertReference(ate.estimate(), id, "ate_hajek");
        assertReference(ate.meanTreated(), id, "ate_mu1");
        assertReference(ate.meanControl(), id, "ate_mu0");
        WeightedEffect att = result.effect(Effect.ATT_HAJEK);
        assertReference(att.estimate(), id, "att_hajek");
        assertReference(att.meanControl(), id, "att_mu0_weighted");
        assertReference(result.effect(Effect.ATE_HORVITZ_THOMPSON).estimate(), id, "ate_horvitz_thompson");
    }

    @Test
    void knownPropensityStandardErrorsMatchWeightedLmRobustHc0() {
        String id = "lalonde_ipw_hajek";
        Estimate ate = result.effect(Effect.ATE_HAJEK).knownPropensity();
        assertReference(ate.estimate(), id, "lm_robust_weighted_ate", "estimate");
        assertReference(ate.se(), id, "lm_robust_weighted_ate", "se_HC0");
        Estimate att = result.effect(Effect.ATT_HAJEK).knownPropensity();
        assertReference(att.se(), id, "lm_robust_weighted_att", "se_HC0");
        // without the bootstrap the headline inference is this shortcut, and says so
        assertTrue(result.headline().inference().method().contains("treating the propensity as known"));
    }

    @Test
    void effectiveSampleSizesMatchKish() {
        String id = "lalonde_ipw_hajek";
        assertReference(result.overlap().ate().essTreated(), id, "ess_ate_treated");
        assertReference(result.overlap().ate().essControl(), id, "ess_ate_control");
        assertReference(result.overlap().att().essControl(), id, "ess_att_control");
        assertEquals(185, result.overlap().att().essTreated(), 1e-9, "ATT treated weights are all 1");
    }

    @Test
    void standardizedDifferencesMatchR() {
        String id = "lalonde_smd";
        for (String v : COVARIATES) {
            assertReference(result.balanceAte().row(v).smdBefore(), id, "smd_unweighted", v);
            assertReference(result.balanceAte().row(v).smdAfter(), id, "smd_ate_weighted", v);
            assertReference(result.balanceAtt().row(v).smdAfter(), id, "smd_att_weighted", v);
        }
        Balance treatedSd = Balance.of(PropensityReference.lalonde().balanceCovariates(),
                PropensityReference.lalonde().treat, result.propensity(), Estimand.ATT, Balance.Denominator.TREATED,
                0.1);
        for (String v : COVARIATES) {
            assertReference(treatedSd.row(v).smdBefore(), id, "smd_unweighted_treated_sd", v);
            assertReference(treatedSd.row(v).smdAfter(), id, "smd_att_weighted_treated_sd", v);
        }
    }

    @Test
    void balanceCheckPassesForAttAndFailsForAte() {
        // positive control: the ATE weights leave |SMD| up to 0.274 (re74), so the same check must fail there
        Balance att = result.balanceAtt();
        assertTrue(att.passed(), att.message());
        assertEquals("age", att.worst());
        Balance ate = result.balanceAte();
        assertFalse(ate.passed(), ate.message());
        assertEquals("re74", ate.worst());
        assertReference(-ate.maxAbsAfter(), "lalonde_smd", "smd_ate_weighted", "re74");
        // a threshold below the ATT's worst |SMD| (0.0929, age) makes the ATT check fail too
        PropensityResult strict = PropensityWeighting.withDefaults().withBootstrap(0, 1).withEstimand(Estimand.ATT)
                .withBalanceThreshold(0.09, Balance.Denominator.POOLED).analyze(PropensityReference.lalonde().data());
        assertFalse(strict.identification().passed(), strict.identification().message());
    }

    @Test
    void declaredTrimmingMatchesR() {
        String id = "lalonde_ipw_trimmed";
        Trimmed tr = result.trimmed().get(0);
        assertEquals("interval_0.1", tr.rule());
        assertEquals(PropensityReference.num(id, "n_kept"), tr.kept());
        assertEquals(PropensityReference.num(id, "n_treated_kept"), tr.keptTreated());
        assertEquals(PropensityReference.num(id, "n_control_kept"), tr.keptControl());
        assertReference(tr.ate().estimate(), id, "ate_hajek");
        assertReference(tr.att().estimate(), id, "att_hajek");
        assertTrue(tr.warning().contains("biased"), tr.warning());
        assertTrue(result.warnings().contains(tr.warning()));
    }

    @Test
    void crumpRuleSolvesItsDefiningEquation() {
        Trimmed crump = result.trimmed().get(1);
        assertEquals("crump_2009", crump.rule());
        double a = crump.alpha();
        assertTrue(a > 0 && a < 0.5, "LaLonde has extreme propensities, so the rule trims: alpha " + a);
        double[] e = result.propensity();
        double gamma = 1 / (a * (1 - a));
        double sum = 0;
        int kept = 0;
        for (double v : e) {
            double g = 1 / (v * (1 - v));
            if (g <= gamma) {
                sum += g;
                kept++;
            }
        }
        assertEquals(kept, crump.kept());
        assertEquals(gamma, 2 * sum / kept, 1e-9 * gamma, "1/(a(1-a)) = 2 E[g | g <= 1/(a(1-a))]");
    }

    @Test
    void fragileAteIsFlagged() {
        assertTrue(result.warnings().stream().anyMatch(w -> w.startsWith("fragile ATE")), result.warnings().toString());
        assertTrue(result.warnings().stream().anyMatch(w -> w.startsWith("weak overlap")));
    }

    @Test
    void overlapPlotDataAddUp() {
        Overlap o = result.overlap();
        assertEquals(21, o.binEdges().length);
        assertEquals(185, java.util.Arrays.stream(o.treated().histogram()).sum());
        assertEquals(429, java.util.Arrays.stream(o.control().histogram()).sum());
        String id = "lalonde_propensity_logit";
        assertReference(o.treated().mean(), id, "ps_summary", "mean_treated");
        assertReference(o.control().mean(), id, "ps_summary", "mean_control");
        assertReference(o.control().quantiles()[0], id, "ps_summary", "min");
        assertReference(o.treated().quantiles()[Overlap.PROBABILITIES.length - 1], id, "ps_summary", "max");
        for (int i = 0; i < 5; i++) {
            assertReference(result.propensity()[i], id, "ps_first5", String.valueOf(i));
        }
        Overlap.WeightDiagnostics ate = o.ate();
        assertEquals(10, ate.largestTreated().size());
        assertNotNull(ate.largestTreated().get(0));
        double prev = Double.POSITIVE_INFINITY;
        double share = 0;
        for (Overlap.ExtremeWeight w : ate.largestTreated()) {
            assertTrue(w.treated() && w.normalized() <= prev);
            prev = w.normalized();
            share += w.normalized();
        }
        assertEquals(share, ate.topShareTreated(), 1e-15);
    }
}

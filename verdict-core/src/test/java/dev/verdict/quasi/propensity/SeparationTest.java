package dev.verdict.quasi.propensity;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Complete and quasi-complete separation are reported, never returned as coefficients; the positive control (the
 * same design with overlapping arms) converges. Checked at R's default epsilon (1e-8) too, where a deviance rule
 * alone stops early with moderate-looking coefficients.
 */
class SeparationTest {

    /** n rows, x ~ N(0,1), z ~ N(0,1); treatment from the given rule. */
    private static Covariates covariates(double[] x, double[] z) {
        return Covariates.of(List.of("x", "z"), new double[][] {x, z});
    }

    @Test
    void completeSeparationIsReported() {
        SplittableRandom rng = new SplittableRandom(11);
        int n = 400;
        double[] x = new double[n];
        double[] z = new double[n];
        boolean[] t = new boolean[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextGaussian();
            z[i] = rng.nextGaussian();
            t[i] = x[i] > 0.3;
        }
        for (double eps : new double[] {1e-8, 1e-12}) {
            LogisticFit fit = LogisticRegression.fit(covariates(x, z), t,
                    LogisticRegression.Options.defaults().withEpsilon(eps));
            assertEquals(LogisticFit.Status.COMPLETE_SEPARATION, fit.status(), "epsilon " + eps + ": " + fit.message());
            assertFalse(fit.converged());
            assertTrue(fit.message().contains("'x'"), fit.message());
            assertEquals(n, fit.boundaryTreated() + fit.boundaryControl());
            assertTrue(Double.isNaN(fit.standardError("x")), "no standard errors without an estimate");
        }
    }

    @Test
    void quasiCompleteSeparationIsReportedAndTheAnalysisRefuses() {
        SplittableRandom rng = new SplittableRandom(12);
        int n = 2000;
        double[] x = new double[n];
        double[] z = new double[n];
        double[] y = new double[n];
        boolean[] t = new boolean[n];
        int separated = 0;
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextGaussian();
            z[i] = rng.nextGaussian();
            // above x = 1.5 every row is treated; below, treatment is a coin weighted by z
            t[i] = x[i] > 1.5 || rng.nextDouble() < 1 / (1 + Math.exp(-0.5 * z[i]));
            separated += x[i] > 1.5 ? 1 : 0;
            y[i] = x[i] + (t[i] ? 1 : 0) + rng.nextGaussian();
        }
        // x enters through a hinge max(x - 1.5, 0): its coefficient diverges, the rest stay finite
        double[] hinge = new double[n];
        for (int i = 0; i < n; i++) {
            hinge[i] = Math.max(x[i] - 1.5, 0);
        }
        Covariates c = Covariates.of(List.of("hinge", "z"), new double[][] {hinge, z});
        for (double eps : new double[] {1e-8, 1e-12}) {
            LogisticFit fit = LogisticRegression.fit(c, t, LogisticRegression.Options.defaults().withEpsilon(eps));
            assertEquals(LogisticFit.Status.QUASI_COMPLETE_SEPARATION, fit.status(), "epsilon " + eps + ": "
                    + fit.message());
            // the rows above the hinge are driven to probability 1; one just above it (hinge ~ 0) may still be on
            // its way when the probe stops, as the MLE exists only in the limit
            assertTrue(fit.boundaryTreated() <= separated && fit.boundaryTreated() >= separated - 2,
                    fit.boundaryTreated() + " of " + separated + " rows above the hinge at the boundary");
            assertEquals(0, fit.boundaryControl());
            assertTrue(fit.message().contains("'hinge'"), fit.message());
        }
        PropensityResult r = PropensityWeighting.withDefaults().withBootstrap(0, 1)
                .analyze(PropensityData.of(y, t, c));
        assertFalse(r.estimable());
        assertTrue(r.effects().isEmpty());
        assertTrue(r.warnings().get(0).contains("quasi-complete separation"), r.warnings().toString());
        assertThrows(IllegalStateException.class, r::headline);
    }

    @Test
    void positiveControlOverlappingArmsConverge() {
        SplittableRandom rng = new SplittableRandom(13);
        int n = 2000;
        double[] x = new double[n];
        double[] z = new double[n];
        boolean[] t = new boolean[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextGaussian();
            z[i] = rng.nextGaussian();
            t[i] = rng.nextDouble() < 1 / (1 + Math.exp(-(0.3 + 1.2 * x[i] - 0.8 * z[i])));
        }
        LogisticFit fit = LogisticRegression.fit(covariates(x, z), t, LogisticRegression.Options.defaults());
        assertEquals(LogisticFit.Status.CONVERGED, fit.status(), fit.message());
        // known truth: coefficients within 4 model standard errors of (0.3, 1.2, -0.8)
        double[] truth = {0.3, 1.2, -0.8};
        for (int j = 0; j < 3; j++) {
            double zscore = (fit.coefficients()[j] - truth[j]) / fit.standardErrors()[j];
            assertTrue(Math.abs(zscore) < 4, fit.names().get(j) + " z " + zscore);
        }
    }

    @Test
    void extremeButFiniteFitIsNotCalledSeparation() {
        // a steep but overlapping propensity: some fitted probabilities below 1e-6, yet a finite maximum exists
        SplittableRandom rng = new SplittableRandom(14);
        int n = 5000;
        double[] x = new double[n];
        double[] z = new double[n];
        boolean[] t = new boolean[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextGaussian();
            z[i] = rng.nextGaussian();
            t[i] = rng.nextDouble() < 1 / (1 + Math.exp(-4 * x[i]));
        }
        LogisticFit fit = LogisticRegression.fit(covariates(x, z), t, LogisticRegression.Options.defaults());
        assertEquals(LogisticFit.Status.CONVERGED, fit.status(), fit.message());
    }
}

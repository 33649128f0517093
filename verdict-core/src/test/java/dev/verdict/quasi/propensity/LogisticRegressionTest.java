package dev.verdict.quasi.propensity;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.verdict.quasi.propensity.PropensityReference.assertReference;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LogisticRegressionTest {
    private static final String LOGIT = "lalonde_propensity_logit";

    @Test
    void lalondeLogitMatchesGlm() {
        PropensityReference.Lalonde d = PropensityReference.lalonde();
        LogisticFit fit = LogisticRegression.fit(d.modelCovariates(), d.treat,
                LogisticRegression.Options.defaults().withEpsilon(1e-14));
        assertEquals(LogisticFit.Status.CONVERGED, fit.status(), fit.message());
        double worst = 0;
        for (String name : fit.names()) {
            double ec = assertReference(fit.coefficient(name), LOGIT, "coef", name);
            double es = assertReference(fit.standardError(name), LOGIT, "se", name);
            System.out.println(name + " " + ec + " " + es);
            worst = Math.max(worst, Math.max(ec, es));
        }
        assertReference(fit.deviance(), LOGIT, "deviance");
        assertReference(fit.nullDeviance(), LOGIT, "null_deviance");
        assertReference(fit.aic(), LOGIT, "aic");
        assertEquals(PropensityReference.num(LOGIT, "iterations"), fit.iterations(), "glm iterations");
        System.out.println("worst relative error, coefficients and SEs: " + worst);
    }
}

package dev.verdict.quasi.propensity;

import java.util.Locale;

/**
 * Maximum-likelihood logistic regression of a binary treatment on covariates (plus an intercept) by Newton-Raphson
 * / IRLS, reproducing R's {@code glm(t ~ x, family = binomial)}: the same starting values, the same convergence rule
 * {@code |dev - dev_old| / (|dev| + 0.1) < epsilon}, hence the same iteration count. Model-based standard errors
 * use the information matrix at the estimate; {@code summary.glm} reuses the last IRLS step's decomposition, whose
 * weights come from the previous iterate, so on LaLonde at epsilon 1e-14 the two differ by about 4e-9 relative.
 * Unlike {@code glm}, which warns "fitted probabilities numerically 0 or 1 occurred" and returns
 * large coefficients, it detects complete and quasi-complete separation (Albert and Anderson 1984, Biometrika
 * 71:1-10) and says so in {@link LogisticFit#status()} and {@link LogisticFit#message()}. Algorithm and separation
 * test: {@link LogitIrls}.
 *
 * <p>Covariates are centred internally (the fit is affine-equivariant; the intercept is mapped back), and the
 * information matrix is equilibrated before its Cholesky factorisation, so earnings in dollars next to 0/1 dummies
 * lose no accuracy.
 */
public final class LogisticRegression {

    /**
     * Fitting options.
     *
     * @param epsilon       R's {@code glm.control(epsilon)}; default 1e-12 (R's default is 1e-8; Newton converges
     *                      quadratically, so the tighter rule costs about one step)
     * @param maxIterations R's {@code maxit}; default 100
     * @param boundary      a fitted probability within this of 0 or 1 counts as "at the boundary" in the separation
     *                      test; default 1e-10
     */
    public record Options(double epsilon, int maxIterations, double boundary) {
        public Options {
            Arguments.positive("logistic epsilon", epsilon, "use e.g. 1e-12");
            Arguments.atLeast("logistic maxIterations", maxIterations, 1, "use e.g. 100");
            Arguments.openUnit("logistic boundary tolerance", boundary, "use e.g. 1e-10");
        }

        /** epsilon 1e-12, 100 iterations, boundary 1e-10. */
        public static Options defaults() {
            return new Options(1e-12, 100, 1e-10);
        }

        public Options withEpsilon(double e) {
            return new Options(e, maxIterations, boundary);
        }
    }

    private LogisticRegression() {
    }

    /**
     * Fits {@code P(treated | x)}.
     *
     * @throws IllegalArgumentException on a length mismatch, a constant or collinear covariate, or an arm with no row
     */
    public static LogisticFit fit(Covariates x, boolean[] treated, Options options) {
        Arguments.sameLength("treatment", treated.length, x.rows());
        return fit(LogitDesign.of(x, "propensity model"), treated, options).fit();
    }

    /** A fit with the fitted probabilities and the design it came from, for the estimators of this package. */
    record Fitted(LogisticFit fit, double[] propensity, double[] centredBeta, double[] lastStep) { }

    static Fitted fit(LogitDesign d, boolean[] treated, Options o) {
        int t = 0;
        for (boolean b : treated) {
            t += b ? 1 : 0;
        }
        if (t == 0 || t == treated.length) {
            throw new IllegalArgumentException("treatment is " + (t == 0 ? "0" : "1") + " in all " + treated.length
                    + " rows; a propensity model needs both treated and control rows");
        }
        LogitIrls irls = new LogitIrls(d, treated);
        LogitIrls.Work w = new LogitIrls.Work(d.n, d.k);
        LogitIrls.Outcome out = irls.fit(null, null, LogitIrls.Rule.R_DEVIANCE, o.epsilon(), o.maxIterations(),
                o.boundary(), w);
        double dev = irls.evaluate(null, w.beta, true, w);
        boolean factored = w.chol.factor(w.h, LogitIrls.SINGULAR_PIVOT) < 0;
        int k = d.k;
        double[] se = new double[k];
        java.util.Arrays.fill(se, Double.NaN);
        if (out.status() == LogisticFit.Status.CONVERGED && factored) {
            se = standardErrors(d, w);
        }
        double pbar = (double) t / treated.length;
        double nullDev = -2 * (t * Math.log(pbar) + (treated.length - t) * Math.log1p(-pbar));
        String message = message(out, d, treated.length);
        LogisticFit fit = new LogisticFit(d.names, d.toOriginal(w.beta), se, dev, nullDev, dev + 2 * k,
                out.iterations(), out.status(), out.boundaryTreated(), out.boundaryControl(), message);
        return new Fitted(fit, w.p.clone(), w.beta.clone(), w.step.clone());
    }

    /**
     * Model-based standard errors {@code sqrt(diag((X'WX)^-1))} with W evaluated at the centred coefficients
     * {@code beta}; NaN when the information matrix is singular.
     */
    static double[] standardErrorsAt(LogitDesign d, boolean[] treated, double[] beta) {
        LogitIrls.Work w = new LogitIrls.Work(d.n, d.k);
        new LogitIrls(d, treated).evaluate(null, beta, false, w);
        if (w.chol.factor(w.h, LogitIrls.SINGULAR_PIVOT) >= 0) {
            double[] nan = new double[d.k];
            java.util.Arrays.fill(nan, Double.NaN);
            return nan;
        }
        return standardErrors(d, w);
    }

    private static double[] standardErrors(LogitDesign d, LogitIrls.Work w) {
        double[][] v = d.covarianceToOriginal(w.chol.inverse());
        double[] se = new double[d.k];
        for (int j = 0; j < d.k; j++) {
            se[j] = Math.sqrt(v[j][j]);
        }
        return se;
    }

    static String message(LogitIrls.Outcome out, LogitDesign d, int n) {
        switch (out.status()) {
            case CONVERGED:
                return "converged";
            case COMPLETE_SEPARATION:
                return String.format(Locale.ROOT, "complete separation: the covariates predict treatment perfectly "
                        + "(all %d rows fitted at probability 0 or 1; coefficients diverge, mostly along '%s'), so the "
                        + "propensity model has no estimate and no weighting estimate exists; remove or coarsen the "
                        + "covariate that splits the arms, or restrict the comparison to rows where both arms occur",
                        n, dominant(out.direction(), d));
            case QUASI_COMPLETE_SEPARATION:
                return String.format(Locale.ROOT, "quasi-complete separation: %d treated and %d control rows are "
                        + "fitted at probability 0 or 1 and the coefficients diverge (mostly along '%s'), so those rows have "
                        + "no comparable rows in the other arm and the weights are unbounded; remove or coarsen that "
                        + "covariate, or restrict the comparison to the region where both arms occur",
                        out.boundaryTreated(), out.boundaryControl(), dominant(out.direction(), d));
            default:
                return "not converged: the Newton iterations stopped without reaching a maximum (iteration limit "
                        + "or a singular information matrix) although no row is fitted at probability 0 or 1; "
                        + "check for nearly collinear covariates or raise the iteration limit";
        }
    }

    /** The covariate with the largest standardised move {@code |d_j| sd_j} in the diverging direction. */
    private static String dominant(double[] direction, LogitDesign d) {
        if (direction == null) {
            return "unknown";
        }
        int best = -1;
        double max = -1;
        for (int j = 1; j < d.k; j++) {
            double v = Math.abs(direction[j]) * d.sd[j];
            if (v > max) {
                max = v;
                best = j;
            }
        }
        return best < 0 ? "(Intercept)" : d.names.get(best);
    }
}

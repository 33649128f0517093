package dev.verdict.quasi.propensity;

import java.util.Arrays;

/**
 * Newton-Raphson (IRLS) for the logit on a {@link LogitDesign}, with optional frequency weights (a bootstrap
 * replicate is the original rows with multinomial counts), reusable work arrays, and detection of separation.
 * Hand-written: no JVM library offers a logit that (a) reproduces R's {@code glm} path and convergence rule,
 * (b) runs allocation-free inside thousands of bootstrap replicates, and (c) reports (quasi-)complete separation
 * instead of returning large coefficients.
 *
 * <p>One evaluation at {@code b} is one pass over the rows: {@code eta_i = x_i'b}, {@code p_i = 1/(1 + e^-eta_i)},
 * gradient {@code g = sum f_i (y_i - p_i) x_i}, information {@code H = sum f_i p_i (1 - p_i) x_i x_i'} and, when asked,
 * the deviance {@code -2 sum f_i log p_i(y_i)} computed from eta with {@code log1p}. The step is {@code H^-1 g}.
 *
 * <p>Two convergence rules: R's ({@code |dev_t - dev_(t-1)| / (|dev_t| + 0.1) < epsilon}, starting like
 * {@code glm.fit} from {@code mu = (f y + 1/2)/(f + 1)}) for the reported fit, so the iteration count matches R; and
 * for bootstrap replicates, which start from the full-sample estimate, the Newton decrement
 * {@code g'H^-1 g < epsilon} (the predicted fall in deviance; it needs no logarithm per row).
 *
 * <p>Separation (Albert and Anderson 1984, Biometrika 71:1-10): when the data are (quasi-)separated the likelihood
 * has no maximum; Newton steps keep adding about 1 to |eta| of the separated rows while the deviance change shrinks
 * geometrically, so any deviance rule eventually "converges". The test used here does not depend on that rule:
 * after the loop, if the last step moved some row's linear predictor by more than {@link #PROBE_STEP} (bounded first
 * by {@code sum_j max_i |x_ij| |step_j|}, then computed), up to {@link #PROBE_ITERATIONS} further steps are taken.
 * A finite maximum shows as the steps vanishing (the fit is accepted); separation as rows driven to fitted
 * probabilities within {@code boundary} of 0 or 1, each on its own observed side (or as the information matrix
 * becoming singular on the way). Complete separation: every row is at the boundary; quasi-complete: some are.
 */
final class LogitIrls {
    static final double PROBE_STEP = 0.05;
    static final int PROBE_ITERATIONS = 40;
    static final double SINGULAR_PIVOT = 1e-13;

    enum Rule { R_DEVIANCE, NEWTON_DECREMENT }

    /** Work arrays for one thread. */
    static final class Work {
        final double[] h;
        final double[] g;
        final double[] beta;
        final double[] step;
        final double[] p;
        final Cholesky chol;
        double deviance;

        Work(int n, int k) {
            h = new double[k * k];
            g = new double[k];
            beta = new double[k];
            step = new double[k];
            p = new double[n];
            chol = new Cholesky(k);
        }
    }

    /** What a fit ended as; beta, p and the information matrix factorisation are left in the Work. */
    record Outcome(LogisticFit.Status status, int iterations, int boundaryTreated, int boundaryControl,
                   double[] direction, boolean informationFactored) { }

    private final LogitDesign d;
    private final boolean[] y;
    private final double[] y01;

    LogitIrls(LogitDesign d, boolean[] y) {
        this.d = d;
        this.y = y;
        this.y01 = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            y01[i] = y[i] ? 1 : 0;
        }
    }

    /**
     * Fits; {@code start == null} starts as glm.fit does, else from those (centred-design) coefficients.
     *
     * @param f frequency weights, or null for all 1
     */
    Outcome fit(double[] f, double[] start, Rule rule, double epsilon, int maxIterations, double boundary, Work w) {
        int k = d.k;
        double devOld;
        int it = 0;
        boolean converged = false;
        boolean factored;
        if (start == null) {
            devOld = startPass(f, w);
            factored = w.chol.factor(w.h, SINGULAR_PIVOT) < 0;
            if (!factored) {
                return finish(f, boundary, w, 0, false, false);
            }
            w.chol.solve(w.g, w.beta);
            Arrays.fill(w.step, 0);
            System.arraycopy(w.beta, 0, w.step, 0, k);
            it = 1;
        } else {
            System.arraycopy(start, 0, w.beta, 0, k);
            devOld = Double.NaN;
        }
        boolean wantDeviance = rule == Rule.R_DEVIANCE;
        while (true) {
            double dev = evaluate(f, w.beta, wantDeviance, w);
            factored = w.chol.factor(w.h, SINGULAR_PIVOT) < 0;
            if (wantDeviance && it > 0 && Math.abs(dev - devOld) / (Math.abs(dev) + 0.1) < epsilon) {
                converged = true;
                break;
            }
            if (!factored || it >= maxIterations) {
                break;
            }
            w.chol.solve(w.g, w.step);
            if (!wantDeviance) {
                double decrement = 0;
                for (int j = 0; j < k; j++) {
                    decrement += w.g[j] * w.step[j];
                }
                if (decrement < epsilon) {
                    converged = true;
                    break;
                }
            }
            for (int j = 0; j < k; j++) {
                w.beta[j] += w.step[j];
            }
            devOld = dev;
            it++;
        }
        boolean moved = it > 0 && maxEtaChange(f, w.step) > PROBE_STEP;
        if (converged && !moved && factored) {
            return new Outcome(LogisticFit.Status.CONVERGED, it, 0, 0, null, true);
        }
        return probe(f, boundary, w, it, factored);
    }

    /**
     * The bootstrap's fast path: Newton steps with a fixed information matrix (the full-sample one, already factored
     * in {@code fixed}), so each iteration is a gradient pass only (no k x k accumulation), over the {@code m} rows
     * listed in {@code rows} (those with a non-zero count). Since a replicate's information differs from the full
     * sample's by O(n^-1/2), the error contracts by that factor per step. Stops when {@code g'H0^-1 g < epsilon}.
     *
     * @return false when the fast path is not trustworthy: no convergence within 50 steps, a step that did not
     *         shrink the decrement, or a linear predictor beyond {@code maxAbsEta} (a sign of separation in the
     *         replicate); the caller then runs the full {@link #fit} with its separation test. On true, beta and
     *         p (for the listed rows) are in {@code w}.
     */
    boolean fitFixedInformation(int[] rows, int m, double[] f, double[] start, Cholesky fixed, double epsilon,
                                double maxAbsEta, Work w) {
        int k = d.k;
        double[] x = d.x;
        double[] beta = w.beta;
        double[] g = w.g;
        double[] p = w.p;
        System.arraycopy(start, 0, beta, 0, k);
        double previous = Double.POSITIVE_INFINITY;
        for (int it = 0; it < 50; it++) {
            Arrays.fill(g, 0);
            double etaMax = 0;
            for (int r = 0; r < m; r++) {
                int i = rows[r];
                int off = i * k;
                double eta0 = 0;
                double eta1 = 0;
                int j = 0;
                for (; j + 1 < k; j += 2) {
                    eta0 += x[off + j] * beta[j];
                    eta1 += x[off + j + 1] * beta[j + 1];
                }
                double eta = j < k ? eta0 + eta1 + x[off + j] * beta[j] : eta0 + eta1;
                double pi = 1 / (1 + Math.exp(-eta));
                p[i] = pi;
                double ri = f[i] * (y01[i] - pi);
                for (int c = 0; c < k; c++) {
                    g[c] += ri * x[off + c];
                }
                etaMax = Math.max(etaMax, Math.abs(eta));
            }
            if (etaMax > maxAbsEta) {
                return false;
            }
            fixed.solve(g, w.step);
            double decrement = 0;
            for (int j = 0; j < k; j++) {
                decrement += g[j] * w.step[j];
            }
            if (decrement < epsilon) {
                return true;
            }
            if (it >= 2 && decrement > 0.5 * previous) {
                return false;
            }
            previous = decrement;
            for (int j = 0; j < k; j++) {
                beta[j] += w.step[j];
            }
        }
        return false;
    }

    /** glm.fit's start: mu = (f y + 0.5)/(f + 1), eta = logit(mu); leaves H and the WLS right side X'Wz in g. */
    private double startPass(double[] f, Work w) {
        int k = d.k;
        double[] x = d.x;
        Arrays.fill(w.h, 0);
        Arrays.fill(w.g, 0);
        double dev = 0;
        for (int i = 0, off = 0; i < d.n; i++, off += k) {
            double fi = f == null ? 1 : f[i];
            if (fi == 0) {
                continue;
            }
            double yi = y[i] ? 1 : 0;
            double mu = (fi * yi + 0.5) / (fi + 1);
            double eta = Math.log(mu / (1 - mu));
            double wi = fi * mu * (1 - mu);
            double zi = wi * eta + fi * (yi - mu);
            dev -= 2 * fi * (y[i] ? Math.log(mu) : Math.log1p(-mu));
            accumulate(x, off, k, wi, zi, w);
        }
        mirror(w.h, k);
        w.deviance = dev;
        return dev;
    }

    /** One pass at beta: p, gradient, information and (optionally) deviance; returns the deviance or NaN. */
    double evaluate(double[] f, double[] beta, boolean deviance, Work w) {
        int k = d.k;
        double[] x = d.x;
        double[] p = w.p;
        Arrays.fill(w.h, 0);
        Arrays.fill(w.g, 0);
        double dev = 0;
        for (int i = 0, off = 0; i < d.n; i++, off += k) {
            double fi = f == null ? 1 : f[i];
            if (fi == 0) {
                continue;
            }
            double eta = 0;
            for (int j = 0; j < k; j++) {
                eta += x[off + j] * beta[j];
            }
            double e = Math.exp(-Math.abs(eta));
            double inv = 1 / (1 + e);
            double pi = eta >= 0 ? inv : e * inv;
            p[i] = pi;
            double wi = fi * e * inv * inv;
            double ri = fi * ((y[i] ? 1 : 0) - pi);
            if (deviance) {
                double wrong = y[i] ? -eta : eta;
                dev += 2 * fi * (Math.max(wrong, 0) + Math.log1p(e));
            }
            accumulate(x, off, k, wi, ri, w);
        }
        mirror(w.h, k);
        w.deviance = deviance ? dev : Double.NaN;
        return w.deviance;
    }

    private static void accumulate(double[] x, int off, int k, double wi, double ri, Work w) {
        double[] h = w.h;
        double[] g = w.g;
        for (int a = 0; a < k; a++) {
            double xa = x[off + a];
            g[a] += ri * xa;
            double wa = wi * xa;
            int row = a * k;
            for (int b = a; b < k; b++) {
                h[row + b] += wa * x[off + b];
            }
        }
    }

    private static void mirror(double[] h, int k) {
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                h[b * k + a] = h[a * k + b];
            }
        }
    }

    /** max_i |x_i' step| over rows in use, after a cheap bound says it could exceed the probe threshold. */
    private double maxEtaChange(double[] f, double[] step) {
        double bound = 0;
        for (int j = 0; j < d.k; j++) {
            bound += d.maxAbs[j] * Math.abs(step[j]);
        }
        if (bound <= PROBE_STEP) {
            return bound;
        }
        double max = 0;
        int k = d.k;
        for (int i = 0, off = 0; i < d.n; i++, off += k) {
            if (f != null && f[i] == 0) {
                continue;
            }
            double v = 0;
            for (int j = 0; j < k; j++) {
                v += d.x[off + j] * step[j];
            }
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    /** Keeps stepping past the deviance rule to tell a slow finite maximum from diverging coefficients. */
    private Outcome probe(double[] f, double boundary, Work w, int it, boolean factored) {
        int k = d.k;
        double[] before = w.beta.clone();
        boolean settled = false;
        for (int extra = 0; extra < PROBE_ITERATIONS && factored; extra++) {
            w.chol.solve(w.g, w.step);
            if (maxEtaChange(f, w.step) < 1e-7) {
                settled = true;
                break;
            }
            for (int j = 0; j < k; j++) {
                w.beta[j] += w.step[j];
            }
            evaluate(f, w.beta, true, w);
            factored = w.chol.factor(w.h, SINGULAR_PIVOT) < 0;
        }
        if (settled) {
            return new Outcome(LogisticFit.Status.CONVERGED, it, 0, 0, null, true);
        }
        double[] direction = new double[k];
        for (int j = 0; j < k; j++) {
            direction[j] = w.beta[j] - before[j];
        }
        return finish(f, boundary, w, it, factored, true, direction);
    }

    private Outcome finish(double[] f, double boundary, Work w, int it, boolean factored, boolean probed) {
        return finish(f, boundary, w, it, factored, probed, null);
    }

    private Outcome finish(double[] f, double boundary, Work w, int it, boolean factored, boolean probed,
                           double[] direction) {
        int bt = 0;
        int bc = 0;
        int inUse = 0;
        boolean wrongSide = false;
        for (int i = 0; i < d.n; i++) {
            if (f != null && f[i] == 0) {
                continue;
            }
            inUse++;
            double pi = w.p[i];
            boolean atOne = pi > 1 - boundary;
            boolean atZero = pi < boundary;
            if (atOne || atZero) {
                if (y[i]) {
                    bt++;
                } else {
                    bc++;
                }
                wrongSide |= atOne != y[i];
            }
        }
        LogisticFit.Status status;
        if (bt + bc == 0 || wrongSide || !probed) {
            status = LogisticFit.Status.NOT_CONVERGED;
        } else if (bt + bc == inUse) {
            status = LogisticFit.Status.COMPLETE_SEPARATION;
        } else {
            status = LogisticFit.Status.QUASI_COMPLETE_SEPARATION;
        }
        return new Outcome(status, it, bt, bc, direction, factored);
    }
}

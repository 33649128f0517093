package dev.verdict.quasi.rd;

import dev.verdict.stats.Estimate;

import java.util.Map;

/**
 * Local polynomial regression discontinuity estimation with robust bias-corrected inference (Calonico, Cattaneo and
 * Titiunik 2014, Econometrica 82(6), doi:10.3982/ECTA11757), reproducing rdrobust 3.0.0.
 *
 * <p>On each side of the cutoff c, a weighted least-squares polynomial of order p in {@code x - c} with kernel
 * weights {@code K((x - c)/h)/h} estimates the boundary value {@code mu_+-(c)}; the sharp RD estimate is
 * {@code tau = mu_+(c) - mu_-(c)}. Its leading bias {@code h^(p+1) B_+-} is estimated with a polynomial of order
 * {@code q = p + 1} at bandwidth b and subtracted; the robust variance treats the bias estimate as part of the
 * estimator: with {@code Gamma = sum_i w_h,i r_p,i r_p,i'} and
 * {@code Q_i = w_h,i r_p,i - h^(p+1) w_b,i (e_(p+1)' Gamma_q^-1 r_q,i) sum_j w_h,j r_p,j u_j^(p+1)}, the
 * bias-corrected estimate is {@code e_0' Gamma^-1 sum_i Q_i y_i} and its variance
 * {@code e_0' Gamma^-1 (sum_i Q_i Q_i' e_i^2) Gamma^-1 e_0} per side, the two sides added. The conventional
 * variance uses {@code w_h,i r_p,i} in place of {@code Q_i}. Intervals are normal:
 * {@code estimate -/+ z_(1 - alpha/2) se}.
 *
 * <p>Fuzzy RD estimates the ratio {@code tau_Y / tau_T} of the jumps in outcome and in take-up (the local Wald
 * estimand, Hahn, Todd and van der Klaauw 2001); the bias correction and the variance use its linearisation
 * {@code s = (1/tau_T, -tau_Y/tau_T^2)}, so the residual of observation i is {@code s' (e_Y,i, e_T,i)}.
 *
 * <p>Rows with a missing (NaN) x, y or take-up are dropped, as rdrobust drops incomplete rows. Not implemented:
 * covariate adjustment, clustered variances, sampling weights, derivative (kink) estimands.
 *
 * <pre>{@code
 * RdEstimate fit = RdRobust.withDefaults().sharp(vote, margin, 0.0);
 * fit.robust().ciLow();                  // robust bias-corrected 95% interval
 * fit.bandwidths().hLeft();              // MSE-optimal h (mserd)
 * }</pre>
 */
public final class RdRobust {
    private final int p;
    private final int q;
    private final RdKernel kernel;
    private final RdVariance vce;
    private final int nnMatch;
    private final BandwidthRule rule;
    private final Bandwidths manual;
    private final double level;
    private final boolean massPointsAdjust;

    private RdRobust(int p, int q, RdKernel kernel, RdVariance vce, int nnMatch, BandwidthRule rule,
                     Bandwidths manual, double level, boolean massPointsAdjust) {
        this.p = p;
        this.q = q;
        this.kernel = kernel;
        this.vce = vce;
        this.nnMatch = nnMatch;
        this.rule = rule;
        this.manual = manual;
        this.level = level;
        this.massPointsAdjust = massPointsAdjust;
    }

    /**
     * rdrobust's defaults: p = 1, q = 2, triangular kernel, mserd bandwidths, nearest-neighbour variance with 3
     * matches, 95% intervals, mass points adjusted.
     */
    public static RdRobust withDefaults() {
        return new RdRobust(1, 2, RdKernel.TRIANGULAR, RdVariance.NN, 3, BandwidthRule.MSERD, null, 0.95, true);
    }

    /** Polynomial order p (0 to 8) of the estimate; the bias order becomes p + 1. */
    public RdRobust withOrder(int order) {
        RdArguments.inRange("polynomial order p", order, 0, 8);
        return new RdRobust(order, order + 1, kernel, vce, nnMatch, rule, manual, level, massPointsAdjust);
    }

    /** Polynomial order q of the bias estimate; must exceed p. */
    public RdRobust withBiasOrder(int biasOrder) {
        RdArguments.inRange("bias polynomial order q", biasOrder, p + 1, 9);
        return new RdRobust(p, biasOrder, kernel, vce, nnMatch, rule, manual, level, massPointsAdjust);
    }

    public RdRobust withKernel(RdKernel k) {
        return new RdRobust(p, q, java.util.Objects.requireNonNull(k, "kernel"), vce, nnMatch, rule, manual, level,
                massPointsAdjust);
    }

    public RdRobust withVariance(RdVariance v) {
        return new RdRobust(p, q, kernel, java.util.Objects.requireNonNull(v, "variance"), nnMatch, rule, manual,
                level, massPointsAdjust);
    }

    /** Minimum number of nearest neighbours for the NN variance (default 3). */
    public RdRobust withNnMatch(int matches) {
        RdArguments.inRange("nnMatch", matches, 1, 1000);
        return new RdRobust(p, q, kernel, vce, matches, rule, manual, level, massPointsAdjust);
    }

    /** Data-driven bandwidths by this rule (clears manual bandwidths). */
    public RdRobust withBandwidthRule(BandwidthRule r) {
        return new RdRobust(p, q, kernel, vce, nnMatch, java.util.Objects.requireNonNull(r, "rule"), null, level,
                massPointsAdjust);
    }

    /** Fixed bandwidths instead of a data-driven rule. */
    public RdRobust withBandwidths(Bandwidths b) {
        return new RdRobust(p, q, kernel, vce, nnMatch, rule, java.util.Objects.requireNonNull(b, "bandwidths"),
                level, massPointsAdjust);
    }

    /** Confidence level in (0, 1), default 0.95. */
    public RdRobust withLevel(double lvl) {
        return new RdRobust(p, q, kernel, vce, nnMatch, rule, manual, RdArguments.level(lvl), massPointsAdjust);
    }

    /**
     * Whether the pilot bandwidth counts distinct x values and guards against windows with too few of them when
     * x has mass points (rdrobust {@code masspoints = "adjust"}, the default) or counts rows ({@code "off"}).
     */
    public RdRobust withMassPointsAdjust(boolean adjust) {
        return new RdRobust(p, q, kernel, vce, nnMatch, rule, manual, level, adjust);
    }

    public int order() {
        return p;
    }

    public RdKernel kernel() {
        return kernel;
    }

    public RdVariance variance() {
        return vce;
    }

    public double level() {
        return level;
    }

    /** Sharp RD of y on running variable x at cutoff c. */
    public RdEstimate sharp(double[] y, double[] x, double c) {
        return estimate(RdSample.of(y, null, x, c, "outcome"));
    }

    /** Sharp RD with a named outcome (the name appears in error messages). */
    public RdEstimate sharp(double[] y, double[] x, double c, String outcomeName) {
        return estimate(RdSample.of(y, null, x, c, outcomeName));
    }

    /** Fuzzy RD: the jump in y over the jump in take-up d at cutoff c. */
    public RdEstimate fuzzy(double[] y, double[] d, double[] x, double c) {
        return estimate(RdSample.of(y, d, x, c, "outcome"));
    }

    /** The bandwidths this estimator would use on these data (rdrobust's {@code rdbwselect}). */
    public Bandwidths selectBandwidths(double[] y, double[] x, double c) {
        return selectBandwidths(RdSample.of(y, null, x, c, "outcome"));
    }

    /** Every rule's bandwidths (rdbwselect with {@code all = TRUE}), in {@link BandwidthRule} order. */
    public Map<BandwidthRule, Bandwidths> selectAllBandwidths(double[] y, double[] x, double c) {
        return selector().selectAll(RdSample.of(y, null, x, c, "outcome"));
    }

    private BandwidthSelector selector() {
        return new BandwidthSelector(p, q, kernel, vce, nnMatch, massPointsAdjust, null, 1.0);
    }

    Bandwidths selectBandwidths(RdSample s) {
        if (manual != null) {
            return manual;
        }
        RdSample forBw = s;
        if (s.fuzzy && (constant(s.left.t) || constant(s.right.t))) {
            forBw = s.sharpView();
        }
        return selector().select(forBw, rule);
    }

    private static boolean constant(double[] t) {
        for (int i = 1; i < t.length; i++) {
            if (t[i] != t[0]) {
                return false;
            }
        }
        return true;
    }

    /** One side's fit at h and b. */
    private static final class Side {
        int nh;
        int nb;
        double[][] invGp;
        double[][] betaP;
        double[][] betaBc;
        int k;
        double[] designCl;
        double[] designRb;
        double[][] resH;
        double[][] resB;
    }

    RdEstimate estimate(RdSample s) {
        Bandwidths bw = selectBandwidths(s);
        Side l = side(s, s.left, true, bw.hLeft(), bw.bLeft());
        Side r = side(s, s.right, false, bw.hRight(), bw.bRight());
        double alpha = 1 - level;
        String tag = s.fuzzy ? "fuzzy RD local polynomial" : "RD local polynomial";
        double tauYcl = r.betaP[0][0] - l.betaP[0][0];
        double tauYbc = r.betaBc[0][0] - l.betaBc[0][0];
        double[] sY;
        double tauCl;
        double tauBc;
        RdEstimate.FirstStage first = null;
        if (!s.fuzzy) {
            sY = new double[] {1};
            tauCl = tauYcl;
            tauBc = tauYbc;
        } else {
            double tauTcl = r.betaP[1][0] - l.betaP[1][0];
            double tauTbc = r.betaBc[1][0] - l.betaBc[1][0];
            tauCl = tauYcl / tauTcl;
            sY = new double[] {1 / tauTcl, -(tauYcl / (tauTcl * tauTcl))};
            tauBc = tauCl - (sY[0] * (tauYcl - tauYbc) + sY[1] * (tauTcl - tauTbc));
            double[] sT = {0, 1};
            double seTcl = Math.sqrt(variance(l, sT, false) + variance(r, sT, false));
            double seTrb = Math.sqrt(variance(l, sT, true) + variance(r, sT, true));
            first = new RdEstimate.FirstStage(
                    Estimate.ofT(tauTcl, seTcl, Double.POSITIVE_INFINITY, alpha, "RD first stage, conventional"),
                    Estimate.ofT(tauTbc, seTcl, Double.POSITIVE_INFINITY, alpha, "RD first stage, bias-corrected"),
                    Estimate.ofT(tauTbc, seTrb, Double.POSITIVE_INFINITY, alpha,
                            "RD first stage, robust bias-corrected"));
        }
        double seCl = Math.sqrt(variance(l, sY, false) + variance(r, sY, false));
        double seRb = Math.sqrt(variance(l, sY, true) + variance(r, sY, true));
        Estimate conventional = Estimate.ofT(tauCl, seCl, Double.POSITIVE_INFINITY, alpha, tag + ", conventional");
        Estimate biasCorrected = Estimate.ofT(tauBc, seCl, Double.POSITIVE_INFINITY, alpha,
                tag + ", bias-corrected");
        Estimate robust = Estimate.ofT(tauBc, seRb, Double.POSITIVE_INFINITY, alpha,
                tag + ", robust bias-corrected (Calonico-Cattaneo-Titiunik)");
        return new RdEstimate(conventional, biasCorrected, robust, bw, s.c, s.left.n(), s.right.n(), l.nh, r.nh, l.nb,
                r.nb, p, q, kernel, vce, level, l.betaP[0], r.betaP[0], first);
    }

    private static double variance(Side sd, double[] s, boolean robust) {
        double[][] m = LocalPolynomial.meat(robust ? sd.designRb : sd.designCl, sd.k, robust ? sd.resB : sd.resH, s);
        return LocalPolynomial.sandwichDiagonal(sd.invGp, m, 0);
    }

    private Side side(RdSample s, RdSample.Side d, boolean left, double h, double b) {
        double c = s.c;
        String where = (left ? "below" : "above") + " the cutoff";
        int[] win = LocalPolynomial.window(d, c, h > b ? h : b, kernel, left);
        int lo = win[0];
        int n = win[1] - lo;
        double[] dx = new double[n];
        double[] wh = new double[n];
        double[] wb = new double[n];
        Side out = new Side();
        for (int i = 0; i < n; i++) {
            dx[i] = d.x[lo + i] - c;
            wh[i] = kernel.weight(dx[i], h);
            wb[i] = kernel.weight(dx[i], b);
        }
        out.nh = countPositive(d, c, h, left);
        out.nb = countPositive(d, c, b, left);
        int k = p + 1;
        out.k = k;
        out.invGp = LocalPolynomial.inverseGram(dx, wh, p, where + " (bandwidth h = " + h + ")");
        double[][] invGq = LocalPolynomial.inverseGram(dx, wb, q, where + " (bandwidth b = " + b + ")");
        double[][] cols = d.t == null ? new double[][] {d.y} : new double[][] {d.y, d.t};
        out.betaP = new double[cols.length][];
        double[][] betaQ = new double[cols.length][];
        for (int col = 0; col < cols.length; col++) {
            out.betaP[col] = LocalPolynomial.solve(out.invGp, LocalPolynomial.crossMoments(dx, wh, cols[col], lo, p));
            betaQ[col] = LocalPolynomial.solve(invGq, LocalPolynomial.crossMoments(dx, wb, cols[col], lo, q));
        }
        double[] lvec = new double[k];
        for (int i = 0; i < n; i++) {
            double u = Math.pow(dx[i] / h, p + 1);
            double pw = wh[i] * u;
            for (int j = 0; j < k; j++) {
                lvec[j] += pw;
                pw *= dx[i];
            }
        }
        double hp = Math.pow(h, p + 1);
        double[] designCl = new double[n * k];
        double[] designRb = new double[n * k];
        double[] rq = new double[q + 1];
        double[][] bcRhs = new double[cols.length][k];
        for (int i = 0; i < n; i++) {
            double pw = 1;
            for (int j = 0; j <= q; j++) {
                rq[j] = pw;
                pw *= dx[i];
            }
            double g = 0;
            for (int j = 0; j <= q; j++) {
                g += invGq[p + 1][j] * rq[j];
            }
            double shift = hp * g * wb[i];
            for (int j = 0; j < k; j++) {
                double a = rq[j] * wh[i];
                designCl[i * k + j] = a;
                double qij = a - shift * lvec[j];
                designRb[i * k + j] = qij;
                for (int col = 0; col < cols.length; col++) {
                    bcRhs[col][j] += qij * cols[col][lo + i];
                }
            }
        }
        out.betaBc = new double[cols.length][];
        for (int col = 0; col < cols.length; col++) {
            out.betaBc[col] = LocalPolynomial.solve(out.invGp, bcRhs[col]);
        }
        out.designCl = designCl;
        out.designRb = designRb;
        if (vce == RdVariance.NN) {
            out.resH = LocalPolynomial.nnResiduals(d, lo, lo + n, nnMatch);
            out.resB = out.resH;
        } else {
            out.resH = LocalPolynomial.hcResiduals(d, c, lo, lo + n, wh, out.invGp, out.betaP, vce);
            out.resB = LocalPolynomial.hcResiduals(d, c, lo, lo + n, wb, invGq, betaQ, vce);
        }
        return out;
    }

    private int countPositive(RdSample.Side d, double c, double h, boolean left) {
        int[] w = LocalPolynomial.window(d, c, h, kernel, left);
        return w[1] - w[0];
    }
}

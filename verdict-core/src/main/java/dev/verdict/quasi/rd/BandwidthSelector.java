package dev.verdict.quasi.rd;

import java.util.EnumMap;
import java.util.Map;

/**
 * The MSE- and CER-optimal bandwidth selectors of Calonico, Cattaneo and Titiunik (2014, Econometrica 82(6),
 * doi:10.3982/ECTA11757), Calonico, Cattaneo and Farrell (2020, Econometrics Journal 23(2),
 * doi:10.1093/ectj/utz022) and Calonico, Cattaneo, Farrell and Titiunik (2019), step by step as rdrobust 3.0.0's
 * {@code rdbwselect} computes them, so that the bandwidths reproduce the R package's.
 *
 * <p>For a local polynomial of order o estimating the nu-th derivative at the cutoff with a pilot bandwidth
 * {@code h_V} and a bias bandwidth {@code h_B}, each side yields
 * <ul>
 *   <li>a variance constant {@code V = (2 nu + 1) h_V^(2 nu + 1) [Gamma^-1 Psi Gamma^-1]_{nu,nu}} from the fit at
 *       {@code h_V} (the sandwich with nearest-neighbour or HC residuals),</li>
 *   <li>a bias constant {@code B = sqrt(2 (o + 1 - nu)) h_V^nu [Gamma^-1 sum_i w_i r_i u_i^(o+1)]_nu
 *       m^(o+1)}, with {@code m^(o+1)} the (o+1)-th coefficient of a fit of order {@code o_B} at {@code h_B},</li>
 *   <li>a regularisation {@code R = 2 (o + 1 - nu) 3 B_const^2 Var(m^(o+1))} that keeps the bandwidth finite when
 *       the estimated bias is near zero (scaled by {@code scaleregul}, default 1).</li>
 * </ul>
 * and the bandwidth is {@code (V / (B^2 + R))^(1 / (2 o + 3))} (rd: {@code V_l + V_r} over
 * {@code (B_r - B_l)^2 + R_l + R_r}; sum: {@code (B_r + B_l)^2}; two: each side alone). Three passes chain them:
 * a pilot {@code d} for the (q+1)-th derivative (starting from the rule of thumb
 * {@code C_K min(sd(x), IQR/1.349) M^(-1/5)}, M the number of distinct x when mass points are adjusted, and the
 * whole side's range for the bias fit, without regularisation), then b for the bias fit of order q, then h for
 * the fit of order p. Every bandwidth is capped at the range of x on its side ({@code bwrestrict}); when at least
 * 20% of a side's x are repeated values, the pilot and d are kept above the distance to the 10th distinct value
 * ({@code bwcheck = 10}).
 *
 * <p>Hand-written (no Java library selects RD bandwidths); checked against {@code rdrobust::rdbwselect(all = TRUE)}.
 */
public final class BandwidthSelector {
    private final int p;
    private final int q;
    private final RdKernel kernel;
    private final RdVariance vce;
    private final int nnMatch;
    private final boolean massPointsAdjust;
    private final Integer bwCheck;
    private final double scaleRegul;

    BandwidthSelector(int p, int q, RdKernel kernel, RdVariance vce, int nnMatch, boolean massPointsAdjust,
                      Integer bwCheck, double scaleRegul) {
        this.p = p;
        this.q = q;
        this.kernel = kernel;
        this.vce = vce;
        this.nnMatch = nnMatch;
        this.massPointsAdjust = massPointsAdjust;
        this.bwCheck = bwCheck;
        this.scaleRegul = scaleRegul;
    }

    /** One side's constants. */
    record Terms(double v, double b, double r, double rate) {
    }

    /** Per-call cache of nearest-neighbour residuals by window (they do not depend on the polynomial order). */
    private final class Context {
        final RdSample s;
        private final Map<String, double[][]> nn = new java.util.HashMap<>();

        Context(RdSample s) {
            this.s = s;
        }

        double[][] nnResiduals(RdSample.Side side, boolean left, int lo, int hi) {
            return nn.computeIfAbsent((left ? "l" : "r") + lo + ":" + hi,
                    key -> LocalPolynomial.nnResiduals(side, lo, hi, nnMatch));
        }
    }

    /** The bandwidths of one rule. */
    Bandwidths select(RdSample s, BandwidthRule rule) {
        return compute(s, rule, false).get(rule);
    }

    /** The bandwidths of every rule, in {@link BandwidthRule} order. */
    Map<BandwidthRule, Bandwidths> selectAll(RdSample s) {
        return compute(s, null, true);
    }

    private Map<BandwidthRule, Bandwidths> compute(RdSample s0, BandwidthRule only, boolean all) {
        RdSample s = s0;
        int n = s.n();
        if (n < 20) {
            throw new IllegalArgumentException("bandwidth selection needs at least 20 complete observations, got " + n
                    + "; give the bandwidth h by hand or add data");
        }
        Context ctx = new Context(s);
        double c = s.c;
        double xMin = s.xSorted[0];
        double xMax = s.xSorted[n - 1];
        double iqr = s.quantileType2(0.75) - s.quantileType2(0.25);
        double bwp = Math.min(s.sdX(), iqr / 1.349);
        int ml = s.left.distinct();
        int mr = s.right.distinct();
        double cBw = kernel.pilotConstant() * bwp * Math.pow(massPointsAdjust ? ml + mr : n, -0.2);
        double bwMaxL = Math.abs(c - xMin);
        double bwMaxR = Math.abs(c - xMax);
        double bwMax = Math.max(bwMaxL, bwMaxR);
        cBw = Math.min(cBw, bwMax);
        Integer check = bwCheck;
        if (massPointsAdjust && check == null) {
            double massL = 1 - ml / (double) s.left.n();
            double massR = 1 - mr / (double) s.right.n();
            if (massL >= 0.2 || massR >= 0.2) {
                check = 10;
            }
        }
        double bwMinL = Double.NEGATIVE_INFINITY;
        double bwMinR = Double.NEGATIVE_INFINITY;
        if (check != null) {
            bwMinL = kthDistinctDistance(s.left, c, Math.min(check, ml), true) + 1e-8;
            bwMinR = kthDistinctDistance(s.right, c, Math.min(check, mr), false) + 1e-8;
            cBw = Math.max(cBw, Math.max(bwMinL, bwMinR));
        }
        double rangeL = bwMaxL;
        double rangeR = bwMaxR;
        Terms dl = terms(ctx, true, q + 1, q + 1, q + 2, cBw, rangeL, 0);
        Terms dr = terms(ctx, false, q + 1, q + 1, q + 2, cBw, rangeR, 0);

        boolean needTwo = all || only.mseBase() == BandwidthRule.MSETWO || only.mseBase() == BandwidthRule.MSECOMB2;
        boolean needSum = all || only.mseBase() == BandwidthRule.MSESUM || only.mseBase() == BandwidthRule.MSECOMB1
                || only.mseBase() == BandwidthRule.MSECOMB2;
        boolean needRd = all || only.mseBase() == BandwidthRule.MSERD || only.mseBase() == BandwidthRule.MSECOMB1
                || only.mseBase() == BandwidthRule.MSECOMB2;
        double[] two = null;
        double[] sum = null;
        double[] rd = null;
        if (needTwo) {
            double dL = Math.pow(dl.v / (dl.b * dl.b), dl.rate);
            double dR = Math.pow(dr.v / (dr.b * dr.b), dl.rate);
            dL = Math.max(Math.min(dL, bwMaxL), bwMinL);
            dR = Math.max(Math.min(dR, bwMaxR), bwMinR);
            Terms bl = terms(ctx, true, q, p + 1, q + 1, cBw, dL, scaleRegul);
            Terms br = terms(ctx, false, q, p + 1, q + 1, cBw, dR, scaleRegul);
            double bL = Math.min(Math.pow(bl.v / (bl.b * bl.b + scaleRegul * bl.r), bl.rate), bwMaxL);
            double bR = Math.min(Math.pow(br.v / (br.b * br.b + scaleRegul * br.r), bl.rate), bwMaxR);
            Terms hl = terms(ctx, true, p, 0, q, cBw, bL, scaleRegul);
            Terms hr = terms(ctx, false, p, 0, q, cBw, bR, scaleRegul);
            double hL = Math.min(Math.pow(hl.v / (hl.b * hl.b + scaleRegul * hl.r), hl.rate), bwMaxL);
            double hR = Math.min(Math.pow(hr.v / (hr.b * hr.b + scaleRegul * hr.r), hl.rate), bwMaxR);
            two = new double[] {hL, hR, bL, bR};
        }
        if (needSum) {
            sum = common(ctx, dl, dr, +1, cBw, bwMax, bwMinL, bwMinR);
        }
        if (needRd) {
            rd = common(ctx, dl, dr, -1, cBw, bwMax, bwMinL, bwMinR);
        }
        double cer = Math.pow(n, -(p / ((3.0 + p) * (3.0 + 2 * p))));
        Map<BandwidthRule, Bandwidths> out = new EnumMap<>(BandwidthRule.class);
        for (BandwidthRule r : BandwidthRule.values()) {
            if (!all && r != only) {
                continue;
            }
            double[] v = switch (r.mseBase()) {
                case MSERD -> rd;
                case MSETWO -> two;
                case MSESUM -> sum;
                case MSECOMB1 -> new double[] {Math.min(rd[0], sum[0]), Math.min(rd[0], sum[0]),
                        Math.min(rd[2], sum[2]), Math.min(rd[2], sum[2])};
                case MSECOMB2 -> new double[] {median(rd[0], sum[0], two[0]), median(rd[0], sum[0], two[1]),
                        median(rd[2], sum[2], two[2]), median(rd[2], sum[2], two[3])};
                default -> throw new IllegalStateException(r.toString());
            };
            double f = r.coverageErrorRate() ? cer : 1.0;
            out.put(r, new Bandwidths(v[0] * f, v[1] * f, v[2], v[3], r.label()));
        }
        return out;
    }

    /** Common bandwidths (rd when sign = -1, sum when sign = +1): {h, h, b, b}. */
    private double[] common(Context ctx, Terms dl, Terms dr, int sign, double cBw, double bwMax, double bwMinL,
                            double bwMinR) {
        double db = dr.b + sign * dl.b;
        double d = Math.min(Math.pow((dl.v + dr.v) / (db * db), dl.rate), bwMax);
        d = Math.max(d, Math.max(bwMinL, bwMinR));
        Terms bl = terms(ctx, true, q, p + 1, q + 1, cBw, d, scaleRegul);
        Terms br = terms(ctx, false, q, p + 1, q + 1, cBw, d, scaleRegul);
        double bb = br.b + sign * bl.b;
        double b = Math.min(Math.pow((bl.v + br.v) / (bb * bb + scaleRegul * (br.r + bl.r)), bl.rate), bwMax);
        Terms hl = terms(ctx, true, p, 0, q, cBw, b, scaleRegul);
        Terms hr = terms(ctx, false, p, 0, q, cBw, b, scaleRegul);
        double hb = hr.b + sign * hl.b;
        double h = Math.min(Math.pow((hl.v + hr.v) / (hb * hb + scaleRegul * (hr.r + hl.r)), hl.rate), bwMax);
        return new double[] {h, h, b, b};
    }

    /**
     * One side's variance, bias and regularisation constants for a fit of order {@code o} estimating the
     * {@code nu}-th derivative, variance at {@code hV}, bias from a fit of order {@code oB} at {@code hB}.
     */
    private Terms terms(Context ctx, boolean left, int o, int nu, int oB, double hV, double hB, double scale) {
        RdSample s = ctx.s;
        RdSample.Side side = left ? s.left : s.right;
        double c = s.c;
        String where = (left ? "below" : "above") + " the cutoff during bandwidth selection";
        int[] wv = LocalPolynomial.window(side, c, hV, kernel, left);
        LocalPolynomial.Fit fv = LocalPolynomial.fit(side, c, wv[0], wv[1], hV, kernel, o, where);
        double[] sv = weightsOfColumns(fv, nu);
        double[][] resV = residuals(ctx, side, left, fv);
        int k = o + 1;
        int nv = fv.n();
        double[] design = new double[nv * k];
        double[] vv = new double[k];
        for (int i = 0; i < nv; i++) {
            double pw = fv.w[i];
            double u = Math.pow(fv.dx[i] / hV, o + 1);
            for (int j = 0; j < k; j++) {
                design[i * k + j] = pw;
                vv[j] += pw * u;
                pw *= fv.dx[i];
            }
        }
        double varV = LocalPolynomial.sandwichDiagonal(fv.invG, LocalPolynomial.meat(design, k, resV, sv), nu);
        double bConst = Math.pow(hV, nu) * LocalPolynomial.solve(fv.invG, vv)[nu];

        int[] wb = LocalPolynomial.window(side, c, hB, kernel, left);
        LocalPolynomial.Fit fb = LocalPolynomial.fit(side, c, wb[0], wb[1], hB, kernel, oB, where);
        double bwReg = 0;
        if (scale > 0) {
            double[][] resB = residuals(ctx, side, left, fb);
            int kb = oB + 1;
            double[] designB = new double[fb.n() * kb];
            for (int i = 0; i < fb.n(); i++) {
                double pw = fb.w[i];
                for (int j = 0; j < kb; j++) {
                    designB[i * kb + j] = pw;
                    pw *= fb.dx[i];
                }
            }
            double varB = LocalPolynomial.sandwichDiagonal(fb.invG,
                    LocalPolynomial.meat(designB, kb, resB, sv), o + 1);
            bwReg = 3 * bConst * bConst * varB;
        }
        double slope = sv[0] * fb.beta[0][o + 1];
        if (fb.beta.length > 1) {
            slope += sv[1] * fb.beta[1][o + 1];
        }
        double b = Math.sqrt(2.0 * (o + 1 - nu)) * bConst * slope;
        double v = (2 * nu + 1) * Math.pow(hV, 2 * nu + 1) * varV;
        double r = scale * (2 * (o + 1 - nu)) * bwReg;
        return new Terms(v, b, r, 1.0 / (2 * o + 3));
    }

    /** (1) for a sharp design; the linearisation (1/tau_T, -tau_Y/tau_T^2) of the side's ratio for a fuzzy one. */
    private static double[] weightsOfColumns(LocalPolynomial.Fit f, int nu) {
        if (f.beta.length == 1) {
            return new double[] {1};
        }
        double fact = factorial(nu);
        double tauY = fact * f.beta[0][nu];
        double tauT = fact * f.beta[1][nu];
        return new double[] {1 / tauT, -(tauY / (tauT * tauT))};
    }

    private double[][] residuals(Context ctx, RdSample.Side side, boolean left, LocalPolynomial.Fit f) {
        if (vce == RdVariance.NN) {
            return ctx.nnResiduals(side, left, f.lo, f.hi);
        }
        return LocalPolynomial.hcResiduals(side, ctx.s.c, f.lo, f.hi, f.w, f.invG, f.beta, vce);
    }

    /** Distance from c to the k-th distinct x value counted outward from the cutoff. */
    private static double kthDistinctDistance(RdSample.Side side, double c, int k, boolean left) {
        double[] x = side.x;
        int seen = 0;
        if (left) {
            for (int i = x.length - 1; i >= 0; i--) {
                if (i == x.length - 1 || x[i] != x[i + 1]) {
                    if (++seen == k) {
                        return Math.abs(x[i] - c);
                    }
                }
            }
        } else {
            for (int i = 0; i < x.length; i++) {
                if (i == 0 || x[i] != x[i - 1]) {
                    if (++seen == k) {
                        return Math.abs(x[i] - c);
                    }
                }
            }
        }
        throw new IllegalStateException("fewer than " + k + " distinct values");
    }

    static double factorial(int k) {
        double f = 1;
        for (int i = 2; i <= k; i++) {
            f *= i;
        }
        return f;
    }

    private static double median(double a, double b, double c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}

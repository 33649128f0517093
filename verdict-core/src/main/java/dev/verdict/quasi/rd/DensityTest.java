package dev.verdict.quasi.rd;

import dev.verdict.stats.Estimate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The manipulation test of Cattaneo, Jansson and Ma (2020, JASA 115(531), doi:10.1080/01621459.2019.1635480): is
 * the density of the running variable continuous at the cutoff? Reproduces rddensity 2.6 (unrestricted model,
 * jackknife standard errors, mass points adjusted), including its bandwidth selector {@code rdbwdensity}.
 *
 * <p>With the empirical distribution function {@code F_i = (i - 1)/(N - 1)} of the sorted x (tied values share the
 * largest), a kernel-weighted polynomial of order p in {@code (x - c)/h} is fitted to F separately on each side; the
 * coefficient of the linear term divided by h estimates the one-sided density {@code f_-+(c)}. The test statistic is
 * {@code T = (f_+ - f_-) / se}, with the jackknife variance
 * {@code H^-1 S^-1 (L'L) S^-1 H^-1}, where {@code S = X'WX} and row i of L is {@code sum_(j > i) w_j x_j / (N - 1)}
 * (the leave-one-out influence of observation i on the empirical distribution function), and a normal p-value.
 * The test uses order {@code q = p + 1} with the bandwidth chosen for order p, so its bias is of smaller order
 * (robust bias correction).
 *
 * <p>Bandwidths (rdbwdensity): normal-reference pilots for the density ({@code c_n}, order p) and for the
 * (p+1)-th derivative ({@code b_n}, order p + 2), kept within the data and above the distance to the
 * {@code 20 + p + 1}-th (resp. {@code 20 + p + 3}-th) nearest observation; then the MSE-optimal
 * {@code h = (V / (2p B^2 N))^(1/(2p+1))} for each side's density, their difference and their sum, with V the
 * jackknife variance at {@code c_n} times {@code N c_n} and B the estimated (p+1)-th derivative times the kernel
 * constant {@code (S^-1 C)_1}; {@code comb} (the default) takes per side the median of (own side, diff, sum). Each is
 * kept within the data and above the distance to the {@code 20 + p + 1}-th nearest observation and distinct value.
 *
 * <p>{@link #plotData} evaluates the same estimator on a grid each side of the cutoff for the density plot
 * (rddensity's {@code rdplotdensity}).
 *
 * <p>Hand-written: no Java library offers it. Not implemented: the restricted model, plug-in standard errors and
 * the binomial tests that rddensity also prints.
 *
 * <pre>{@code
 * DensityTestResult d = DensityTest.withDefaults().test(margin, 0.0);
 * d.statistic(); d.pValue();      // T = -0.8753, p = 0.3814 on the Senate data
 * }</pre>
 */
public final class DensityTest {
    /** Bandwidth choice of rddensity. */
    public enum Rule {
        /** Per side, median of (each, diff, sum): the default. */
        COMB,
        /** MSE-optimal for each side's density. */
        EACH,
        /** One bandwidth, MSE-optimal for the difference of densities. */
        DIFF,
        /** One bandwidth, MSE-optimal for the sum of densities. */
        SUM
    }

    /** rdbwdensity's pilot constants for the uniform kernel, by p = 1..7 (bias and density pilots). */
    private static final double[] CB = {25884.444444494150957, 3430865.4551236177795, 845007948.04262602329,
        330631733667.03808594, 187774809656037.3125, 145729502641999264.0, 146013502974449876992.0};
    private static final double[] CC = {4.8000000000000246914, 548.57142857155463389, 100800.00000020420703,
        29558225.458100609481, 12896196859.612621307, 7890871468221.609375, 6467911284037581.0};

    private final int p;
    private final RdKernel kernel;
    private final Rule rule;
    private final double hLeft;
    private final double hRight;
    private final boolean massPoints;
    private final double level;

    private DensityTest(int p, RdKernel kernel, Rule rule, double hLeft, double hRight, boolean massPoints,
                        double level) {
        this.p = p;
        this.kernel = kernel;
        this.rule = rule;
        this.hLeft = hLeft;
        this.hRight = hRight;
        this.massPoints = massPoints;
        this.level = level;
    }

    /** rddensity's defaults: p = 2, triangular kernel, comb bandwidths, mass points adjusted, 95% interval. */
    public static DensityTest withDefaults() {
        return new DensityTest(2, RdKernel.TRIANGULAR, Rule.COMB, 0, 0, true, 0.95);
    }

    /** Polynomial order p (1 to 7) for the density; the test uses p + 1. */
    public DensityTest withOrder(int order) {
        RdArguments.inRange("density polynomial order p", order, 1, 7);
        return new DensityTest(order, kernel, rule, hLeft, hRight, massPoints, level);
    }

    public DensityTest withKernel(RdKernel k) {
        return new DensityTest(p, java.util.Objects.requireNonNull(k, "kernel"), rule, hLeft, hRight, massPoints,
                level);
    }

    public DensityTest withRule(Rule r) {
        return new DensityTest(p, kernel, java.util.Objects.requireNonNull(r, "rule"), 0, 0, massPoints, level);
    }

    /** A fixed bandwidth h on both sides. */
    public DensityTest withBandwidth(double h) {
        return withBandwidths(h, h);
    }

    /** Fixed bandwidths below and above the cutoff. */
    public DensityTest withBandwidths(double left, double right) {
        RdArguments.positive("density bandwidth below the cutoff", left);
        RdArguments.positive("density bandwidth above the cutoff", right);
        return new DensityTest(p, kernel, rule, left, right, massPoints, level);
    }

    /** Whether tied x values share one value of the empirical distribution function (rddensity's default). */
    public DensityTest withMassPoints(boolean adjust) {
        return new DensityTest(p, kernel, rule, hLeft, hRight, adjust, level);
    }

    public DensityTest withLevel(double lvl) {
        return new DensityTest(p, kernel, rule, hLeft, hRight, massPoints, RdArguments.level(lvl));
    }

    /** Tests for a discontinuity of the density of x at c; NaN values of x are ignored. */
    public DensityTestResult test(double[] x, double c) {
        Centred s = centre(x, c);
        double[] xc = s.xc;
        double[] y = s.y;
        int n = xc.length;
        int nl = s.nl;
        int nr = n - nl;
        double hl = hLeft;
        double hr = hRight;
        String ruleName = "manual";
        if (!(hl > 0 && hr > 0)) {
            double[] hn = selectBandwidths(xc, y, nl);
            ruleName = rule.name().toLowerCase(java.util.Locale.ROOT);
            switch (rule) {
                case EACH -> {
                    hl = hn[0];
                    hr = hn[1];
                }
                case DIFF -> hl = hr = hn[2];
                case SUM -> hl = hr = hn[3];
                default -> {
                    hl = median(hn[0], hn[2], hn[3]);
                    hr = median(hn[1], hn[2], hn[3]);
                }
            }
        }
        int lo = 0;
        while (lo < n && xc[lo] < -hl) {
            lo++;
        }
        int hi = n;
        while (hi > lo && xc[hi - 1] > hr) {
            hi--;
        }
        int nlh = 0;
        for (int i = lo; i < hi && xc[i] < 0; i++) {
            nlh++;
        }
        int nrh = hi - lo - nlh;
        double[][] out = fit(xc, y, lo, hi, nlh, n, hl, hr, p + 1, 1);
        double alpha = 1 - level;
        double diff = out[2][0];
        double se = Math.sqrt(out[2][1]);
        Estimate d = Estimate.ofT(diff, se, Double.POSITIVE_INFINITY, alpha,
                "local polynomial density discontinuity (Cattaneo-Jansson-Ma), jackknife");
        return new DensityTestResult(d, out[0][0], out[1][0], Math.sqrt(out[0][1]), Math.sqrt(out[1][1]), hl, hr,
                ruleName, nl, nr, nlh, nrh, p, kernel);
    }

    /**
     * The density plot of a test this instance ran on the same x and c (rddensity's {@code rdplotdensity}): the
     * one-sided density estimate with its pointwise interval at {@code pointsPerSide} evenly spaced points on each
     * side, from {@code max(min x, c - hLeft)} to c and from c to {@code min(max x, c + hRight)}, each side's grid
     * ending at c, with the test's order (p + 1), kernel, bandwidths, mass-point rule and level; and a histogram over
     * the same range with {@code ceil(min(sqrt(m), 10 log10(m)))} equal bins on a side holding m observations (the
     * rule of rdplotdensity), normalised as {@code count / (N width)}. See {@link DensityPlotData}.
     *
     * <p>At an evaluation point x0 the fit uses the observations on x0's side of the cutoff with {@code |x - x0| <= h}
     * and kernel weights {@code K((x - x0)/h)/h}; at x0 = c that is the test's own fit, so the points at the cutoff
     * equal {@code test.fLeft()} and {@code test.fRight()} with their standard errors.
     *
     * @throws IllegalArgumentException when {@code test} was not made with this instance's order and kernel
     */
    public DensityPlotData plotData(double[] x, double c, DensityTestResult test, int pointsPerSide) {
        java.util.Objects.requireNonNull(test, "density test result");
        RdArguments.inRange("density plot points per side", pointsPerSide, 2, 10_000);
        if (test.p() != p || test.kernel() != kernel) {
            throw new IllegalArgumentException("the density test result was made with p = " + test.p() + " and a "
                    + test.kernel() + " kernel but this density test has p = " + p + " and a " + kernel
                    + " kernel; plot a result with the density test that produced it");
        }
        Centred s = centre(x, c);
        double[] xc = s.xc;
        int n = xc.length;
        int order = p + 1;
        double hl = test.hLeft();
        double hr = test.hRight();
        double from = Math.max(xc[0], -hl);
        double to = Math.min(xc[n - 1], hr);
        double crit = Estimate.ofT(0, 1, Double.POSITIVE_INFINITY, 1 - level, "critical value").ciHigh();
        List<DensityPlotData.Point> left = new ArrayList<>();
        List<DensityPlotData.Point> right = new ArrayList<>();
        for (int i = 0; i < pointsPerSide; i++) {
            double t = i / (double) (pointsPerSide - 1);
            double l = i == pointsPerSide - 1 ? 0 : from - t * from;
            double r = i == 0 ? 0 : t * to;
            left.add(point(s, 0, s.nl, l, hl, order, c, crit));
            right.add(point(s, s.nl, n, r, hr, order, c, crit));
        }
        List<DensityPlotData.Bin> bins = new ArrayList<>();
        histogram(xc, 0, s.nl, from, 0, c, bins);
        histogram(xc, s.nl, n, 0, to, c, bins);
        return new DensityPlotData(c, order, kernel, hl, hr, level, n, left, right, bins);
    }

    /** The density at centred x0 from the rows {@code [sideLo, sideHi)} (one side) within h of x0. */
    private DensityPlotData.Point point(Centred s, int sideLo, int sideHi, double x0, double h, int order, double c,
                                        double crit) {
        double[] xc = s.xc;
        double from = x0 - h;
        double to = x0 + h;
        int lo = firstIndex(xc, sideLo, sideHi, v -> v >= from);
        int hi = firstIndex(xc, lo, sideHi, v -> v > to);
        double[] fv = oneSidedFit(xc, s.y, lo, hi, x0, h, order);
        double se = Math.sqrt(fv[1]);
        double x = x0 == 0 ? c : c + x0;
        if (Double.isNaN(fv[0])) {
            return new DensityPlotData.Point(x, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new DensityPlotData.Point(x, fv[0], se, fv[0] - crit * se, fv[0] + crit * se);
    }

    /** The first index in {@code [from, to)} of ascending a where {@code test} holds (it holds from there on), or to. */
    private static int firstIndex(double[] a, int from, int to, java.util.function.DoublePredicate test) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (test.test(a[mid])) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * The order-{@code order} fit to the empirical distribution function at x0 on the rows {@code [lo, hi)}:
     * {density, jackknife variance}; the variance is NaN when negative, both are NaN when the design is singular.
     * At x0 = 0 this is the one-sided half of {@link #fit}.
     */
    private double[] oneSidedFit(double[] xc, double[] y, int lo, int hi, double x0, double h, int order) {
        int n = xc.length;
        int nh = hi - lo;
        int k = order + 1;
        double[] xp = new double[nh * k];
        double[] xpw = new double[nh * k];
        for (int i = 0; i < nh; i++) {
            double u = (xc[lo + i] - x0) / h;
            double w = switch (kernel) {
                case UNIFORM -> 1 / (2 * h);
                case TRIANGULAR -> (1 - Math.abs(u)) / h;
                case EPANECHNIKOV -> 0.75 * (1 - u * u) / h;
            };
            double pw = 1;
            for (int j = 0; j < k; j++) {
                xp[i * k + j] = pw;
                xpw[i * k + j] = pw * w;
                pw *= u;
            }
        }
        double[][] sInv;
        try {
            sInv = gramInverse(xp, xpw, nh, k, "density plot");
        } catch (IllegalArgumentException singular) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double[] rhs = new double[k];
        for (int i = 0; i < nh; i++) {
            for (int a = 0; a < k; a++) {
                rhs[a] += xpw[i * k + a] * y[lo + i];
            }
        }
        double hInv = 1 / h;
        double density = LocalPolynomial.solve(sInv, rhs)[1] * hInv;

        double[][] ll = jackknifeOuter(xc, xpw, lo, nh, k, n); // as in fit
        double[] t = new double[k];
        for (int b = 0; b < k; b++) {
            double sum = 0;
            for (int m = 0; m < k; m++) {
                sum += sInv[1][m] * ll[m][b];
            }
            t[b] = sum;
        }
        double v = 0;
        for (int m = 0; m < k; m++) {
            v += t[m] * sInv[m][1];
        }
        v = v * hInv * hInv;
        return new double[] {density, v < 0 ? Double.NaN : v};
    }

    /**
     * Appends the equal-width bins of rows {@code [lo, hi)} over centred {@code [from, to]}: {@code [lower, upper)}
     * except the last, which holds rows at {@code to}.
     */
    private static void histogram(double[] xc, int lo, int hi, double from, double to, double c,
                                  List<DensityPlotData.Bin> out) {
        int m = 0;
        for (int i = lo; i < hi; i++) {
            m += xc[i] >= from && xc[i] <= to ? 1 : 0;
        }
        int k = m < 2 ? 1 : (int) Math.ceil(Math.min(Math.sqrt(m), 10 * Math.log10(m)));
        double width = (to - from) / k;
        int[] count = new int[k];
        for (int i = lo; i < hi; i++) {
            if (xc[i] >= from && xc[i] <= to) {
                int b = (int) Math.floor((xc[i] - from) / width);
                count[Math.max(0, Math.min(k - 1, b))]++;
            }
        }
        int n = xc.length;
        for (int b = 0; b < k; b++) {
            double lower = b == 0 ? from : from + b * width;
            double upper = b == k - 1 ? to : from + (b + 1) * width;
            out.add(new DensityPlotData.Bin(c + lower, c + upper, count[b], count[b] / (n * (upper - lower))));
        }
    }

    /** The sorted, centred non-missing x, its empirical distribution function and the count below the cutoff. */
    private record Centred(double[] xc, double[] y, int nl) {
    }

    private Centred centre(double[] x, double c) {
        if (x == null) {
            throw new IllegalArgumentException("running variable is missing: pass one value per observation");
        }
        RdArguments.finite("cutoff", c);
        double[] xs = Arrays.stream(x).filter(v -> !Double.isNaN(v)).toArray();
        for (double v : xs) {
            if (Double.isInfinite(v)) {
                throw new IllegalArgumentException("running variable holds " + v + "; remove the row or give it a "
                        + "finite value");
            }
        }
        Arrays.sort(xs);
        int n = xs.length;
        if (n < 2 || !(c > xs[0] && c < xs[n - 1])) {
            throw new IllegalArgumentException("cutoff " + c + " must lie strictly inside the range of the running "
                    + "variable" + (n == 0 ? "" : " [" + xs[0] + ", " + xs[n - 1] + "]")
                    + "; check the cutoff and the units of x");
        }
        double[] xc = new double[n];
        for (int i = 0; i < n; i++) {
            xc[i] = xs[i] - c;
        }
        int nl = 0;
        while (nl < n && xc[nl] < 0) {
            nl++;
        }
        return new Centred(xc, edf(xc), nl);
    }

    /** {@code (i - 1)/(N - 1)} for sorted x, ties given the value of their last member when mass points count. */
    private double[] edf(double[] xc) {
        int n = xc.length;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = i / (double) (n - 1);
        }
        if (massPoints) {
            for (int i = 0; i < n; ) {
                int j = i;
                while (j + 1 < n && xc[j + 1] == xc[i]) {
                    j++;
                }
                for (int m = i; m < j; m++) {
                    y[m] = y[j];
                }
                i = j + 1;
            }
        }
        return y;
    }

    /** rdbwdensity: {h_left, h_right, h_diff, h_sum}. */
    private double[] selectBandwidths(double[] xc, double[] y, int nl) {
        int n = xc.length;
        int nr = n - nl;
        double mu = 0;
        for (double v : xc) {
            mu += v;
        }
        mu /= n;
        double ss = 0;
        for (double v : xc) {
            ss += (v - mu) * (v - mu);
        }
        double sd = Math.sqrt(ss / (n - 1));
        double z = mu / sd;
        double phi = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
        double hb = hermite(z, p + 2);
        double hc = hermite(z, p);
        double fhatb = 1 / (hb * hb * phi);
        double fhatc = 1 / (hc * hc * phi);
        double bn = Math.pow((2 * p + 1) / 4.0 * fhatb * CB[p - 1] / n, 1.0 / (2 * p + 5)) * sd;
        double cn = Math.pow(1.0 / (2 * p) * fhatc * CC[p - 1] / n, 1.0 / (2 * p + 1)) * sd;

        double[] leftAbs = new double[nl];
        for (int i = 0; i < nl; i++) {
            leftAbs[i] = -xc[nl - 1 - i];
        }
        double[] right = Arrays.copyOfRange(xc, nl, n);
        double[] leftUnique = distinct(leftAbs);
        double[] rightUnique = distinct(right);
        double maxAbs = Math.max(Math.abs(xc[0]), Math.abs(xc[n - 1]));
        int nLocalMin = 20 + p + 1;
        bn = Math.min(bn, maxAbs);
        cn = Math.min(cn, maxAbs);
        bn = Math.max(bn, Math.max(kth(leftAbs, 20 + p + 3), kth(right, 20 + p + 3)));
        cn = Math.max(cn, Math.max(kth(leftAbs, 20 + p + 1), kth(right, 20 + p + 1)));
        bn = Math.max(bn, Math.max(kth(leftUnique, 20 + p + 3), kth(rightUnique, 20 + p + 3)));
        cn = Math.max(cn, Math.max(kth(leftUnique, 20 + p + 1), kth(rightUnique, 20 + p + 1)));

        double[][] fb = fitSymmetric(xc, y, nl, bn, p + 2, p + 1);
        double[][] fc = fitSymmetric(xc, y, nl, cn, p, 1);
        double[][] sm = new double[p + 1][p + 1];
        double[] cm = new double[p + 1];
        for (int i = 0; i <= p; i++) {
            for (int j = 0; j <= p; j++) {
                sm[i][j] = kernel.moment(i + j);
            }
            cm[i] = kernel.moment(i + p + 1);
        }
        double kconst = LocalPolynomial.solve(LocalPolynomial.invertSpd(sm, "density kernel constants"), cm)[1];
        double[] bias = new double[4];
        bias[0] = fb[0][2] * kconst * (p % 2 == 0 ? 1 : -1);
        bias[1] = fb[1][2] * kconst;
        bias[2] = bias[1] - bias[0];
        bias[3] = bias[1] + bias[0];
        double[] h = new double[4];
        for (int i = 0; i < 4; i++) {
            double var = n * cn * fc[i][1];
            double b2 = bias[i] * bias[i];
            h[i] = Math.pow(1.0 / (2 * p) * var / b2 / n, 1.0 / (2 * p + 1));
            if (var < 0 || Double.isNaN(h[i])) {
                h[i] = 0;
            }
        }
        double xMinAbs = Math.abs(xc[0]);
        double xMax = xc[n - 1];
        h[0] = Math.min(h[0], xMinAbs);
        h[1] = Math.min(h[1], xMax);
        h[2] = Math.min(h[2], Math.max(xMinAbs, xMax));
        h[3] = Math.min(h[3], Math.max(xMinAbs, xMax));
        for (double[] pair : new double[][] {{kth(leftAbs, Math.min(nl, nLocalMin)), kth(right, Math.min(nr,
                nLocalMin))}, {kth(leftUnique, Math.min(leftUnique.length, nLocalMin)), kth(rightUnique,
                Math.min(rightUnique.length, nLocalMin))}}) {
            h[0] = Math.max(h[0], pair[0]);
            h[1] = Math.max(h[1], pair[1]);
            h[2] = Math.max(h[2], Math.max(pair[0], pair[1]));
            h[3] = Math.max(h[3], Math.max(pair[0], pair[1]));
        }
        return h;
    }

    /** The k-th smallest (1-based, capped at the length) of an ascending array. */
    private static double kth(double[] ascending, int k) {
        return ascending[Math.min(k, ascending.length) - 1];
    }

    private static double[] distinct(double[] ascending) {
        return Arrays.stream(ascending).distinct().toArray();
    }

    /** The fit on {@code |x - c| <= h} with the same h on both sides. */
    private double[][] fitSymmetric(double[] xc, double[] y, int nl, double h, int order, int s) {
        int n = xc.length;
        int lo = 0;
        while (lo < n && !(Math.abs(xc[lo]) <= h)) {
            lo++;
        }
        int hi = n;
        while (hi > lo && !(Math.abs(xc[hi - 1]) <= h)) {
            hi--;
        }
        int nlh = 0;
        for (int i = lo; i < hi && xc[i] < 0; i++) {
            nlh++;
        }
        return fit(xc, y, lo, hi, nlh, n, h, h, order, s);
    }

    /**
     * The inverse of {@code X'WX} for {@code nh} rows of {@code k} columns stored row-major in {@code xp} (X) and
     * {@code xpw} (X times the kernel weight); throws IllegalArgumentException when it is singular.
     */
    private static double[][] gramInverse(double[] xp, double[] xpw, int nh, int k, String what) {
        double[][] sm = new double[k][k];
        for (int i = 0; i < nh; i++) {
            for (int a = 0; a < k; a++) {
                double va = xpw[i * k + a];
                if (va == 0) {
                    continue;
                }
                for (int b = 0; b < k; b++) {
                    sm[a][b] += va * xp[i * k + b];
                }
            }
        }
        return LocalPolynomial.invertSpd(sm, what);
    }

    /**
     * The jackknife's middle matrix {@code sum_i L_i L_i'} over the {@code nh} rows from {@code lo}, where
     * {@code L_i} is the sum of {@code XpW} over the rows after the first row of i's tie group, divided by N - 1
     * (with mass points, tied rows share one empirical CDF value and so one {@code L}).
     */
    private double[][] jackknifeOuter(double[] xc, double[] xpw, int lo, int nh, int k, int n) {
        double[][] ll = new double[k][k];
        double[] suffix = new double[k];
        double[] l = new double[k];
        int i = nh - 1;
        while (i >= 0) {
            int first = i;
            if (massPoints) {
                while (first > 0 && xc[lo + first - 1] == xc[lo + i]) {
                    first--;
                }
            }
            // suffix holds the sum over rows > i; extend it to rows > first
            double[] groupSuffix = suffix.clone();
            for (int m = i; m > first; m--) {
                for (int a = 0; a < k; a++) {
                    groupSuffix[a] += xpw[m * k + a];
                }
            }
            for (int a = 0; a < k; a++) {
                l[a] = groupSuffix[a] / (n - 1);
            }
            int members = i - first + 1;
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    ll[a][b] += members * l[a] * l[b];
                }
            }
            for (int m = i; m >= first; m--) {
                for (int a = 0; a < k; a++) {
                    suffix[a] += xpw[m * k + a];
                }
            }
            i = first - 1;
        }
        return ll;
    }

    /**
     * rddensity_fV on the window {@code [lo, hi)} (first {@code nlh} rows below the cutoff): rows l, r, diff, sum;
     * columns estimate of the first derivative of F (the density), its jackknife variance, and the s-th
     * coefficient (for the bias constant). Negative variances become NaN; a singular design gives all NaN.
     */
    private double[][] fit(double[] xc, double[] y, int lo, int hi, int nlh, int n, double hl, double hr, int order,
                           int s) {
        int nh = hi - lo;
        int k = 2 * order + 2;
        double[][] out = new double[4][3];
        double[] xpw = new double[nh * k];
        double[] xp = new double[nh * k];
        for (int i = 0; i < nh; i++) {
            double v = xc[lo + i];
            boolean left = i < nlh;
            double hh = left ? hl : hr;
            double u = v / hh;
            double w = switch (kernel) {
                case UNIFORM -> 1 / (2 * hh);
                case TRIANGULAR -> left ? (1 + u) / hh : (1 - u) / hh;
                case EPANECHNIKOV -> 0.75 * (1 - u * u) / hh;
            };
            double pw = 1;
            for (int j = 0; j <= order; j++) {
                int col = 2 * j + (left ? 0 : 1);
                xp[i * k + col] = pw;
                xpw[i * k + col] = pw * w;
                pw *= u;
            }
        }
        double[][] sInv;
        try {
            sInv = gramInverse(xp, xpw, nh, k, "density test");
        } catch (IllegalArgumentException singular) {
            for (double[] row : out) {
                Arrays.fill(row, Double.NaN);
            }
            return out;
        }
        double[] hpInv = new double[k];
        for (int j = 0; j < k; j++) {
            hpInv[j] = 1 / Math.pow(j % 2 == 0 ? hl : hr, j / 2);
        }
        double[] rhs = new double[k];
        for (int i = 0; i < nh; i++) {
            for (int a = 0; a < k; a++) {
                rhs[a] += xpw[i * k + a] * y[lo + i];
            }
        }
        double[] b = LocalPolynomial.solve(sInv, rhs);
        for (int j = 0; j < k; j++) {
            b[j] *= hpInv[j];
        }
        out[0][0] = b[2];
        out[1][0] = b[3];
        out[2][0] = b[3] - b[2];
        out[3][0] = b[3] + b[2];
        out[0][2] = b[2 * s];
        out[1][2] = b[2 * s + 1];
        out[2][2] = out[1][2] - out[0][2];
        out[3][2] = out[1][2] + out[0][2];

        double[][] ll = jackknifeOuter(xc, xpw, lo, nh, k, n);
        double[][] v = new double[k][k];
        double[][] t = new double[k][k];
        for (int a = 0; a < k; a++) {
            for (int c2 = 0; c2 < k; c2++) {
                double sum = 0;
                for (int m = 0; m < k; m++) {
                    sum += sInv[a][m] * ll[m][c2];
                }
                t[a][c2] = sum;
            }
        }
        for (int a = 0; a < k; a++) {
            for (int c2 = 0; c2 < k; c2++) {
                double sum = 0;
                for (int m = 0; m < k; m++) {
                    sum += t[a][m] * sInv[m][c2];
                }
                v[a][c2] = sum * hpInv[a] * hpInv[c2];
            }
        }
        out[0][1] = v[2][2];
        out[1][1] = v[3][3];
        out[2][1] = v[2][2] + v[3][3] - 2 * v[2][3];
        out[3][1] = v[2][2] + v[3][3] + 2 * v[2][3];
        for (double[] row : out) {
            if (row[1] < 0) {
                row[1] = Double.NaN;
            }
        }
        return out;
    }

    /** Probabilists' Hermite polynomial He_k(x). */
    static double hermite(double x, int k) {
        double prev = 1;
        if (k == 0) {
            return prev;
        }
        double cur = x;
        for (int j = 1; j < k; j++) {
            double next = x * cur - j * prev;
            prev = cur;
            cur = next;
        }
        return cur;
    }

    private static double median(double a, double b, double c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}

package dev.verdict.quasi.rd;

/**
 * The numerical core shared by the RD estimator and its bandwidth selector: windows on one side of the cutoff,
 * kernel-weighted polynomial fits in {@code x - c}, their inverse Gram matrices, and residuals for the sandwich
 * variance. Hand-written because no Java library offers local polynomial regression with the nearest-neighbour
 * variance of Calonico, Cattaneo and Titiunik (2014); the matrices are at most 6 x 6, so a Cholesky factorisation
 * written out here is all the linear algebra needed.
 */
final class LocalPolynomial {
    private LocalPolynomial() {
    }

    /** A weighted polynomial fit on the window {@code [lo, hi)} of one side. */
    static final class Fit {
        final int lo;
        final int hi;
        final int order;
        /** {@code x - c} over the window. */
        final double[] dx;
        /** Kernel weights over the window (all &gt; 0 for the fit's own bandwidth). */
        final double[] w;
        final double[][] invG;
        /** Coefficients per column: [0] outcome, [1] take-up when present. */
        final double[][] beta;

        Fit(int lo, int hi, int order, double[] dx, double[] w, double[][] invG, double[][] beta) {
            this.lo = lo;
            this.hi = hi;
            this.order = order;
            this.dx = dx;
            this.w = w;
            this.invG = invG;
            this.beta = beta;
        }

        int n() {
            return hi - lo;
        }
    }

    /**
     * The window of positive kernel weight for bandwidth h: on the left side the top of the sorted array, on the
     * right side its bottom. Positivity of the weight is monotone in x, so a binary search finds the edge.
     *
     * @return {lo, hi}
     */
    static int[] window(RdSample.Side s, double c, double h, RdKernel k, boolean left) {
        double[] x = s.x;
        int n = x.length;
        if (left) {
            int lo = 0;
            int hi = n;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (k.weight(x[mid] - c, h) > 0) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return new int[] {lo, n};
        }
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (k.weight(x[mid] - c, h) > 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return new int[] {0, lo};
    }

    /** Fits a polynomial of the given order with kernel weights for bandwidth h on {@code [lo, hi)}. */
    static Fit fit(RdSample.Side s, double c, int lo, int hi, double h, RdKernel k, int order, String what) {
        int n = hi - lo;
        double[] dx = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            dx[i] = s.x[lo + i] - c;
            w[i] = k.weight(dx[i], h);
        }
        double[][] invG = inverseGram(dx, w, order, what);
        int cols = s.t == null ? 1 : 2;
        double[][] beta = new double[cols][];
        beta[0] = solve(invG, crossMoments(dx, w, s.y, lo, order));
        if (cols == 2) {
            beta[1] = solve(invG, crossMoments(dx, w, s.t, lo, order));
        }
        return new Fit(lo, hi, order, dx, w, invG, beta);
    }

    /** {@code (sum_i w_i r_i r_i')^-1} with {@code r_i = (1, dx_i, ..., dx_i^order)}. */
    static double[][] inverseGram(double[] dx, double[] w, int order, String what) {
        int k = order + 1;
        double[] m = new double[2 * order + 1];
        for (int i = 0; i < dx.length; i++) {
            double wi = w[i];
            if (wi == 0) {
                continue;
            }
            double pw = wi;
            for (int j = 0; j <= 2 * order; j++) {
                m[j] += pw;
                pw *= dx[i];
            }
        }
        double[][] g = new double[k][k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                g[a][b] = m[a + b];
            }
        }
        return invertSpd(g, what);
    }

    /** {@code sum_i w_i r_i v_i} over the window, v indexed from {@code offset}. */
    static double[] crossMoments(double[] dx, double[] w, double[] v, int offset, int order) {
        double[] out = new double[order + 1];
        for (int i = 0; i < dx.length; i++) {
            double pw = w[i] * v[offset + i];
            if (pw == 0) {
                continue;
            }
            for (int j = 0; j <= order; j++) {
                out[j] += pw;
                pw *= dx[i];
            }
        }
        return out;
    }

    static double[] solve(double[][] inv, double[] rhs) {
        int k = rhs.length;
        double[] out = new double[k];
        for (int a = 0; a < k; a++) {
            double s = 0;
            for (int b = 0; b < k; b++) {
                s += inv[a][b] * rhs[b];
            }
            out[a] = s;
        }
        return out;
    }

    /**
     * Inverse of a symmetric positive definite matrix through its Cholesky factor ({@code chol2inv(chol(a))} in R).
     *
     * @throws IllegalArgumentException when the matrix is not positive definite: too few distinct x in the window
     */
    static double[][] invertSpd(double[][] a, String what) {
        int k = a.length;
        double[][] l = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int m = 0; m < j; m++) {
                    s -= l[i][m] * l[j][m];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalArgumentException(what + ": the local polynomial of order " + (k - 1)
                                + " cannot be fitted because the window holds fewer than " + k + " distinct values "
                                + "of the running variable; widen the bandwidth or lower the polynomial order");
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        double[][] li = new double[k][k];
        for (int j = 0; j < k; j++) {
            li[j][j] = 1 / l[j][j];
            for (int i = j + 1; i < k; i++) {
                double s = 0;
                for (int m = j; m < i; m++) {
                    s -= l[i][m] * li[m][j];
                }
                li[i][j] = s / l[i][i];
            }
        }
        double[][] inv = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int m = i; m < k; m++) {
                    s += li[m][i] * li[m][j];
                }
                inv[i][j] = s;
                inv[j][i] = s;
            }
        }
        return inv;
    }

    /**
     * Nearest-neighbour residuals on the window {@code [lo, hi)} (rdrobust's {@code vce = "nn"}): for each position
     * the smallest set of at least {@code matches} nearest other observations on the same side, whole groups of tied
     * x at a time, and {@code sqrt(J / (J + 1)) (v_i - mean of the J neighbours)}. The window is sorted, so the
     * neighbours of i are a contiguous run around i and the whole pass is {@code O(n matches)}.
     *
     * @return residuals per column, each of length {@code hi - lo}
     */
    static double[][] nnResiduals(RdSample.Side s, int lo, int hi, int matches) {
        int n = hi - lo;
        double[] x = s.x;
        int[] dups = new int[n];
        int[] dupsid = new int[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && x[lo + j] == x[lo + i]) {
                j++;
            }
            for (int m = i; m < j; m++) {
                dups[m] = j - i;
                dupsid[m] = m - i + 1;
            }
            i = j;
        }
        double[][] cols = s.t == null ? new double[][] {s.y} : new double[][] {s.y, s.t};
        double[][] res = new double[cols.length][n];
        double[][] prefix = new double[cols.length][];
        int cap = Math.min(matches, n - 1);
        for (int pos = 0; pos < n; pos++) {
            int rpos = dups[pos] - dupsid[pos];
            int lpos = dupsid[pos] - 1;
            while (lpos + rpos < cap) {
                if (pos - lpos - 1 < 0) {
                    rpos += dups[pos + rpos + 1];
                } else if (pos + rpos + 1 >= n) {
                    lpos += dups[pos - lpos - 1];
                } else {
                    double dl = x[lo + pos] - x[lo + pos - lpos - 1];
                    double dr = x[lo + pos + rpos + 1] - x[lo + pos];
                    if (dl > dr) {
                        rpos += dups[pos + rpos + 1];
                    } else if (dl < dr) {
                        lpos += dups[pos - lpos - 1];
                    } else {
                        rpos += dups[pos + rpos + 1];
                        lpos += dups[pos - lpos - 1];
                    }
                }
            }
            int a = pos - lpos;
            int b = pos + rpos;
            int ji = b - a;
            double scale = Math.sqrt(ji / (ji + 1.0));
            for (int col = 0; col < cols.length; col++) {
                double[] v = cols[col];
                double sum;
                if (b - a <= 64) {
                    sum = 0;
                    for (int m = a; m <= b; m++) {
                        sum += v[lo + m];
                    }
                } else {
                    if (prefix[col] == null) {
                        prefix[col] = prefixSums(v, lo, n);
                    }
                    sum = prefix[col][b + 1] - prefix[col][a];
                }
                double yi = v[lo + pos];
                res[col][pos] = scale * (yi - (sum - yi) / ji);
            }
        }
        return res;
    }

    private static double[] prefixSums(double[] v, int lo, int n) {
        double[] p = new double[n + 1];
        for (int i = 0; i < n; i++) {
            p[i + 1] = p[i] + v[lo + i];
        }
        return p;
    }

    /**
     * HC residuals {@code scale_i (v_i - r_i' beta)} of a fit evaluated on the rows {@code [lo, hi)}, with leverages
     * from weights {@code w} (aligned to lo) and the fit's inverse Gram matrix; {@code k} is the number of
     * coefficients for the HC1 factor {@code sqrt(n / (n - k))}.
     */
    static double[][] hcResiduals(RdSample.Side s, double c, int lo, int hi, double[] w, double[][] invG,
                                  double[][] beta, RdVariance vce) {
        int n = hi - lo;
        int k = invG.length;
        double[][] cols = s.t == null ? new double[][] {s.y} : new double[][] {s.y, s.t};
        double[][] res = new double[cols.length][n];
        double[] r = new double[k];
        double hc1 = Math.sqrt(n / (double) (n - k));
        for (int i = 0; i < n; i++) {
            double dx = s.x[lo + i] - c;
            double pw = 1;
            for (int j = 0; j < k; j++) {
                r[j] = pw;
                pw *= dx;
            }
            double scale;
            switch (vce) {
                case HC0 -> scale = 1;
                case HC1 -> scale = hc1;
                default -> {
                    double hii = 0;
                    for (int a = 0; a < k; a++) {
                        double t = 0;
                        for (int b = 0; b < k; b++) {
                            t += r[b] * invG[b][a];
                        }
                        hii += t * r[a] * w[i];
                    }
                    scale = vce == RdVariance.HC2 ? Math.sqrt(1 / (1 - hii)) : 1 / (1 - hii);
                }
            }
            for (int col = 0; col < cols.length; col++) {
                double pred = 0;
                for (int j = 0; j < k; j++) {
                    pred += r[j] * beta[col][j];
                }
                res[col][i] = scale * (cols[col][lo + i] - pred);
            }
        }
        return res;
    }

    /**
     * The meat {@code sum_i e_i^2 a_i a_i'} of a sandwich with {@code e_i = s_0 res_0,i + s_1 res_1,i}, where
     * {@code a_i} is row i of {@code design} ({@code n x k}, row-major by observation: {@code design[i * k + j]}).
     */
    static double[][] meat(double[] design, int k, double[][] res, double[] s) {
        int n = res[0].length;
        double[][] m = new double[k][k];
        for (int i = 0; i < n; i++) {
            double e = s[0] * res[0][i];
            if (res.length > 1) {
                e += s[1] * res[1][i];
            }
            double e2 = e * e;
            if (e2 == 0) {
                continue;
            }
            int off = i * k;
            for (int a = 0; a < k; a++) {
                double va = e2 * design[off + a];
                for (int b = 0; b <= a; b++) {
                    m[a][b] += va * design[off + b];
                }
            }
        }
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < a; b++) {
                m[b][a] = m[a][b];
            }
        }
        return m;
    }

    /** Element (j, j) of {@code A M A} for symmetric A. */
    static double sandwichDiagonal(double[][] a, double[][] m, int j) {
        int k = a.length;
        double s = 0;
        for (int u = 0; u < k; u++) {
            for (int v = 0; v < k; v++) {
                s += a[j][u] * m[u][v] * a[v][j];
            }
        }
        return s;
    }
}

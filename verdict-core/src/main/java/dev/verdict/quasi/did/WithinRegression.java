package dev.verdict.quasi.did;

import dev.verdict.InputException;
import dev.verdict.stats.ClusterBlock;
import dev.verdict.stats.ClusterRobustOls;
import dev.verdict.stats.OlsFit;

import java.util.ArrayList;
import java.util.List;

/**
 * Two-way fixed-effects least squares with the unit effects absorbed by a (weighted) within-unit transformation
 * and the period effects kept as dummies, fitted with {@link ClusterRobustOls} on one block per unit.
 *
 * <p>Model: {@code y_it = a_i + l_t + x_it'b + e_it}, weighted by the cell weight {@code w_it}. By the
 * Frisch-Waugh-Lovell theorem, {@code b} and the period effects equal those of the regression of
 * {@code sqrt(w)(y - ybar_i)} on {@code sqrt(w)(z - zbar_i)}, {@code z = (x, period dummies)}, where
 * {@code ybar_i, zbar_i} are unit i's weighted means; this holds for balanced and unbalanced panels alike.
 *
 * <p>Why the unit effects are absorbed and the period effects are not: the unit effects are nested within the
 * clusters (units), so the CR2 adjustment computed on the absorbed design equals the one of the dummy-variable
 * design (Pustejovsky and Tipton 2018, JBES 36:672-683, section 3.2: within a cluster the unit-dummy direction
 * has leverage 1, gets weight 0 in the pseudo-inverse square root, and the within-transformed residuals are
 * orthogonal to it). Period effects cut across clusters; absorbing them too would change each cluster's
 * leverage and hence CR2 and its Satterthwaite df, so they stay in the design as {@code T - 1} dummies
 * (the first observed period is the reference).
 *
 * <p>Degrees-of-freedom convention: the fit counts {@code N} cells and {@code K} = slope coefficients plus
 * period dummies; the absorbed unit effects are not counted. CR1 is therefore
 * {@code G/(G-1) (N-1)/(N-K)} with that K, which is fixest's default for fixed effects nested in the clusters
 * (and Stata's {@code xtreg, fe vce(cluster)}); the dummy-variable regression's CR1
 * ({@code sandwich::vcovCL(lm(...), type = "HC1")}, Stata's {@code areg}) counts the G unit dummies too and is
 * larger by exactly {@code (N - K)/(N - K - G)} in variance. CR2 and its Satterthwaite df are identical to the
 * dummy-variable
 * fit's. Units observed in a single period carry no within-unit variation and are left out (they are not
 * clusters).
 */
final class WithinRegression {
    /** Fills the slope regressors of a cell; the period dummies are added by the regression. */
    interface Columns {
        void fill(int unit, int period, double[] out);
    }

    /**
     * The fit, the names of its coefficients, the units used as clusters and the within sum of squares of the
     * outcome (for judging an exact fit).
     */
    record Fit(OlsFit ols, List<String> names, int[] clusterUnits, int periodDummies, double withinSumOfSquares) {
        /** True when the residual sum of squares is zero up to rounding: no residual variation at all. */
        boolean exact() {
            return ols.residualSumOfSquares() <= 1e-10 * withinSumOfSquares;
        }
    }

    private WithinRegression() {
    }

    static Fit fit(Panel p, List<String> slopeNames, Columns columns) {
        int s = slopeNames.size();
        int periods = p.periodCount();
        boolean[] present = new boolean[periods];
        for (int r = 0; r < p.rows(); r++) {
            present[p.periodIndex(r)] = true;
        }
        int[] dummyOf = new int[periods];
        List<String> names = new ArrayList<>(slopeNames);
        long[] grid = p.periods();
        boolean first = true;
        int d = 0;
        for (int t = 0; t < periods; t++) {
            dummyOf[t] = -1;
            if (present[t]) {
                if (first) {
                    first = false;
                } else {
                    dummyOf[t] = s + d++;
                    names.add("period " + grid[t]);
                }
            }
        }
        int k = s + d;
        List<ClusterBlock> blocks = new ArrayList<>();
        List<Integer> used = new ArrayList<>();
        double tss = 0;
        ClusterBlock.Accumulator acc = new ClusterBlock.Accumulator(k);
        double[] slope = new double[s];
        for (int u = 0; u < p.unitCount(); u++) {
            int a = p.start(u);
            int b = p.end(u);
            if (b - a < 2) {
                continue;
            }
            int m = b - a;
            double[][] z = new double[m][k];
            double[] mean = new double[k];
            double ybar = 0;
            double wsum = 0;
            for (int r = a; r < b; r++) {
                double[] row = z[r - a];
                int t = p.periodIndex(r);
                columns.fill(u, t, slope);
                System.arraycopy(slope, 0, row, 0, s);
                if (dummyOf[t] >= 0) {
                    row[dummyOf[t]] = 1;
                }
                double w = p.weight(r);
                wsum += w;
                ybar += w * p.outcome(r);
                for (int j = 0; j < k; j++) {
                    mean[j] += w * row[j];
                }
            }
            ybar /= wsum;
            for (int j = 0; j < k; j++) {
                mean[j] /= wsum;
            }
            acc.reset();
            double[] x = new double[k];
            for (int r = a; r < b; r++) {
                double root = Math.sqrt(p.weight(r));
                double[] row = z[r - a];
                for (int j = 0; j < k; j++) {
                    x[j] = root * (row[j] - mean[j]);
                }
                acc.add(x, root * (p.outcome(r) - ybar));
            }
            ClusterBlock block = acc.toBlock();
            tss += block.yty();
            blocks.add(block);
            used.add(u);
        }
        if (blocks.size() < 2) {
            throw new IllegalArgumentException("only " + blocks.size() + " unit(s) are observed in two or more periods;"
                    + " fixed-effects difference-in-differences needs at least 2");
        }
        OlsFit fit;
        try {
            fit = ClusterRobustOls.fit(blocks, names);
        } catch (InputException e) {
            throw new IllegalArgumentException("the fixed-effects design is not identified (" + e.getMessage()
                    + "); with no never-treated units the event window must leave out or bin some relative periods",
                    e);
        }
        return new Fit(fit, List.copyOf(names), used.stream().mapToInt(Integer::intValue).toArray(), d, tss);
    }
}

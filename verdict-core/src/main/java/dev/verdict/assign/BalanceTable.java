package dev.verdict.assign;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Balance of a cluster draw on pre-period covariates: per covariate the treated and control means over units, the
 * pooled standard deviation {@code sqrt((s_t^2 + s_c^2) / 2)} (sample variances with {@code n - 1}) and the
 * standardized difference {@code (mean_t - mean_c) / pooledSd}; and the Mahalanobis distance of the mean
 * difference, {@code M = d' [S (1/n_t + 1/n_c)]^-1 d}, with {@code S} the covariance of the covariates over all
 * units (fixed across draws), which is approximately chi-square with {@code k} degrees of freedom under complete
 * randomization (Morgan and Rubin 2012).
 *
 * @param rows        one row per covariate, in the declared order
 * @param mahalanobis the Mahalanobis distance {@code M}; NaN when the covariance of the covariates is singular
 */
public record BalanceTable(List<Row> rows, double mahalanobis) {

    public BalanceTable {
        rows = List.copyOf(rows);
    }

    /**
     * Balance on one covariate. A covariate with zero pooled SD has standardized difference 0 when the means
     * are equal and an infinite one otherwise.
     */
    public record Row(String covariate, double treatedMean, double controlMean, double pooledSd, double stdDiff) { }

    /** The largest absolute standardized difference over the covariates. */
    public double maxAbsStdDiff() {
        double max = 0;
        for (Row r : rows) {
            max = Math.max(max, Math.abs(r.stdDiff()));
        }
        return max;
    }

    /**
     * The balance of a draw.
     *
     * @param draw       the draw
     * @param names      covariate names, at least one
     * @param covariates each unit's covariate vector, one value per name, all finite
     * @throws IllegalArgumentException when a unit has no covariates, a vector has the wrong length or a
     *                                  non-finite value, or an arm is empty
     */
    public static BalanceTable of(ClusterDraw draw, List<String> names, Function<String, double[]> covariates) {
        return of(draw, names, Covariates.of(draw.units(), names, covariates));
    }

    /**
     * The balance of any assignment of {@code units}: the covariates are validated and their covariance inverted once,
     * and the returned function gives the table of an assignment ({@code treated[i]} for {@code units.get(i)}), as
     * {@link #of(ClusterDraw, List, Function)} gives it for a draw. For randomization tests under re-randomization,
     * which evaluate the criterion on many assignments.
     *
     * @throws IllegalArgumentException as {@link #of(ClusterDraw, List, Function)} for the covariates; the function
     *                                  throws it for an assignment of the wrong length or with an empty arm
     */
    public static Function<boolean[], BalanceTable> ofAssignments(List<String> units, List<String> names,
                                                                  Function<String, double[]> covariates) {
        Arguments.noNulls("units", units);
        List<String> copy = List.copyOf(names);
        Covariates x = Covariates.of(units, copy, covariates);
        int n = units.size();
        return treated -> {
            if (treated.length != n) {
                throw new IllegalArgumentException("an assignment of " + n + " units needs " + n + " flags, got "
                        + treated.length);
            }
            return of(treated, copy, x);
        };
    }

    static BalanceTable of(ClusterDraw draw, List<String> names, Covariates x) {
        List<String> units = draw.units();
        boolean[] treated = new boolean[units.size()];
        for (int i = 0; i < units.size(); i++) {
            treated[i] = draw.treated(units.get(i));
        }
        return of(treated, names, x);
    }

    private static BalanceTable of(boolean[] treated, List<String> names, Covariates x) {
        int k = names.size();
        int size = treated.length;
        double[] sumT = new double[k];
        double[] sumC = new double[k];
        int nt = 0;
        int nc = 0;
        for (int i = 0; i < size; i++) {
            double[] row = x.values[i];
            if (treated[i]) {
                nt++;
            } else {
                nc++;
            }
            for (int j = 0; j < k; j++) {
                if (treated[i]) {
                    sumT[j] += row[j];
                } else {
                    sumC[j] += row[j];
                }
            }
        }
        if (nt == 0 || nc == 0) {
            throw new IllegalArgumentException("balance needs units in both arms, got " + nt + " treated and " + nc
                    + " control");
        }
        double[] d = new double[k];
        List<Row> rows = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
            double mt = sumT[j] / nt;
            double mc = sumC[j] / nc;
            double sst = 0;
            double ssc = 0;
            for (int i = 0; i < size; i++) {
                double v = x.values[i][j];
                if (treated[i]) {
                    sst += (v - mt) * (v - mt);
                } else {
                    ssc += (v - mc) * (v - mc);
                }
            }
            double vt = nt > 1 ? sst / (nt - 1) : 0;
            double vc = nc > 1 ? ssc / (nc - 1) : 0;
            double pooled = Math.sqrt((vt + vc) / 2);
            double diff = mt - mc;
            double std = pooled > 0 ? diff / pooled : (diff == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, diff));
            rows.add(new Row(names.get(j), mt, mc, pooled, std));
            d[j] = diff;
        }
        double m = Double.NaN;
        if (x.inverseCovariance != null) {
            double q = 0;
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    q += d[a] * x.inverseCovariance[a][b] * d[b];
                }
            }
            m = q / (1.0 / nt + 1.0 / nc);
        }
        return new BalanceTable(rows, m);
    }
}

package dev.verdict.quasi.rd;

import dev.verdict.stats.Estimate;

import java.util.ArrayList;
import java.util.List;

/**
 * The bandwidth sensitivity table of an RD estimate: the same estimator refitted with h and b both multiplied by
 * each factor (default 0.5, 0.75, 1, 1.5, 2), keeping their ratio. A stable estimate across rows supports the
 * headline; a sign change or a large drift says the result depends on the window.
 */
public final class BandwidthSensitivity {
    /** The factors applied to the chosen bandwidths by default. */
    public static final List<Double> DEFAULT_FACTORS = List.of(0.5, 0.75, 1.0, 1.5, 2.0);

    private BandwidthSensitivity() {
    }

    /**
     * One row of the table.
     *
     * @param factor       multiple of the chosen bandwidths
     * @param bandwidths   the bandwidths used
     * @param conventional conventional estimate at these bandwidths
     * @param robust       robust bias-corrected estimate at these bandwidths
     * @param nhLeft       observations in the h window below the cutoff
     * @param nhRight      observations in the h window at or above the cutoff
     */
    public record Row(double factor, Bandwidths bandwidths, Estimate conventional, Estimate robust, int nhLeft,
                     int nhRight) {
    }

    /**
     * Refits at each factor times the chosen bandwidths. A factor whose window is too narrow to fit the polynomials
     * gives a row with NaN estimates rather than failing the table.
     */
    public static List<Row> table(RdRobust estimator, double[] y, double[] x, double c, Bandwidths chosen,
                                  List<Double> factors) {
        return table(estimator, y, null, x, c, chosen, factors);
    }

    /** As {@link #table(RdRobust, double[], double[], double, Bandwidths, List)}, fuzzy when {@code d} is given. */
    public static List<Row> table(RdRobust estimator, double[] y, double[] d, double[] x, double c,
                                  Bandwidths chosen, List<Double> factors) {
        List<Row> rows = new ArrayList<>();
        for (double f : factors) {
            RdArguments.positive("bandwidth factor", f);
            Bandwidths b = chosen.scaled(f);
            RdRobust est = estimator.withBandwidths(b);
            try {
                RdEstimate e = d == null ? est.sharp(y, x, c) : est.fuzzy(y, d, x, c);
                rows.add(new Row(f, b, e.conventional(), e.robust(), e.nhLeft(), e.nhRight()));
            } catch (IllegalArgumentException tooNarrow) {
                Estimate nan = new Estimate(Double.NaN, Double.NaN, Double.POSITIVE_INFINITY, Double.NaN, Double.NaN,
                        Double.NaN, "not estimable: " + tooNarrow.getMessage());
                rows.add(new Row(f, b, nan, nan, 0, 0));
            }
        }
        return List.copyOf(rows);
    }
}

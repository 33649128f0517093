package dev.verdict.quasi.rd;

import java.util.List;

/**
 * The data for the density (manipulation) test plot, rddensity's {@code rdplotdensity}: the local polynomial density
 * estimate of the running variable on a grid on each side of the cutoff with pointwise intervals, and a histogram of
 * the running variable over the same window. Made by {@link DensityTest#plotData}.
 *
 * <p>Every grid point uses the test's estimator (Cattaneo, Jansson and Ma 2020): a kernel-weighted polynomial of
 * order {@code order} in {@code (x - x0)/h} fitted to the whole sample's empirical distribution function at the
 * observations on the point's side of the cutoff within h of {@code x0}; the linear coefficient divided by h is the
 * density at x0, its jackknife standard error is the test's. The point at the cutoff is the test's one-sided
 * estimate itself ({@code fLeft}, {@code fRight}). Densities are of the whole sample (they integrate to one over
 * the range of x), so one side's curve integrates to about that side's share of the rows.
 *
 * <p>The order is the test's p + 1 at the bandwidth chosen for order p, so the interval
 * {@code density -/+ z se} is robust bias-corrected: the band rdplotdensity draws by default. rdplotdensity draws
 * its line from the order-p fit instead; here line and band come from the same order-(p+1) fit, so the gap between
 * the two curves at the cutoff is the difference the test statistic divides by its standard error.
 *
 * @param cutoff    the cutoff
 * @param order     polynomial order of the fits (the test's p + 1)
 * @param kernel    kernel
 * @param hLeft     bandwidth below the cutoff (the test's)
 * @param hRight    bandwidth above the cutoff (the test's)
 * @param level     confidence level of the pointwise intervals
 * @param n         observations (non-missing x) the densities are shares of
 * @param left      grid below the cutoff, ascending from {@code max(min x, c - hLeft)} to c (c included)
 * @param right     grid above the cutoff, ascending from c (included) to {@code min(max x, c + hRight)}
 * @param histogram bins below the cutoff then above it, edges meeting at c, covering the two grids' range
 */
public record DensityPlotData(double cutoff, int order, RdKernel kernel, double hLeft, double hRight, double level,
                              int n, List<Point> left, List<Point> right, List<Bin> histogram) {

    public DensityPlotData {
        left = List.copyOf(left);
        right = List.copyOf(right);
        histogram = List.copyOf(histogram);
    }

    /**
     * One grid point; all four numbers are NaN when the window holds too few distinct x for the fit, the interval
     * NaN when the jackknife variance is negative.
     *
     * @param x       evaluation point
     * @param density one-sided density estimate at x
     * @param se      its jackknife standard error
     * @param ciLow   lower end of the pointwise interval, {@code density - z se}
     * @param ciHigh  upper end
     */
    public record Point(double x, double density, double se, double ciLow, double ciHigh) {
    }

    /**
     * One histogram bin: {@code [lower, upper)}, except that the last bin above the cutoff includes its upper edge.
     *
     * @param lower   lower edge
     * @param upper   upper edge
     * @param count   observations in the bin
     * @param density {@code count / (n (upper - lower))}, on the scale of the density estimate
     */
    public record Bin(double lower, double upper, int count, double density) {
    }
}

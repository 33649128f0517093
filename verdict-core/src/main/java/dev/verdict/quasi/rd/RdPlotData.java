package dev.verdict.quasi.rd;

import java.util.ArrayList;
import java.util.List;

/**
 * The data for an RD plot: binned means of the outcome in evenly spaced bins on each side of the cutoff (the
 * scatter), and the order-p local fit of each side evaluated on a grid over its estimation window (the lines that
 * meet the cutoff at {@code mu_-} and {@code mu_+}).
 *
 * @param cutoff    the cutoff
 * @param binsLeft  non-empty bins below the cutoff, ascending in x
 * @param binsRight non-empty bins at or above the cutoff, ascending in x
 * @param fitLeft   the left local fit on a grid from {@code max(min x, c - h_left)} to c
 * @param fitRight  the right local fit on a grid from c to {@code min(max x, c + h_right)}
 */
public record RdPlotData(double cutoff, List<Bin> binsLeft, List<Bin> binsRight, List<FitPoint> fitLeft,
                         List<FitPoint> fitRight) {

    public RdPlotData {
        binsLeft = List.copyOf(binsLeft);
        binsRight = List.copyOf(binsRight);
        fitLeft = List.copyOf(fitLeft);
        fitRight = List.copyOf(fitRight);
    }

    /**
     * One bin.
     *
     * @param lower lower edge
     * @param upper upper edge (exclusive, except for the last right bin)
     * @param count complete observations in the bin
     * @param meanX mean running variable in the bin
     * @param meanY mean outcome in the bin
     */
    public record Bin(double lower, double upper, int count, double meanX, double meanY) {
    }

    /** A point of a fitted line. */
    public record FitPoint(double x, double fitted) {
    }

    /**
     * Builds the plot data.
     *
     * @param y          outcome (NaN rows are left out)
     * @param x          running variable
     * @param fit        the RD estimate whose local fits are drawn
     * @param binsPerSide number of evenly spaced bins on each side (at least 1)
     * @param gridPoints number of grid points per fitted line (at least 2)
     */
    public static RdPlotData of(double[] y, double[] x, RdEstimate fit, int binsPerSide, int gridPoints) {
        RdArguments.inRange("bins per side", binsPerSide, 1, 10_000);
        RdArguments.inRange("grid points", gridPoints, 2, 100_000);
        RdSample s = RdSample.of(y, null, x, fit.cutoff(), "outcome");
        double c = s.c;
        double xMin = s.xSorted[0];
        double xMax = s.xSorted[s.n() - 1];
        List<Bin> left = bins(s.left, xMin, c, binsPerSide, false);
        List<Bin> right = bins(s.right, c, xMax, binsPerSide, true);
        double loL = Math.max(xMin, c - fit.bandwidths().hLeft());
        double hiR = Math.min(xMax, c + fit.bandwidths().hRight());
        List<FitPoint> fl = new ArrayList<>();
        List<FitPoint> fr = new ArrayList<>();
        double[] bl = fit.fitLeft();
        double[] br = fit.fitRight();
        for (int i = 0; i < gridPoints; i++) {
            double t = i / (double) (gridPoints - 1);
            double xl = loL + t * (c - loL);
            double xr = c + t * (hiR - c);
            fl.add(new FitPoint(xl, poly(bl, xl - c)));
            fr.add(new FitPoint(xr, poly(br, xr - c)));
        }
        return new RdPlotData(c, left, right, fl, fr);
    }

    private static double poly(double[] b, double dx) {
        double v = 0;
        for (int j = b.length - 1; j >= 0; j--) {
            v = v * dx + b[j];
        }
        return v;
    }

    private static List<Bin> bins(RdSample.Side side, double from, double to, int k, boolean closedTop) {
        double width = (to - from) / k;
        int[] count = new int[k];
        double[] sx = new double[k];
        double[] sy = new double[k];
        for (int i = 0; i < side.n(); i++) {
            int b = (int) Math.floor((side.x[i] - from) / width);
            b = Math.max(0, Math.min(k - 1, b));
            count[b]++;
            sx[b] += side.x[i];
            sy[b] += side.y[i];
        }
        List<Bin> out = new ArrayList<>();
        for (int b = 0; b < k; b++) {
            if (count[b] > 0) {
                double lower = from + b * width;
                double upper = b == k - 1 ? to : from + (b + 1) * width;
                out.add(new Bin(lower, upper, count[b], sx[b] / count[b], sy[b] / count[b]));
            }
        }
        return out;
    }
}

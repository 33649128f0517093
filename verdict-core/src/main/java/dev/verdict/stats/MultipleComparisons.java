package dev.verdict.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Multiplicity adjustments of p-values, as R's {@code p.adjust}. NaN p-values are left NaN and not counted. */
public final class MultipleComparisons {
    private MultipleComparisons() {
    }

    /** Holm's step-down adjustment (family-wise error rate), R {@code p.adjust(p, "holm")}. */
    public static double[] holm(double[] p) {
        Integer[] order = finiteOrder(p);
        int m = order.length;
        double[] out = new double[p.length];
        Arrays.fill(out, Double.NaN);
        double running = 0;
        for (int r = 0; r < m; r++) {
            running = Math.max(running, Math.min(1.0, (m - r) * p[order[r]]));
            out[order[r]] = running;
        }
        return out;
    }

    /** Benjamini–Hochberg step-up adjustment (false discovery rate), R {@code p.adjust(p, "BH")}. */
    public static double[] benjaminiHochberg(double[] p) {
        Integer[] order = finiteOrder(p);
        int m = order.length;
        double[] out = new double[p.length];
        Arrays.fill(out, Double.NaN);
        double running = 1.0;
        for (int r = m - 1; r >= 0; r--) {
            running = Math.min(running, Math.min(1.0, (double) m / (r + 1) * p[order[r]]));
            out[order[r]] = running;
        }
        return out;
    }

    private static Integer[] finiteOrder(double[] p) {
        return IntStream.range(0, p.length).filter(i -> !Double.isNaN(p[i])).boxed()
                .sorted(Comparator.comparingDouble(i -> p[i])).toArray(Integer[]::new);
    }
}

package dev.verdict.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Adjusted p-values for families of tests, as R's {@code p.adjust}: Holm's step-down family-wise
 * error control and Benjamini-Hochberg's false-discovery-rate step-up.
 *
 * <p>With {@code m} p-values sorted ascending, {@code p_(1) <= ... <= p_(m)}: Holm gives
 * {@code min(1, max_{j <= i} (m - j + 1) p_(j))} (Holm 1979, Scand. J. Statist. 6:65-70); BH gives
 * {@code min(1, min_{j >= i} m p_(j) / j)} (Benjamini and Hochberg 1995, JRSS B 57:289-300,
 * doi:10.1111/j.2517-6161.1995.tb02031.x). Results come back in the input order. Unlike
 * {@code p.adjust}, NaN is rejected instead of skipped: a missing p-value in a family is a bug upstream.
 * Hand-written: a dozen lines, no library in the classpath provides them.
 */
public final class MultipleComparisons {
    private MultipleComparisons() {
    }

    /** Holm-adjusted p-values, in the order given. */
    public static double[] holm(double[] p) {
        Integer[] order = ascending(p);
        int m = p.length;
        double[] out = new double[m];
        double running = 0;
        for (int i = 0; i < m; i++) {
            running = Math.max(running, Math.min(1.0, (m - i) * p[order[i]]));
            out[order[i]] = running;
        }
        return out;
    }

    /** Benjamini-Hochberg-adjusted p-values (R {@code "BH"} / {@code "fdr"}), in the order given. */
    public static double[] benjaminiHochberg(double[] p) {
        Integer[] order = ascending(p);
        int m = p.length;
        double[] out = new double[m];
        double running = 1.0;
        for (int i = m - 1; i >= 0; i--) {
            running = Math.min(running, (double) m / (i + 1) * p[order[i]]);
            out[order[i]] = running;
        }
        return out;
    }

    private static Integer[] ascending(double[] p) {
        for (int i = 0; i < p.length; i++) {
            Arguments.probability("p-value " + i, p[i]);
        }
        Integer[] idx = IntStream.range(0, p.length).boxed().toArray(Integer[]::new);
        Arrays.sort(idx, Comparator.comparingDouble(i -> p[i]));
        return idx;
    }
}

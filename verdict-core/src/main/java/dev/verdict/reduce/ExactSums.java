package dev.verdict.reduce;

import dev.verdict.stats.Moments;

import java.util.function.ToDoubleFunction;

/**
 * The exact-sum scheme every engine uses so that sums do not depend on the order partial sums are added in (threads,
 * partitions): each value {@code v} (a shifted column value, or a product of two) is multiplied by {@code 2^s} and
 * rounded, {@code floor(v 2^s + 0.5)}, with {@code s} chosen from a bound on {@code |v|} and the row count so that
 * any sum of those integers stays below {@code 2^bits}; below {@code 2^53} a double holds every such sum exactly, so
 * the total is exact in any order, and dividing by {@code 2^s} is exact too. Engines that share these choices agree
 * to the bit. See docs/engine.md, Determinism, for the precision this costs.
 */
public final class ExactSums {
    /** Bits a double sum may use (request-level sums and panels on every engine): below 2^52, with a bit to spare. */
    public static final int DOUBLE_BITS = 51;

    private ExactSums() {
    }

    /** The smallest {@code e} with {@code |x| < 2^e} for every value bounded by {@code largest} (at least -1000). */
    public static int magnitude(double largest) {
        return largest == 0 ? -1000 : Math.getExponent(largest) + 1;
    }

    /**
     * The power of two by which values bounded by {@code 2^magnitude} are multiplied before rounding to integers, so
     * that the sum of {@code rows} of them stays below {@code 2^bits}.
     */
    public static int scaleExponent(long rows, int magnitude, int bits) {
        int rowBits = 64 - Long.numberOfLeadingZeros(Math.max(rows, 1));
        return Math.max(-1000, Math.min(1000, bits - rowBits - magnitude));
    }

    /** The sums {@code S_i} and products {@code P_ij} ({@code i <= j}) of a vector of length {@code k}. */
    public record Sums(double[] sums, double[][] products) { }

    /**
     * Reads the exact sums of a cell that has rows: {@code S_i} from {@code sumPrefix + i} and {@code P_ij} from
     * {@code productPrefix + i + "_" + j}, each already divided by its power of two by {@code unscaled}; zeros for an
     * empty cell.
     */
    public static Sums read(int k, long n, String sumPrefix, String productPrefix, ToDoubleFunction<String> unscaled) {
        double[] sum = new double[k];
        double[][] prod = new double[k][k];
        for (int i = 0; i < k; i++) {
            sum[i] = n > 0 ? unscaled.applyAsDouble(sumPrefix + i) : 0.0;
            for (int j = i; j < k; j++) {
                prod[i][j] = n > 0 ? unscaled.applyAsDouble(productPrefix + i + "_" + j) : 0.0;
            }
        }
        return new Sums(sum, prod);
    }

    /**
     * A cell's moments in a variable group's layout ({@link VariableGroup}) from its exact sums. Request level: the sums
     * are of the group's columns (covariate last) about their shifts, and the constant count 1 goes in at the count
     * index. Unit level: the sums are of the group's layout itself, unshifted.
     */
    public static Moments groupMoments(VariableGroup group, long n, double[] shift, Sums s, boolean unitLevel) {
        int d = group.dimension();
        int k = s.sums().length;
        Moments m = Moments.ofShiftedSums(n, shift, s.sums(), s.products());
        if (unitLevel) {
            return m;
        }
        int[] at = new int[k];
        for (int i = 0; i < k; i++) {
            at[i] = i < group.columns().size() ? i : group.covariateIndex();
        }
        double[] mean = new double[d];
        double[][] co = new double[d][d];
        for (int i = 0; i < k; i++) {
            mean[at[i]] = m.mean(i);
            for (int j = 0; j < k; j++) {
                co[at[i]][at[j]] = m.comoment(i, j);
            }
        }
        mean[group.countIndex()] = n > 0 ? 1.0 : 0.0;
        return Moments.ofComoments(n, mean, co);
    }
}

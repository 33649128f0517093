package dev.verdict.switchback;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Randomization inference under the actual schedule: the sharp null that no block's outcome depends on the
 * schedule, tested by recomputing block-level statistics under re-drawn schedules of the same generator
 * ({@link ScheduleDesign}). Each re-draw costs O(blocks): the blocks' sufficient statistics stay fixed.
 *
 * <p>Convention, two-sided on the absolute value, with a relative tolerance of {@value #TIE_TOLERANCE} for ties:
 * <ul>
 *   <li>exact (complete randomization of one schedule with at most {@code draws} assignments, enumerated):
 *       {@code p = #{assignments a : |T(a)| >= |T_obs|} / N}, the observed assignment included; the smallest
 *       attainable value is {@code #{a : |T(a)| = max |T|} / N} (2/N for a contrast that changes sign when the arms
 *       are swapped at share 1/2).</li>
 *   <li>Monte Carlo otherwise: {@code p = (1 + #{r : |T_r| >= |T_obs|}) / (R + 1)} over R re-draws (Phipson and
 *       Smyth 2010: a valid p-value, never 0); the smallest attainable value is {@code 1 / (R + 1)}.</li>
 * </ul>
 */
public final class RandomizationInference {
    /** Relative tolerance under which a re-drawn statistic counts as tying the observed one. */
    public static final double TIE_TOLERANCE = 1e-10;
    /** The largest number of assignments enumerated exactly. */
    private static final long MAX_EXACT = 1_000_000;

    private RandomizationInference() {
    }

    /** A statistic of the blocks under an assignment. */
    @FunctionalInterface
    public interface Statistic {
        double of(boolean[] treated);
    }

    /**
     * One statistic's result.
     *
     * @param observed       the statistic under the actual schedule
     * @param pValue         the two-sided p-value (convention in the class documentation); NaN if the observed is NaN
     * @param draws          assignments evaluated (re-draws, or the exact count)
     * @param exact          whether every assignment was enumerated
     * @param smallestP      the smallest p-value these draws can give
     */
    public record Result(double observed, double pValue, long draws, boolean exact, double smallestP) { }

    /**
     * Tests each statistic with the same re-drawn schedules: enumerates when the design is complete randomization of
     * one schedule with at most {@code draws} assignments, else {@code draws} Monte Carlo re-draws seeded by
     * {@code seed}.
     */
    public static Result[] test(BlockSeries s, ScheduleDesign design, List<Statistic> statistics, int draws, long seed) {
        if (draws < 1) {
            throw new IllegalArgumentException("draws must be >= 1, got " + draws);
        }
        int q = statistics.size();
        boolean[] observedArms = s.arms();
        double[] obs = new double[q];
        double[] threshold = new double[q];
        for (int j = 0; j < q; j++) {
            obs[j] = statistics.get(j).of(observedArms);
            threshold[j] = Math.abs(obs[j]) * (1 - TIE_TOLERANCE);
        }
        long n = s.size();
        long k = s.treatedCount();
        long count = design.kind() == ScheduleDesign.Kind.COMPLETE && s.strata().size() == 1 && n <= 62
                ? binomial((int) n, (int) k, Math.min(draws, MAX_EXACT)) : -1;
        long[] atLeast = new long[q];
        double[] max = new double[q];
        long[] atMax = new long[q];
        boolean[] w = new boolean[s.size()];
        long evaluated = 0;
        if (count > 0 && count <= draws) {
            // Gosper's hack: every k-subset of n bits in increasing order
            long mask = k == 0 ? 0 : (1L << k) - 1;
            long limit = 1L << n;
            while (true) {
                for (int i = 0; i < n; i++) {
                    w[i] = (mask >>> i & 1) != 0;
                }
                tally(statistics, w, threshold, atLeast, max, atMax);
                evaluated++;
                if (k == 0) {
                    break;
                }
                long c = mask & -mask;
                long r = mask + c;
                mask = (((r ^ mask) >>> 2) / c) | r;
                if (mask >= limit || mask <= 0) {
                    break;
                }
            }
            Result[] out = new Result[q];
            for (int j = 0; j < q; j++) {
                out[j] = new Result(obs[j], Double.isNaN(obs[j]) ? Double.NaN : atLeast[j] / (double) evaluated,
                        evaluated, true, atMax[j] / (double) evaluated);
            }
            return out;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] scratch = new int[s.size()];
        for (int r = 0; r < draws; r++) {
            design.draw(s, rng, w, scratch);
            tally(statistics, w, threshold, atLeast, max, atMax);
        }
        Result[] out = new Result[q];
        for (int j = 0; j < q; j++) {
            out[j] = new Result(obs[j], Double.isNaN(obs[j]) ? Double.NaN : (1 + atLeast[j]) / (draws + 1.0), draws,
                    false, 1 / (draws + 1.0));
        }
        return out;
    }

    private static void tally(List<Statistic> statistics, boolean[] w, double[] threshold, long[] atLeast, double[] max,
                              long[] atMax) {
        for (int j = 0; j < threshold.length; j++) {
            double t = Math.abs(statistics.get(j).of(w));
            if (!(t == t)) {
                continue; // NaN under this draw (an arm without blocks): counts as less extreme
            }
            if (t >= threshold[j]) {
                atLeast[j]++;
            }
            if (t > max[j] * (1 + TIE_TOLERANCE)) {
                max[j] = t;
                atMax[j] = 1;
            } else if (t >= max[j] * (1 - TIE_TOLERANCE)) {
                atMax[j]++;
            }
        }
    }

    /** C(n, k), or -1 when it exceeds {@code cap}. */
    static long binomial(int n, int k, long cap) {
        long c = 1;
        int kk = Math.min(k, n - k);
        for (int i = 1; i <= kk; i++) {
            c = c * (n - kk + i) / i;
            if (c > cap) {
                return -1;
            }
        }
        return c;
    }
}

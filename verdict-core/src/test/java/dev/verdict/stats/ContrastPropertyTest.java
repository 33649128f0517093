package dev.verdict.stats;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.OptionalInt;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Seeded property tests of the delta-method contrast (plain parameterized JUnit): invariances that must hold for any
 * data, each checked on many random user-level samples with a ratio metric and a covariate.
 */
class ContrastPropertyTest {
    private static final double[] A = {1, 0, 0};
    private static final double[] B = {0, 1, 0};

    /** Per-unit rows {@code [sum y, count, x]} with a random effect per unit. */
    static double[][] units(SplittableRandom rnd, int n, double shiftPerRequest) {
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            int k = 1 + rnd.nextInt(12);
            double x = 50 + 10 * DeltaMethodRatioTest.gaussian(rnd);
            double sum = 0;
            for (int q = 0; q < k; q++) {
                sum += 0.5 * x + shiftPerRequest + 3 * DeltaMethodRatioTest.gaussian(rnd);
            }
            rows[i] = new double[] {sum, k, x};
        }
        return rows;
    }

    static double[][] shifted(double[][] rows, double c) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = new double[] {rows[i][0] + c * rows[i][1], rows[i][1], rows[i][2]};
        }
        return out;
    }

    static double[][] doubled(double[][] rows) {
        double[][] out = new double[2 * rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[2 * i] = rows[i];
            out[2 * i + 1] = rows[i];
        }
        return out;
    }

    static DeltaMethodRatio.Contrast contrast(double[][] t, double[][] c, boolean cuped) {
        return DeltaMethodRatio.contrast(Moments.of(t), Moments.of(c), A, B, cuped ? OptionalInt.of(2) : OptionalInt.empty(),
                0.05, "p");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void invariances(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] t = units(rnd, 50 + rnd.nextInt(200), 0.3);
        double[][] c = units(rnd, 50 + rnd.nextInt(200), 0.0);
        for (boolean cuped : new boolean[] {false, true}) {
            DeltaMethodRatio.Contrast base = contrast(t, c, cuped);
            double tol = 1e-9 * (1 + Math.abs(base.estimate()));
            // shifting every treatment outcome by c shifts the effect by c and leaves its SE unchanged
            double shift = 10 * rnd.nextDouble() - 5;
            DeltaMethodRatio.Contrast moved = contrast(shifted(t, shift), c, cuped);
            assertEquals(base.estimate() + shift, moved.estimate(), tol);
            assertEquals(base.result().se(), moved.result().se(), 1e-9 * base.result().se());
            // shifting both arms leaves the effect unchanged
            assertEquals(base.estimate(), contrast(shifted(t, shift), shifted(c, shift), cuped).estimate(), tol);
            // swapping the arms flips the sign and keeps the SE
            DeltaMethodRatio.Contrast swapped = contrast(c, t, cuped);
            assertEquals(-base.estimate(), swapped.estimate(), tol);
            assertEquals(base.result().se(), swapped.result().se(), 1e-9 * base.result().se());
            // duplicating every unit leaves the point estimate unchanged (and shrinks the SE by about sqrt 2)
            DeltaMethodRatio.Contrast dup = contrast(doubled(t), doubled(c), cuped);
            assertEquals(base.estimate(), dup.estimate(), tol);
        }
    }
}

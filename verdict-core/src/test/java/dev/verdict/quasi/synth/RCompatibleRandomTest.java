package dev.verdict.quasi.synth;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * R's generator against values R (>= 3.6.0, default RNGkind "Mersenne-Twister", "Inversion", "Rejection") prints:
 * {@code set.seed(12345); runif(3)} is 0.7209039 0.8757732 0.7609823 (7 significant digits as printed);
 * {@code set.seed(123); runif(2)} is 0.2875775 0.7883051; {@code set.seed(123); sample(1:10)} is
 * 3 10 2 8 6 9 1 7 5 4; {@code set.seed(42); sample(1:10)} is 1 5 10 8 2 4 6 9 7 3.
 */
class RCompatibleRandomTest {
    @Test
    void uniformsMatchRsRunif() {
        RCompatibleRandom r = new RCompatibleRandom(12345);
        assertEquals(0.7209039, r.nextUniform(), 5e-8);
        assertEquals(0.8757732, r.nextUniform(), 5e-8);
        assertEquals(0.7609823, r.nextUniform(), 5e-8);
        RCompatibleRandom s = new RCompatibleRandom(123);
        assertEquals(0.2875775, s.nextUniform(), 5e-8);
        assertEquals(0.7883051, s.nextUniform(), 5e-8);
    }

    @Test
    void permutationsMatchRsSample() {
        assertArrayEquals(new int[] {3, 10, 2, 8, 6, 9, 1, 7, 5, 4}, plusOne(new RCompatibleRandom(123).permutation(10)));
        assertArrayEquals(new int[] {1, 5, 10, 8, 2, 4, 6, 9, 7, 3}, plusOne(new RCompatibleRandom(42).permutation(10)));
    }

    @Test
    void permutationIsAPermutationAndSeedsDiffer() {
        int[] p = new RCompatibleRandom(7).permutation(38);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 38; i++) {
            assertEquals(i, sorted[i]);
        }
        assertFalse(Arrays.equals(p, new RCompatibleRandom(8).permutation(38)));
        assertArrayEquals(p, new RCompatibleRandom(7).permutation(38));
    }

    @Test
    void indicesAreUniformBelowN() {
        // positive control of the rejection step: with n = 5 (3 bits), values 5..7 must never appear
        RCompatibleRandom r = new RCompatibleRandom(1);
        int[] counts = new int[5];
        for (int i = 0; i < 50_000; i++) {
            counts[r.nextIndex(5)]++;
        }
        for (int c : counts) {
            assertTrue(Math.abs(c - 10_000) < 500, Arrays.toString(counts));
        }
    }

    private static int[] plusOne(int[] p) {
        return Arrays.stream(p).map(i -> i + 1).toArray();
    }
}

package dev.verdict.assign;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Structure of Bojinov, Simchi-Levi and Zhao's minimax-regret switchback schedule (Theorem 3). */
class MinimaxRegretScheduleTest {
    private static final long ORIGIN = 1_767_571_200L; // 2026-01-05T00:00:00Z

    @Test
    void randomizationPointsAreZeroThenTwoMThreeMUpToNMinusTwoM() {
        // T = 12, m = 2: n = 6, points 0, 4, 6, 8 (the paper's 1, 2m+1, ..., (n-2)m+1 shifted to 0-indexing)
        assertArrayEquals(new int[] {0, 4, 6, 8}, SwitchbackSchedule.minimaxRegretPoints(12, 2));
        // T = 4m is the smallest horizon: two segments of 2m
        assertArrayEquals(new int[] {0, 6}, SwitchbackSchedule.minimaxRegretPoints(12, 3));
        // m = 1: n = T, points 0, 2, 3, ..., T-2
        assertArrayEquals(new int[] {0, 2, 3, 4, 5, 6}, SwitchbackSchedule.minimaxRegretPoints(8, 1));
        // m = 0: every block is a point (independent fair coins)
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, SwitchbackSchedule.minimaxRegretPoints(5, 0));
        // m not dividing T: n = floor(T / m), the remainder lengthens the last segment
        assertArrayEquals(new int[] {0, 4, 6}, SwitchbackSchedule.minimaxRegretPoints(11, 2));
    }

    @Test
    void armsAreConstantBetweenPointsAndFirstAndLastSegmentsAreTwoM() {
        int m = 3;
        int blocks = 30;
        int[] points = SwitchbackSchedule.minimaxRegretPoints(blocks, m);
        assertEquals(0, points[0]);
        assertEquals(2 * m, points[1] - points[0]);
        assertEquals(2 * m, blocks - points[points.length - 1]);
        for (int i = 1; i + 1 < points.length; i++) {
            assertEquals(m, points[i + 1] - points[i]);
        }
        for (long seed = 0; seed < 50; seed++) {
            SwitchbackSchedule s = SwitchbackSchedule.minimaxRegret(ORIGIN, 3600, 600, blocks, m, seed);
            assertEquals(SwitchbackSchedule.Kind.MINIMAX_REGRET, s.kind());
            assertArrayEquals(points, s.randomizationPoints());
            for (int b = 1; b < blocks; b++) {
                boolean point = java.util.Arrays.binarySearch(points, b) >= 0;
                if (!point) {
                    assertEquals(s.treated(b - 1), s.treated(b), "block " + b + " is not a randomization point");
                }
            }
        }
    }

    @Test
    void segmentsAreFairIndependentCoins() {
        int m = 2;
        int blocks = 16; // points 0, 4, 6, 8, 10, 12: six segments
        int[] points = SwitchbackSchedule.minimaxRegretPoints(blocks, m);
        int draws = 20_000;
        int[] treated = new int[points.length];
        int[] bothFirstTwo = new int[1];
        for (int seed = 0; seed < draws; seed++) {
            SwitchbackSchedule s = SwitchbackSchedule.minimaxRegret(ORIGIN, 3600, 0, blocks, m, seed);
            for (int i = 0; i < points.length; i++) {
                treated[i] += s.treated(points[i]) ? 1 : 0;
            }
            bothFirstTwo[0] += s.treated(points[0]) && s.treated(points[1]) ? 1 : 0;
        }
        double tol = 4 * Math.sqrt(0.25 / draws);
        for (int t : treated) {
            assertEquals(0.5, t / (double) draws, tol);
        }
        assertEquals(0.25, bothFirstTwo[0] / (double) draws, tol);
        assertEquals(0.5, SwitchbackSchedule.minimaxRegret(ORIGIN, 3600, 0, blocks, m, 1).treatedShare());
    }

    @Test
    void tooShortHorizonIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SwitchbackSchedule.minimaxRegret(ORIGIN, 3600, 0, 7, 2, 1));
        assertTrue(e.getMessage().contains("at least 4m blocks"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SwitchbackSchedule.minimaxRegretPoints(10, -1));
    }
}

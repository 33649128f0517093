package dev.verdict.assign;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.verdict.assign.HashBucketingTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwitchbackScheduleTest {
    /** Monday 2026-01-05 00:00 UTC. */
    private static final long MONDAY = LocalDate.of(2026, 1, 5).toEpochDay() * 86_400;
    private static final int HOURS_8_WEEKS = 24 * 56;

    @Test
    void blockIndexingAtTheEdges() {
        SwitchbackSchedule s = SwitchbackSchedule.randomizedWithinDay(MONDAY, 3600, 600, 48, 0.5, 1);
        long end = MONDAY + 48 * 3600;
        assertEquals(-1, s.block(MONDAY - 1));
        assertEquals(0, s.block(MONDAY));
        assertEquals(0, s.block(MONDAY + 3599));
        assertEquals(1, s.block(MONDAY + 3600));
        assertEquals(47, s.block(end - 1));
        assertEquals(-1, s.block(end));
        assertEquals(-1, s.block(Long.MAX_VALUE));
        assertEquals(-1, s.block(Long.MIN_VALUE));
        assertFalse(s.treatedAt(MONDAY - 1));
        assertFalse(s.treatedAt(end));
        for (int b = 0; b < 48; b++) {
            assertEquals(s.treated(b), s.treatedAt(MONDAY + b * 3600L + 1234));
            assertEquals(MONDAY + b * 3600L, s.blockStart(b));
        }
        assertMessage(() -> s.treated(48), "block must be in [0, 48), got 48");
        assertMessage(() -> s.treated(-1), "got -1");
        assertEquals(48, s.blocks());
        assertEquals(MONDAY, s.origin());
        assertEquals(3600, s.blockSeconds());
        assertEquals(600, s.washoutSeconds());
        assertEquals(SwitchbackSchedule.Kind.RANDOMIZED_WITHIN_DAY, s.kind());
    }

    @Test
    void washoutIsTheStartOfEachBlock() {
        SwitchbackSchedule s = SwitchbackSchedule.bernoulli(1000, 3600, 600, 10, 0.5, 1);
        assertTrue(s.inWashout(1000));
        assertTrue(s.inWashout(1599));
        assertFalse(s.inWashout(1600));
        assertFalse(s.inWashout(1000 + 3599));
        assertTrue(s.inWashout(1000 + 3600));
        assertTrue(s.inWashout(1000 + 9 * 3600 + 599));
        assertFalse(s.inWashout(999));
        assertFalse(s.inWashout(1000 + 10 * 3600));
        SwitchbackSchedule none = SwitchbackSchedule.bernoulli(0, 60, 0, 10, 0.5, 1);
        for (long t = 0; t < 600; t++) {
            assertFalse(none.inWashout(t));
        }
    }

    private static int[][] treatedPerDaySlot(SwitchbackSchedule s) {
        int perDay = (int) (86_400 / s.blockSeconds());
        int[][] out = new int[s.blocks() / perDay][perDay];
        for (int b = 0; b < out.length * perDay; b++) {
            out[b / perDay][b % perDay] = s.treated(b) ? 1 : 0;
        }
        return out;
    }

    @Test
    void eachDayTreatsTheRoundedShareOfItsBlocks() {
        record Case(long blockSeconds, double share, int perDay) {
        }
        for (Case c : List.of(new Case(3600, 0.5, 12), new Case(3600, 0.25, 6), new Case(1800, 1.0 / 3, 16),
                new Case(3600, 0.2, 5), new Case(7200, 0.5, 6), new Case(900, 0.1, 10))) {
            int blocksPerDay = (int) (86_400 / c.blockSeconds);
            SwitchbackSchedule s = SwitchbackSchedule.randomizedWithinDay(MONDAY, c.blockSeconds, 0, blocksPerDay * 28,
                    c.share, 3);
            for (int[] day : treatedPerDaySlot(s)) {
                int n = 0;
                for (int v : day) {
                    n += v;
                }
                assertEquals(c.perDay, n, c.toString());
            }
        }
    }

    /** Max minus min, over hour-of-day slots, of the treated count across the given days. */
    private static int slotSpread(int[][] days, boolean weekend) {
        int[] perSlot = new int[days[0].length];
        for (int d = 0; d < days.length; d++) {
            DayOfWeek dow = LocalDate.ofEpochDay(MONDAY / 86_400 + d).getDayOfWeek();
            if ((dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY) == weekend) {
                for (int slot = 0; slot < perSlot.length; slot++) {
                    perSlot[slot] += days[d][slot];
                }
            }
        }
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int v : perSlot) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return max - min;
    }

    private static int[] slotCounts(int[][] days, boolean weekend) {
        int[] perSlot = new int[days[0].length];
        for (int d = 0; d < days.length; d++) {
            DayOfWeek dow = LocalDate.ofEpochDay(MONDAY / 86_400 + d).getDayOfWeek();
            if ((dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY) == weekend) {
                for (int slot = 0; slot < perSlot.length; slot++) {
                    perSlot[slot] += days[d][slot];
                }
            }
        }
        return perSlot;
    }

    @Test
    void hoursOfDayAreBalancedOnWeekdaysAndWeekends() {
        for (long seed = 0; seed < 20; seed++) {
            // 8 weeks: 40 weekdays and 16 weekend days; share 1/2 cycles every 2 days, share 1/4 every 4 days, so
            // every hour is treated on exactly share * days of each kind
            int[][] half = treatedPerDaySlot(SwitchbackSchedule.randomizedWithinDay(MONDAY, 3600, 0, HOURS_8_WEEKS, 0.5, seed));
            int[][] quarter = treatedPerDaySlot(
                    SwitchbackSchedule.randomizedWithinDay(MONDAY, 3600, 0, HOURS_8_WEEKS, 0.25, seed));
            for (int slot = 0; slot < 24; slot++) {
                assertEquals(20, slotCounts(half, false)[slot], "weekday hour " + slot + ", seed " + seed);
                assertEquals(8, slotCounts(half, true)[slot], "weekend hour " + slot + ", seed " + seed);
                assertEquals(10, slotCounts(quarter, false)[slot]);
                assertEquals(4, slotCounts(quarter, true)[slot]);
            }
            // 5 of 24 hours a day: a 24-day cycle, not complete in 8 weeks; hours differ by at most one
            int[][] fifth = treatedPerDaySlot(SwitchbackSchedule.randomizedWithinDay(MONDAY, 3600, 0, HOURS_8_WEEKS, 0.2, seed));
            assertTrue(slotSpread(fifth, false) <= 1);
            assertTrue(slotSpread(fifth, true) <= 1);
        }
    }

    @Test
    void bernoulliSchedulesFailTheBalanceCheck() {
        // positive control: the same spread statistic catches an unbalanced (Bernoulli) schedule
        int unbalanced = 0;
        for (long seed = 0; seed < 20; seed++) {
            int[][] days = treatedPerDaySlot(SwitchbackSchedule.bernoulli(MONDAY, 3600, 0, HOURS_8_WEEKS, 0.5, seed));
            unbalanced += slotSpread(days, false) > 1 ? 1 : 0;
        }
        assertEquals(20, unbalanced);
    }

    @Test
    void saturdayAndSundayAreComplementaryAtShareOneHalf() {
        int[][] days = treatedPerDaySlot(SwitchbackSchedule.randomizedWithinDay(MONDAY, 3600, 0, HOURS_8_WEEKS, 0.5, 9));
        for (int week = 0; week < 8; week++) {
            int saturday = week * 7 + 5;
            for (int slot = 0; slot < 24; slot++) {
                assertEquals(1, days[saturday][slot] + days[saturday + 1][slot], "week " + week + " hour " + slot);
            }
        }
    }

    @Test
    void sameSeedSameScheduleAndLongerSchedulesExtendIt() {
        SwitchbackSchedule a = SwitchbackSchedule.randomizedWithinDay(MONDAY, 3600, 300, 24 * 14, 0.5, 77);
        SwitchbackSchedule b = SwitchbackSchedule.randomizedWithinDay(MONDAY, 3600, 300, 24 * 14, 0.5, 77);
        SwitchbackSchedule longer = SwitchbackSchedule.randomizedWithinDay(MONDAY, 3600, 300, 24 * 30, 0.5, 77);
        SwitchbackSchedule other = SwitchbackSchedule.randomizedWithinDay(MONDAY, 3600, 300, 24 * 14, 0.5, 78);
        boolean differs = false;
        for (int blk = 0; blk < a.blocks(); blk++) {
            assertEquals(a.treated(blk), b.treated(blk));
            assertEquals(a.treated(blk), longer.treated(blk));
            differs |= a.treated(blk) != other.treated(blk);
        }
        assertTrue(differs);
        assertEquals(77, a.seed());
        SwitchbackSchedule c = SwitchbackSchedule.bernoulli(MONDAY, 600, 60, 5000, 0.3, 5);
        SwitchbackSchedule d = SwitchbackSchedule.bernoulli(MONDAY, 600, 60, 5000, 0.3, 5);
        for (int blk = 0; blk < c.blocks(); blk++) {
            assertEquals(c.treated(blk), d.treated(blk));
        }
    }

    @Test
    void bernoulliTreatsTheShareOfBlocks() {
        int blocks = 20_000;
        SwitchbackSchedule s = SwitchbackSchedule.bernoulli(0, 60, 0, blocks, 0.3, 12);
        assertEquals(SwitchbackSchedule.Kind.BERNOULLI, s.kind());
        assertEquals(0.3, s.treatedBlocks() / (double) blocks, 4.5 * Math.sqrt(0.21 / blocks));
    }

    @Test
    void partialFirstDayAndMidnightStart() {
        // starts at 13:00 UTC on a Monday: the first day keeps its full-day pattern, later days are whole
        long origin = MONDAY + 13 * 3600;
        SwitchbackSchedule s = SwitchbackSchedule.randomizedWithinDay(origin, 3600, 0, 11 + 24 * 7, 0.5, 4);
        SwitchbackSchedule full = SwitchbackSchedule.randomizedWithinDay(MONDAY, 3600, 0, 24 * 8, 0.5, 4);
        for (int b = 0; b < s.blocks(); b++) {
            assertEquals(full.treated(b + 13), s.treated(b));
        }
    }

    @Test
    void invalidSchedulesAreRefused() {
        assertMessage(() -> SwitchbackSchedule.randomizedWithinDay(MONDAY, 7000, 0, 10, 0.5, 1),
                "needs blockSeconds dividing a day (86400 s)");
        assertMessage(() -> SwitchbackSchedule.randomizedWithinDay(MONDAY + 60, 3600, 0, 10, 0.5, 1),
                "origin on a block boundary");
        assertMessage(() -> SwitchbackSchedule.randomizedWithinDay(MONDAY, 3600, 0, 10, 0.01, 1),
                "round(0.01 * 24) = 0");
        assertMessage(() -> SwitchbackSchedule.randomizedWithinDay(MONDAY, 86_400, 0, 10, 0.5, 1),
                "between 1 and 0");
        assertMessage(() -> SwitchbackSchedule.bernoulli(0, 0, 0, 10, 0.5, 1), "blockSeconds must be > 0, got 0");
        assertMessage(() -> SwitchbackSchedule.bernoulli(0, 60, 60, 10, 0.5, 1), "washoutSeconds must be in [0, blockSeconds = 60), got 60");
        assertMessage(() -> SwitchbackSchedule.bernoulli(0, 60, -1, 10, 0.5, 1), "got -1");
        assertMessage(() -> SwitchbackSchedule.bernoulli(0, 60, 0, 0, 0.5, 1), "blocks must be >= 1, got 0");
        assertMessage(() -> SwitchbackSchedule.bernoulli(0, 60, 0, 10, 1.0, 1), "treatedShare must be in (0, 1)");
        assertMessage(() -> SwitchbackSchedule.bernoulli(Long.MAX_VALUE - 10, 60, 0, 10, 0.5, 1), "overflows");
    }

    @Test
    void perRegionSchedulesAreIndependentAndReproducible() {
        List<String> regions = List.of("us-east", "eu-west", "ap-south");
        Map<String, SwitchbackSchedule> a = SwitchbackSchedule.perRegion(regions, 7,
                seed -> SwitchbackSchedule.randomizedWithinDay(MONDAY, 3600, 600, 24 * 14, 0.5, seed));
        Map<String, SwitchbackSchedule> b = SwitchbackSchedule.perRegion(regions, 7,
                seed -> SwitchbackSchedule.randomizedWithinDay(MONDAY, 3600, 600, 24 * 14, 0.5, seed));
        assertEquals(regions, List.copyOf(a.keySet()));
        for (String r : regions) {
            assertEquals(SwitchbackSchedule.regionSeed(7, r), a.get(r).seed());
            for (int blk = 0; blk < 24 * 14; blk++) {
                assertEquals(a.get(r).treated(blk), b.get(r).treated(blk));
            }
        }
        assertNotEquals(SwitchbackSchedule.regionSeed(7, "us-east"), SwitchbackSchedule.regionSeed(7, "eu-west"));
        assertNotEquals(SwitchbackSchedule.regionSeed(7, "us-east"), SwitchbackSchedule.regionSeed(8, "us-east"));
        // agreement between two regions' arms is about one half block by block
        int agree = 0;
        for (int blk = 0; blk < 24 * 14; blk++) {
            agree += a.get("us-east").treated(blk) == a.get("eu-west").treated(blk) ? 1 : 0;
        }
        assertEquals(0.5, agree / (24.0 * 14), 4.5 * Math.sqrt(0.25 / (24 * 14)));
        assertMessage(() -> SwitchbackSchedule.perRegion(List.of("x", "x"), 1, s -> null), "got 'x' twice");
        assertMessage(() -> SwitchbackSchedule.perRegion(List.of(), 1, s -> null), "at least one region");
    }

    @Test
    void regionSeedIsTheBucketingHashOfSeedAndRegion() {
        byte[] bytes = "7:us-east".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(org.apache.commons.codec.digest.MurmurHash3.hash128x64(bytes, 0, bytes.length, 0)[0],
                SwitchbackSchedule.regionSeed(7, "us-east"));
        assertNotEquals(0, new SplittableRandom(SwitchbackSchedule.regionSeed(7, "us-east")).nextLong());
    }

    @org.junit.jupiter.api.Test
    void completeRandomizationTreatsExactlyTheRoundedShareUniformly() {
        int blocks = 12;
        int[] treatedCount = new int[blocks];
        int draws = 6000;
        for (int seed = 0; seed < draws; seed++) {
            SwitchbackSchedule s = SwitchbackSchedule.complete(MONDAY, 1200, 240, blocks, 0.5, seed);
            org.junit.jupiter.api.Assertions.assertEquals(6, s.treatedBlocks());
            org.junit.jupiter.api.Assertions.assertEquals(SwitchbackSchedule.Kind.COMPLETE, s.kind());
            for (int b = 0; b < blocks; b++) {
                treatedCount[b] += s.treated(b) ? 1 : 0;
            }
        }
        for (int b = 0; b < blocks; b++) {
            // each block is treated with probability 1/2: 6000 draws give sd ~ 39
            org.junit.jupiter.api.Assertions.assertEquals(draws / 2.0, treatedCount[b], 4 * Math.sqrt(draws * 0.25), "block " + b);
        }
        org.junit.jupiter.api.Assertions.assertEquals(4,
                SwitchbackSchedule.complete(MONDAY, 1200, 240, 7, 0.5, 1).treatedBlocks(), "round half up of 3.5");
        SwitchbackSchedule a = SwitchbackSchedule.complete(MONDAY, 1200, 240, blocks, 0.5, 99);
        SwitchbackSchedule b = SwitchbackSchedule.complete(MONDAY, 1200, 240, blocks, 0.5, 99);
        for (int k = 0; k < blocks; k++) {
            org.junit.jupiter.api.Assertions.assertEquals(a.treated(k), b.treated(k));
        }
    }
}

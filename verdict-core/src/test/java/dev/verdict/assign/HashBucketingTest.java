package dev.verdict.assign;

import dev.verdict.stats.ChiSquareGoodnessOfFit;
import org.apache.commons.codec.digest.MurmurHash3;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HashBucketingTest {
    private static final int IDS = 100_000;

    /**
     * Reference buckets from an independent implementation: Python 3, mmh3 5.3.0,
     * {@code h1 = mmh3.hash64(b"<salt>:<id>", seed=0, x64arch=True, signed=False)[0]; h1 % 10000}.
     */
    @Test
    void workedExampleMatchesPythonMmh3() {
        HashBucketing demo = new HashBucketing("verdict-demo");
        // mmh3.hash64(b"verdict-demo:user-42", ...)[0] = 16488835043441985701
        assertEquals(5701, demo.bucket("user-42"));
        assertEquals(Long.remainderUnsigned(Long.parseUnsignedLong("16488835043441985701"), 10_000), 5701);
        // mmh3.hash64(b"verdict-demo:1234567", ...)[0] = 2058075451186164275
        assertEquals(4275, demo.bucket("1234567"));
        assertEquals(4275, demo.bucket(1234567L));
        // mmh3.hash64(b"verdict-demo:-9223372036854775808", ...)[0] = 2888481790990666135
        assertEquals(6135, demo.bucket(Long.MIN_VALUE));
        // a salt longer than one 16-byte block: mmh3.hash64(b"a-rather-long-salt-longer-than-16:x", ...)[0]
        // = 6395437664559505723
        assertEquals(5723, new HashBucketing("a-rather-long-salt-longer-than-16").bucket("x"));
    }

    @Test
    void handWrittenHashEqualsCommonsCodecOnEveryTailLength() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int length = 0; length <= 80; length++) {
            for (int rep = 0; rep < 50; rep++) {
                byte[] data = new byte[length];
                for (int i = 0; i < length; i++) {
                    data[i] = (byte) rng.nextInt(256);
                }
                long expected = MurmurHash3.hash128x64(data, 0, length, 0)[0];
                assertEquals(expected, Murmur3.first64(data, length), "length " + length);
                int blocks = rng.nextInt(length / 16 + 1);
                long[] state = Murmur3.mixBlocks(data, blocks);
                int done = blocks << 4;
                assertEquals(expected, Murmur3.first64(state[0], state[1], data, done, length - done, length),
                        "resumed after " + blocks + " blocks, length " + length);
            }
        }
    }

    @Test
    void longIdsBucketLikeTheirDecimalString() {
        String[] salts = {"s", "exp-7", "fifteen-chars-x", "sixteen-chars-xx", "layer/ünïcödé/experiment-with-long-name"};
        long[] edges = {0, 1, -1, 9, 10, -9, -10, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1,
            Long.MIN_VALUE + 1, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L, -1_000_000_000_000_000_000L};
        SplittableRandom rng = new SplittableRandom(3);
        for (String salt : salts) {
            HashBucketing h = new HashBucketing(salt);
            for (long id : edges) {
                assertEquals(h.bucket(Long.toString(id)), h.bucket(id), salt + " / " + id);
            }
            for (int i = 0; i < 40_000; i++) {
                long id = switch (i % 3) {
                    case 0 -> rng.nextLong();
                    case 1 -> rng.nextLong(1_000_000);
                    default -> rng.nextLong() >> rng.nextInt(64);
                };
                assertEquals(h.bucket(Long.toString(id)), h.bucket(id), salt + " / " + id);
            }
        }
        double[] shares = {0.6, 0.25, 0.15};
        HashBucketing h = new HashBucketing("exp-7");
        for (long id = -500; id < 500; id++) {
            assertEquals(h.arm(Long.toString(id), shares), h.arm(id, shares));
        }
    }

    @Test
    void bucketsStayInRange() {
        HashBucketing h = new HashBucketing("range");
        for (int i = 0; i < 10_000; i++) {
            int b = h.bucket("u" + i);
            assertTrue(b >= 0 && b < HashBucketing.BUCKETS, "bucket " + b);
        }
    }

    private static long[] armCounts(HashBucketing h, double[] shares) {
        long[] counts = new long[shares.length];
        for (long id = 0; id < IDS; id++) {
            counts[h.arm(id, shares)]++;
        }
        return counts;
    }

    @Test
    void observedSharesMatchDeclaredAndAWrongShareIsRejected() {
        double[] shares = {0.8, 0.1, 0.1};
        long[] counts = armCounts(new HashBucketing("share-check"), shares);
        // deterministic ids 0..99999: a p-value below 1e-4 would mean the split is off, not bad luck
        assertTrue(ChiSquareGoodnessOfFit.test(counts, shares).pValue() > 1e-4, java.util.Arrays.toString(counts));
        // positive control: the same counts against a share off by one point are rejected by the same statistic
        double[] wrong = {0.79, 0.11, 0.10};
        assertTrue(ChiSquareGoodnessOfFit.test(counts, wrong).pValue() < 1e-6);
        for (int arm = 0; arm < shares.length; arm++) {
            double sd = Math.sqrt(shares[arm] * (1 - shares[arm]) / IDS);
            assertEquals(shares[arm], counts[arm] / (double) IDS, 4.5 * sd, "arm " + arm);
        }
    }

    @Test
    void rampFromTenToTwentyPercentKeepsTreatedUnits() {
        HashBucketing h = new HashBucketing("ramp");
        int moved = 0;
        for (long id = 0; id < IDS; id++) {
            int before = h.arm(id, new double[] {0.9, 0.1});
            int after = h.arm(id, new double[] {0.8, 0.2});
            if (before == 1) {
                assertEquals(1, after, "unit " + id + " left treatment on ramp-up");
            }
            if (after == 0) {
                assertEquals(0, before, "unit " + id + " in control at 20% was treated at 10%");
            }
            moved += before != after ? 1 : 0;
        }
        assertEquals(0.1, moved / (double) IDS, 4.5 * Math.sqrt(0.09 / IDS));
    }

    @Test
    void rampOfALaterArmKeepsEveryTreatmentArm() {
        HashBucketing h = new HashBucketing("ramp-multi");
        for (long id = 0; id < IDS; id++) {
            int before = h.arm(id, new double[] {0.8, 0.1, 0.1});
            int after = h.arm(id, new double[] {0.65, 0.1, 0.25});
            if (before != 0) {
                assertEquals(before, after, "unit " + id);
            }
            int firstUp = h.arm(id, new double[] {0.7, 0.2, 0.1});
            if (before == 1) {
                assertEquals(1, firstUp, "unit " + id);
            }
        }
    }

    @Test
    void treatmentArmsStackFromTheBottom() {
        assertArrayEquals(new int[] {0, 2500, 5000}, HashBucketing.treatmentBounds(new double[] {0.5, 0.25, 0.25}));
        assertArrayEquals(new int[] {0, 1}, HashBucketing.treatmentBounds(new double[] {0.99995, 0.00005}));
        assertArrayEquals(new int[] {0, 10_000}, HashBucketing.treatmentBounds(new double[] {0, 1}));
        double[] shares = {0.5, 0.25, 0.25};
        assertEquals(1, HashBucketing.armOfBucket(0, shares));
        assertEquals(1, HashBucketing.armOfBucket(2499, shares));
        assertEquals(2, HashBucketing.armOfBucket(2500, shares));
        assertEquals(0, HashBucketing.armOfBucket(5000, shares));
        assertEquals(0, HashBucketing.armOfBucket(9999, shares));
    }

    @Test
    void invalidSharesAreRefusedWithTheValue() {
        HashBucketing h = new HashBucketing("v");
        assertMessage(() -> h.arm("u", new double[] {1.0}), "at least 2 arms");
        assertMessage(() -> h.arm("u", null), "at least 2 arms");
        assertMessage(() -> h.arm("u", new double[] {1.1, -0.1}), "arm share 1 must be finite and >= 0, got -0.1");
        assertMessage(() -> h.arm(5L, new double[] {Double.NaN, 1}), "arm share 0 must be finite and >= 0, got NaN");
        assertMessage(() -> h.arm("u", new double[] {Double.POSITIVE_INFINITY, 0}), "got Infinity");
        assertMessage(() -> h.arm("u", new double[] {0.5, 0.4}), "must sum to 1");
        assertMessage(() -> h.arm("u", new double[] {0.5, 0.4}), "0.9");
        h.arm("u", new double[] {0.5, 0.5 + 5e-10});
    }

    @Test
    void versionAndSaltAreValidatedAndRecorded() {
        HashBucketing h = new HashBucketing("exp", 1);
        assertEquals("exp", h.salt());
        assertEquals(1, h.version());
        assertEquals(h, new HashBucketing("exp"));
        assertMessage(() -> new HashBucketing("exp", 2), "hash version must be 1");
        assertMessage(() -> new HashBucketing(""), "salt must be a non-empty string");
        assertMessage(() -> new HashBucketing(null), "salt must be a non-empty string");
        assertMessage(() -> h.bucket((String) null), "unit id must not be null");
    }

    @Test
    void saltsGiveIndependentBuckets() {
        HashBucketing a = new HashBucketing("a");
        HashBucketing b = new HashBucketing("b");
        long[][] table = new long[2][2];
        for (long id = 0; id < IDS; id++) {
            table[a.bucket(id) < 5000 ? 0 : 1][b.bucket(id) < 5000 ? 0 : 1]++;
        }
        long[] flat = {table[0][0], table[0][1], table[1][0], table[1][1]};
        assertTrue(ChiSquareGoodnessOfFit.test(flat, new double[] {0.25, 0.25, 0.25, 0.25}).pValue() > 1e-4);
    }

    @Test
    void utf8OfSaltAndIdIsHashed() {
        byte[] bytes = "ünï:çödé".getBytes(StandardCharsets.UTF_8);
        long h1 = MurmurHash3.hash128x64(bytes, 0, bytes.length, 0)[0];
        assertEquals((int) Long.remainderUnsigned(h1, 10_000), new HashBucketing("ünï").bucket("çödé"));
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable call, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), () -> "message '" + e.getMessage() + "' lacks '" + part + "'");
    }
}

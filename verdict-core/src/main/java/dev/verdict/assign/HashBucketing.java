package dev.verdict.assign;

import org.apache.commons.codec.digest.MurmurHash3;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Deterministic salted, versioned hash bucketing of unit ids into arms with declared shares.
 *
 * <p><b>Hash, version 1.</b> The bucket of unit id {@code u} under salt {@code s} is
 * <pre>
 *   bytes  = UTF-8(s + ":" + u)
 *   h1     = first 64 bits of MurmurHash3_x64_128(bytes, seed 0)
 *            (the first 8 bytes of the 16-byte digest, read little-endian)
 *   bucket = h1 mod 10000, with h1 read as an unsigned 64-bit integer
 * </pre>
 * MurmurHash3_x64_128 is Austin Appleby's SMHasher function; here it is Commons Codec's
 * {@code MurmurHash3.hash128x64(bytes, 0, bytes.length, 0)[0]}, the same number as Python's
 * {@code mmh3.hash64(bytes, seed=0, x64arch=True, signed=False)[0]} (checked against mmh3 5.3.0). Worked example: salt {@code "verdict-demo"}, id {@code "user-42"} hash
 * {@code "verdict-demo:user-42"} to {@code h1 = 16488835043441985701}, so bucket {@code 5701}. A {@code long}
 * id is hashed as its decimal string ({@link Long#toString(long)}: optional {@code '-'}, no leading zeros), so
 * {@code bucket(1234567L) == bucket("1234567")}. Unit ids are hashed as given: callers normalize case and
 * whitespace themselves. The version is recorded so that a future hash change never silently reshuffles
 * running experiments; only version 1 exists.
 *
 * <p><b>Arms.</b> {@code shares[0]} is control, {@code shares[1..k]} are the treatments. With cumulative
 * treatment sums {@code c_j = shares[1] + ... + shares[j]} (added left to right in double precision) and bounds
 * {@code B_0 = 0}, {@code B_j = min(10000, floor(10000 * c_j + 0.5))}, treatment {@code j} owns the buckets
 * {@code [B_(j-1), B_j)} and control owns {@code [B_k, 10000)} (see {@link #treatmentBounds(double[])}). Shares
 * therefore resolve to whole buckets (0.01 %).
 *
 * <p><b>Ramp stability.</b> A unit in treatment {@code j} stays in treatment {@code j} when {@code shares[j]}
 * grows and {@code shares[1..j-1]} are unchanged (taking the growth from control or from later treatments):
 * its range keeps its start and extends upward. With one treatment arm, every ramp is stable. The stronger
 * wish, that every treatment keep its units whenever no treatment share shrinks, cannot be met by any rule once
 * there are three or more treatment arms (two arms growing to 1/2 each from zero would have to own the same
 * half), so the bottom-up stacking is the documented rule; ramp later arms, or several arms in index order
 * one at a time.
 *
 * <p>Hand-written (no library offers salted bucketing with this contract); the {@code long} path uses an
 * allocation-free copy of the hash that resumes from the salt's precomputed state and is held equal to the
 * {@code String} path by the tests. Instances are immutable and thread-safe.
 */
public final class HashBucketing {
    /** Number of buckets: a unit's bucket is in {@code [0, BUCKETS)}. */
    public static final int BUCKETS = 10_000;
    /** The only hash version so far (MurmurHash3 x64-128, first 64 bits, mod {@link #BUCKETS}). */
    public static final int VERSION_1 = 1;

    private static final int MAX_DIGITS = 20;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[16 + MAX_DIGITS]);

    private final String salt;
    private final int version;
    private final long prefixH1;
    private final long prefixH2;
    private final byte[] prefixTail;
    private final int prefixLength;

    /**
     * Bucketing with hash version 1.
     *
     * @param salt a non-empty salt, usually the experiment or layer name
     * @throws IllegalArgumentException when the salt is null or empty
     */
    public HashBucketing(String salt) {
        this(salt, VERSION_1);
    }

    /**
     * Bucketing with an explicit hash version.
     *
     * @param salt    a non-empty salt, usually the experiment or layer name
     * @param version the hash version; only {@link #VERSION_1} exists
     * @throws IllegalArgumentException when the salt is null or empty or the version is not 1
     */
    public HashBucketing(String salt, int version) {
        this.salt = Arguments.salt("salt", salt);
        if (version != VERSION_1) {
            throw new IllegalArgumentException("hash version must be " + VERSION_1
                    + " (the only version: MurmurHash3 x64-128 of UTF-8(salt:id), first 64 bits mod " + BUCKETS
                    + "), got " + version);
        }
        this.version = version;
        byte[] prefix = (salt + ":").getBytes(StandardCharsets.UTF_8);
        int blocks = prefix.length >> 4;
        long[] state = Murmur3.mixBlocks(prefix, blocks);
        this.prefixH1 = state[0];
        this.prefixH2 = state[1];
        this.prefixTail = Arrays.copyOfRange(prefix, blocks << 4, prefix.length);
        this.prefixLength = prefix.length;
    }

    /** The salt. */
    public String salt() {
        return salt;
    }

    /** The hash version. */
    public int version() {
        return version;
    }

    /**
     * The bucket of a unit id, in {@code [0, BUCKETS)}; the same on every JVM and platform (see the class
     * documentation for the definition).
     *
     * @throws IllegalArgumentException when the id is null
     */
    public int bucket(String unitId) {
        if (unitId == null) {
            throw new IllegalArgumentException("unit id must not be null");
        }
        byte[] bytes = (salt + ":" + unitId).getBytes(StandardCharsets.UTF_8);
        long h1 = MurmurHash3.hash128x64(bytes, 0, bytes.length, 0)[0];
        return (int) Long.remainderUnsigned(h1, BUCKETS);
    }

    /**
     * The bucket of a numeric unit id: exactly {@code bucket(Long.toString(unitId))}, computed without
     * allocating.
     */
    public int bucket(long unitId) {
        byte[] scratch = SCRATCH.get();
        int tail = prefixTail.length;
        System.arraycopy(prefixTail, 0, scratch, 0, tail);
        int digits = writeDecimal(unitId, scratch, tail);
        long h1 = Murmur3.first64(prefixH1, prefixH2, scratch, 0, tail + digits, (long) prefixLength + digits);
        return (int) Long.remainderUnsigned(h1, BUCKETS);
    }

    /**
     * The arm of a unit: 0 for control, {@code j >= 1} for treatment {@code j}.
     *
     * @param shares {@code shares[0]} for control then one per treatment; at least two, each finite and
     *               {@code >= 0}, summing to 1 within 1e-9
     * @throws IllegalArgumentException when the id is null or the shares are invalid (the message names the
     *                                  offending value)
     */
    public int arm(String unitId, double[] shares) {
        Arguments.shares(shares);
        return armOfBucket(bucket(unitId), shares);
    }

    /** The arm of a numeric unit id: exactly {@code arm(Long.toString(unitId), shares)}. */
    public int arm(long unitId, double[] shares) {
        Arguments.shares(shares);
        return armOfBucket(bucket(unitId), shares);
    }

    /**
     * The bucket bounds of the treatment arms: element {@code j} is {@code B_j}, so treatment {@code j} owns
     * buckets {@code [B_(j-1), B_j)} and control owns {@code [B_k, BUCKETS)} with {@code k = shares.length - 1}.
     *
     * @throws IllegalArgumentException when the shares are invalid
     */
    public static int[] treatmentBounds(double[] shares) {
        Arguments.shares(shares);
        int[] bounds = new int[shares.length];
        double cumulative = 0;
        for (int j = 1; j < shares.length; j++) {
            cumulative += shares[j];
            bounds[j] = bound(cumulative);
        }
        return bounds;
    }

    /** The arm owning {@code bucket} under validated {@code shares}. */
    static int armOfBucket(int bucket, double[] shares) {
        double cumulative = 0;
        for (int j = 1; j < shares.length; j++) {
            cumulative += shares[j];
            if (bucket < bound(cumulative)) {
                return j;
            }
        }
        return 0;
    }

    private static int bound(double cumulativeShare) {
        return (int) Math.min(BUCKETS, Math.round(cumulativeShare * BUCKETS));
    }

    /** Writes {@code Long.toString(v)} as ASCII at {@code out[at..]} and returns its length. */
    private static int writeDecimal(long v, byte[] out, int at) {
        int length = decimalLength(v);
        int pos = at + length;
        long negative = v < 0 ? v : -v;
        do {
            out[--pos] = (byte) ('0' - (int) (negative % 10));
            negative /= 10;
        } while (negative != 0);
        if (v < 0) {
            out[--pos] = '-';
        }
        return length;
    }

    private static int decimalLength(long v) {
        int sign = 1;
        if (v >= 0) {
            sign = 0;
            v = -v;
        }
        long limit = -10;
        for (int digits = 1; digits < 19; digits++) {
            if (v > limit) {
                return digits + sign;
            }
            limit *= 10;
        }
        return 19 + sign;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HashBucketing h && h.salt.equals(salt) && h.version == version;
    }

    @Override
    public int hashCode() {
        return salt.hashCode() * 31 + version;
    }

    @Override
    public String toString() {
        return "HashBucketing[salt=" + salt + ", version=" + version + "]";
    }
}

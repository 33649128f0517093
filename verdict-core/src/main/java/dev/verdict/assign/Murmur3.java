package dev.verdict.assign;

/**
 * The first 64 bits ({@code h1}) of MurmurHash3 x64-128 with seed 0 (Austin Appleby's SMHasher reference,
 * {@code MurmurHash3_x64_128}), written out so that it can resume from a precomputed state and run without
 * allocating. Hand-written on purpose: it is the allocation-free twin of Commons Codec's
 * {@code MurmurHash3.hash128x64(data, 0, length, 0)[0]}, which defines {@link HashBucketing}'s hash; the
 * tests hold the two equal on inputs of every tail length.
 */
final class Murmur3 {
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private Murmur3() {
    }

    /** {@code h1} of the whole of {@code data[0, length)}. */
    static long first64(byte[] data, int length) {
        return first64(0, 0, data, 0, length, length);
    }

    /**
     * Mixes the 16-byte blocks of {@code data[0, 16 * blocks)} into the state {@code (0, 0)} and returns
     * the state {@code {h1, h2}}.
     */
    static long[] mixBlocks(byte[] data, int blocks) {
        long h1 = 0;
        long h2 = 0;
        for (int i = 0; i < blocks; i++) {
            int at = i << 4;
            long k1 = littleEndianLong(data, at);
            long k2 = littleEndianLong(data, at + 8);
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27);
            h1 += h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31);
            h2 += h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        return new long[] {h1, h2};
    }

    /**
     * Resumes from state {@code (h1, h2)} (after whole blocks of an earlier part of the message), hashes the
     * rest of the message {@code data[offset, offset + length)} and finalizes for a message of
     * {@code totalLength} bytes; returns {@code h1}.
     */
    static long first64(long h1, long h2, byte[] data, int offset, int length, long totalLength) {
        int blocks = length >> 4;
        for (int i = 0; i < blocks; i++) {
            int at = offset + (i << 4);
            long k1 = littleEndianLong(data, at);
            long k2 = littleEndianLong(data, at + 8);
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27);
            h1 += h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31);
            h2 += h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        int at = offset + (blocks << 4);
        int rest = length & 15;
        long k1 = 0;
        long k2 = 0;
        for (int i = Math.min(rest, 8) - 1; i >= 0; i--) {
            k1 = (k1 << 8) | (data[at + i] & 0xffL);
        }
        for (int i = rest - 1; i >= 8; i--) {
            k2 = (k2 << 8) | (data[at + i] & 0xffL);
        }
        if (rest > 8) {
            h2 ^= mixK2(k2);
        }
        if (rest > 0) {
            h1 ^= mixK1(k1);
        }
        h1 ^= totalLength;
        h2 ^= totalLength;
        h1 += h2;
        h2 += h1;
        h1 = fmix64(h1);
        h2 = fmix64(h2);
        return h1 + h2;
    }

    private static long mixK1(long k1) {
        return Long.rotateLeft(k1 * C1, 31) * C2;
    }

    private static long mixK2(long k2) {
        return Long.rotateLeft(k2 * C2, 33) * C1;
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    private static long littleEndianLong(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24
                | (b[at + 4] & 0xffL) << 32 | (b[at + 5] & 0xffL) << 40 | (b[at + 6] & 0xffL) << 48
                | (b[at + 7] & 0xffL) << 56;
    }
}

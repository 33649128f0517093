package dev.verdict.quasi.synth;

/**
 * R's default random number generator as used by {@code set.seed(seed); sample(n)} (R &gt;= 3.6.0): the Mersenne
 * Twister MT19937 (Matsumoto and Nishimura 1998, ACM TOMACS 8:3-30, doi:10.1145/272991.272995) seeded through R's
 * {@code set.seed} scrambling, uniforms in (0, 1) as R's {@code unif_rand}, and integers below n by R's "Rejection"
 * sample kind (draw {@code ceil(log2 n)} random bits, 16 at a time, and reject values &gt;= n).
 *
 * <p>It exists so that a seeded placebo variance means the same thing here as in R: with the same integer seed,
 * {@link #permutation} returns the permutations {@code sample(1:n)} returns after {@code set.seed(seed)}, and
 * {@link SynthDid#placeboSe} reproduces {@code set.seed(seed); vcov(estimate, method = "placebo")} of synthdid 0.0.9,
 * not merely its distribution. Hand-written from the published algorithms (no JVM library reproduces R's seeding and
 * sampling); {@code RCompatibleRandomTest} checks it against values printed by R.
 */
final class RCompatibleRandom {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;
    /** 1 / (2^32 - 1), R's i2_32m1. */
    private static final double I2_32M1 = 2.328306437080797e-10;
    /** 2^-32. */
    private static final double TWO_POW_M32 = 2.3283064365386963e-10;

    private final int[] mt = new int[N];
    private int mti;

    /** The generator after R's {@code set.seed(seed)} (default kinds: Mersenne-Twister, Inversion, Rejection). */
    RCompatibleRandom(int seed) {
        int s = seed;
        for (int j = 0; j < 50; j++) {
            s = 69069 * s + 1;
        }
        // R fills 1 + 624 words; the first is the position (then reset to 624 = "regenerate on next draw")
        s = 69069 * s + 1;
        for (int j = 0; j < N; j++) {
            s = 69069 * s + 1;
            mt[j] = s;
        }
        mti = N;
    }

    /** R's {@code unif_rand()}: a uniform in (0, 1). */
    double nextUniform() {
        double x = genrand();
        if (x <= 0.0) {
            return 0.5 * I2_32M1;
        }
        if (1.0 - x <= 0.0) {
            return 1.0 - 0.5 * I2_32M1;
        }
        return x;
    }

    private double genrand() {
        if (mti >= N) {
            int kk;
            for (kk = 0; kk < N - M; kk++) {
                int y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
                mt[kk] = mt[kk + M] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : MATRIX_A);
            }
            for (; kk < N - 1; kk++) {
                int y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
                mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : MATRIX_A);
            }
            int y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
            mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : MATRIX_A);
            mti = 0;
        }
        int y = mt[mti++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return Integer.toUnsignedLong(y) * TWO_POW_M32;
    }

    /** R's {@code R_unif_index(n)} under the Rejection sample kind: a uniform integer in [0, n). */
    int nextIndex(int n) {
        if (n <= 0) {
            return 0;
        }
        int bits = 32 - Integer.numberOfLeadingZeros(n - 1); // ceil(log2 n)
        long v;
        do {
            v = randomBits(bits);
        } while (v >= n);
        return (int) v;
    }

    private long randomBits(int bits) {
        long v = 0;
        for (int k = 0; k <= bits; k += 16) {
            int v1 = (int) Math.floor(nextUniform() * 65536);
            v = 65536 * v + v1;
        }
        return v & ((1L << bits) - 1);
    }

    /** R's {@code sample(n)} minus one: a uniform random permutation of 0..n-1, drawn as R draws it. */
    int[] permutation(int n) {
        int[] pool = new int[n];
        for (int i = 0; i < n; i++) {
            pool[i] = i;
        }
        int[] out = new int[n];
        int left = n;
        for (int i = 0; i < n; i++) {
            int j = nextIndex(left);
            out[i] = pool[j];
            pool[j] = pool[--left];
        }
        return out;
    }
}

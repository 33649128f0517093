package dev.verdict.assign;

import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongFunction;

/**
 * Switchback schedule: time is cut into blocks; each block gets an arm; the first washout seconds of each block
 * are excluded from analysis.
 *
 * <p>Block {@code b} covers epoch seconds {@code [origin + b * blockSeconds, origin + (b + 1) * blockSeconds)};
 * its first {@code washoutSeconds} are washout (carry-over from the previous block's arm). Four ways to draw the
 * arms, all from one {@link SplittableRandom} seeded with {@code seed} ({@link #complete} and {@link #minimaxRegret},
 * for a declared carryover order, are described at their methods):
 * <ul>
 *   <li>{@link #bernoulli}: each block is treated independently with probability {@code treatedShare}
 *       ({@code nextDouble() < treatedShare}, blocks in order).</li>
 *   <li>{@link #randomizedWithinDay}: every UTC day gets exactly {@code T = round-half-up(treatedShare * P)}
 *       treated blocks out of its {@code P = 86400 / blockSeconds} slots, and a rotation balances each slot
 *       (hour of day) across days, separately for weekdays and weekends. The rule, exactly: the days are split
 *       into two streams, weekdays (Monday to Friday, UTC) and weekend days (Saturday, Sunday), each with its own
 *       generator ({@code root.split()} for weekdays, then {@code root.split()} for weekends). Within a stream,
 *       days are numbered {@code i = 0, 1, ...} in time order and grouped into cycles of
 *       {@code L = P / gcd(P, T)} days; at the start of each cycle a uniformly random permutation {@code pi} of
 *       the slots is drawn (Fisher-Yates, {@code nextInt(k + 1)} for {@code k = P-1} down to 1), and the
 *       {@code c}-th day of the cycle treats slots {@code pi[(c * T + j) mod P]} for {@code j = 0 .. T-1}.
 *       Walking round {@code pi} {@code T} slots a day, each slot is treated exactly {@code T / gcd(P, T)} times
 *       in each cycle of {@code L} days, so within every complete cycle each hour-of-day slot is treated with
 *       frequency exactly {@code T / P}, on weekdays and on weekends alike; within an incomplete cycle the slots'
 *       treated counts differ by at most one. With share 1/2 and hourly blocks, {@code L = 2}: a day's
 *       complement is the next day of its stream, so a Saturday and the following Sunday are complementary.
 *       Fresh permutations per cycle keep the schedule random rather than periodic.</li>
 * </ul>
 * A first or last day cut by the schedule's ends keeps the pattern its full day would have, so the per-day
 * count is exact on whole days only. Extending {@code blocks} never changes earlier blocks.
 *
 * <p>Hand-written (no library draws switchback schedules). Immutable.
 */
public final class SwitchbackSchedule {
    /** Seconds in a UTC day. */
    public static final long DAY_SECONDS = 86_400;

    /** How a schedule's arms were drawn. */
    public enum Kind {
        /** Exact count per UTC day, hour-of-day slots rotated across days, weekdays and weekends apart. */
        RANDOMIZED_WITHIN_DAY,
        /** Independent Bernoulli(share) per block. */
        BERNOULLI,
        /** Exactly round(share x blocks) treated blocks, all such sets equally likely (for runs shorter than a day). */
        COMPLETE,
        /**
         * Bojinov, Simchi-Levi and Zhao's minimax-regret design for a carryover order m: fair coins at the
         * randomization points 0, 2m, 3m, ..., (n-2)m, each block keeping the arm of the last point at or before it.
         */
        MINIMAX_REGRET
    }

    private final Kind kind;
    private final long origin;
    private final long blockSeconds;
    private final long washoutSeconds;
    private final boolean[] treated;
    private final double treatedShare;
    private final long seed;
    /** Randomization points (block numbers, ascending, starting at 0); every block for the other kinds. */
    private final int[] points;

    private SwitchbackSchedule(Kind kind, long origin, long blockSeconds, long washoutSeconds, boolean[] treated,
                               double treatedShare, long seed) {
        this(kind, origin, blockSeconds, washoutSeconds, treated, treatedShare, seed, null);
    }

    private SwitchbackSchedule(Kind kind, long origin, long blockSeconds, long washoutSeconds, boolean[] treated,
                               double treatedShare, long seed, int[] points) {
        this.points = points;
        this.kind = kind;
        this.origin = origin;
        this.blockSeconds = blockSeconds;
        this.washoutSeconds = washoutSeconds;
        this.treated = treated;
        this.treatedShare = treatedShare;
        this.seed = seed;
    }

    /**
     * A schedule randomized within each UTC day (rule in the class documentation).
     *
     * @param origin         epoch second of the first block start; on a block boundary of its UTC day
     *                       ({@code origin mod blockSeconds == 0})
     * @param blockSeconds   block length, {@code > 0}, dividing 86400
     * @param washoutSeconds washout at the start of each block, in {@code [0, blockSeconds)}
     * @param blocks         number of blocks, {@code >= 1}
     * @param treatedShare   share of treated blocks per day, in (0, 1); {@code treatedShare * 86400 / blockSeconds}
     *                       must round to at least 1 and at most one less than the blocks per day
     * @param seed           seed of the draw
     * @throws IllegalArgumentException when an argument is out of range; the message names it and its value
     */
    public static SwitchbackSchedule randomizedWithinDay(long origin, long blockSeconds, long washoutSeconds, int blocks,
                                                         double treatedShare, long seed) {
        validate(origin, blockSeconds, washoutSeconds, blocks, treatedShare);
        if (DAY_SECONDS % blockSeconds != 0) {
            throw new IllegalArgumentException("randomizedWithinDay needs blockSeconds dividing a day (86400 s) so that "
                    + "blocks line up with hours of the day, got " + blockSeconds + " s; use e.g. 3600, 1800 or 7200, or "
                    + "bernoulli(...)");
        }
        if (Math.floorMod(origin, blockSeconds) != 0) {
            throw new IllegalArgumentException("randomizedWithinDay needs origin on a block boundary of its UTC day "
                    + "(origin mod blockSeconds == 0), got origin " + origin + " with blockSeconds " + blockSeconds
                    + " (remainder " + Math.floorMod(origin, blockSeconds) + " s)");
        }
        int perDay = (int) (DAY_SECONDS / blockSeconds);
        int treatedPerDay = (int) Math.round(treatedShare * perDay);
        if (treatedPerDay < 1 || treatedPerDay >= perDay) {
            throw new IllegalArgumentException("randomizedWithinDay gives each day round(treatedShare * blocksPerDay) "
                    + "treated blocks, which must be between 1 and " + (perDay - 1) + ": got round(" + treatedShare
                    + " * " + perDay + ") = " + treatedPerDay + "; use shorter blocks or bernoulli(...)");
        }
        int cycle = perDay / gcd(perDay, treatedPerDay);
        SplittableRandom root = new SplittableRandom(seed);
        Stream weekdays = new Stream(root.split(), perDay, treatedPerDay, cycle);
        Stream weekends = new Stream(root.split(), perDay, treatedPerDay, cycle);
        boolean[] treated = new boolean[blocks];
        long currentDay = Long.MIN_VALUE;
        boolean[] pattern = null;
        for (int b = 0; b < blocks; b++) {
            long start = origin + b * blockSeconds;
            long day = Math.floorDiv(start, DAY_SECONDS);
            if (day != currentDay) {
                currentDay = day;
                DayOfWeek dow = LocalDate.ofEpochDay(day).getDayOfWeek();
                boolean weekend = dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY;
                pattern = (weekend ? weekends : weekdays).nextDay();
            }
            treated[b] = pattern[(int) (Math.floorMod(start, DAY_SECONDS) / blockSeconds)];
        }
        return new SwitchbackSchedule(Kind.RANDOMIZED_WITHIN_DAY, origin, blockSeconds, washoutSeconds, treated,
                treatedShare, seed);
    }

    /**
     * A schedule with each block treated independently with probability {@code treatedShare}.
     *
     * @param origin         epoch second of the first block start
     * @param blockSeconds   block length, {@code > 0}
     * @param washoutSeconds washout at the start of each block, in {@code [0, blockSeconds)}
     * @param blocks         number of blocks, {@code >= 1}
     * @param treatedShare   probability that a block is treated, in (0, 1)
     * @param seed           seed of the draw
     * @throws IllegalArgumentException when an argument is out of range
     */
    public static SwitchbackSchedule bernoulli(long origin, long blockSeconds, long washoutSeconds, int blocks,
                                               double treatedShare, long seed) {
        validate(origin, blockSeconds, washoutSeconds, blocks, treatedShare);
        SplittableRandom rng = new SplittableRandom(seed);
        boolean[] treated = new boolean[blocks];
        for (int b = 0; b < blocks; b++) {
            treated[b] = rng.nextDouble() < treatedShare;
        }
        return new SwitchbackSchedule(Kind.BERNOULLI, origin, blockSeconds, washoutSeconds, treated, treatedShare, seed);
    }

    /**
     * Complete randomization of the schedule's blocks: exactly {@code round(treatedShare * blocks)} (half up) blocks
     * are treated, chosen by a Fisher-Yates shuffle driven by {@code SplittableRandom(seed)}, so every set of that size
     * is equally likely. For experiments shorter than a day, where balancing within each UTC day is not possible;
     * hours of day are balanced only in expectation.
     *
     * @throws IllegalArgumentException when an argument is out of range
     */
    public static SwitchbackSchedule complete(long origin, long blockSeconds, long washoutSeconds, int blocks,
                                              double treatedShare, long seed) {
        validate(origin, blockSeconds, washoutSeconds, blocks, treatedShare);
        int k = (int) Math.floor(treatedShare * blocks + 0.5);
        int[] order = new int[blocks];
        for (int i = 0; i < blocks; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = blocks - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        boolean[] treated = new boolean[blocks];
        for (int i = 0; i < k; i++) {
            treated[order[i]] = true;
        }
        return new SwitchbackSchedule(Kind.COMPLETE, origin, blockSeconds, washoutSeconds, treated, treatedShare, seed);
    }

    /**
     * The minimax-regret schedule of Bojinov, Simchi-Levi and Zhao (2023, "Design and analysis of switchback
     * experiments", Management Science 69(7), Theorem 3) for carryover order {@code m}: with {@code n = floor(blocks /
     * m)} the randomization points are blocks {@code 0, 2m, 3m, ..., (n-2)m} (0-indexed; the paper's
     * {@code 1, 2m+1, ..., (n-2)m+1}); at each point a fair coin ({@code nextBoolean()} of {@code SplittableRandom(seed)},
     * points in order) sets the arm, which every block keeps until the next point. The first and the last segments are
     * {@code 2m} blocks long, the others {@code m}; when {@code m} does not divide {@code blocks} the remainder
     * lengthens the last segment (the theorem is stated for {@code blocks = n m}). With {@code m = 0} every block is a
     * point: independent fair coins. The treated share is 1/2 in expectation.
     *
     * @param carryoverOrder m, {@code >= 0}; {@code m > 0} needs {@code blocks >= 4m}
     * @throws IllegalArgumentException when an argument is out of range
     */
    public static SwitchbackSchedule minimaxRegret(long origin, long blockSeconds, long washoutSeconds, int blocks,
                                                   int carryoverOrder, long seed) {
        validate(origin, blockSeconds, washoutSeconds, blocks, 0.5);
        int[] points = minimaxRegretPoints(blocks, carryoverOrder);
        SplittableRandom rng = new SplittableRandom(seed);
        boolean[] treated = new boolean[blocks];
        for (int i = 0; i < points.length; i++) {
            boolean arm = rng.nextBoolean();
            int end = i + 1 < points.length ? points[i + 1] : blocks;
            for (int b = points[i]; b < end; b++) {
                treated[b] = arm;
            }
        }
        return new SwitchbackSchedule(Kind.MINIMAX_REGRET, origin, blockSeconds, washoutSeconds, treated, 0.5, seed,
                points);
    }

    /**
     * The randomization points of {@link #minimaxRegret} for {@code blocks} blocks and carryover order {@code m}.
     *
     * @throws IllegalArgumentException when {@code m < 0}, or {@code m > 0} and {@code blocks < 4m}
     */
    public static int[] minimaxRegretPoints(int blocks, int carryoverOrder) {
        if (carryoverOrder < 0) {
            throw new IllegalArgumentException("carryoverOrder must be >= 0, got " + carryoverOrder);
        }
        if (blocks < 1) {
            throw new IllegalArgumentException("blocks must be >= 1, got " + blocks);
        }
        if (carryoverOrder == 0) {
            int[] all = new int[blocks];
            for (int b = 0; b < blocks; b++) {
                all[b] = b;
            }
            return all;
        }
        int m = carryoverOrder;
        int n = blocks / m;
        if (n < 4) {
            throw new IllegalArgumentException("minimaxRegret needs at least 4m blocks for carryover order m = " + m
                    + " (randomization points 0, 2m, ..., (n-2)m with n = blocks / m >= 4), got " + blocks + " blocks");
        }
        int[] points = new int[n - 2];
        points[0] = 0;
        for (int j = 2; j <= n - 2; j++) {
            points[j - 1] = j * m;
        }
        return points;
    }

    /**
     * The randomization points of the schedule: block numbers where a fresh draw may change the arm; every block for
     * the kinds other than {@link Kind#MINIMAX_REGRET}.
     */
    public int[] randomizationPoints() {
        if (points != null) {
            return points.clone();
        }
        int[] all = new int[treated.length];
        for (int b = 0; b < all.length; b++) {
            all[b] = b;
        }
        return all;
    }

    /**
     * One independent schedule per region, each drawn by {@code design} with the seed
     * {@link #regionSeed(long, String) regionSeed(seed, region)}; e.g.
     * {@code perRegion(regions, 7, s -> randomizedWithinDay(origin, 3600, 600, 24 * 28, 0.5, s))}.
     *
     * @return the schedules by region, in the order of {@code regions}
     * @throws IllegalArgumentException when regions is empty, holds null or repeats a region
     */
    public static Map<String, SwitchbackSchedule> perRegion(List<String> regions, long seed,
                                                            LongFunction<SwitchbackSchedule> design) {
        Arguments.noNulls("regions", regions);
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("regions must name at least one region, got none");
        }
        Set<String> seen = new HashSet<>();
        Map<String, SwitchbackSchedule> out = new LinkedHashMap<>();
        for (String region : regions) {
            if (!seen.add(region)) {
                throw new IllegalArgumentException("regions must be distinct, got '" + region + "' twice");
            }
            out.put(region, design.apply(regionSeed(seed, region)));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * The seed of a region's schedule: the first 64 bits (signed) of MurmurHash3 x64-128, seed 0, of
     * {@code UTF-8(Long.toString(seed) + ":" + region)}, the hash of {@link HashBucketing}.
     */
    public static long regionSeed(long seed, String region) {
        byte[] bytes = (seed + ":" + region).getBytes(StandardCharsets.UTF_8);
        return Murmur3.first64(bytes, bytes.length);
    }

    /** The block holding {@code epochSecond}, or -1 outside {@code [origin, origin + blocks * blockSeconds)}. */
    public int block(long epochSecond) {
        if (epochSecond < origin) {
            return -1;
        }
        long b = (epochSecond - origin) / blockSeconds;
        return b < treated.length ? (int) b : -1;
    }

    /**
     * Whether block {@code block} is treated.
     *
     * @throws IllegalArgumentException when the block is not in {@code [0, blocks)}
     */
    public boolean treated(int block) {
        if (block < 0 || block >= treated.length) {
            throw new IllegalArgumentException("block must be in [0, " + treated.length + "), got " + block);
        }
        return treated[block];
    }

    /** Whether {@code epochSecond} falls in a treated block; false outside the schedule. */
    public boolean treatedAt(long epochSecond) {
        int b = block(epochSecond);
        return b >= 0 && treated[b];
    }

    /** Whether {@code epochSecond} is within the first {@code washoutSeconds} of its block; false outside the schedule. */
    public boolean inWashout(long epochSecond) {
        return block(epochSecond) >= 0 && (epochSecond - origin) % blockSeconds < washoutSeconds;
    }

    /** Epoch second at which block {@code block} starts. */
    public long blockStart(int block) {
        treated(block);
        return origin + block * blockSeconds;
    }

    /** Number of treated blocks. */
    public int treatedBlocks() {
        int n = 0;
        for (boolean t : treated) {
            n += t ? 1 : 0;
        }
        return n;
    }

    /** Number of blocks. */
    public int blocks() {
        return treated.length;
    }

    /** Epoch second of the first block start. */
    public long origin() {
        return origin;
    }

    /** Block length in seconds. */
    public long blockSeconds() {
        return blockSeconds;
    }

    /** Washout at the start of each block, in seconds. */
    public long washoutSeconds() {
        return washoutSeconds;
    }

    /** The declared treated share. */
    public double treatedShare() {
        return treatedShare;
    }

    /** The seed of the draw. */
    public long seed() {
        return seed;
    }

    /** How the arms were drawn. */
    public Kind kind() {
        return kind;
    }

    @Override
    public String toString() {
        return "SwitchbackSchedule[" + kind + ", origin=" + origin + ", blockSeconds=" + blockSeconds + ", washoutSeconds="
                + washoutSeconds + ", blocks=" + treated.length + ", treated=" + treatedBlocks() + ", seed=" + seed + "]";
    }

    private static void validate(long origin, long blockSeconds, long washoutSeconds, int blocks, double share) {
        if (blockSeconds <= 0) {
            throw new IllegalArgumentException("blockSeconds must be > 0, got " + blockSeconds);
        }
        if (!(washoutSeconds >= 0 && washoutSeconds < blockSeconds)) {
            throw new IllegalArgumentException("washoutSeconds must be in [0, blockSeconds = " + blockSeconds + "), got "
                    + washoutSeconds);
        }
        if (blocks < 1) {
            throw new IllegalArgumentException("blocks must be >= 1, got " + blocks);
        }
        Arguments.treatedShare(share);
        try {
            Math.addExact(origin, Math.multiplyExact(blockSeconds, (long) blocks));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("the schedule's end, origin + blocks * blockSeconds = " + origin + " + "
                    + blocks + " * " + blockSeconds + ", overflows a long epoch second");
        }
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** The days of one stream (weekdays or weekend days): the rotation through a permutation per cycle. */
    private static final class Stream {
        private final SplittableRandom rng;
        private final int perDay;
        private final int treatedPerDay;
        private final int cycle;
        private final int[] permutation;
        private int day;

        Stream(SplittableRandom rng, int perDay, int treatedPerDay, int cycle) {
            this.rng = rng;
            this.perDay = perDay;
            this.treatedPerDay = treatedPerDay;
            this.cycle = cycle;
            this.permutation = new int[perDay];
        }

        boolean[] nextDay() {
            int c = day++ % cycle;
            if (c == 0) {
                for (int i = 0; i < perDay; i++) {
                    permutation[i] = i;
                }
                for (int k = perDay - 1; k > 0; k--) {
                    int j = rng.nextInt(k + 1);
                    int t = permutation[k];
                    permutation[k] = permutation[j];
                    permutation[j] = t;
                }
            }
            boolean[] pattern = new boolean[perDay];
            for (int j = 0; j < treatedPerDay; j++) {
                pattern[permutation[(int) (((long) c * treatedPerDay + j) % perDay)]] = true;
            }
            return pattern;
        }
    }
}

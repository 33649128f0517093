package dev.verdict.switchback;

import dev.verdict.reduce.BlockSums;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A switchback's blocks as the estimators of this package see them: per block its schedule (stratum, the value of
 * {@code switchback.by}, or one stratum), its number, its arm, and the metric's value over the block's post-washout
 * window {@code y = num / den} (a mean, a proportion or a ratio of the block's sums), and over each half of the
 * window. Blocks are sorted by stratum then block number; a block without rows is absent, so its arm is unknown.
 *
 * <p>Immutable in spirit: the arrays are not copied on access, callers must not modify them.
 */
public final class BlockSeries {
    private final List<String> strata;
    private final int[] stratum;
    private final long[] block;
    private final boolean[] treated;
    private final double[] num;
    private final double[] den;
    private final double[] yFirst;
    private final double[] ySecond;
    private final long origin;
    private final long blockSeconds;
    private final int mixedBlocks;
    private final double[] y;
    private final double totalNum;
    private final double totalDen;
    private final double totalY;

    /**
     * @param strata       names of the strata (schedules), indexed by {@code stratum[i]}
     * @param stratum      per block, its stratum
     * @param block        per block, its number (sorted ascending within a stratum)
     * @param treated      per block, whether it was treated
     * @param num          per block, the metric's numerator sum over the post-washout window
     * @param den          per block, the denominator (row count for a mean), {@code > 0}
     * @param yFirst       per block, the metric over the first half of the window (NaN when empty)
     * @param ySecond      per block, the metric over the second half (NaN when empty)
     * @param origin       epoch second of block 0's start
     * @param blockSeconds block length in seconds
     * @param mixedBlocks  blocks left out because they carried both arms
     */
    public BlockSeries(List<String> strata, int[] stratum, long[] block, boolean[] treated, double[] num, double[] den,
                       double[] yFirst, double[] ySecond, long origin, long blockSeconds, int mixedBlocks) {
        int n = stratum.length;
        if (block.length != n || treated.length != n || num.length != n || den.length != n || yFirst.length != n
                || ySecond.length != n) {
            throw new IllegalArgumentException("block arrays of different lengths");
        }
        for (int i = 1; i < n; i++) {
            if (stratum[i] < stratum[i - 1] || stratum[i] == stratum[i - 1] && block[i] <= block[i - 1]) {
                throw new IllegalArgumentException("blocks must be sorted by stratum then block number, distinct");
            }
        }
        for (int i = 0; i < n; i++) {
            if (!(den[i] > 0)) {
                throw new IllegalArgumentException("block " + block[i] + " has denominator " + den[i] + ", need > 0");
            }
        }
        if (blockSeconds <= 0) {
            throw new IllegalArgumentException("blockSeconds must be > 0, got " + blockSeconds);
        }
        this.strata = List.copyOf(strata);
        this.stratum = stratum;
        this.block = block;
        this.treated = treated;
        this.num = num;
        this.den = den;
        this.yFirst = yFirst;
        this.ySecond = ySecond;
        this.origin = origin;
        this.blockSeconds = blockSeconds;
        this.mixedBlocks = mixedBlocks;
        this.y = new double[n];
        double tn = 0;
        double td = 0;
        double ty = 0;
        for (int i = 0; i < n; i++) {
            y[i] = num[i] / den[i];
            tn += num[i];
            td += den[i];
            ty += y[i];
        }
        this.totalNum = tn;
        this.totalDen = td;
        this.totalY = ty;
    }

    /** Sum of the blocks' numerators. */
    public double totalNum() {
        return totalNum;
    }

    /** Sum of the blocks' denominators. */
    public double totalDen() {
        return totalDen;
    }

    /** Sum of the blocks' values. */
    public double totalY() {
        return totalY;
    }

    /** One stratum, whole-window values only (halves NaN): for tests and benchmarks. */
    public static BlockSeries of(long[] block, boolean[] treated, double[] y, long origin, long blockSeconds) {
        int n = block.length;
        double[] nan = new double[n];
        double[] ones = new double[n];
        java.util.Arrays.fill(nan, Double.NaN);
        java.util.Arrays.fill(ones, 1);
        return new BlockSeries(List.of(""), new int[n], block, treated, y.clone(), ones, nan, nan.clone(), origin,
                blockSeconds, 0);
    }

    /**
     * The series of a metric from the engine's per-block sums.
     *
     * @param sums        the engine's per-block sums of the metric's variable group
     * @param control     the control label
     * @param treatment   the treatment label
     * @param numerator   weights on the group's vector {@code [column sums..., rows]} for the numerator
     * @param denominator weights for the denominator
     */
    public static BlockSeries of(BlockSums sums, String control, String treatment, double[] numerator,
                                 double[] denominator, long origin, long blockSeconds) {
        Map<String, Integer> strata = new LinkedHashMap<>();
        List<Integer> idx = new ArrayList<>();
        int mixed = 0;
        for (int i = 0; i < sums.blocks().size(); i++) {
            BlockSums.Block b = sums.blocks().get(i);
            if (b.armCount() != 1 || !(b.arm().equals(control) || b.arm().equals(treatment))) {
                mixed += b.armCount() > 1 ? 1 : 0;
                continue;
            }
            if (!(dot(numerator, denominator, b.whole(), false) > 0)) {
                continue;
            }
            strata.putIfAbsent(b.by().orElse(""), strata.size());
            idx.add(i);
        }
        int n = idx.size();
        int[] stratum = new int[n];
        long[] block = new long[n];
        boolean[] treated = new boolean[n];
        double[] num = new double[n];
        double[] den = new double[n];
        double[] y1 = new double[n];
        double[] y2 = new double[n];
        // strata numbered in the engine's sorted order, which is by value then block
        for (int j = 0; j < n; j++) {
            BlockSums.Block b = sums.blocks().get(idx.get(j));
            stratum[j] = strata.get(b.by().orElse(""));
            block[j] = b.block();
            treated[j] = b.arm().equals(treatment);
            num[j] = dot(numerator, denominator, b.whole(), true);
            den[j] = dot(numerator, denominator, b.whole(), false);
            y1[j] = ratio(numerator, denominator, b.first());
            y2[j] = ratio(numerator, denominator, b.second());
        }
        return new BlockSeries(new ArrayList<>(strata.keySet()), stratum, block, treated, num, den, y1, y2, origin,
                blockSeconds, mixed);
    }

    private static double dot(double[] a, double[] b, BlockSums.Half h, boolean numerator) {
        double[] w = numerator ? a : b;
        double s = 0;
        for (int j = 0; j < h.sums().length; j++) {
            s += w[j] * h.sums()[j];
        }
        return s + w[h.sums().length] * h.rows();
    }

    private static double ratio(double[] a, double[] b, BlockSums.Half h) {
        double d = dot(a, b, h, false);
        return d > 0 ? dot(a, b, h, true) / d : Double.NaN;
    }

    /** Number of blocks. */
    public int size() {
        return block.length;
    }

    public List<String> strata() {
        return strata;
    }

    public int stratum(int i) {
        return stratum[i];
    }

    public long block(int i) {
        return block[i];
    }

    public boolean treated(int i) {
        return treated[i];
    }

    /** The observed arms (a copy). */
    public boolean[] arms() {
        return treated.clone();
    }

    public double num(int i) {
        return num[i];
    }

    public double den(int i) {
        return den[i];
    }

    /** The metric over block i's post-washout window. */
    public double y(int i) {
        return y[i];
    }

    public double yFirst(int i) {
        return yFirst[i];
    }

    public double ySecond(int i) {
        return ySecond[i];
    }

    /** Epoch second at which block i starts. */
    public long start(int i) {
        return origin + block[i] * blockSeconds;
    }

    public long origin() {
        return origin;
    }

    public long blockSeconds() {
        return blockSeconds;
    }

    /** Blocks left out because their rows carried both arms. */
    public int mixedBlocks() {
        return mixedBlocks;
    }

    /** Treated blocks. */
    public int treatedCount() {
        int k = 0;
        for (boolean t : treated) {
            k += t ? 1 : 0;
        }
        return k;
    }

    /**
     * The number of consecutive blocks ending at {@code i} (within its stratum, block numbers without gaps), including
     * {@code i}: the lags whose arms are known.
     */
    public int[] runOfKnown() {
        int[] run = new int[size()];
        for (int i = 0; i < run.length; i++) {
            run[i] = i > 0 && stratum[i] == stratum[i - 1] && block[i] == block[i - 1] + 1 ? run[i - 1] + 1 : 1;
        }
        return run;
    }

    /** Index ranges {@code [from, to)} of each stratum. */
    public int[][] strataRanges() {
        List<int[]> out = new ArrayList<>();
        int from = 0;
        for (int i = 1; i <= size(); i++) {
            if (i == size() || stratum[i] != stratum[i - 1]) {
                out.add(new int[] {from, i});
                from = i;
            }
        }
        return out.toArray(int[][]::new);
    }

    /** An optional first-half/second-half split exists for block i. */
    public Optional<double[]> halves(int i) {
        return Double.isFinite(yFirst[i]) && Double.isFinite(ySecond[i]) ? Optional.of(new double[] {yFirst[i], ySecond[i]})
                : Optional.empty();
    }
}

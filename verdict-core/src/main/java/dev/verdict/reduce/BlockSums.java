package dev.verdict.reduce;

import java.util.List;
import java.util.Optional;

/**
 * Per time block of a switchback, the sums one variable group needs, split into the two halves of the block's
 * post-washout window: what the block-level estimators, randomization inference, the Horvitz-Thompson estimator and
 * the carryover test of {@code dev.verdict.switchback} need, and never a row.
 *
 * <p>With block length {@code B}, washout {@code W} and {@code s = (sec - origin) mod B} a kept row's second within
 * its block ({@code s >= W}), the row is in the first half when {@code s < W + (B - W) / 2} (integer division) and
 * in the second half otherwise: a 60-minute block with a 10-minute washout has halves [10, 35) and [35, 60) minutes.
 * Only rows whose arm is one of the plan's declared labels, with every column of the group present, count.
 *
 * @param columns the group's columns, in the order of each half's {@code sums}
 * @param blocks  one per (by value, block) with at least one such row, sorted by by value then block
 */
public record BlockSums(List<String> columns, List<Block> blocks) {

    public BlockSums {
        columns = List.copyOf(columns);
        blocks = List.copyOf(blocks);
    }

    /**
     * One block.
     *
     * @param by       the value of the plan's {@code by} column (its own schedule), if any; {@link Reduction#NULL_LABEL}
     *                 for a missing value
     * @param block    the block number, {@code floor((sec - origin) / B)}
     * @param arm      the block's arm label: the smallest declared label seen in the block (text order)
     * @param armCount the number of distinct declared labels seen in the block (more than 1: the block is not pure)
     * @param first    rows and column sums of the first half
     * @param second   rows and column sums of the second half
     */
    public record Block(Optional<String> by, long block, String arm, int armCount, Half first, Half second) {
        /** The whole post-washout window. */
        public Half whole() {
            double[] s = new double[first.sums.length];
            for (int j = 0; j < s.length; j++) {
                s[j] = first.sums[j] + second.sums[j];
            }
            return new Half(first.rows + second.rows, s);
        }
    }

    /**
     * Rows and the sum of each column over them.
     *
     * @param rows rows with every column present
     * @param sums per column, the sum over those rows
     */
    public record Half(long rows, double[] sums) { }

    /** The second of a block at which its second half starts: {@code W + (B - W) / 2} (integer division). */
    public static long halfStart(UnitKey.TimeBlocks key) {
        return key.washoutSeconds() + (key.blockSeconds() - key.washoutSeconds()) / 2;
    }
}

package dev.verdict.reduce;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The key that groups a log's rows into units of randomization for a unit-level reduction: either a column of the
 * log (users, workspaces, clusters), or time blocks derived from the decision-time column (a switchback), optionally
 * crossed with a column (per-region schedules: the unit is (region, block)).
 *
 * <p>Time blocks are computed by integer arithmetic on the UTC epoch second, as {@link Panel} periods are:
 * {@code sec = floor(epoch_millis(time) / 1000)}, {@code block = floor((sec - origin) / blockSeconds)}. Rows
 * whose time is missing, lies before the origin, or falls in the first {@code washoutSeconds} of its block are
 * excluded from every reduction of the plan (cell moments, counters, quantiles) and counted apart
 * ({@link Exclusions}).
 */
public sealed interface UnitKey {

    /** The log columns (read as text) the key groups by, besides the derived block number. */
    List<String> columns();

    /** Short name of the unit for method names and the readout, e.g. {@code user_id} or {@code region_block}. */
    String name();

    /** A key on one column. */
    static UnitKey column(String column) {
        return new Column(column);
    }

    /** The unit is the value of a column. */
    record Column(String column) implements UnitKey {
        @Override
        public List<String> columns() {
            return List.of(column);
        }

        @Override
        public String name() {
            return column;
        }
    }

    /**
     * The unit is a time block (optionally per value of {@code by}).
     *
     * @param timeColumn     the decision-time column
     * @param origin         the first block's first second, seconds since 1970-01-01T00:00:00Z
     * @param blockSeconds   block length, > 0
     * @param washoutSeconds leading seconds of each block excluded, in [0, blockSeconds)
     * @param by             a column whose values each have their own schedule (e.g. region), if any
     */
    record TimeBlocks(String timeColumn, long origin, long blockSeconds, long washoutSeconds, Optional<String> by)
            implements UnitKey {
        public TimeBlocks {
            if (blockSeconds <= 0 || washoutSeconds < 0 || washoutSeconds >= blockSeconds) {
                throw new IllegalArgumentException("time blocks need 0 <= washout < block, got washout "
                        + washoutSeconds + " s, block " + blockSeconds + " s");
            }
        }

        public TimeBlocks(String timeColumn, Instant origin, long blockSeconds, long washoutSeconds, Optional<String> by) {
            this(timeColumn, origin.getEpochSecond(), blockSeconds, washoutSeconds, by);
        }

        @Override
        public List<String> columns() {
            return by.map(List::of).orElse(List.of());
        }

        @Override
        public String name() {
            return by.map(b -> b + "_block").orElse("block");
        }

        /** The block number of an epoch second at or after the origin (the engines' arithmetic, for tests). */
        public long block(long epochSecond) {
            return Math.floorDiv(epochSecond - origin, blockSeconds);
        }

        /** Whether a row at this epoch second enters the reductions: at or after the origin and past the washout. */
        public boolean kept(long epochSecond) {
            return epochSecond >= origin && Math.floorMod(epochSecond - origin, blockSeconds) >= washoutSeconds;
        }
    }

    /**
     * Rows a time-block key left out of every reduction, over all arm labels.
     *
     * @param missingTime rows with no decision time (or one that does not read as a time)
     * @param beforeOrigin rows before the first block
     * @param washout     rows in the washout of their block
     */
    record Exclusions(long missingTime, long beforeOrigin, long washout) {
        public static final Exclusions NONE = new Exclusions(0, 0, 0);

        public long total() {
            return missingTime + beforeOrigin + washout;
        }
    }
}

package dev.verdict.reduce;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Per (by value, time block, arm) of a time-block plan, the number of present values of one numeric column and their
 * exact quantile at probability {@code p}: what a unit x period panel of a quantile metric (p99 latency per cluster and
 * day) needs, and never a row.
 *
 * <p>The quantile is Hyndman and Fan's type 7 (R's default, DuckDB's {@code quantile_cont}, Spark's
 * {@code percentile}): with the cell's {@code n} values sorted, {@code x_(1) <= ... <= x_(n)}, the zero-based position
 * {@code h = (n - 1) p} and {@code d = h - floor(h)},
 * <pre>Q(p) = x_(floor(h)+1) (1 - d) + x_(ceil(h)+1) d,</pre>
 * in the floating-point form of {@link ExactQuantiles#type7}, which is DuckDB's: DuckDB answers with
 * {@code quantile_cont}, an engine that ranks values returns the two order statistics ({@link #lowerRank},
 * {@link #upperRank}) to a {@link Builder}, and the engines agree to the bit (Hyndman and Fan 1996, Am. Stat.
 * 50:361-365, doi:10.1080/00031305.1996.10473566).
 *
 * @param column      the column, as the plan named it
 * @param probability {@code p}, in [0, 1]
 * @param cells       one per (by value, block, arm) with at least one present value of a declared arm; sorted here by
 *                    by value, block, then arm
 */
public record CellQuantiles(String column, double probability, List<Cell> cells) {

    private static final Comparator<Cell> ORDER = Comparator.comparing((Cell c) -> c.by().orElse(""))
            .thenComparingLong(Cell::block).thenComparing(Cell::arm);

    public CellQuantiles {
        List<Cell> sorted = new ArrayList<>(cells);
        sorted.sort(ORDER);
        cells = List.copyOf(sorted);
    }

    /**
     * One cell and arm.
     *
     * @param by       the value of the key's {@code by} column, if it has one; {@link Reduction#NULL_LABEL} for a
     *                 missing value
     * @param block    the block (period) number, {@code floor((sec - origin) / B)}
     * @param arm      a declared arm label
     * @param rows     rows of that arm in the block with the column present
     * @param quantile the type-7 quantile of the column over them
     */
    public record Cell(Optional<String> by, long block, String arm, long rows, double quantile) { }

    /** The one-based rank of the lower order statistic: {@code floor((n - 1) p) + 1}. */
    public static long lowerRank(long n, double p) {
        return (long) Math.floor((n - 1) * p) + 1;
    }

    /** The one-based rank of the upper order statistic: {@code ceil((n - 1) p) + 1}. */
    public static long upperRank(long n, double p) {
        return (long) Math.ceil((n - 1) * p) + 1;
    }

    /** A builder that takes the order statistics an engine returns, for {@code column} at {@code probability}. */
    public static Builder builder(String column, double probability) {
        return new Builder(column, probability);
    }

    /**
     * Collects, per (by value, block, arm), the cell's row count and the values at the ranks {@link #lowerRank} and
     * {@link #upperRank}; other ranks are ignored, and a cell missing one of the two is an engine bug.
     */
    public static final class Builder {
        private final String column;
        private final double probability;
        private final Map<Key, Slot> cells = new HashMap<>();

        private record Key(Optional<String> by, long block, String arm) { }

        private static final class Slot {
            private final long rows;
            private double lower;
            private double upper;
            private boolean hasLower;
            private boolean hasUpper;

            private Slot(long rows) {
                this.rows = rows;
            }
        }

        private Builder(String column, double probability) {
            this.column = column;
            this.probability = probability;
        }

        /**
         * One row the engine returned.
         *
         * @param rows  the cell's number of present values
         * @param rank  the row's one-based rank by value within the cell
         * @param value the value at that rank
         */
        public Builder add(Optional<String> by, long block, String arm, long rows, long rank, double value) {
            Slot c = cells.computeIfAbsent(new Key(by, block, arm), x -> new Slot(rows));
            if (rank == lowerRank(rows, probability)) {
                c.lower = value;
                c.hasLower = true;
            }
            if (rank == upperRank(rows, probability)) {
                c.upper = value;
                c.hasUpper = true;
            }
            return this;
        }

        public CellQuantiles build() {
            List<Cell> out = new ArrayList<>(cells.size());
            for (Map.Entry<Key, Slot> e : cells.entrySet()) {
                Slot c = e.getValue();
                Key k = e.getKey();
                if (!c.hasLower || !c.hasUpper) {
                    throw new IllegalStateException("the engine returned no value at rank " + lowerRank(c.rows,
                            probability) + " or " + upperRank(c.rows, probability) + " of the " + c.rows + " values of "
                            + column + " in " + k);
                }
                out.add(new Cell(k.by, k.block, k.arm, c.rows, ExactQuantiles.type7(c.rows, probability,
                        r -> r == lowerRank(c.rows, probability) - 1 ? c.lower : c.upper)));
            }
            return new CellQuantiles(column, probability, out);
        }
    }
}

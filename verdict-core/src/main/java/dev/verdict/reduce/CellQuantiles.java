package dev.verdict.reduce;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Per (by value, time block, arm) of a time-block plan, the number of present values of one numeric column and their
 * exact quantile at probability {@code p}: what a unit x period panel of a quantile metric (p99 latency per cluster and
 * day) needs, and never a row.
 *
 * <p>The quantile is Hyndman and Fan's type 7 (R's default, DuckDB's {@code quantile_cont}, Spark's
 * {@code percentile}): with the cell's {@code n} values sorted, {@code x_(1) <= ... <= x_(n)}, the zero-based position
 * {@code h = (n - 1) p} and {@code f = h - floor(h)},
 * <pre>Q(p) = x_(floor(h)+1) + f (x_(ceil(h)+1) - x_(floor(h)+1)).</pre>
 * Engines return the two order statistics ({@link #lowerRank}, {@link #upperRank}) and {@link #interpolate} combines
 * them, so every engine gives the same bits (Hyndman and Fan 1996, Am. Stat. 50:361-365,
 * doi:10.1080/00031305.1996.10473566).
 *
 * @param column      the column, as the plan named it
 * @param probability {@code p}, in [0, 1]
 * @param cells       one per (by value, block, arm) with at least one present value of a declared arm, sorted by by
 *                    value, block, then arm
 */
public record CellQuantiles(String column, double probability, List<Cell> cells) {

    public CellQuantiles {
        cells = List.copyOf(cells);
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

    /** The zero-based position {@code (n - 1) p} of the quantile among {@code n} sorted values, in doubles. */
    public static double position(long n, double p) {
        return (double) (n - 1) * p;
    }

    /** The one-based rank of the lower order statistic: {@code floor((n - 1) p) + 1}. */
    public static long lowerRank(long n, double p) {
        return (long) Math.floor(position(n, p)) + 1;
    }

    /** The one-based rank of the upper order statistic: {@code ceil((n - 1) p) + 1}. */
    public static long upperRank(long n, double p) {
        return (long) Math.ceil(position(n, p)) + 1;
    }

    /**
     * The type-7 quantile from the two order statistics: {@code lower} when the position is whole, else
     * {@code lower + f (upper - lower)}. A zero comes out as {@code +0.0} whatever the sign the engine stored.
     */
    public static double interpolate(long n, double p, double lower, double upper) {
        double h = position(n, p);
        double f = h - Math.floor(h);
        return (f == 0 ? lower : lower + f * (upper - lower)) + 0.0;
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
        private final Map<Key, Slot> cells = new TreeMap<>(Comparator.comparing((Key x) -> x.by.orElse(""))
                .thenComparingLong(x -> x.block).thenComparing(x -> x.arm));

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
                out.add(new Cell(k.by, k.block, k.arm, c.rows, interpolate(c.rows, probability, c.lower, c.upper)));
            }
            return new CellQuantiles(column, probability, out);
        }
    }
}

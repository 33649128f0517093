package dev.verdict.reduce;

import dev.verdict.stats.Moments;

import java.util.List;

/**
 * A panel aggregated from a request log: one row per (unit, period) with the moments of the outcome columns over that
 * cell's requests, for designs that compare units over time (difference-in-differences, synthetic control,
 * switchback blocks). Rows where the unit, the time or any outcome is missing are left out and counted.
 *
 * @param outcomes the outcome columns, in the order of each row's moment vector
 * @param rows     the cells, sorted by unit then period
 * @param dropped  rows left out for a missing unit, time or outcome
 */
public record Panel(List<String> outcomes, List<Row> rows, long dropped) {

    public Panel {
        outcomes = List.copyOf(outcomes);
        rows = List.copyOf(rows);
    }

    /**
     * One cell of the panel.
     *
     * @param unit        the unit's value, as text
     * @param periodStart the period's first second, in seconds since 1970-01-01T00:00:00Z (periods are UTC)
     * @param moments     count, means and co-moments of the outcome vector over the cell's complete rows
     */
    public record Row(String unit, long periodStart, Moments moments) { }

    /** Lengths of period a panel can be aggregated to; weeks start on Monday (ISO 8601), all in UTC. */
    public enum Period {
        HOUR(3_600), DAY(86_400), WEEK(604_800);

        private final long seconds;

        Period(long seconds) {
            this.seconds = seconds;
        }

        /** The period's length in seconds. */
        public long seconds() {
            return seconds;
        }

        /**
         * The first second of the period holding {@code epochSecond}. Weeks: 1970-01-01 was a Thursday, so Mondays are
         * the epoch days congruent to 4 modulo 7.
         */
        public long start(long epochSecond) {
            if (this == WEEK) {
                long day = Math.floorDiv(epochSecond, 86_400L);
                return (day - Math.floorMod(day - 4, 7L)) * 86_400L;
            }
            return Math.floorDiv(epochSecond, seconds) * seconds;
        }
    }

    /**
     * What to aggregate.
     *
     * @param source     the log
     * @param unitColumn the panel's unit (cluster, region, tenant ...)
     * @param timeColumn the decision-time column
     * @param period     the period length
     * @param outcomes   numeric outcome columns, at least one
     */
    public record Request(LogSource source, String unitColumn, String timeColumn, Period period, List<String> outcomes) {
        public Request {
            outcomes = List.copyOf(outcomes);
            if (outcomes.isEmpty()) {
                throw new IllegalArgumentException("a panel needs at least one outcome column");
            }
        }
    }
}

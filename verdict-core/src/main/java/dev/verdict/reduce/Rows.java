package dev.verdict.reduce;

import java.util.List;

/**
 * Individual rows of a few columns, for the estimators that need observations rather than sums: regression
 * discontinuity (local fits and nearest-neighbour variances around the cutoff) and propensity-score weighting (a
 * logistic model refitted in every bootstrap replicate). Only rows where every requested column is present (and every
 * numeric one finite) are returned, sorted by the numeric columns then the text columns, so both engines return the
 * same rows in the same order and every estimate is reproducible.
 *
 * @param numeric the numeric columns, in the order of {@link #values}
 * @param text    the text columns, in the order of {@link #labels}
 * @param values  per numeric column, its values row by row
 * @param labels  per text column, its values row by row
 * @param dropped rows left out for a missing or non-finite value
 */
public record Rows(List<String> numeric, List<String> text, double[][] values, String[][] labels, long dropped) {

    public Rows {
        numeric = List.copyOf(numeric);
        text = List.copyOf(text);
    }

    /** Rows returned. */
    public int size() {
        return values.length > 0 ? values[0].length : labels.length > 0 ? labels[0].length : 0;
    }

    /** The values of a numeric column. */
    public double[] column(String name) {
        int i = numeric.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no numeric column " + name + " among " + numeric);
        }
        return values[i];
    }

    /** The values of a text column. */
    public String[] labels(String name) {
        int i = text.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no text column " + name + " among " + text);
        }
        return labels[i];
    }

    /**
     * What to read.
     *
     * @param source  the log
     * @param numeric columns read as numbers (at least one)
     * @param text    columns read as text
     * @param limit   the most rows the caller accepts; more is an input error naming the count (the design reads
     *                individual rows into memory)
     */
    public record Request(LogSource source, List<String> numeric, List<String> text, int limit) {
        public Request {
            numeric = List.copyOf(numeric);
            text = List.copyOf(text);
            if (numeric.isEmpty()) {
                throw new IllegalArgumentException("a rows request needs at least one numeric column");
            }
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be positive");
            }
        }
    }
}

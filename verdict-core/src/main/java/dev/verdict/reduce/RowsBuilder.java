package dev.verdict.reduce;

import java.util.List;

/** Turns the row-major lists an engine reads into the column-major {@link Rows}. */
public final class RowsBuilder {
    private RowsBuilder() {
    }

    /** {@code total} is every row of the source; the difference to the rows read is reported as dropped. */
    public static Rows of(Rows.Request r, List<double[]> numeric, List<String[]> text, long total) {
        int n = numeric.size();
        double[][] values = new double[r.numeric().size()][n];
        String[][] labels = new String[r.text().size()][n];
        for (int row = 0; row < n; row++) {
            double[] v = numeric.get(row);
            for (int c = 0; c < v.length; c++) {
                values[c][row] = v[c];
            }
            String[] t = text.get(row);
            for (int c = 0; c < t.length; c++) {
                labels[c][row] = t[c];
            }
        }
        return new Rows(r.numeric(), r.text(), values, labels, total - n);
    }
}

package dev.verdict.reduce;

import java.util.List;
import java.util.Optional;

/**
 * Numeric columns whose joint moments an estimator needs, reduced over the rows where all of them
 * (and the covariate, if any) are present.
 *
 * <p>The engine returns, per cell, {@link dev.verdict.stats.Moments} of the vector
 * {@code [v_1 .. v_k, count, covariate?]} over units of randomization, where for a request-level
 * reduction {@code v_j} is the row's value and {@code count} is the constant 1, and for a unit-level
 * reduction {@code v_j} is the sum of the column over the unit's complete rows, {@code count} is the
 * number of those rows and {@code covariate} is the mean of the covariate over them. One layout
 * serves both, so every ratio-of-means estimator is written once.
 *
 * @param name      a key for the group, unique within a plan
 * @param columns   the log's column names, at least one
 * @param covariate a pre-period covariate column for regression adjustment, if any
 */
public record VariableGroup(String name, List<String> columns, Optional<String> covariate) {

    public VariableGroup {
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("variable group " + name + " has no columns");
        }
    }

    /** Index of column {@code j}'s variable in the moment vector. */
    public int valueIndex(int j) {
        return j;
    }

    /** Index of the count variable in the moment vector. */
    public int countIndex() {
        return columns.size();
    }

    /** Index of the covariate in the moment vector; -1 when there is none. */
    public int covariateIndex() {
        return covariate.isPresent() ? columns.size() + 1 : -1;
    }

    /** Length of the moment vector. */
    public int dimension() {
        return columns.size() + 1 + (covariate.isPresent() ? 1 : 0);
    }

    /** Every column the group reads, covariate last. */
    public List<String> allColumns() {
        if (covariate.isEmpty()) {
            return columns;
        }
        var all = new java.util.ArrayList<>(columns);
        all.add(covariate.get());
        return List.copyOf(all);
    }
}

package dev.verdict.quasi.propensity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Named numeric covariate columns of equal length, the X of a propensity or outcome model (an intercept is
 * added by the models, never stored here).
 *
 * <p>Categorical expansion is the caller's job; {@link #indicators} provides the one piece every caller needs,
 * 0/1 dummies for a factor with an explicit level order and an optional reference level, named as R's
 * {@code model.matrix} names them ({@code prefix + level}, e.g. {@code racehispan}).
 *
 * <p>Immutable: columns are copied on the way in and out.
 */
public final class Covariates {
    private final List<String> names;
    private final double[][] columns;
    private final int rows;

    private Covariates(List<String> names, double[][] columns, int rows) {
        this.names = List.copyOf(names);
        this.columns = columns;
        this.rows = rows;
    }

    /**
     * Covariates from named columns.
     *
     * @param names   one distinct, non-blank name per column
     * @param columns {@code columns[j][i]} is covariate j of row i; every column has the same length and
     *                finite values
     * @throws IllegalArgumentException on a name/column count mismatch, a duplicate or blank name, ragged
     *                                  columns or a non-finite value
     */
    public static Covariates of(List<String> names, double[][] columns) {
        if (names.size() != columns.length) {
            throw new IllegalArgumentException("covariates: " + names.size() + " names for " + columns.length
                    + " columns; give one name per column");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String name : names) {
            if (name == null || name.isBlank() || !seen.add(name)) {
                throw new IllegalArgumentException("covariate name '" + name + "' is blank or repeated; give each "
                        + "column a distinct name");
            }
        }
        int rows = columns.length == 0 ? 0 : columns[0].length;
        double[][] copy = new double[columns.length][];
        for (int j = 0; j < columns.length; j++) {
            if (columns[j].length != rows) {
                throw new IllegalArgumentException("covariate '" + names.get(j) + "' has " + columns[j].length
                        + " rows but '" + names.get(0) + "' has " + rows + "; columns must have equal length");
            }
            Arguments.finite("covariate '" + names.get(j) + "'", columns[j], "drop or impute missing values first");
            copy[j] = columns[j].clone();
        }
        return new Covariates(names, copy, rows);
    }

    /** No covariates, for {@code rows} rows (an intercept-only model). */
    public static Covariates none(int rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be >= 0, got " + rows);
        }
        return new Covariates(List.of(), new double[0][], rows);
    }

    /**
     * 0/1 indicator columns of a categorical variable, one per level in {@code levels} order except the
     * {@code reference} level, named {@code prefix + level}. With {@code reference = null} every level gets a
     * column (for a balance table, which reports each level; in a model with an intercept that set is collinear).
     *
     * <p>Example: LaLonde's race with R's {@code factor(race, levels = c("black", "hispan", "white"))} is
     * {@code indicators("race", race, List.of("black", "hispan", "white"), "black")}, giving
     * {@code racehispan, racewhite}.
     *
     * @throws IllegalArgumentException if a value is not one of the levels, the levels repeat, or the reference
     *                                  is not a level
     */
    public static Covariates indicators(String prefix, String[] values, List<String> levels, String reference) {
        if (new LinkedHashSet<>(levels).size() != levels.size() || levels.isEmpty()) {
            throw new IllegalArgumentException("levels of '" + prefix + "' must be distinct and non-empty, got "
                    + levels);
        }
        if (reference != null && !levels.contains(reference)) {
            throw new IllegalArgumentException("reference level '" + reference + "' of '" + prefix
                    + "' is not one of its levels " + levels + "; pick one of them");
        }
        List<String> kept = new ArrayList<>();
        for (String level : levels) {
            if (!level.equals(reference)) {
                kept.add(level);
            }
        }
        double[][] cols = new double[kept.size()][values.length];
        for (int i = 0; i < values.length; i++) {
            int at = levels.indexOf(values[i]);
            if (at < 0) {
                throw new IllegalArgumentException("'" + prefix + "' at row " + i + " is '" + values[i]
                        + "', not one of the declared levels " + levels + "; declare every level");
            }
            int col = kept.indexOf(values[i]);
            if (col >= 0) {
                cols[col][i] = 1;
            }
        }
        List<String> names = new ArrayList<>();
        for (String level : kept) {
            names.add(prefix + level);
        }
        return new Covariates(names, cols, values.length);
    }

    /** These columns followed by {@code other}'s, which must have as many rows and different names. */
    public Covariates and(Covariates other) {
        if (other.rows != rows && !(names.isEmpty() || other.names.isEmpty())) {
            throw new IllegalArgumentException("cannot join covariates of " + rows + " and " + other.rows
                    + " rows; both must describe the same rows");
        }
        List<String> all = new ArrayList<>(names);
        all.addAll(other.names);
        double[][] cols = Arrays.copyOf(columns, columns.length + other.columns.length);
        System.arraycopy(other.columns, 0, cols, columns.length, other.columns.length);
        int r = names.isEmpty() ? other.rows : rows;
        return of(all, cols.length == 0 ? new double[0][] : cols).withRows(r);
    }

    private Covariates withRows(int r) {
        return r == rows ? this : new Covariates(names, columns, r);
    }

    /** The named columns, in the order given. */
    public Covariates select(List<String> wanted) {
        double[][] cols = new double[wanted.size()][];
        for (int j = 0; j < wanted.size(); j++) {
            cols[j] = columns[index(wanted.get(j))];
        }
        return new Covariates(wanted, cols, rows).copyChecked();
    }

    private Covariates copyChecked() {
        return of(names, columns).withRows(rows);
    }

    public List<String> names() {
        return names;
    }

    /** Number of covariates. */
    public int size() {
        return names.size();
    }

    public int rows() {
        return rows;
    }

    /** Covariate j, a copy. */
    public double[] column(int j) {
        return columns[j].clone();
    }

    /** Column by name. */
    public double[] column(String name) {
        return columns[index(name)].clone();
    }

    /** Internal, not copied: for the estimators of this package. */
    double[] columnView(int j) {
        return columns[j];
    }

    private int index(String name) {
        int j = names.indexOf(name);
        if (j < 0) {
            throw new IllegalArgumentException("no covariate named '" + name + "'; have " + names);
        }
        return j;
    }
}

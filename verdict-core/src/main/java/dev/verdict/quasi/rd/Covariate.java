package dev.verdict.quasi.rd;

/**
 * A named pre-determined covariate, one value per observation (NaN where missing), for the continuity check.
 *
 * @param name   column name, as the user wrote it
 * @param values one value per observation, aligned with the running variable
 */
public record Covariate(String name, double[] values) {
    public Covariate {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a covariate needs a name");
        }
        if (values == null) {
            throw new IllegalArgumentException("covariate " + name + " has no values; pass one per observation");
        }
        values = values.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }
}

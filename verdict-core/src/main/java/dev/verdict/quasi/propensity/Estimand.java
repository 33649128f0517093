package dev.verdict.quasi.propensity;

/** The causal quantity a weighting analysis targets. */
public enum Estimand {
    /** Average treatment effect over all rows: weights 1/e (treated) and 1/(1-e) (control). */
    ATE,
    /** Average treatment effect on the treated: weights 1 (treated) and e/(1-e) (control). */
    ATT;

    /** The wire name, lower case. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

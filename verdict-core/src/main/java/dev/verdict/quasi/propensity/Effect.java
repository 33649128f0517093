package dev.verdict.quasi.propensity;

/** The weighting estimators reported by {@link PropensityWeighting}; formulas in {@link WeightingEstimators}. */
public enum Effect {
    /** ATE with normalised (Hajek) inverse-probability weights. */
    ATE_HAJEK(Estimand.ATE, "ipw_hajek"),
    /** ATT with normalised weights e/(1-e) on the controls. */
    ATT_HAJEK(Estimand.ATT, "ipw_hajek"),
    /** ATE with unnormalised (Horvitz-Thompson) weights, for comparison: it is not invariant to shifting y. */
    ATE_HORVITZ_THOMPSON(Estimand.ATE, "ipw_horvitz_thompson"),
    /** Doubly robust ATE: normalised IPW plus a linear outcome model per arm. */
    ATE_AUGMENTED(Estimand.ATE, "aipw"),
    /** Doubly robust ATT: normalised IPW plus a linear outcome model for the controls. */
    ATT_AUGMENTED(Estimand.ATT, "aipw");

    private final Estimand estimand;
    private final String method;

    Effect(Estimand estimand, String method) {
        this.estimand = estimand;
        this.method = method;
    }

    public Estimand estimand() {
        return estimand;
    }

    /** Method name without the estimand, e.g. "ipw_hajek". */
    public String method() {
        return method;
    }

    /** e.g. "ate_ipw_hajek". */
    public String wireName() {
        return estimand.wireName() + "_" + method;
    }

    int index() {
        switch (this) {
            case ATE_HAJEK:
                return WeightingEstimators.ATE_HAJEK;
            case ATT_HAJEK:
                return WeightingEstimators.ATT_HAJEK;
            case ATE_HORVITZ_THOMPSON:
                return WeightingEstimators.ATE_HT;
            case ATE_AUGMENTED:
                return WeightingEstimators.ATE_AUGMENTED;
            default:
                return WeightingEstimators.ATT_AUGMENTED;
        }
    }
}

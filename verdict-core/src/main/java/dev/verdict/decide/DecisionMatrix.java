package dev.verdict.decide;

/** The default contingency for each recommendation, from the decision matrix of FRAMEWORK.md section 8. */
public final class DecisionMatrix {
    private DecisionMatrix() {
    }

    /** The matrix's contingency sentence for a recommendation. */
    public static String contingency(Recommendation recommendation) {
        return switch (recommendation) {
            case SHIP -> "Watch guardrails for about 2 weeks; roll back if rollback triggers fire.";
            case RAMP -> "Widen into peak load gradually; pause if congested behaviour diverges.";
            case TARGET -> "Deploy to the winning segment; keep a holdout on the excluded one.";
            case HOLDOUT -> "Keep the smallest durable holdout that answers the long-run question.";
            case PAUSE -> "Collect more data, or improve instrumentation or the design, before deciding.";
            case ROLL_BACK -> "Act now: roll back, then investigate.";
            case INSTRUMENT_MORE -> "Fix logging, add decision-time state fields, and rerun.";
        };
    }
}

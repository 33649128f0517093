package dev.verdict.decide;

import java.util.List;

/**
 * Rule 2: the decision metric moved significantly in the harmful direction (its two-sided
 * {@code 1 - alpha} interval excludes 0 on the harmful side): roll back.
 */
public final class HarmfulSuccessRule implements DecisionRule {
    public static final String NAME = "harmful_success";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RuleOutcome evaluate(DecisionInput input) {
        OrientedEffect e = input.oriented();
        String label = input.spec().success().label();
        if (e.finite() && e.significantlyHarmful()) {
            return RuleOutcome.fires(Verdict.of(Recommendation.ROLL_BACK, "harmful",
                    "The decision metric " + label + " got significantly worse: gain " + e.text()
                            + " (oriented so that positive is good) lies entirely below 0.",
                    List.of("an interval for " + label + " that no longer excludes harm, e.g. on a rerun after a fix")));
        }
        return RuleOutcome.passes(label + " not significantly harmful: gain " + e.text());
    }
}

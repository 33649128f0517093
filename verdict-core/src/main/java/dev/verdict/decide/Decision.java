package dev.verdict.decide;

import java.util.List;

/**
 * The readout's decision: one recommendation, the rule that produced it, and the trail of every rule
 * evaluated on the way.
 *
 * @param recommendation  ship, ramp, target, holdout, pause, roll back or instrument more
 * @param rule            machine name of the rule and branch that fired, e.g. {@code mixed.lever_absent}
 * @param reason          one or two sentences with the numbers
 * @param trail           every rule evaluated, in order, with what it found
 * @param contingency     the spec's contingency if declared, else the decision matrix's for this recommendation
 * @param whatWouldChange concrete statements of the evidence that would change the recommendation
 */
public record Decision(Recommendation recommendation, String rule, String reason, List<RuleStep> trail,
                       String contingency, List<String> whatWouldChange) {
    public Decision {
        trail = List.copyOf(trail);
        whatWouldChange = List.copyOf(whatWouldChange);
    }
}

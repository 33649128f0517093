package dev.verdict.decide;

import java.util.Optional;

/**
 * The result of evaluating one rule: what it found, and its verdict if it fired.
 *
 * @param finding what the rule found, for the decision trail
 * @param verdict present when the rule fired
 */
public record RuleOutcome(String finding, Optional<Verdict> verdict) {

    /** The rule fired. */
    public static RuleOutcome fires(Verdict verdict) {
        return new RuleOutcome("fired: " + verdict.recommendation().wireName() + " (" + verdict.branch() + "): "
                + verdict.reason(), Optional.of(verdict));
    }

    /** The rule did not fire. */
    public static RuleOutcome passes(String finding) {
        return new RuleOutcome(finding, Optional.empty());
    }

    public boolean fired() {
        return verdict.isPresent();
    }
}

package dev.verdict.decide;

/** One rule of FRAMEWORK.md section 8, evaluated in the engine's fixed order; the first that fires decides. */
public interface DecisionRule {
    /** Machine name, e.g. {@code stop_gates}. */
    String name();

    /** Evaluates the rule on the input. */
    RuleOutcome evaluate(DecisionInput input);
}

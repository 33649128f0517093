package dev.verdict.decide;

/**
 * One rule of the decision engine as evaluated: its name and what it found.
 *
 * @param rule    the rule's machine name, e.g. {@code stop_gates}
 * @param outcome what the rule found, with numbers, whether or not it fired
 */
public record RuleStep(String rule, String outcome) { }

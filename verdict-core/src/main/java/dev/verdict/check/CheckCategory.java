package dev.verdict.check;

import java.util.Locale;

/**
 * Where a check sits in FRAMEWORK.md section 7, which fixes how the decision engine treats it.
 */
public enum CheckCategory {
    /** Logging and data completeness: missing outcomes, unknown arms, absent fields. Failure: instrument more. */
    DATA_QUALITY,
    /** Sample ratio, units in both arms, exposure before start. Broken: the comparison is invalid. */
    ASSIGNMENT_INTEGRITY,
    /** Assumptions of the design (e.g. a request RCT for a shared-state change). Violated: no causal claim. */
    IDENTIFICATION,
    /** Intended vs executed action, fallbacks, timeouts. Diverged: do not attribute the outcome to the policy. */
    EXECUTION_FIDELITY,
    /** Were congested and failure-prone states observed in both arms? */
    BOUNDARY_COVERAGE,
    /** Non-inferiority of each guardrail metric. */
    GUARDRAIL,
    /** Untreated traffic harmed by treated traffic. */
    SPILLOVER,
    /** Value net of cost in one currency. */
    ECONOMIC,
    /** Absolute trigger levels of the treatment arm. */
    ROLLBACK_TRIGGER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

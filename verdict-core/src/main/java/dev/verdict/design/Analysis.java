package dev.verdict.design;

import dev.verdict.check.CheckResult;
import dev.verdict.readout.Effect;
import dev.verdict.readout.SegmentEffects;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a design's analysis produced from the sufficient statistics: every effect with the inference the design
 * calls for, the segment analysis, every check, and notes on the methods actually used.
 *
 * @param design   the design's wire name, e.g. {@code user_rct}
 * @param unit     the unit of randomization and of the variance, e.g. {@code user_id}
 * @param effects  the decision metric first, then the guardrails in spec order, then unit economics
 * @param segments per declared segment column, the decision metric's effects within each value
 * @param checks   every identification, fidelity, coverage, guardrail, economic and rollback check, in readout order
 * @param notes    method notes for the readout (which variance, which quantile method, what was excluded and why)
 * @param ideal    the ideal experiment for this decision and how far this design is from it
 * @param details  the design's own numbers beyond effects and checks, for the readout and its charts (a quasi-
 *                 experimental design's bandwidths, weights, event-study coefficients, plot data); insertion-ordered
 *                 maps, lists, numbers, text and booleans only; empty when the design has none
 */
public record Analysis(String design, String unit, List<Effect> effects, List<SegmentEffects> segments,
                       List<CheckResult> checks, List<String> notes, IdealExperiment ideal, Map<String, Object> details) {

    public Analysis {
        effects = List.copyOf(effects);
        segments = List.copyOf(segments);
        checks = List.copyOf(checks);
        notes = List.copyOf(notes);
        details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }

    /** An analysis without design details (the randomized designs). */
    public Analysis(String design, String unit, List<Effect> effects, List<SegmentEffects> segments,
                    List<CheckResult> checks, List<String> notes, IdealExperiment ideal) {
        this(design, unit, effects, segments, checks, notes, ideal, Map.of());
    }

    /** The decision metric's overall effect. */
    public Effect success() {
        return effects.stream().filter(e -> e.role().equals(Effect.ROLE_SUCCESS) && e.segment().isEmpty()).findFirst()
                .orElseThrow();
    }

    /** The overall effect on a metric label with a role, if estimated. */
    public Optional<Effect> effect(String role, String label) {
        return effects.stream().filter(e -> e.role().equals(role) && e.metric().equals(label) && e.segment().isEmpty())
                .findFirst();
    }

    /**
     * The ideal experiment (FRAMEWORK.md section 1): every request randomly routed, no interference, full
     * observability; and the ways the chosen design falls short of it.
     *
     * @param description the ideal experiment for this decision, in one sentence
     * @param gaps        each shortfall of the chosen design, one sentence each; empty when there is none
     */
    public record IdealExperiment(String description, List<String> gaps) {
        public IdealExperiment {
            gaps = List.copyOf(gaps);
        }
    }
}

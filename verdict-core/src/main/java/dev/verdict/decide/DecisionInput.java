package dev.verdict.decide;

import dev.verdict.check.CheckCategory;
import dev.verdict.check.CheckResult;
import dev.verdict.check.CheckStatus;
import dev.verdict.readout.Effect;
import dev.verdict.readout.SegmentEffects;
import dev.verdict.spec.ExperimentSpec;

import java.util.List;
import java.util.Objects;

/**
 * Everything the decision engine reads: the declared spec, every check's result, the success metric's
 * effect and the per-segment success effects.
 *
 * @param spec     the declared experiment
 * @param checks   all check results
 * @param success  the decision metric's effect (treatment minus control)
 * @param segments per declared segment column, the success effects by value
 */
public record DecisionInput(ExperimentSpec spec, List<CheckResult> checks, Effect success,
                            List<SegmentEffects> segments) {
    public DecisionInput {
        Objects.requireNonNull(spec);
        Objects.requireNonNull(success);
        checks = List.copyOf(checks);
        segments = List.copyOf(segments);
    }

    /** Checks of one category, in input order. */
    public List<CheckResult> checks(CheckCategory category) {
        return checks.stream().filter(c -> c.category() == category).toList();
    }

    /** Checks with a given status, in input order. */
    public List<CheckResult> withStatus(CheckStatus status) {
        return checks.stream().filter(c -> c.status() == status).toList();
    }

    /** The success effect oriented so that positive is good. */
    OrientedEffect oriented() {
        return OrientedEffect.of(success, spec.success());
    }
}

package dev.verdict.decide;

import dev.verdict.check.CheckCategory;
import dev.verdict.check.CheckResult;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Rule 1, the stop gates: any failed check stops the launch (FRAMEWORK.md section 8).
 *
 * <p>The failed check's category sets the recommendation:
 * <ul>
 *   <li>data quality or assignment integrity: {@link Recommendation#INSTRUMENT_MORE} (broken logging or
 *       assignment; fix and rerun);</li>
 *   <li>rollback trigger, guardrail, or economic (negative unified metric): {@link Recommendation#ROLL_BACK};</li>
 *   <li>identification, execution fidelity, boundary coverage or spillover: {@link Recommendation#PAUSE}
 *       (downgrade, stronger design, fix the execution path, or cover the boundary states).</li>
 * </ul>
 * With several failures, instrument more wins (broken data means no other result is trustworthy), then
 * roll back, then pause. This rule can never yield ship or ramp.
 */
public final class StopGateRule implements DecisionRule {
    public static final String NAME = "stop_gates";

    @Override
    public String name() {
        return NAME;
    }

    /** The recommendation a failed check of this category leads to. */
    public static Recommendation consequence(CheckCategory category) {
        return switch (category) {
            case DATA_QUALITY, ASSIGNMENT_INTEGRITY -> Recommendation.INSTRUMENT_MORE;
            case ROLLBACK_TRIGGER, GUARDRAIL, ECONOMIC -> Recommendation.ROLL_BACK;
            case IDENTIFICATION, EXECUTION_FIDELITY, BOUNDARY_COVERAGE, SPILLOVER -> Recommendation.PAUSE;
        };
    }

    @Override
    public RuleOutcome evaluate(DecisionInput input) {
        List<CheckResult> failed = input.checks().stream().filter(CheckResult::failed).toList();
        if (failed.isEmpty()) {
            return RuleOutcome.passes("no check failed (" + input.checks().size() + " checks)");
        }
        for (Recommendation r : List.of(Recommendation.INSTRUMENT_MORE, Recommendation.ROLL_BACK, Recommendation.PAUSE)) {
            List<CheckResult> gate = failed.stream().filter(c -> consequence(c.category()) == r).toList();
            if (gate.isEmpty()) {
                continue;
            }
            String names = gate.stream().map(CheckResult::name).collect(Collectors.joining(", "));
            String others = failed.stream().filter(c -> !gate.contains(c)).map(CheckResult::name)
                    .collect(Collectors.joining(", "));
            String reason = "Failed " + names + ": " + gate.get(0).summary()
                    + (others.isEmpty() ? "" : " Also failed: " + others + ".");
            List<String> change = new ArrayList<>();
            for (CheckResult c : failed) {
                change.add(c.name() + " passing on a rerun (" + switch (consequence(c.category())) {
                    case INSTRUMENT_MORE -> "after fixing logging or assignment";
                    case ROLL_BACK -> "after fixing the treatment";
                    default -> "with a stronger design, a fixed execution path or coverage of the boundary states";
                } + ")");
            }
            change.add("only then are the effect sizes read: no effect is credible while a stop gate is failed");
            return RuleOutcome.fires(Verdict.of(r, r.wireName(), reason, change));
        }
        throw new IllegalStateException("unreachable: every category maps to a stop-gate recommendation");
    }
}

package dev.verdict.check;

import dev.verdict.spec.ExperimentSpec.Design;
import dev.verdict.spec.ExperimentSpec.SharedState;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The design-fit check: does the randomized unit contain the interference a shared-state change causes?
 *
 * <p>A change that moves shared state (caches, batching, routing, capacity, rate limits, queues) lets a
 * treated request change the outcome of an untreated one (FRAMEWORK.md sections 0 and 2):
 * <ul>
 *   <li>request RCT with shared state: WARN; control requests share queues and caches with treated ones,
 *       so the comparison understates (or reverses) the effect of an all-on rollout; a cluster RCT or a
 *       switchback contains the interference;</li>
 *   <li>user/workspace RCT with shared state: WARN; spillover across users through shared queues and
 *       caches remains (cluster RCT or switchback for system-level evidence);</li>
 *   <li>no shared state declared, or a cluster RCT / switchback (the unit contains it), or a
 *       quasi-experimental design (judged by its own identification checks): PASS.</li>
 * </ul>
 */
public final class SharedStateCheck {
    /** Check name in the readout. */
    public static final String NAME = "design_fit";

    private SharedStateCheck() {
    }

    /**
     * The check.
     *
     * @param design      the declared design
     * @param sharedState the shared state the change touches, empty when state-neutral
     */
    public static CheckResult of(Design design, List<SharedState> sharedState) {
        String state = sharedState.stream().map(s -> s.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
        String designName = design.name().toLowerCase(Locale.ROOT);
        CheckResult.Evidence ev = CheckResult.evidenceBuilder().put("design", designName)
                .put("shared_state", sharedState.stream().map(s -> s.name().toLowerCase(Locale.ROOT)).toList());
        if (sharedState.isEmpty()) {
            return new CheckResult(NAME, CheckCategory.IDENTIFICATION, CheckStatus.PASS,
                    "Design fits: the change is declared state-neutral, so " + designName + " units do not interfere.",
                    ev.map());
        }
        return switch (design) {
            case REQUEST_RCT -> new CheckResult(NAME, CheckCategory.IDENTIFICATION, CheckStatus.WARN,
                    "Request RCT for a change touching shared state (" + state + "): treated and control requests share it,"
                            + " so interference biases the comparison; use a cluster RCT or a switchback.", ev.map());
            case USER_RCT -> new CheckResult(NAME, CheckCategory.IDENTIFICATION, CheckStatus.WARN,
                    "User RCT for a change touching shared state (" + state + "): spillover across users through shared"
                            + " queues and caches remains; confirm with a cluster RCT or a switchback.", ev.map());
            case CLUSTER_RCT, SWITCHBACK -> new CheckResult(NAME, CheckCategory.IDENTIFICATION, CheckStatus.PASS,
                    "Design fits: a " + designName + " contains the interference of the shared state (" + state + ").",
                    ev.map());
            default -> new CheckResult(NAME, CheckCategory.IDENTIFICATION, CheckStatus.PASS,
                    "Design fit for shared state (" + state + ") is judged by the " + designName
                            + " design's own identification checks.", ev.map());
        };
    }
}

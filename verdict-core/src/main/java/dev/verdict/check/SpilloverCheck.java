package dev.verdict.check;

import dev.verdict.spec.ExperimentSpec.Design;
import dev.verdict.spec.ExperimentSpec.SharedState;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The system-spillover guardrail of FRAMEWORK.md section 7: can the readout rule out that the change moved the
 * untreated traffic through shared state?
 * <ul>
 *   <li>no shared state declared: PASS (no spillover path);</li>
 *   <li>request RCT of a shared-state change: FAIL, a stop gate (pause). Treated and untreated requests meet in
 *       the same caches, queues and batches, so the untreated arm absorbs part of the effect and the request-level
 *       contrast cannot measure it; the simulator's cache scenario shows the contrast diluted to about zero while
 *       the true effect is large (docs/simulator.md). Evidence must come from a design whose unit holds the
 *       state: a cluster RCT, a switchback, or a saturation design with pure-control clusters;</li>
 *   <li>user/workspace RCT of a shared-state change: WARN (users share the state, so a user-level lift may be
 *       overstated or even reversed; confirm at the cluster or time-block level);</li>
 *   <li>cluster RCT or switchback: PASS (the randomized unit contains the shared state);</li>
 *   <li>quasi-experimental designs: NOT_EVALUATED (their identification checks judge comparability).</li>
 * </ul>
 * A saturation design measures the spillover instead: {@link SaturationChecks#spillover} replaces this check there.
 */
public final class SpilloverCheck {
    /** Check name in the readout. */
    public static final String NAME = "spillover";

    private SpilloverCheck() {
    }

    /** The check for a design and the shared state the spec declares. */
    public static CheckResult of(Design design, List<SharedState> sharedState) {
        String state = sharedState.stream().map(s -> s.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
        CheckResult.Evidence ev = CheckResult.evidenceBuilder().put("design", design.name().toLowerCase(Locale.ROOT))
                .put("shared_state", sharedState.stream().map(s -> s.name().toLowerCase(Locale.ROOT)).toList());
        if (sharedState.isEmpty()) {
            return new CheckResult(NAME, CheckCategory.SPILLOVER, CheckStatus.PASS,
                    "No spillover path: the change is declared state-neutral.", ev.map());
        }
        return switch (design) {
            case REQUEST_RCT -> new CheckResult(NAME, CheckCategory.SPILLOVER, CheckStatus.FAIL,
                    "Spillover unmeasured: in a request RCT of a change to shared state (" + state + "), treated and "
                            + "untreated requests share that state, so the untreated arm absorbs part of the effect "
                            + "and the contrast cannot show what shipping does; measure it with a cluster RCT, a "
                            + "switchback or a saturation design with pure-control clusters.", ev.map());
            case USER_RCT -> new CheckResult(NAME, CheckCategory.SPILLOVER, CheckStatus.WARN,
                    "Spillover not ruled out: users of both arms share " + state + ", so the user-level lift may be "
                            + "overstated or reversed; confirm at the cluster or time-block level.", ev.map());
            case CLUSTER_RCT, SWITCHBACK -> new CheckResult(NAME, CheckCategory.SPILLOVER, CheckStatus.PASS,
                    "Spillover contained: the randomized unit holds the shared state (" + state + "), so both arms "
                            + "run it as they would after launch.", ev.map());
            default -> new CheckResult(NAME, CheckCategory.SPILLOVER, CheckStatus.NOT_EVALUATED,
                    "Spillover is judged by the design's own identification checks.", ev.map());
        };
    }
}

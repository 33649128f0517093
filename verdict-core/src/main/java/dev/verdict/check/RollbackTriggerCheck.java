package dev.verdict.check;

import dev.verdict.spec.Rollback;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The rollback-trigger check: is any absolute level of the treatment arm above the trigger the spec
 * declares for it (error rate, p99 latency, cost per successful request, fallback rate)?
 *
 * <p>Triggers fire on the treatment arm's level itself, not on the effect: they catch a policy that is
 * unacceptable however it compares with control. A level equal to its trigger does not fire.
 * Statuses: FAIL when any declared trigger fires (each named); NOT_EVALUATED when no trigger is
 * declared, or when a declared trigger's level is unavailable (absent or not finite) and none fired,
 * naming the missing level; PASS when every declared trigger was evaluated and none fired.
 */
public final class RollbackTriggerCheck {
    /** Check name in the readout. */
    public static final String NAME = "rollback_triggers";

    private RollbackTriggerCheck() {
    }

    /**
     * The treatment arm's levels; each empty when it could not be measured.
     *
     * @param errorRate      share of requests that errored
     * @param p99LatencyMs   99th percentile of latency in ms
     * @param costPerSuccess cost per successful request
     * @param fallbackRate   share of requests that fell back
     */
    public record TreatmentLevels(OptionalDouble errorRate, OptionalDouble p99LatencyMs, OptionalDouble costPerSuccess,
                                  OptionalDouble fallbackRate) { }

    /**
     * The check.
     *
     * @param rollback the declared triggers
     * @param levels   the treatment arm's levels
     */
    public static CheckResult of(Rollback rollback, TreatmentLevels levels) {
        List<Trigger> triggers = List.of(
                new Trigger("error_rate", rollback.errorRateAbove(), levels.errorRate()),
                new Trigger("p99_latency_ms", rollback.p99LatencyMsAbove(), levels.p99LatencyMs()),
                new Trigger("cost_per_success", rollback.costPerSuccessAbove(), levels.costPerSuccess()),
                new Trigger("fallback_rate", rollback.fallbackRateAbove(), levels.fallbackRate()));
        CheckResult.Evidence ev = CheckResult.evidenceBuilder();
        List<String> fired = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> held = new ArrayList<>();
        for (Trigger t : triggers) {
            if (t.above.isEmpty()) {
                continue;
            }
            double limit = t.above.getAsDouble();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("above", limit);
            if (t.level.isEmpty() || !Double.isFinite(t.level.getAsDouble())) {
                m.put("status", "unavailable");
                missing.add(t.name + " (trigger " + CheckText.num(limit) + ", level not measured)");
            } else {
                double level = t.level.getAsDouble();
                m.put("level", level);
                String text = t.name + " " + CheckText.num(level) + (level > limit ? " > " : " <= ") + CheckText.num(limit);
                if (level > limit) {
                    m.put("status", "fired");
                    fired.add(text);
                } else {
                    m.put("status", "held");
                    held.add(text);
                }
            }
            ev.put(t.name, m);
        }
        if (!fired.isEmpty()) {
            return new CheckResult(NAME, CheckCategory.ROLLBACK_TRIGGER, CheckStatus.FAIL,
                    "Rollback trigger fired in treatment: " + String.join("; ", fired)
                            + (missing.isEmpty() ? "" : "; unavailable: " + String.join(", ", missing)) + ".", ev.map());
        }
        if (fired.isEmpty() && missing.isEmpty() && held.isEmpty()) {
            return new CheckResult(NAME, CheckCategory.ROLLBACK_TRIGGER, CheckStatus.NOT_EVALUATED,
                    "Rollback triggers not evaluated: none declared in the spec.", ev.map());
        }
        if (!missing.isEmpty()) {
            return new CheckResult(NAME, CheckCategory.ROLLBACK_TRIGGER, CheckStatus.NOT_EVALUATED,
                    "Rollback triggers not fully evaluated: unavailable " + String.join(", ", missing)
                            + (held.isEmpty() ? "" : "; held: " + String.join("; ", held)) + ".", ev.map());
        }
        return new CheckResult(NAME, CheckCategory.ROLLBACK_TRIGGER, CheckStatus.PASS,
                "No rollback trigger fired: " + String.join("; ", held) + ".", ev.map());
    }

    private record Trigger(String name, OptionalDouble above, OptionalDouble level) { }
}

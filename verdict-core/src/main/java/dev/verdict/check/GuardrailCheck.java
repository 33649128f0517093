package dev.verdict.check;

import dev.verdict.readout.Effect;
import dev.verdict.spec.Guardrail;

import java.util.Optional;

/**
 * The non-inferiority check of one guardrail metric: is its harm (the change opposite to the metric's
 * good direction) shown to stay below the declared {@code max_harm}?
 *
 * <p>With {@code s = -1} for a metric where an increase is good and {@code s = +1} where a decrease is
 * good, the harm is {@code h = s * (treatment - control)} and its interval {@code [hL, hU]} is the
 * effect's two-sided {@code 1 - alpha} interval mapped through {@code s}. The margin is
 * {@code M = max_harm}, absolute or relative to the effect's control value. Then:
 * <ul>
 *   <li>PASS when {@code hU < M}: non-inferiority shown. The upper end of a two-sided {@code 1 - alpha}
 *       interval is a one-sided {@code 1 - alpha/2} bound, so this is a one-sided test at level
 *       {@code alpha/2} (0.025 for the usual alpha = 0.05);</li>
 *   <li>FAIL when the harm is significant ({@code hL > 0}) and its estimate exceeds the margin
 *       ({@code h > M}); this includes the whole interval lying beyond the margin ({@code hL > M});</li>
 *   <li>WARN otherwise: inconclusive (the interval straddles the margin);</li>
 *   <li>NOT_EVALUATED when the effect is absent or any of its estimate, interval or (for a relative
 *       margin) control value is not finite.</li>
 * </ul>
 */
public final class GuardrailCheck {
    /** Prefix of the check name; the metric label follows, e.g. {@code guardrail:p99(latency_ms)}. */
    public static final String NAME_PREFIX = "guardrail:";

    private GuardrailCheck() {
    }

    /**
     * The check.
     *
     * @param guardrail the declared guardrail
     * @param effect    the guardrail metric's effect (treatment minus control), if it could be estimated
     * @param alpha     the level of the effect's two-sided interval, in (0, 1)
     */
    public static CheckResult of(Guardrail guardrail, Optional<Effect> effect, double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("guardrail alpha must be in (0, 1), got " + alpha);
        }
        String label = guardrail.metric().label();
        String name = NAME_PREFIX + label;
        int harmSign = -guardrail.metric().direction().sign();
        CheckResult.Evidence ev = CheckResult.evidenceBuilder().put("metric", label)
                .put("harm_direction", harmSign > 0 ? "increase" : "decrease")
                .put("max_harm", guardrail.maxHarm().toString())
                .put("alpha", alpha)
                .put("one_sided_level", alpha / 2);
        if (effect.isEmpty()) {
            return new CheckResult(name, CheckCategory.GUARDRAIL, CheckStatus.NOT_EVALUATED,
                    "Guardrail " + label + " not evaluated: its effect could not be estimated.", ev.map());
        }
        Effect e = effect.get();
        double margin = guardrail.maxHarm().absolute(e.control());
        double h = harmSign * e.estimate();
        double hLow = harmSign > 0 ? e.ciLow() : -e.ciHigh();
        double hHigh = harmSign > 0 ? e.ciHigh() : -e.ciLow();
        ev.put("control", e.control()).put("treatment", e.treatment()).put("max_harm_absolute", margin)
                .put("harm", h).put("harm_ci_low", hLow).put("harm_ci_high", hHigh).put("p_value", e.pValue())
                .put("method", e.method());
        if (!(Double.isFinite(margin) && Double.isFinite(h) && Double.isFinite(hLow) && Double.isFinite(hHigh))) {
            return new CheckResult(name, CheckCategory.GUARDRAIL, CheckStatus.NOT_EVALUATED,
                    "Guardrail " + label + " not evaluated: its estimate or interval is not finite.", ev.map());
        }
        String numbers = "harm " + CheckText.num(h) + " [" + CheckText.num(hLow) + ", " + CheckText.num(hHigh)
                + "] vs max_harm " + CheckText.num(margin) + " (" + guardrail.maxHarm() + ")";
        if (hHigh < margin) {
            return new CheckResult(name, CheckCategory.GUARDRAIL, CheckStatus.PASS,
                    "Guardrail " + label + " non-inferior: " + numbers + ", upper bound below the margin (one-sided level "
                            + CheckText.num(alpha / 2) + ").", ev.map());
        }
        if (hLow > 0 && h > margin) {
            return new CheckResult(name, CheckCategory.GUARDRAIL, CheckStatus.FAIL,
                    "Guardrail " + label + " violated: " + numbers + ", harm significant and beyond the margin.", ev.map());
        }
        return new CheckResult(name, CheckCategory.GUARDRAIL, CheckStatus.WARN,
                "Guardrail " + label + " inconclusive: " + numbers + ", interval reaches past the margin.", ev.map());
    }
}

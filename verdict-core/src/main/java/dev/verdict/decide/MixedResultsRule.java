package dev.verdict.decide;

import java.util.List;

/**
 * Rule 5, the mixed-results path: reached when no stop gate failed, the decision metric is not
 * significantly harmful, targeting does not apply and the proceed criteria do not all hold. It always
 * fires, in this order:
 * <ol>
 *   <li>success effect not finite: {@link Recommendation#PAUSE} ({@code not_estimable});</li>
 *   <li>significant but the estimate is below min_effect: {@link Recommendation#PAUSE}, real but too small to
 *       be worth it ({@code too_small});</li>
 *   <li>significant and large enough but another criterion blocks (a guardrail WARN or NOT_EVALUATED, an
 *       economic WARN): {@link Recommendation#PAUSE}; a ramp is not allowed while a guardrail is not shown
 *       non-inferior ({@code blocked});</li>
 *   <li>not significant and the interval rules out min_effect on the good side (upper end below it): the
 *       lever is absent, {@link Recommendation#ROLL_BACK} ({@code lever_absent});</li>
 *   <li>not significant otherwise: {@link Recommendation#PAUSE}, underpowered: more data ({@code underpowered}).</li>
 * </ol>
 */
public final class MixedResultsRule implements DecisionRule {
    public static final String NAME = "mixed";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RuleOutcome evaluate(DecisionInput input) {
        OrientedEffect e = input.oriented();
        String label = input.spec().success().label();
        String gain = label + " gain " + e.text();
        String min = DecisionText.num(e.minEffect());
        if (!e.finite()) {
            if (Double.isFinite(e.estimate())) {
                return RuleOutcome.fires(Verdict.of(Recommendation.PAUSE, "not_estimable",
                        "The decision metric " + label + " has an estimate but no finite interval: the design cannot "
                                + "reach significance at this alpha (see small_sample_inference).",
                        List.of("more randomized units (clusters or blocks), so that the interval becomes finite")));
            }
            return RuleOutcome.fires(Verdict.of(Recommendation.PAUSE, "not_estimable",
                    "The decision metric " + label + " has no finite estimate or interval.",
                    List.of("a finite estimate of " + label + " (enough complete rows in both arms)")));
        }
        if (e.significantlyGood() && !e.practical()) {
            return RuleOutcome.fires(Verdict.of(Recommendation.PAUSE, "too_small",
                    "Real but too small to be worth it: " + gain + " is significant but below min_effect " + min + ".",
                    List.of("a point estimate of at least " + min + " on more data",
                            "a lower min_effect, if the cost bar was set too high (declared before results only)")));
        }
        if (e.significantlyGood()) {
            List<String> unmet = ProceedRule.unmet(input);
            return RuleOutcome.fires(Verdict.of(Recommendation.PAUSE, "blocked",
                    "The effect clears the bar (" + gain + ") but proceed is blocked: " + String.join("; ",
                            unmet.stream().map(u -> u.endsWith(".") ? u.substring(0, u.length() - 1) : u).toList())
                            + ". Ship or ramp needs each of these to clear.",
                    List.of("the blocking checks passing on more data: guardrail upper bounds below max_harm, "
                            + "net value per request at least min_net_gain")));
        }
        if (e.high() < e.minEffect()) {
            return RuleOutcome.fires(Verdict.of(Recommendation.ROLL_BACK, "lever_absent",
                    "No movement in the decision metric: " + gain + " rules out min_effect " + min
                            + ", so the lever is absent.",
                    List.of("a rerun whose interval for " + label + " reaches " + min + " (e.g. after a fix to the treatment)")));
        }
        return RuleOutcome.fires(Verdict.of(Recommendation.PAUSE, "underpowered",
                "Inconclusive: " + gain + " neither excludes 0 nor rules out min_effect " + min + "; more data is needed.",
                List.of(moreData(input, e))));
    }

    /** How much more data would make the current estimate significant, assuming it holds. */
    private static String moreData(DecisionInput input, OrientedEffect e) {
        double se = input.success().se();
        double halfWidth = (e.high() - e.low()) / 2;
        if (!(e.estimate() > 0 && se > 0 && halfWidth > 0)) {
            return "an estimate on the good side with an interval excluding 0; at the current estimate "
                    + DecisionText.num(e.estimate()) + " more data alone will not get there";
        }
        double factor = Math.pow(halfWidth / e.estimate(), 2);
        return "an interval excluding 0: if the estimate " + DecisionText.num(e.estimate()) + " holds, about "
                + DecisionText.num(factor) + " times the current sample (half-width " + DecisionText.num(halfWidth)
                + " must shrink below the estimate)";
    }
}

package dev.verdict.decide;

import java.util.ArrayList;
import java.util.List;

/**
 * The decision readout of FRAMEWORK.md section 8: an ordered list of {@link DecisionRule}s, of which
 * the first that fires decides. Order is fixed: credibility and safety (stop gates, harmful success),
 * then segments (targeting), then size (proceed), then the mixed-results path, which always fires.
 *
 * <p>The contingency is the spec's if declared, else the verdict's own (e.g. naming the winning
 * segments), else the {@link DecisionMatrix}'s default for the recommendation.
 */
public final class DecisionEngine {
    private final List<DecisionRule> rules;

    private DecisionEngine(List<DecisionRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The standard order: stop gates, harmful success, targeting, proceed, mixed. */
    public static DecisionEngine standard() {
        return new DecisionEngine(List.of(new StopGateRule(), new HarmfulSuccessRule(), new TargetingRule(),
                new ProceedRule(), new MixedResultsRule()));
    }

    /** The rules in evaluation order. */
    public List<DecisionRule> rules() {
        return rules;
    }

    /** Evaluates the rules in order and returns the first verdict, with the trail of every rule evaluated. */
    public Decision decide(DecisionInput input) {
        List<RuleStep> trail = new ArrayList<>();
        for (DecisionRule rule : rules) {
            RuleOutcome outcome = rule.evaluate(input);
            trail.add(new RuleStep(rule.name(), outcome.finding()));
            if (outcome.fired()) {
                Verdict v = outcome.verdict().orElseThrow();
                String contingency = input.spec().contingency()
                        .orElse(v.contingency().orElse(DecisionMatrix.contingency(v.recommendation())));
                return new Decision(v.recommendation(), rule.name() + "." + v.branch(), v.reason(), trail, contingency,
                        v.whatWouldChange());
            }
        }
        throw new IllegalStateException("no decision rule fired; the last rule must always fire");
    }
}

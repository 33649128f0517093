package dev.verdict.decide;

import dev.verdict.readout.Effect;
import dev.verdict.readout.SegmentEffects;
import dev.verdict.spec.ExperimentSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rule 3, targeting: the effect is strong in some pre-declared segments and flat or harmful in others.
 *
 * <p>Fires for a declared segment column when all three hold:
 * <ol>
 *   <li>the heterogeneity test says the segment effects differ: {@code p < alpha};</li>
 *   <li>at least one value wins: Holm-adjusted {@code p < alpha} and its effect in the good direction
 *       reaches min_effect (absolute, or relative to that segment's control; 0 when not declared);</li>
 *   <li>at least one value is flat or harmful: its interval does not exclude 0 on the good side.</li>
 * </ol>
 * With several qualifying columns, the one with the smallest heterogeneity p-value is used. The
 * contingency names the winners: deploy to them, keep a holdout on the excluded values.
 */
public final class TargetingRule implements DecisionRule {
    public static final String NAME = "targeting";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RuleOutcome evaluate(DecisionInput input) {
        ExperimentSpec spec = input.spec();
        double alpha = spec.alpha();
        List<String> findings = new ArrayList<>();
        Optional<Candidate> best = Optional.empty();
        for (SegmentEffects s : input.segments()) {
            if (!declared(spec, s.column())) {
                findings.add(s.column() + ": not a declared segment, ignored");
                continue;
            }
            List<String> winners = new ArrayList<>();
            List<String> losers = new ArrayList<>();
            for (int i = 0; i < s.effects().size(); i++) {
                Effect e = s.effects().get(i);
                OrientedEffect o = OrientedEffect.of(e, spec.success());
                if (!o.finite()) {
                    continue;
                }
                String value = e.segment().map(Effect.Segment::value).orElse("#" + i);
                if (s.adjustedP().get(i) < alpha && o.estimate() > 0 && o.practical()) {
                    winners.add(value);
                } else if (o.low() <= 0) {
                    losers.add(value);
                }
            }
            boolean differ = s.heterogeneityPValue() < alpha;
            findings.add(s.column() + ": heterogeneity p = " + DecisionText.num(s.heterogeneityPValue()) + ", winners "
                    + winners + ", flat or harmful " + losers);
            if (differ && !winners.isEmpty() && !losers.isEmpty()) {
                Candidate c = new Candidate(s, winners, losers);
                if (best.isEmpty() || c.s.heterogeneityPValue() < best.get().s.heterogeneityPValue()) {
                    best = Optional.of(c);
                }
            }
        }
        if (best.isEmpty()) {
            return RuleOutcome.passes(findings.isEmpty() ? "no segment analyses" : String.join("; ", findings));
        }
        Candidate c = best.get();
        String col = c.s.column();
        String reason = "Effects differ across " + col + " (heterogeneity p = " + DecisionText.num(c.s.heterogeneityPValue())
                + " < " + DecisionText.num(alpha) + "): " + col + " " + c.winners + " gain beyond min_effect with Holm-adjusted"
                + " p < " + DecisionText.num(alpha) + ", while " + c.losers + " are flat or harmful.";
        String contingency = "Deploy to " + col + " " + String.join(", ", c.winners) + "; keep a holdout on " + col + " "
                + String.join(", ", c.losers) + ".";
        List<String> change = List.of(
                "a heterogeneity p-value at or above " + DecisionText.num(alpha) + " on more data (no real difference in slopes)",
                "the excluded values " + c.losers + " showing a significant gain (then the change can ship broadly)",
                "the winners " + c.winners + " losing significance after multiplicity adjustment on a replication");
        return RuleOutcome.fires(new Verdict(Recommendation.TARGET, "segment_winners", reason, Optional.of(contingency),
                change));
    }

    private static boolean declared(ExperimentSpec spec, String column) {
        return spec.segments().contains(column) || spec.segments().stream().map(spec::column).anyMatch(column::equals);
    }

    private record Candidate(SegmentEffects s, List<String> winners, List<String> losers) { }

}

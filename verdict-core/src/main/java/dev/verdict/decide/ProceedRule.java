package dev.verdict.decide;

import dev.verdict.check.CheckCategory;
import dev.verdict.check.CheckResult;
import dev.verdict.check.CheckStatus;
import dev.verdict.spec.ExperimentSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Rule 4, the proceed criteria (FRAMEWORK.md section 8): when all hold, the change goes out; how far
 * depends on the remaining concerns.
 *
 * <p>Criteria, all required: the decision metric is statistically significant (its interval excludes 0
 * on the good side) and practically significant (point estimate at least min_effect, absolute or
 * relative to control; 0 when not declared); no check failed; every guardrail check PASSed (and there
 * is one per declared guardrail); the economic check is neither WARN nor FAIL.
 *
 * <p>Then, in this order:
 * <ol>
 *   <li>a WARN in assignment integrity, identification or execution fidelity: {@link Recommendation#PAUSE}
 *       (non-fatal assumption concern; the framework's proceed criteria ask these checks to pass, so
 *       neither widening exposure nor a holdout is justified yet);</li>
 *   <li>a long-run outcome declared and not observed: {@link Recommendation#HOLDOUT};</li>
 *   <li>boundary coverage WARN, NOT_EVALUATED or absent, or a WARN in a guardrail, spillover or rollback
 *       check (limited state coverage or moderate tail risk): {@link Recommendation#RAMP};</li>
 *   <li>otherwise {@link Recommendation#SHIP}.</li>
 * </ol>
 */
public final class ProceedRule implements DecisionRule {
    public static final String NAME = "proceed";

    private static final Set<CheckCategory> ASSUMPTIONS = Set.of(CheckCategory.ASSIGNMENT_INTEGRITY,
            CheckCategory.IDENTIFICATION, CheckCategory.EXECUTION_FIDELITY);
    private static final Set<CheckCategory> TAIL_RISK = Set.of(CheckCategory.GUARDRAIL, CheckCategory.SPILLOVER,
            CheckCategory.ROLLBACK_TRIGGER);

    @Override
    public String name() {
        return NAME;
    }

    /** The proceed criteria that do not hold, as text; empty when all hold. */
    static List<String> unmet(DecisionInput input) {
        ExperimentSpec spec = input.spec();
        OrientedEffect e = input.oriented();
        String label = spec.success().label();
        List<String> unmet = new ArrayList<>();
        if (!e.finite() || !e.significantlyGood()) {
            unmet.add(label + " not significant on the good side (gain " + e.text() + ")");
        }
        if (!e.finite() || !e.practical()) {
            unmet.add(label + " gain " + DecisionText.num(e.estimate()) + " below min_effect " + DecisionText.num(e.minEffect()));
        }
        List<CheckResult> failed = input.checks().stream().filter(CheckResult::failed).toList();
        if (!failed.isEmpty()) {
            unmet.add("failed checks " + names(failed));
        }
        List<CheckResult> guardrails = input.checks(CheckCategory.GUARDRAIL);
        List<CheckResult> notPassed = guardrails.stream().filter(c -> !c.passed()).toList();
        if (!notPassed.isEmpty()) {
            unmet.add("guardrails not shown non-inferior: " + notPassed.stream()
                    .map(c -> c.name() + " " + c.status().wireName()).collect(Collectors.joining(", ")));
        }
        if (guardrails.size() < spec.guardrails().size()) {
            unmet.add("guardrail results missing: " + guardrails.size() + " of " + spec.guardrails().size() + " declared");
        }
        List<CheckResult> economic = input.checks(CheckCategory.ECONOMIC).stream()
                .filter(c -> c.status() == CheckStatus.WARN || c.status() == CheckStatus.FAIL).toList();
        if (!economic.isEmpty()) {
            unmet.add("not economically significant: " + economic.get(0).summary());
        }
        return unmet;
    }

    @Override
    public RuleOutcome evaluate(DecisionInput input) {
        List<String> unmet = unmet(input);
        if (!unmet.isEmpty()) {
            return RuleOutcome.passes("proceed criteria not met: " + String.join("; ", unmet));
        }
        ExperimentSpec spec = input.spec();
        OrientedEffect e = input.oriented();
        String size = spec.success().label() + " gain " + e.text() + " (min_effect " + DecisionText.num(e.minEffect()) + ")";
        List<CheckResult> assumption = warned(input, ASSUMPTIONS);
        if (!assumption.isEmpty()) {
            return RuleOutcome.fires(Verdict.of(Recommendation.PAUSE, "assumption_concern",
                    "The effect clears the bar (" + size + ") but " + names(assumption) + " warned: "
                            + assumption.get(0).summary(),
                    List.of(names(assumption) + " passing, e.g. with a design whose unit contains the interference")));
        }
        if (spec.longRun().isPresent() && !spec.longRun().get().observed()) {
            String metric = spec.longRun().get().metric();
            return RuleOutcome.fires(Verdict.of(Recommendation.HOLDOUT, "long_run_unobserved",
                    "Short-run positive (" + size + ") but the long-run outcome " + metric + " is not observed.",
                    List.of(metric + " observed in the holdout moving with the short-run gain (then ship) or against it "
                            + "(then roll back)")));
        }
        List<CheckResult> boundary = input.checks(CheckCategory.BOUNDARY_COVERAGE);
        List<CheckResult> limited = new ArrayList<>(boundary.stream()
                .filter(c -> c.status() == CheckStatus.WARN || c.status() == CheckStatus.NOT_EVALUATED).toList());
        limited.addAll(warned(input, TAIL_RISK));
        if (!limited.isEmpty() || boundary.isEmpty()) {
            String why = boundary.isEmpty() ? "boundary coverage was not checked"
                    : limited.get(0).name() + " " + limited.get(0).status().wireName() + ": " + limited.get(0).summary();
            return RuleOutcome.fires(Verdict.of(Recommendation.RAMP, "limited_coverage",
                    "All proceed criteria hold (" + size + ") but " + why,
                    List.of("both arms observed in the congested top decile of the system state with no warning "
                            + "(then ship)", "congested behaviour diverging during the ramp (then pause)")));
        }
        return RuleOutcome.fires(Verdict.of(Recommendation.SHIP, "all_criteria",
                "All proceed criteria hold: " + size + ", no check failed or warned, every guardrail non-inferior.",
                List.of("a rollback trigger firing while guardrails are watched after launch (then roll back)",
                        "a guardrail interval crossing its max_harm on post-launch data")));
    }

    private static List<CheckResult> warned(DecisionInput input, Set<CheckCategory> categories) {
        return input.checks().stream().filter(c -> c.status() == CheckStatus.WARN && categories.contains(c.category()))
                .toList();
    }

    private static String names(List<CheckResult> checks) {
        return checks.stream().map(CheckResult::name).collect(Collectors.joining(", "));
    }
}

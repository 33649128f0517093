package dev.verdict.design;

import dev.verdict.reduce.ReductionPlan;
import dev.verdict.spec.ExperimentSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ideal experiment for a spec (FRAMEWORK.md section 1: every request randomly routed, no interference, full
 * observability) and each way the chosen design and log fall short of it.
 */
final class IdealExperiments {
    private IdealExperiments() {
    }

    static Analysis.IdealExperiment of(ExperimentSpec spec, ReductionPlan plan, boolean stateLogged) {
        String description = "Every eligible request independently randomized between '" + spec.arms().control()
                + "' and '" + spec.arms().treatment() + "', with no interference between arms through shared queues, "
                + "caches or capacity, every request's executed action, outcome and decision-time state logged, and the "
                + "decision metric observed over the horizon the decision is about.";
        List<String> gaps = new ArrayList<>();
        if (!spec.sharedState().isEmpty()) {
            String moved = String.join(", ", spec.sharedState().stream().map(s -> s.name().toLowerCase(Locale.ROOT)).toList());
            gaps.add("The change moves shared state (" + moved + "): treated and control traffic share it, so a "
                    + (spec.requestRandomized() ? "request" : "user") + "-level contrast misses spillover; a cluster RCT "
                    + "or switchback contains it.");
        }
        if (!spec.requestRandomized()) {
            String by = spec.design() == ExperimentSpec.Design.SWITCHBACK ? "time block" : spec.unit();
            gaps.add("Randomized by " + by + ", not by request: the variance is over units, so power is lower "
                    + "than the ideal per-request randomization for request-level metrics.");
        }
        if (plan.fidelity().executedArm().isEmpty()) {
            gaps.add("The executed arm is not logged: whether each request really ran its assigned policy is unobserved.");
        }
        if (!stateLogged) {
            gaps.add("No decision-time system state (utilization, queue depth, KV utilization) is logged: coverage of "
                    + "congested states cannot be checked.");
        }
        if (plan.exposure().isEmpty()) {
            gaps.add("No declared start with a decision-time column: exposure before the start cannot be checked.");
        }
        spec.longRun().filter(l -> !l.observed()).ifPresent(l -> gaps.add("The long-run outcome '" + l.metric()
                + "' is not observed in this experiment."));
        return new Analysis.IdealExperiment(description, gaps);
    }
}

package dev.verdict.design;

import dev.verdict.check.AssignmentIntegrityCheck;
import dev.verdict.check.BoundaryCoverageCheck;
import dev.verdict.check.CheckResult;
import dev.verdict.check.DataQualityCheck;
import dev.verdict.check.EconomicCheck;
import dev.verdict.check.ExecutionFidelityCheck;
import dev.verdict.check.GuardrailCheck;
import dev.verdict.check.RollbackTriggerCheck;
import dev.verdict.check.SampleRatioCheck;
import dev.verdict.check.SharedStateCheck;
import dev.verdict.check.SpilloverCheck;
import dev.verdict.readout.Effect;
import dev.verdict.reduce.Reduction;
import dev.verdict.reduce.ReductionPlan;
import dev.verdict.spec.ExperimentSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs every check of a randomized design on the reduction and the estimated effects, in the readout's order:
 * data quality, assignment integrity (sample ratio, units in both arms, exposure), identification (design fit),
 * execution fidelity, boundary coverage, guardrails, rollback triggers, economic significance.
 */
final class RandomizedChecks {
    private RandomizedChecks() {
    }

    static List<CheckResult> run(ExperimentSpec spec, ReductionPlan plan, Reduction r, List<Effect> effects,
                                 MetricPlan success, RollbackTriggerCheck.TreatmentLevels levels,
                                 Optional<String> stateColumn) {
        List<CheckResult> out = new ArrayList<>();
        long outcomeRows = r.arm(spec.arms().control()).rows() + r.arm(spec.arms().treatment()).rows();
        long completeRows = plan.unitLevel() ? unitLevelCompleteRows(r, spec, success)
                : r.arm(spec.arms().control()).moments().get(success.group().name()).count()
                + r.arm(spec.arms().treatment()).moments().get(success.group().name()).count();
        out.add(DataQualityCheck.of(r.armLabelCounts(), spec.arms(), outcomeRows, completeRows, spec.dataQuality()));
        out.add(SampleRatioCheck.of(r, spec.arms(), spec.allocation(), plan.segments(), SampleRatioCheck.DEFAULT_ALPHA));
        out.add(AssignmentIntegrityCheck.of(r.counters(), spec.arms()));
        out.add(SharedStateCheck.of(spec.design(), spec.sharedState()));
        out.add(SpilloverCheck.of(spec.design(), spec.sharedState()));
        out.add(ExecutionFidelityCheck.of(r.counters(), spec.arms()));
        out.add(boundary(spec, plan, r, stateColumn));
        for (int i = 0; i < spec.guardrails().size(); i++) {
            String label = spec.guardrails().get(i).metric().label();
            Optional<Effect> e = effects.stream().filter(x -> x.role().equals(Effect.ROLE_GUARDRAIL)
                    && x.metric().equals(label) && x.segment().isEmpty()).findFirst();
            out.add(GuardrailCheck.of(spec.guardrails().get(i), e, spec.alpha()));
        }
        out.add(RollbackTriggerCheck.of(spec.rollback(), levels));
        Optional<Effect> net = effects.stream().filter(x -> x.metric().equals(EconomicsLabels.NET_VALUE)).findFirst();
        out.add(EconomicCheck.of(spec.economics(), net));
        return out;
    }

    /**
     * For a unit-level reduction the success group's count variable sums each unit's complete rows, so the
     * complete rows are {@code units * mean(count)} per arm.
     */
    private static long unitLevelCompleteRows(Reduction r, ExperimentSpec spec, MetricPlan success) {
        long total = 0;
        for (String arm : List.of(spec.arms().control(), spec.arms().treatment())) {
            var m = r.arm(arm).moments().get(success.group().name());
            total += Math.round(m.sum(success.group().countIndex()));
        }
        return total;
    }

    private static CheckResult boundary(ExperimentSpec spec, ReductionPlan plan, Reduction r, Optional<String> state) {
        Map<String, double[]> picked = new LinkedHashMap<>();
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String arm : plan.armLabels()) {
            rows.put(arm, r.arm(arm).rows());
        }
        if (state.isPresent()) {
            ReductionPlan.QuantileRequest req = plan.quantiles().stream().filter(q -> q.column().equals(state.get()))
                    .findFirst().orElseThrow();
            r.quantiles().get(state.get()).forEach((arm, values) -> {
                double[] v = new double[BoundaryCoverageCheck.PROBABILITIES.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = values[req.probabilities().indexOf(BoundaryCoverageCheck.PROBABILITIES.get(i))];
                }
                picked.put(arm, v);
            });
        }
        return BoundaryCoverageCheck.of(state, picked, rows, spec.arms());
    }
}

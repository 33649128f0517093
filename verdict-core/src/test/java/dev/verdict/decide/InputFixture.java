package dev.verdict.decide;

import dev.verdict.check.CheckCategory;
import dev.verdict.check.CheckResult;
import dev.verdict.check.CheckStatus;
import dev.verdict.check.EffectFixture;
import dev.verdict.check.SpecFixture;
import dev.verdict.readout.Effect;
import dev.verdict.readout.SegmentEffects;
import dev.verdict.spec.ExperimentSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds decision inputs: a spec, checks with chosen statuses, a success effect and segment analyses. */
final class InputFixture {
    private ExperimentSpec spec = SpecFixture.spec().build();
    private final List<CheckResult> checks = new ArrayList<>();
    /** completed: control 0.80, +0.02, se 0.005: CI [0.0102, 0.0298]. */
    private Effect success = EffectFixture.effect("completed", 0.80, 0.02, 0.005);
    private final List<SegmentEffects> segments = new ArrayList<>();

    static InputFixture input() {
        return new InputFixture();
    }

    /** Every standard check passing. */
    static InputFixture allPass() {
        InputFixture f = new InputFixture();
        for (CheckCategory c : CheckCategory.values()) {
            f.check(c, CheckStatus.PASS);
        }
        return f;
    }

    static CheckResult result(String name, CheckCategory category, CheckStatus status) {
        return new CheckResult(name, category, status, name + " " + status.wireName() + ".", Map.of());
    }

    InputFixture spec(ExperimentSpec s) {
        spec = s;
        return this;
    }

    InputFixture check(CheckCategory category, CheckStatus status) {
        return check(category.wireName(), category, status);
    }

    InputFixture check(String name, CheckCategory category, CheckStatus status) {
        checks.removeIf(c -> c.name().equals(name));
        checks.add(result(name, category, status));
        return this;
    }

    InputFixture success(double control, double estimate, double se) {
        success = EffectFixture.effect("completed", control, estimate, se);
        return this;
    }

    InputFixture success(Effect e) {
        success = e;
        return this;
    }

    InputFixture segments(SegmentEffects s) {
        segments.add(s);
        return this;
    }

    DecisionInput build() {
        return new DecisionInput(spec, checks, success, segments);
    }
}

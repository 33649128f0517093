package dev.verdict.check;

import dev.verdict.spec.Direction;
import dev.verdict.spec.Economics;
import dev.verdict.spec.ExperimentSpec;
import dev.verdict.spec.ExperimentSpec.Allocation;
import dev.verdict.spec.ExperimentSpec.Arms;
import dev.verdict.spec.ExperimentSpec.DataQuality;
import dev.verdict.spec.ExperimentSpec.Design;
import dev.verdict.spec.ExperimentSpec.LongRun;
import dev.verdict.spec.ExperimentSpec.SharedState;
import dev.verdict.spec.Guardrail;
import dev.verdict.spec.MetricKind;
import dev.verdict.spec.MetricSpec;
import dev.verdict.spec.Rollback;
import dev.verdict.spec.Threshold;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A mutable builder of test specs with plain defaults: request RCT, 50/50, success {@code completed} up. */
public final class SpecFixture {
    public static final Arms ARMS = new Arms("control", "treatment");

    private Design design = Design.REQUEST_RCT;
    private MetricSpec success = metric("completed", MetricKind.MEAN, Direction.INCREASE, Optional.empty());
    private final List<Guardrail> guardrails = new ArrayList<>();
    private Optional<Economics> economics = Optional.empty();
    private List<String> segments = List.of();
    private Rollback rollback = Rollback.NONE;
    private Optional<String> contingency = Optional.empty();
    private double alpha = 0.05;
    private List<SharedState> sharedState = List.of();
    private Optional<LongRun> longRun = Optional.empty();
    private Allocation allocation = new Allocation(0.5, 0.5);

    public static SpecFixture spec() {
        return new SpecFixture();
    }

    public static MetricSpec metric(String column, MetricKind kind, Direction direction, Optional<Threshold> minEffect) {
        return new MetricSpec(column, kind, direction, minEffect, Optional.empty(), Optional.empty());
    }

    public SpecFixture design(Design d) {
        design = d;
        return this;
    }

    public SpecFixture success(MetricSpec m) {
        success = m;
        return this;
    }

    public SpecFixture minEffect(Threshold t) {
        success = new MetricSpec(success.metric(), success.kind(), success.direction(), Optional.of(t),
                success.denominator(), success.covariate());
        return this;
    }

    public SpecFixture guardrail(Guardrail g) {
        guardrails.add(g);
        return this;
    }

    public SpecFixture economics(double minNetGain) {
        economics = Optional.of(new Economics(Optional.of("cost_usd"), Optional.empty(), Optional.of("value_usd"),
                "completed", minNetGain));
        return this;
    }

    public SpecFixture segments(String... s) {
        segments = List.of(s);
        return this;
    }

    public SpecFixture rollback(Rollback r) {
        rollback = r;
        return this;
    }

    public SpecFixture contingency(String c) {
        contingency = Optional.of(c);
        return this;
    }

    public SpecFixture alpha(double a) {
        alpha = a;
        return this;
    }

    public SpecFixture sharedState(SharedState... s) {
        sharedState = List.of(s);
        return this;
    }

    public SpecFixture longRun(String metric, boolean observed) {
        longRun = Optional.of(new LongRun(metric, observed));
        return this;
    }

    public SpecFixture allocation(double control, double treatment) {
        allocation = new Allocation(control, treatment);
        return this;
    }

    public ExperimentSpec build() {
        return new ExperimentSpec("test", ExperimentSpec.DecisionPattern.SHIP_BROADLY, design, List.of("logs.csv"),
                ExperimentSpec.DataFormat.CSV, Map.of(), design == Design.REQUEST_RCT ? "request_id" : "user_id", ARMS,
                allocation, Optional.empty(), success, guardrails, economics, segments, rollback, contingency, alpha,
                sharedState, DataQuality.DEFAULT, longRun, 42L, Path.of("/tmp/spec.yaml"));
    }
}

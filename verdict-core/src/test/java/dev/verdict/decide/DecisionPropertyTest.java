package dev.verdict.decide;

import dev.verdict.check.CheckCategory;
import dev.verdict.check.CheckResult;
import dev.verdict.check.CheckStatus;
import dev.verdict.check.EffectFixture;
import dev.verdict.check.SpecFixture;
import dev.verdict.readout.Effect;
import dev.verdict.readout.SegmentEffects;
import dev.verdict.spec.Direction;
import dev.verdict.spec.MetricKind;
import dev.verdict.spec.Threshold;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Invariants of the decision engine over seeded random inputs (seeds 0..999, java.util.Random). */
class DecisionPropertyTest {
    private static final DecisionEngine ENGINE = DecisionEngine.standard();
    private static final CheckStatus[] STATUSES = CheckStatus.values();

    static LongStream seeds() {
        return LongStream.range(0, 1000);
    }

    static DecisionInput random(long seed) {
        Random r = new Random(seed);
        SpecFixture spec = SpecFixture.spec();
        Direction direction = r.nextBoolean() ? Direction.INCREASE : Direction.DECREASE;
        spec.success(SpecFixture.metric("completed", MetricKind.MEAN, direction, Optional.empty()));
        switch (r.nextInt(3)) {
            case 0 -> spec.minEffect(new Threshold(r.nextDouble() * 0.03, false));
            case 1 -> spec.minEffect(new Threshold(r.nextDouble() * 0.05, true));
            default -> { }
        }
        if (r.nextInt(4) == 0) {
            spec.longRun("retention_30d", r.nextBoolean());
        }
        boolean segmented = r.nextBoolean();
        if (segmented) {
            spec.segments("tier");
        }
        List<CheckResult> checks = new ArrayList<>();
        boolean clean = r.nextInt(3) == 0; // a third of the inputs: every check passes, so ship can occur
        for (CheckCategory c : CheckCategory.values()) {
            if (clean) {
                checks.add(InputFixture.result(c.wireName(), c, CheckStatus.PASS));
                continue;
            }
            int n = r.nextInt(3);
            for (int i = 0; i < n; i++) {
                // FAIL drawn with probability 1/8 per check, so about half of the inputs have none
                CheckStatus s = r.nextInt(8) == 0 ? CheckStatus.FAIL : STATUSES[r.nextInt(4) == 0 ? 3 : r.nextInt(2)];
                checks.add(InputFixture.result(c.wireName() + "_" + i, c, s));
            }
        }
        double se = 0.001 + r.nextDouble() * 0.02;
        double estimate = r.nextInt(50) == 0 ? Double.NaN : r.nextGaussian() * 0.03;
        Effect success = EffectFixture.effect("completed", 0.8, estimate, se);
        List<SegmentEffects> segments = new ArrayList<>();
        if (segmented) {
            int k = 2 + r.nextInt(3);
            List<Effect> effects = new ArrayList<>();
            List<Double> adjusted = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                effects.add(EffectFixture.segment("tier", "v" + i, 0.8, r.nextGaussian() * 0.05, 0.002 + r.nextDouble() * 0.02));
                adjusted.add(r.nextDouble() < 0.3 ? r.nextDouble() * 0.01 : r.nextDouble());
            }
            segments.add(new SegmentEffects("tier", effects, adjusted, 10, k - 1, r.nextDouble() < 0.5 ? 1e-4 : r.nextDouble()));
        }
        return new DecisionInput(spec.build(), checks, success, segments);
    }

    @Test
    void generatorReachesEveryRecommendation() {
        // the properties below are not vacuous: over the seeds, every recommendation occurs and stop gates
        // fire on some inputs but not all
        Set<Recommendation> seen = EnumSet.noneOf(Recommendation.class);
        long failedInputs = seeds().filter(s -> random(s).checks().stream().anyMatch(CheckResult::failed)).count();
        seeds().forEach(s -> seen.add(ENGINE.decide(random(s)).recommendation()));
        assertEquals(EnumSet.allOf(Recommendation.class), seen);
        assertTrue(failedInputs > 100 && failedInputs < 900, "inputs with a failed check: " + failedInputs);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void failedStopGateNeverShipsOrRamps(long seed) {
        DecisionInput in = random(seed);
        Decision d = ENGINE.decide(in);
        boolean anyFailed = in.checks().stream().anyMatch(CheckResult::failed);
        if (anyFailed) {
            assertFalse(d.recommendation() == Recommendation.SHIP || d.recommendation() == Recommendation.RAMP,
                    "seed " + seed + ": " + d);
            assertTrue(d.rule().startsWith("stop_gates."), "seed " + seed + ": " + d.rule());
            Set<CheckCategory> failed = EnumSet.noneOf(CheckCategory.class);
            in.checks().stream().filter(CheckResult::failed).forEach(c -> failed.add(c.category()));
            if (failed.contains(CheckCategory.DATA_QUALITY) || failed.contains(CheckCategory.ASSIGNMENT_INTEGRITY)) {
                assertEquals(Recommendation.INSTRUMENT_MORE, d.recommendation(), "seed " + seed);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void goingOutNeedsSignificanceAndPassingGuardrails(long seed) {
        DecisionInput in = random(seed);
        Decision d = ENGINE.decide(in);
        if (Set.of(Recommendation.SHIP, Recommendation.RAMP, Recommendation.HOLDOUT).contains(d.recommendation())) {
            OrientedEffect e = in.oriented();
            assertTrue(e.significantlyGood() && e.practical(), "seed " + seed + ": " + d);
            assertTrue(in.checks(CheckCategory.GUARDRAIL).stream().allMatch(CheckResult::passed), "seed " + seed);
        }
        if (d.recommendation() == Recommendation.SHIP) {
            assertTrue(in.checks().stream().noneMatch(c -> c.status() == CheckStatus.WARN), "seed " + seed);
            assertTrue(in.checks(CheckCategory.BOUNDARY_COVERAGE).stream().allMatch(CheckResult::passed)
                    && !in.checks(CheckCategory.BOUNDARY_COVERAGE).isEmpty(), "seed " + seed);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void trailFollowsTheFixedOrderAndIsDeterministic(long seed) {
        DecisionInput in = random(seed);
        Decision d = ENGINE.decide(in);
        List<String> order = ENGINE.rules().stream().map(DecisionRule::name).toList();
        List<String> trail = d.trail().stream().map(RuleStep::rule).toList();
        assertEquals(order.subList(0, trail.size()), trail, "seed " + seed);
        assertTrue(d.rule().startsWith(trail.get(trail.size() - 1) + "."), "seed " + seed);
        assertFalse(d.whatWouldChange().isEmpty(), "seed " + seed);
        assertEquals(d, ENGINE.decide(random(seed)), "seed " + seed);
    }
}

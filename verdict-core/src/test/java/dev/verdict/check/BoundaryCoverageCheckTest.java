package dev.verdict.check;

import dev.verdict.reduce.Reduction;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static dev.verdict.check.SpecFixture.ARMS;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BoundaryCoverageCheckTest {
    private static final Map<String, Long> ROWS = Map.of("control", 50000L, "treatment", 50000L);
    private static final Optional<String> UTIL = Optional.of("utilization");

    private static Map<String, double[]> q(double[] pooled, double[] control, double[] treatment) {
        return Map.of(Reduction.POOLED, pooled, "control", control, "treatment", treatment);
    }

    @Test
    void bothArmsReachTheTopDecilePass() {
        CheckResult r = BoundaryCoverageCheck.of(UTIL, q(new double[] {0.6, 0.9, 0.97}, new double[] {0.6, 0.9, 0.97},
                new double[] {0.61, 0.91, 0.98}), ROWS, ARMS);
        assertEquals(CheckStatus.PASS, r.status());
        assertEquals(CheckCategory.BOUNDARY_COVERAGE, r.category());
    }

    @Test
    void positiveControlArmNeverCongestedFails() {
        // treatment never exceeds 0.85 at p99 while pooled p90 is 0.9
        CheckResult r = BoundaryCoverageCheck.of(UTIL, q(new double[] {0.6, 0.9, 0.97}, new double[] {0.7, 0.95, 0.99},
                new double[] {0.5, 0.8, 0.85}), ROWS, ARMS);
        assertEquals(CheckStatus.FAIL, r.status());
    }

    @Test
    void thinCoverageWarns() {
        // treatment p99 reaches 0.92 >= 0.9 but its p90 0.7 is below 0.9 - (0.9 - 0.6) / 2 = 0.75
        CheckResult r = BoundaryCoverageCheck.of(UTIL, q(new double[] {0.6, 0.9, 0.97}, new double[] {0.7, 0.95, 0.99},
                new double[] {0.5, 0.7, 0.92}), ROWS, ARMS);
        assertEquals(CheckStatus.WARN, r.status());
        assertEquals(0.75, (Double) r.evidence().get("thin_below_p90"), 1e-15); // known truth, as in the comment
    }

    @Test
    void fewRowsAtTheBoundaryWarn() {
        // arm p90 reaches, but 500 rows give at least 50 congested rows < 100
        CheckResult r = BoundaryCoverageCheck.of(UTIL, q(new double[] {0.6, 0.9, 0.97}, new double[] {0.6, 0.9, 0.97},
                new double[] {0.61, 0.91, 0.98}), Map.of("control", 500L, "treatment", 50000L), ARMS);
        assertEquals(CheckStatus.WARN, r.status());
    }

    @Test
    void noStateColumnIsNotEvaluated() {
        assertEquals(CheckStatus.NOT_EVALUATED, BoundaryCoverageCheck.of(Optional.empty(), Map.of(), ROWS, ARMS).status());
    }

    @Test
    void nanQuantileIsNotEvaluated() {
        CheckResult r = BoundaryCoverageCheck.of(UTIL, q(new double[] {0.6, 0.9, 0.97}, new double[] {0.6, 0.9, 0.97},
                new double[] {Double.NaN, Double.NaN, Double.NaN}), ROWS, ARMS);
        assertEquals(CheckStatus.NOT_EVALUATED, r.status());
    }

    @Test
    void picksTheFirstStateColumnFromAReduction() {
        Map<String, Map<String, double[]>> quantiles = Map.of(
                "queue_depth", q(new double[] {2, 10, 30}, new double[] {2, 10, 30}, new double[] {1, 3, 5}),
                "kv_util", q(new double[] {0.5, 0.8, 0.9}, new double[] {0.5, 0.8, 0.9}, new double[] {0.5, 0.8, 0.9}));
        Reduction red = new Reduction(100000, java.util.List.of(SampleRatioCheckTest.cell("control", 50000, 50000),
                SampleRatioCheckTest.cell("treatment", 50000, 50000)), Map.of(), Map.of(), quantiles);
        CheckResult r = BoundaryCoverageCheck.of(red, SpecFixture.spec().build());
        assertEquals("queue_depth", r.evidence().get("state_column")); // utilization absent, queue_depth before kv_util
        assertEquals(CheckStatus.FAIL, r.status());
    }
}

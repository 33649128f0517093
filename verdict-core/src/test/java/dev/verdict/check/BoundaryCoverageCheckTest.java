package dev.verdict.check;

import dev.verdict.reduce.Reduction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static dev.verdict.check.SpecFixture.ARMS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundaryCoverageCheckTest {
    private static final Map<String, Long> ROWS = Map.of("control", 50000L, "treatment", 50000L);
    private static final Optional<String> UTIL = Optional.of("utilization");
    /** The grid 0.5, 0.75, 0.8, 0.85, 0.9, 0.95, 0.975, 0.99. */
    private static final double[] P = BoundaryCoverageCheck.PROBABILITIES.stream().mapToDouble(Double::doubleValue)
            .toArray();
    /** Quantiles of U(0,1) at the grid: Q(p) = p (known truth). */
    private static final double[] UNIFORM = P.clone();
    /** A pooled utilization distribution whose p90 is 0.9; an arm with the same quantiles passes. */
    private static final double[] POOLED = {0.6, 0.75, 0.78, 0.84, 0.9, 0.94, 0.96, 0.97};

    private static Map<String, double[]> q(double[] pooled, double[] control, double[] treatment) {
        return Map.of(Reduction.POOLED, pooled, "control", control, "treatment", treatment);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> arm(CheckResult r, String arm) {
        return (Map<String, Object>) ((Map<String, Object>) r.evidence().get("arms")).get(arm);
    }

    private static double share(CheckResult r, String arm) {
        return (Double) arm(r, arm).get("share_at_or_above_pooled_p90");
    }

    @Test
    void probabilityGridIsTheDocumentedOne() {
        assertEquals(List.of(0.5, 0.75, 0.8, 0.85, 0.9, 0.95, 0.975, 0.99), BoundaryCoverageCheck.PROBABILITIES);
    }

    @Test
    void bothArmsReachTheTopDecilePass() {
        CheckResult r = BoundaryCoverageCheck.of(UTIL, q(POOLED, POOLED,
                new double[] {0.61, 0.76, 0.79, 0.85, 0.91, 0.95, 0.97, 0.98}), ROWS, ARMS);
        assertEquals(CheckStatus.PASS, r.status());
        assertEquals(CheckCategory.BOUNDARY_COVERAGE, r.category());
        // control has the pooled quantiles, so pooled p90 = its p90: share 1 - 0.9 (known truth)
        assertEquals(0.1, share(r, "control"), 1e-12);
    }

    @Test
    void sameDistributionWithArmP90ABitBelowPooledPasses() {
        // Two arms drawn from one distribution, n = 9800 each; control's p90 0.8173 sits just below the pooled
        // p90 0.8185, as happens for one arm in half of randomizations. The old rule credited it with 1% of n =
        // 98 < 100 rows and warned; by interpolation it has close to 10%.
        double[] pooled = {0.620, 0.735, 0.760, 0.787, 0.8185, 0.862, 0.897, 0.935};
        double[] control = {0.619, 0.734, 0.759, 0.786, 0.8173, 0.861, 0.896, 0.934};
        double[] treatment = {0.621, 0.736, 0.761, 0.788, 0.8197, 0.863, 0.898, 0.936};
        CheckResult r = BoundaryCoverageCheck.of(UTIL, q(pooled, control, treatment),
                Map.of("control", 9800L, "treatment", 9800L), ARMS);
        assertEquals(CheckStatus.PASS, r.status(), r.summary());
        // known truth, the interpolation formula by hand: between (0.90, 0.8173) and (0.95, 0.861)
        double controlShare = 1 - (0.90 + 0.05 * (0.8185 - 0.8173) / (0.861 - 0.8173));
        assertEquals(controlShare, share(r, "control"), 1e-12);
        assertEquals(0.0986270022883295, share(r, "control"), 1e-12); // same number, evaluated
        assertEquals(controlShare * 9800, (Double) arm(r, "control").get("rows_at_or_above_pooled_p90"), 1e-9);
        // treatment: between (0.85, 0.788) and (0.90, 0.8197)
        double treatmentShare = 1 - (0.85 + 0.05 * (0.8185 - 0.788) / (0.8197 - 0.788));
        assertEquals(treatmentShare, share(r, "treatment"), 1e-12);
        assertEquals("interpolated", arm(r, "control").get("share_is"));
    }

    @Test
    void armWithAboutThreePercentAtTheBoundaryWarns() {
        // treatment reaches the pooled p90 0.9 only between its p95 0.8 and p97.5 0.92:
        // share = 1 - (0.95 + 0.025 * (0.9 - 0.8) / (0.92 - 0.8)) = 0.0291666... (known truth, by hand) < 0.05,
        // while 50000 rows give about 1458 rows there, so it is the share that warns
        CheckResult r = BoundaryCoverageCheck.of(UTIL, q(POOLED, POOLED,
                new double[] {0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.92, 0.95}), ROWS, ARMS);
        assertEquals(CheckStatus.WARN, r.status(), r.summary());
        assertEquals(1 - (0.95 + 0.025 * 0.1 / 0.12), share(r, "treatment"), 1e-12);
        assertEquals(0.029166666666666667, share(r, "treatment"), 1e-12);
        assertTrue(r.summary().contains("treatment 2.92% of 50000 rows (about 1458)"), r.summary());
    }

    @Test
    void fewRowsAtTheBoundaryWarn() {
        // control share 0.1 (its quantiles are the pooled ones), but 500 rows give 50 rows there < 100
        CheckResult r = BoundaryCoverageCheck.of(UTIL, q(POOLED, POOLED,
                new double[] {0.61, 0.76, 0.79, 0.85, 0.91, 0.95, 0.97, 0.98}),
                Map.of("control", 500L, "treatment", 50000L), ARMS);
        assertEquals(CheckStatus.WARN, r.status());
        assertEquals(50.0, (Double) arm(r, "control").get("rows_at_or_above_pooled_p90"), 1e-9); // 0.1 * 500
    }

    @Test
    void positiveControlArmNeverCongestedFails() {
        // treatment's p99 0.85 is below the pooled p90 0.9: under 1% of its rows got there
        CheckResult r = BoundaryCoverageCheck.of(UTIL, q(POOLED, new double[] {0.7, 0.8, 0.85, 0.9, 0.95, 0.97,
                0.98, 0.99}, new double[] {0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.83, 0.85}), ROWS, ARMS);
        assertEquals(CheckStatus.FAIL, r.status());
        assertEquals(0.01, share(r, "treatment"), 1e-15); // 1 - p99, reported as an upper bound
        assertEquals("upper_bound", arm(r, "treatment").get("share_is"));
        assertTrue(r.summary().contains("treatment p99 0.8500"), r.summary());
    }

    @Test
    void armP99EqualToPooledP90IsNotAFail() {
        // a99 = P90 exactly: at least 1% of its rows are at or above it, share 1 - 0.99 (known truth) -> thin
        CheckResult r = BoundaryCoverageCheck.of(UTIL, q(POOLED, POOLED,
                new double[] {0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9}), ROWS, ARMS);
        assertEquals(CheckStatus.WARN, r.status());
        assertEquals(0.01, share(r, "treatment"), 1e-15);
    }

    @Test
    void interpolationIsExactForTheUniform() {
        // U(0,1): the share at or above t is 1 - t (known truth); the pooled p90 of the uniform is 0.9
        CheckResult r = BoundaryCoverageCheck.of(UTIL, q(UNIFORM, UNIFORM, UNIFORM), ROWS, ARMS);
        assertEquals(0.1, share(r, "control"), 1e-12);
        assertEquals(0.1, share(r, "treatment"), 1e-12);
        assertEquals(CheckStatus.PASS, r.status());
        for (double t = 0.5; t <= 0.99; t += 0.0037) {
            assertEquals(1 - t, BoundaryCoverageCheck.shareAtOrAbove(UNIFORM, t), 1e-12, "t = " + t);
        }
    }

    @Test
    void boundsOutsideTheGrid() {
        // below the arm's p50: at least half its rows (reported 0.5, a lower bound); above its p99: at most 1%
        assertEquals(0.5, BoundaryCoverageCheck.shareAtOrAbove(UNIFORM, 0.1), 1e-15);
        assertEquals(0.5, BoundaryCoverageCheck.shareAtOrAbove(UNIFORM, 0.5), 1e-15);
        assertEquals(0.01, BoundaryCoverageCheck.shareAtOrAbove(UNIFORM, 0.995), 1e-15);
        CheckResult r = BoundaryCoverageCheck.of(UTIL, q(UNIFORM, UNIFORM,
                new double[] {0.95, 0.96, 0.97, 0.98, 0.99, 0.995, 0.997, 0.999}), ROWS, ARMS);
        assertEquals("lower_bound", arm(r, "treatment").get("share_is"));
    }

    @Test
    void pointMassAtTheThresholdCountsAsAtOrAbove() {
        // Q = 0.9 on [0.75, 0.95]: rows at or above 0.9 are 1 - 0.75 = 0.25 of them (invariant of the ">=" rule)
        double[] q = {0.5, 0.9, 0.9, 0.9, 0.9, 0.9, 0.95, 0.99};
        assertEquals(0.25, BoundaryCoverageCheck.shareAtOrAbove(q, 0.9), 1e-15);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void shareIsNonIncreasingContinuousAndBounded(long seed) {
        // invariants over seeded random non-decreasing grids: 0.01 <= s <= 0.5, s non-increasing in t,
        // and s(q[k]) = 1 - p[k] at every strictly increasing grid point
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] q = new double[P.length];
        q[0] = rnd.nextDouble();
        for (int i = 1; i < q.length; i++) {
            q[i] = q[i - 1] + (rnd.nextInt(4) == 0 ? 0 : rnd.nextDouble());
        }
        double prev = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= 2000; i++) {
            double t = q[0] - 0.1 + (q[q.length - 1] - q[0] + 0.2) * i / 2000.0;
            double s = BoundaryCoverageCheck.shareAtOrAbove(q, t);
            assertTrue(s >= 0.01 - 1e-15 && s <= 0.5 + 1e-15, "s = " + s);
            assertTrue(s <= prev + 1e-15, "not non-increasing at t = " + t + ", q = " + Arrays.toString(q));
            prev = s;
        }
        for (int k = 1; k < q.length; k++) {
            if (q[k] > q[k - 1]) {
                assertEquals(1 - P[k], BoundaryCoverageCheck.shareAtOrAbove(q, q[k]), 1e-12);
            }
        }
    }

    @Test
    void noStateColumnIsNotEvaluated() {
        assertEquals(CheckStatus.NOT_EVALUATED, BoundaryCoverageCheck.of(Optional.empty(), Map.of(), ROWS, ARMS).status());
    }

    @Test
    void nanQuantileIsNotEvaluated() {
        double[] nan = new double[P.length];
        Arrays.fill(nan, Double.NaN);
        CheckResult r = BoundaryCoverageCheck.of(UTIL, q(POOLED, POOLED, nan), ROWS, ARMS);
        assertEquals(CheckStatus.NOT_EVALUATED, r.status());
    }

    @Test
    void decreasingOrShortQuantilesAreNotEvaluated() {
        double[] decreasing = {0.6, 0.75, 0.78, 0.84, 0.8, 0.94, 0.96, 0.97};
        assertEquals(CheckStatus.NOT_EVALUATED,
                BoundaryCoverageCheck.of(UTIL, q(POOLED, POOLED, decreasing), ROWS, ARMS).status());
        assertEquals(CheckStatus.NOT_EVALUATED, BoundaryCoverageCheck.of(UTIL,
                q(new double[] {0.6, 0.9, 0.97}, POOLED, POOLED), ROWS, ARMS).status()); // the old 3-point grid
    }

    @Test
    void picksTheFirstStateColumnFromAReduction() {
        Map<String, Map<String, double[]>> quantiles = Map.of(
                "queue_depth", q(new double[] {2, 4, 5, 7, 10, 15, 20, 30}, new double[] {2, 4, 5, 7, 10, 15, 20, 30},
                        new double[] {1, 1, 2, 2, 3, 4, 4, 5}),
                "kv_util", q(POOLED, POOLED, POOLED));
        Reduction red = new Reduction(100000, List.of(SampleRatioCheckTest.cell("control", 50000, 50000),
                SampleRatioCheckTest.cell("treatment", 50000, 50000)), Map.of(), Map.of(), quantiles);
        CheckResult r = BoundaryCoverageCheck.of(red, SpecFixture.spec().build());
        assertEquals("queue_depth", r.evidence().get("state_column")); // utilization absent, queue_depth before kv_util
        assertEquals(CheckStatus.FAIL, r.status()); // treatment p99 5 < pooled p90 10
        assertEquals(50000L, arm(r, "control").get("rows"));
    }
}

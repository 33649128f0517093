package dev.verdict.plan;

import dev.verdict.stats.Moments;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlannerTest {
    /** z(0.975) + z(0.8) from tables: 1.959964 + 0.841621. */
    private static final double Z = 2.801585;

    @Test
    void twoSampleNormalClosedForm() {
        assertEquals(Z, PowerMath.zSum(0.05, 0.8), 1e-6);
        // s = 1, 1000 requests a day, 1 day, half treated: n = 500 per arm, MDE = Z sqrt(2 s^2 / n)
        assertEquals(Z * Math.sqrt(2.0 / 500), PowerMath.requestMde(Z, 1, 0.5, 1000, 1), 1e-12);
        assertEquals(0.177188, PowerMath.requestMde(Z, 1, 0.5, 1000, 1), 1e-6);
        // unequal split 0.2: Var = s^2 (1/200 + 1/800)
        assertEquals(Z * Math.sqrt(1.0 / 200 + 1.0 / 800), PowerMath.requestMde(Z, 1, 0.2, 1000, 1), 1e-12);
        // days needed is the inverse of the MDE curve
        double d = PowerMath.requestDays(Z, 2, 0.5, 5000, 0.05);
        assertEquals(0.05, PowerMath.requestMde(Z, 2, 0.5, 5000, d), 1e-12);
        // t quantiles for 38 df (scipy t.ppf(0.975, 38) + t.ppf(0.8, 38) = 2.024394 + 0.851183)
        assertEquals(2.024394 + 0.851183, PowerMath.tSum(0.05, 0.8, 38), 1e-5);
    }

    @Test
    void designEffectForm() {
        double s = 3;
        double r = 10_000;
        double days = 7;
        double k = 40;
        double icc = 0.02;
        double m = r * days / k;
        double de = 1 + (m - 1) * icc;
        assertEquals(de, PowerMath.designEffect(m, icc), 1e-12);
        assertEquals(Z * s * Math.sqrt(4 * de / (r * days)), PowerMath.clusteredMde(Z, s, 0.5, r, days, k, icc), 1e-9);
        // ICC 0 is a request RCT
        assertEquals(PowerMath.requestMde(Z, s, 0.5, r, days), PowerMath.clusteredMde(Z, s, 0.5, r, days, k, 0), 1e-12);
        double need = PowerMath.clusteredDays(Z, s, 0.5, r, k, icc, 0.5);
        assertEquals(0.5, PowerMath.clusteredMde(Z, s, 0.5, r, need, k, icc), 1e-9);
        // below the floor Z s sqrt(4 icc / K) = 0.3759 the effect is never reached
        assertEquals(Double.POSITIVE_INFINITY, PowerMath.clusteredDays(Z, s, 0.5, r, k, icc, 0.37));
        assertTrue(Double.isFinite(PowerMath.clusteredDays(Z, s, 0.5, r, k, icc, 0.38)));
        assertTrue(Double.isNaN(PowerMath.clusteredDays(Z, s, 0.5, r, k, Double.NaN, 0.7)));
    }

    @Test
    void switchbackForm() {
        // 24 blocks a day, 14 days, sd 1, rho 0.5: inflation 3
        assertEquals(3, PowerMath.autocorrelationInflation(0.5), 1e-12);
        assertEquals(1, PowerMath.autocorrelationInflation(-0.3), 1e-12);
        assertEquals(Z * Math.sqrt(4 * 3 / 336.0), PowerMath.switchbackMde(Z, 1, 0.5, 0.5, 24, 14), 1e-12);
        double d = PowerMath.switchbackDays(Z, 1, 0.5, 0.5, 24, 0.3);
        assertEquals(0.3, PowerMath.switchbackMde(Z, 1, 0.5, 0.5, 24, d), 1e-12);
    }

    @Test
    void anovaIccByHand() {
        // groups {1,2,3}, {4,5,6}, {7,8,9}: MSB 27, MSW 1, n0 3: ICC = 26 / 29
        VarianceComponents v = VarianceComponents.of(List.of(Moments.of(new double[] {1}, new double[] {2},
                new double[] {3}), Moments.of(new double[] {4}, new double[] {5}, new double[] {6}),
                Moments.of(new double[] {7}, new double[] {8}, new double[] {9})));
        assertEquals(26.0 / 29, v.icc(), 1e-12);
        assertEquals(5, v.mean(), 1e-12);
        assertEquals(Math.sqrt(60.0 / 8), v.sd(), 1e-12);
        assertEquals(3, v.groups());
        // no between-group variation: ICC truncated at 0
        assertEquals(0, VarianceComponents.of(List.of(Moments.of(new double[] {1}, new double[] {3}),
                Moments.of(new double[] {1}, new double[] {3}))).icc(), 1e-12);
        // one observation per group: not estimable
        assertTrue(Double.isNaN(VarianceComponents.of(List.of(Moments.of(new double[] {1}),
                Moments.of(new double[] {3}))).icc()));
    }

    /**
     * Monte Carlo: clusters with random effects (tau 0.5, sigma 1, ICC 0.2), 40 clusters of 50 requests, 20 treated:
     * the ANOVA ICC recovers 0.2 and the variance of the difference in means over re-randomizations matches the
     * design-effect formula.
     */
    @Test
    void designEffectMatchesMonteCarlo() {
        Random rng = new Random(11);
        int k = 40;
        int m = 50;
        double tau = 0.5;
        double iccSum = 0;
        List<Double> diffs = new ArrayList<>();
        int reps = 2000;
        for (int rep = 0; rep < reps; rep++) {
            List<Moments> groups = new ArrayList<>();
            double[] means = new double[k];
            for (int c = 0; c < k; c++) {
                double u = tau * rng.nextGaussian();
                Moments.Accumulator a = new Moments.Accumulator(1);
                for (int i = 0; i < m; i++) {
                    a.add(u + rng.nextGaussian());
                }
                groups.add(a.toMoments());
                means[c] = a.toMoments().mean(0);
            }
            iccSum += VarianceComponents.of(groups).icc();
            List<Integer> idx = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                idx.add(c);
            }
            Collections.shuffle(idx, rng);
            double t = 0;
            double ctl = 0;
            for (int i = 0; i < k; i++) {
                if (i < k / 2) {
                    t += means[idx.get(i)] / (k / 2);
                } else {
                    ctl += means[idx.get(i)] / (k / 2);
                }
            }
            diffs.add(t - ctl);
        }
        assertEquals(0.2, iccSum / reps, 0.01);
        double var = diffs.stream().mapToDouble(d -> d * d).sum() / reps;
        // formula: V = s^2 c (1 + (m-1) icc) / N with s^2 = 1.25, c = 4, N = 2000, ICC = 0.2: 0.027
        double predicted = Math.pow(PowerMath.clusteredMde(1, Math.sqrt(1.25), 0.5, 2000, 1, k, 0.2), 2);
        assertEquals(0.027, predicted, 1e-12);
        assertEquals(predicted, var, 0.1 * predicted); // Monte Carlo SE about 3 %
    }

    /** Monte Carlo: iid block means (rho 0) randomized half and half: Var = sigma_b^2 c / B, as the formula says. */
    @Test
    void switchbackMatchesMonteCarloWithoutAutocorrelation() {
        Random rng = new Random(5);
        int b = 240;
        int reps = 3000;
        double sum = 0;
        for (int rep = 0; rep < reps; rep++) {
            List<Double> x = new ArrayList<>();
            for (int i = 0; i < b; i++) {
                x.add(2 * rng.nextGaussian());
            }
            Collections.shuffle(x, rng);
            double t = x.subList(0, b / 2).stream().mapToDouble(v -> v).average().orElseThrow();
            double c = x.subList(b / 2, b).stream().mapToDouble(v -> v).average().orElseThrow();
            sum += (t - c) * (t - c);
        }
        double predicted = Math.pow(PowerMath.switchbackMde(1, 2, 0, 0.5, 24, 10), 2);
        assertEquals(4 * 4 / 240.0, predicted, 1e-12);
        assertEquals(predicted, sum / reps, 0.1 * predicted);
    }

    @Test
    void sharedStateExcludesRequestAndUserDesigns() {
        Planner.Inputs in = new Planner.Inputs(0.9, 0.3, 10_000, 5_000, 0.01, 40, 0.02, 60, 0.02, 0.3);
        Planner.Plan open = Planner.plan(in, 0.05, 0.8, 0.5, 14, 0.005, List.of(), "ship_broadly");
        assertEquals("request_rct", open.recommended().orElseThrow());
        Planner.Plan shared = Planner.plan(in, 0.05, 0.8, 0.5, 14, 0.005, List.of("cache"), "ship_broadly");
        assertFalse(shared.designs().get(0).validForChange());
        assertFalse(shared.designs().get(1).validForChange());
        Planner.DesignPlan cluster = shared.designs().get(2);
        Planner.DesignPlan sb = shared.designs().get(3);
        String best = cluster.mde() < sb.mde() ? "cluster_rct" : "switchback";
        assertEquals(best, shared.recommended().orElseThrow());
        assertTrue(shared.reason().contains("Excluded: request_rct"), shared.reason());
        assertTrue(shared.reason().contains("shared state (cache)"), shared.reason());
        // cluster numbers: t on 38 df
        double t = PowerMath.tSum(0.05, 0.8, 38);
        assertEquals(t * 0.3 * Math.sqrt(4 * (0.98 / 140_000 + 0.02 / 40)), cluster.mde(), 1e-12);
        assertEquals(Z * 0.02 * Math.sqrt(4 * (1.3 / 0.7) / 336), sb.mde(), 1e-6);
        // too few clusters
        Planner.Plan few = Planner.plan(new Planner.Inputs(0.9, 0.3, 10_000, 5_000, 0.01, 3, 0.02, 60, 0.02, 0.3),
                0.05, 0.8, 0.5, 14, 0.005, List.of("cache"), "ship_broadly");
        assertFalse(few.designs().get(2).validForChange());
        assertEquals("switchback", few.recommended().orElseThrow());
    }
}

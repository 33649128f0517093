package dev.verdict.stats;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SaturationAnalysisTest {

    static Moments m(double... ys) {
        double[][] rows = new double[ys.length][];
        for (int i = 0; i < ys.length; i++) {
            rows[i] = new double[] {ys[i]};
        }
        return ys.length == 0 ? Moments.empty(1) : Moments.of(rows);
    }

    static SaturationAnalysis.ClusterArms c(String id, double s, double[] untreated, double[] treated) {
        return new SaturationAnalysis.ClusterArms(id, s, m(untreated), m(treated));
    }

    @Test
    void handComputedEffectsOnSixClusters() {
        List<SaturationAnalysis.ClusterArms> cs = List.of(
                c("p1", 0, new double[] {10, 12}, new double[] {}),          // untreated mean 11
                c("p2", 0, new double[] {9, 11}, new double[] {}),           // 10
                c("m1", 0.5, new double[] {13, 13}, new double[] {15, 17}),   // untreated 13, treated 16 -> diff 3
                c("m2", 0.5, new double[] {12, 14}, new double[] {18}),       // untreated 13, treated 18 -> diff 5
                c("f1", 1, new double[] {}, new double[] {14, 16}),          // treated 15
                c("f2", 1, new double[] {}, new double[] {12}));             // treated 12
        SaturationAnalysis.Result r = SaturationAnalysis.analyze(cs, 0.05);
        // spillover at 0.5: mean(13, 13) - mean(11, 10) = 2.5; Welch SE sqrt(0/2 + 0.5/2) = 0.5
        assertEquals(1, r.spillover().size());
        assertEquals(2.5, r.spillover().get(0).estimate().estimate(), 1e-12);
        assertEquals(0.5, r.spillover().get(0).estimate().se(), 1e-12);
        // direct at 0.5: mean(3, 5) = 4, SE sd(3,5)/sqrt(2) = sqrt(2)/sqrt(2) = 1, df 1
        assertEquals(4.0, r.direct().get(0).estimate().estimate(), 1e-12);
        assertEquals(1.0, r.direct().get(0).estimate().se(), 1e-12);
        assertEquals(1.0, r.direct().get(0).estimate().df(), 1e-12);
        // total: mean(15, 12) - mean(11, 10) = 3; SE sqrt(4.5/2 + 0.5/2) = sqrt(2.5)
        assertEquals(3.0, r.total().orElseThrow().estimate(), 1e-12);
        assertEquals(Math.sqrt(2.5), r.total().orElseThrow().se(), 1e-12);
        // gap: 4 - 3 = 1, SE sqrt(1 + 2.5)
        assertEquals(1.0, r.gap().orElseThrow().estimate(), 1e-12);
        assertEquals(Math.sqrt(3.5), r.gap().orElseThrow().se(), 1e-12);
    }

    @Test
    void fewerThanTwoPureControlClustersIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SaturationAnalysis.analyze(List.of(
                c("p1", 0, new double[] {1, 2}, new double[] {}),
                c("m1", 0.5, new double[] {1, 2}, new double[] {3, 4})), 0.05));
    }

    /** Simulated clusters with and without spillover: the spillover test has its size and its power. */
    @Test
    void spilloverTestHoldsItsSizeAndRejectsWhenSpilloverExists() {
        SplittableRandom rng = new SplittableRandom(5);
        int reps = 2000;
        int[] reject = new int[2];
        for (int k = 0; k < 2; k++) {
            double spill = k == 0 ? 0 : 1.5;
            for (int rep = 0; rep < reps; rep++) {
                List<SaturationAnalysis.ClusterArms> cs = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    double s = i < 8 ? 0 : 0.5;
                    double clusterShock = rng.nextGaussian();
                    double[] u = new double[20];
                    double[] t = new double[s > 0 ? 20 : 0];
                    for (int j = 0; j < u.length; j++) {
                        u[j] = clusterShock + (s > 0 ? spill : 0) + rng.nextGaussian();
                    }
                    for (int j = 0; j < t.length; j++) {
                        t[j] = clusterShock + spill + 0.5 + rng.nextGaussian();
                    }
                    cs.add(c("c" + i, s, u, t));
                }
                double p = SaturationAnalysis.analyze(cs, 0.05).spillover().get(0).estimate().pValue();
                reject[k] += p < 0.05 ? 1 : 0;
            }
        }
        double size = (double) reject[0] / reps;
        double power = (double) reject[1] / reps;
        assertTrue(size > 0.03 && size < 0.07, "size " + size);
        assertTrue(power > 0.6, "power " + power);
    }
}

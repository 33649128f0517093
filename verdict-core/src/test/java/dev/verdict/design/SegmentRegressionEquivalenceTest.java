package dev.verdict.design;

import dev.verdict.readout.Effect;
import dev.verdict.stats.ClusterBlock;
import dev.verdict.stats.ClusterRobustOls;
import dev.verdict.stats.CoefficientTable;
import dev.verdict.stats.DeltaMethodRatio;
import dev.verdict.stats.Estimate;
import dev.verdict.stats.Moments;
import dev.verdict.stats.OlsFit;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The per-segment effects the readout reports are the fully interacted regression {@code y ~ T * segment}
 * (FRAMEWORK.md section 4, minimum viable CATE): segment effects equal {@code b_T + b_{T x s}} exactly, and the
 * heterogeneity statistic is asymptotically the Wald test of the interaction terms under a robust variance.
 */
class SegmentRegressionEquivalenceTest {

    @Test
    void segmentEffectsAreTheInteractedOlsCoefficients() {
        SplittableRandom rnd = new SplittableRandom(21);
        int n = 6000;
        double[] slope = {0.0, 0.5, 1.5};
        List<ClusterBlock> rows = new ArrayList<>();
        Moments.Accumulator[][] cells = new Moments.Accumulator[3][2];
        for (int s = 0; s < 3; s++) {
            for (int t = 0; t < 2; t++) {
                cells[s][t] = new Moments.Accumulator(2);
            }
        }
        for (int i = 0; i < n; i++) {
            int s = rnd.nextInt(3);
            int t = rnd.nextInt(2);
            double y = 10 + s + slope[s] * t + (1 + s) * gaussian(rnd);
            cells[s][t].add(y, 1.0);
            // regressors: 1, T, S1, S2, T*S1, T*S2
            rows.add(ClusterBlock.ofRows(new double[][] {{1, t, s == 1 ? 1 : 0, s == 2 ? 1 : 0, t * (s == 1 ? 1 : 0),
                    t * (s == 2 ? 1 : 0)}}, new double[] {y}));
        }
        OlsFit fit = ClusterRobustOls.fit(rows);
        List<Effect> effects = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            Estimate e = DeltaMethodRatio.contrast(cells[s][1].toMoments(), cells[s][0].toMoments(), new double[] {1, 0},
                    new double[] {0, 1}, OptionalInt.empty(), 0.05, "welch").result();
            double ols = fit.coefficient(1) + (s == 0 ? 0 : fit.coefficient(3 + s));
            // Invariant: the saturated regression's segment effect is the within-segment difference in means.
            assertEquals(ols, e.estimate(), 1e-9 * (1 + Math.abs(ols)));
            effects.add(new Effect("y", "mean", Effect.ROLE_SUCCESS, Optional.of(new Effect.Segment("s", "v" + s)), 0, 0,
                    e.estimate(), e.se(), e.df(), e.ciLow(), e.ciHigh(), e.pValue(), 0, 0, 0, "welch"));
        }
        double[] q = RandomizedDesign.heterogeneity(effects);
        CoefficientTable hc1 = fit.hc1();
        double wald = hc1.waldZero(4, 5).chiSquare();
        // Asymptotic equivalence: per-cell Welch variances vs HC1 differ by (n_cell - 1)/n_cell and N/(N - K) factors,
        // O(1/n_cell) = 0.1% here; 1% relative is a loose bound on that, not a tolerance on an approximation error.
        assertEquals(wald, q[0], 0.01 * wald);
        assertEquals(2, (int) q[1]);
    }

    private static double gaussian(SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log1p(-rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }
}

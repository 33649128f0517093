package dev.verdict.stats;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Invariants of OLS with classical, CR1 and CR2 variances, on seeded simulated cluster data
 * (y = 1 + 0.5 t + 0.3 x + cluster effect + noise; t a cluster- or row-level 0/1 treatment). All
 * comparisons to 1e-9 relative: each side is computed in floating point from differently rounded sums.
 */
class ClusterRobustOlsPropertyTest {
    private static final double TOL = 1e-9;

    /** Rows: cluster, t, x, y. */
    private static List<double[]> simulate(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int g = 4 + rnd.nextInt(30);
        boolean clusterLevel = rnd.nextBoolean();
        List<double[]> rows = new ArrayList<>();
        for (int c = 0; c < g; c++) {
            int size = 1 + rnd.nextInt(25);
            double effect = rnd.nextGaussian();
            double tc = c % 2;
            for (int i = 0; i < size; i++) {
                double t = clusterLevel ? tc : rnd.nextInt(2);
                double x = 3 * rnd.nextDouble();
                rows.add(new double[] {c, t, x, 1 + 0.5 * t + 0.3 * x + effect + rnd.nextGaussian() * (1 + t)});
            }
        }
        return rows;
    }

    interface Row {
        double[] regressors(double[] row);
    }

    private static List<ClusterBlock> blocks(List<double[]> rows, Row design, double yShift) {
        int k = design.regressors(rows.get(0)).length;
        List<ClusterBlock.Accumulator> acc = new ArrayList<>();
        for (double[] r : rows) {
            int c = (int) r[0];
            while (acc.size() <= c) {
                acc.add(new ClusterBlock.Accumulator(k));
            }
            acc.get(c).add(design.regressors(r), r[3] + yShift);
        }
        List<ClusterBlock> out = new ArrayList<>();
        acc.forEach(a -> out.add(a.toBlock()));
        return out;
    }

    private static final Row MODEL = r -> new double[] {1, r[1], r[2]};

    private static void close(double expected, double actual, String what) {
        assertEquals(expected, actual, TOL * Math.max(1, Math.abs(expected)), what);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void shiftingYShiftsOnlyTheIntercept(long seed) {
        List<double[]> rows = simulate(seed);
        double c = 17.25;
        OlsFit base = ClusterRobustOls.fit(blocks(rows, MODEL, 0));
        OlsFit shifted = ClusterRobustOls.fit(blocks(rows, MODEL, c));
        close(base.coefficient(0) + c, shifted.coefficient(0), "intercept shifts by c");
        for (int j = 1; j < 3; j++) {
            close(base.coefficient(j), shifted.coefficient(j), "slope " + j);
        }
        for (int j = 0; j < 3; j++) {
            close(base.classical().se(j), shifted.classical().se(j), "classical se " + j);
            close(base.cr1().se(j), shifted.cr1().se(j), "CR1 se " + j);
            close(base.cr2().se(j), shifted.cr2().se(j), "CR2 se " + j);
            close(base.cr2().df(j), shifted.cr2().df(j), "CR2 df " + j);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15, 16})
    void duplicatingEveryClusterLeavesThePointEstimate(long seed) {
        List<ClusterBlock> once = blocks(simulate(seed), MODEL, 0);
        List<ClusterBlock> twice = new ArrayList<>(once);
        twice.addAll(once);
        OlsFit a = ClusterRobustOls.fit(once);
        OlsFit b = ClusterRobustOls.fit(twice);
        assertEquals(2 * a.n(), b.n());
        assertEquals(2 * a.clusters(), b.clusters());
        for (int j = 0; j < 3; j++) {
            close(a.coefficient(j), b.coefficient(j), "coefficient " + j);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23, 24, 25, 26})
    void mergingPartialBlocksInAnyOrderGivesTheSameFit(long seed) {
        List<double[]> rows = simulate(seed);
        OlsFit reference = ClusterRobustOls.fit(blocks(rows, MODEL, 0));
        // each cluster's rows split into one-row blocks, shuffled, merged back per cluster; clusters shuffled
        List<double[]> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, new Random(seed));
        List<ClusterBlock> merged = new ArrayList<>();
        for (double[] r : shuffled) {
            int c = (int) r[0];
            while (merged.size() <= c) {
                merged.add(null);
            }
            ClusterBlock one = ClusterBlock.ofRows(new double[][] {MODEL.regressors(r)}, new double[] {r[3]});
            merged.set(c, merged.get(c) == null ? one : one.merge(merged.get(c)));
        }
        Collections.shuffle(merged, new Random(seed + 1));
        OlsFit other = ClusterRobustOls.fit(merged);
        for (int j = 0; j < 3; j++) {
            close(reference.coefficient(j), other.coefficient(j), "coefficient " + j);
            close(reference.cr1().se(j), other.cr1().se(j), "CR1 se " + j);
            close(reference.cr2().se(j), other.cr2().se(j), "CR2 se " + j);
            close(reference.cr2().df(j), other.cr2().df(j), "CR2 df " + j);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {31, 32, 33, 34, 35, 36})
    void recodingTheTreatmentFlipsItsCoefficient(long seed) {
        List<double[]> rows = simulate(seed);
        OlsFit coded = ClusterRobustOls.fit(blocks(rows, MODEL, 0));
        OlsFit flipped = ClusterRobustOls.fit(blocks(rows, r -> new double[] {1, 1 - r[1], r[2]}, 0));
        close(-coded.coefficient(1), flipped.coefficient(1), "treatment coefficient flips sign");
        close(coded.coefficient(2), flipped.coefficient(2), "covariate coefficient unchanged");
        close(coded.cr1().se(1), flipped.cr1().se(1), "CR1 se of the treatment unchanged");
        close(coded.cr2().se(1), flipped.cr2().se(1), "CR2 se of the treatment unchanged");
        close(coded.cr2().df(1), flipped.cr2().df(1), "CR2 df of the treatment unchanged");
    }
}

package dev.verdict.stats;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClusterBlockTest {

    @Test
    void accumulatorSumsMatchTheDefinition() {
        // known truth by hand: rows (1, 2; y 3) and (1, -1; y 0.5)
        ClusterBlock b = ClusterBlock.ofRows(new double[][] {{1, 2}, {1, -1}}, new double[] {3, 0.5});
        assertEquals(2, b.n());
        assertEquals(2.0, b.xtx(0, 0));
        assertEquals(1.0, b.xtx(0, 1));
        assertEquals(1.0, b.xtx(1, 0));
        assertEquals(5.0, b.xtx(1, 1));
        assertEquals(3.5, b.xty(0));
        assertEquals(5.5, b.xty(1));
        assertEquals(9.25, b.yty());
    }

    @ParameterizedTest(name = "k = {0}")
    @ValueSource(ints = {1, 2, 3, 4, 7, 8, 9})
    void columnBatchEqualsRowAtATime(int k) {
        // k = 8 runs the unrolled kernel, the others the tiled one; 1003 rows span several 256-row tiles
        SplittableRandom rnd = new SplittableRandom(3 + k);
        int n = 1003;
        double[][] cols = new double[k][n];
        double[] y = new double[n];
        ClusterBlock.Accumulator rows = new ClusterBlock.Accumulator(k);
        double[] x = new double[k];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < k; j++) {
                cols[j][r] = j == 0 ? 1 : rnd.nextGaussian();
                x[j] = cols[j][r];
            }
            y[r] = rnd.nextGaussian();
            rows.add(x, y[r]);
        }
        ClusterBlock.Accumulator batch = new ClusterBlock.Accumulator(k);
        batch.addColumns(cols, y, 0, 500);
        batch.addColumns(cols, y, 500, 500);
        batch.addColumns(cols, y, 500, n);
        ClusterBlock a = rows.toBlock();
        ClusterBlock b = batch.toBlock();
        assertEquals(a.n(), b.n());
        for (int i = 0; i < k; i++) {
            // summation order differs: equal to rounding (1e-12 of the entry's scale, n = 1003)
            for (int j = 0; j < k; j++) {
                assertEquals(a.xtx(i, j), b.xtx(i, j), 1e-12 * n);
            }
            assertEquals(a.xty(i), b.xty(i), 1e-12 * n);
        }
        assertEquals(a.yty(), b.yty(), 1e-12 * n);
    }

    @Test
    void mergeAddsCountsAndSumsAndIsCommutative() {
        ClusterBlock p = ClusterBlock.ofRows(new double[][] {{1, 2}}, new double[] {3});
        ClusterBlock q = ClusterBlock.ofRows(new double[][] {{1, -1}}, new double[] {0.5});
        ClusterBlock both = ClusterBlock.ofRows(new double[][] {{1, 2}, {1, -1}}, new double[] {3, 0.5});
        assertEquals(both, p.merge(q));
        assertEquals(both, q.merge(p));
        assertThrows(IllegalArgumentException.class, () -> p.merge(ClusterBlock.ofRows(new double[][] {{1}}, new double[] {1})));
    }

    @Test
    void resetEmptiesTheAccumulator() {
        ClusterBlock.Accumulator a = new ClusterBlock.Accumulator(2);
        a.add(new double[] {1, 5}, 2);
        a.reset();
        a.add(new double[] {1, 2}, 3);
        assertEquals(ClusterBlock.ofRows(new double[][] {{1, 2}}, new double[] {3}), a.toBlock());
    }

    @Test
    void nonFiniteInputFails() {
        ClusterBlock.Accumulator a = new ClusterBlock.Accumulator(2);
        a.add(new double[] {1, Double.NaN}, 2);
        assertThrows(IllegalArgumentException.class, a::toBlock);
        assertThrows(IllegalArgumentException.class, () -> new ClusterBlock.Accumulator(2).add(new double[] {1}, 1));
        assertThrows(IllegalArgumentException.class,
                () -> ClusterBlock.of(1, new double[][] {{Double.NaN}}, new double[] {1}, 1));
        assertThrows(IllegalArgumentException.class,
                () -> ClusterBlock.of(1, new double[][] {{1}}, new double[] {1}, Double.NaN));
    }
}

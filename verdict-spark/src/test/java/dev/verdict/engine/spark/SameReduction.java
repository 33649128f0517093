package dev.verdict.engine.spark;

import dev.verdict.reduce.Reduction;
import dev.verdict.reduce.Reduction.Cell;
import dev.verdict.stats.Moments;

import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions that two reductions are the same: counts exactly, moments to a tolerance, quantiles to the bit. */
final class SameReduction {
    /** Relative tolerance of means and co-moments across engines. */
    static final double REL = 1e-9;
    /** Absolute tolerance for values near zero. */
    static final double ABS = 1e-12;

    private SameReduction() {
    }

    /** True when {@code a} and {@code b} agree to 1e-9 relative or 1e-12 absolute (NaN agrees with NaN). */
    static boolean close(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Double.isNaN(a) && Double.isNaN(b);
        }
        double d = Math.abs(a - b);
        return a == b || d <= ABS || d <= REL * Math.max(Math.abs(a), Math.abs(b));
    }

    /**
     * Counts, labels, counters and cell layout equal; means and co-moments within {@link #REL}; quantiles identical
     * (exact quantiles are the same order statistics on every engine).
     */
    static void assertSame(Reduction expected, Reduction actual, String what) {
        assertEquals(expected.rows(), actual.rows(), what + ": rows");
        assertEquals(expected.armLabelCounts(), actual.armLabelCounts(), what + ": label counts");
        assertEquals(expected.counters(), actual.counters(), what + ": counters");
        assertEquals(expected.cells().size(), actual.cells().size(), what + ": cells");
        for (int c = 0; c < expected.cells().size(); c++) {
            Cell x = expected.cells().get(c);
            Cell y = actual.cells().get(c);
            String where = what + ": cell " + x.arm() + " " + x.segment();
            assertEquals(x.arm(), y.arm(), where);
            assertEquals(x.segment(), y.segment(), where);
            assertEquals(x.units(), y.units(), where + " units");
            assertEquals(x.rows(), y.rows(), where + " rows");
            assertEquals(x.moments().keySet(), y.moments().keySet(), where);
            for (String g : new TreeSet<>(x.moments().keySet())) {
                assertMoments(x.moments().get(g), y.moments().get(g), where + " group " + g);
            }
        }
        assertQuantiles(expected.quantiles(), actual.quantiles(), what);
    }

    static void assertMoments(Moments x, Moments y, String where) {
        assertEquals(x.count(), y.count(), where + " count");
        assertEquals(x.dimension(), y.dimension(), where + " dimension");
        for (int i = 0; i < x.dimension(); i++) {
            double a = x.mean(i);
            double b = y.mean(i);
            assertTrue(close(a, b), where + " mean " + i + ": " + a + " vs " + b);
            for (int j = 0; j < x.dimension(); j++) {
                double p = x.comoment(i, j);
                double q = y.comoment(i, j);
                assertTrue(close(p, q), where + " comoment " + i + "," + j + ": " + p + " vs " + q);
            }
        }
    }

    static void assertQuantiles(Map<String, Map<String, double[]>> x, Map<String, Map<String, double[]>> y,
                                String what) {
        assertEquals(x.keySet(), y.keySet(), what + ": quantile columns");
        for (String column : x.keySet()) {
            assertEquals(x.get(column).keySet(), y.get(column).keySet(), what + ": quantile groups of " + column);
            for (String group : x.get(column).keySet()) {
                assertArrayEquals(x.get(column).get(group), y.get(column).get(group), 0.0,
                        what + ": quantiles of " + column + " in " + group);
            }
        }
    }

    /** The two reductions are identical to the bit: every count, mean, co-moment and quantile. */
    static void assertIdentical(Reduction expected, Reduction actual, String what) {
        assertEquals(expected.rows(), actual.rows(), what);
        assertEquals(expected.armLabelCounts(), actual.armLabelCounts(), what);
        assertEquals(expected.counters(), actual.counters(), what);
        assertEquals(expected.cells().size(), actual.cells().size(), what);
        for (int c = 0; c < expected.cells().size(); c++) {
            Cell x = expected.cells().get(c);
            Cell y = actual.cells().get(c);
            assertEquals(x.arm(), y.arm(), what);
            assertEquals(x.segment(), y.segment(), what);
            assertEquals(x.units(), y.units(), what);
            assertEquals(x.rows(), y.rows(), what);
            for (String g : x.moments().keySet()) {
                assertBits(x.moments().get(g), y.moments().get(g), what + ": cell " + x.arm() + " " + x.segment()
                        + " group " + g);
            }
        }
        assertQuantiles(expected.quantiles(), actual.quantiles(), what);
    }

    static void assertBits(Moments x, Moments y, String where) {
        assertEquals(x.count(), y.count(), where);
        for (int i = 0; i < x.dimension(); i++) {
            assertEquals(Double.doubleToRawLongBits(x.mean(i)), Double.doubleToRawLongBits(y.mean(i)),
                    where + " mean " + i + ": " + x.mean(i) + " vs " + y.mean(i));
            for (int j = 0; j < x.dimension(); j++) {
                assertEquals(Double.doubleToRawLongBits(x.comoment(i, j)), Double.doubleToRawLongBits(y.comoment(i, j)),
                        where + " comoment " + i + "," + j + ": " + x.comoment(i, j) + " vs " + y.comoment(i, j));
            }
        }
    }
}

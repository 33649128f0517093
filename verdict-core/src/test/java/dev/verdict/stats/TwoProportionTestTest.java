package dev.verdict.stats;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.verdict.stats.ReferenceCases.assertReference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Two proportions against R 4.2.2 {@code prop.test} (cases two_prop_*). */
class TwoProportionTestTest {

    private static void assertCase(TwoProportionResult r, String id, String... prefix) {
        assertReference(r.p1(), id, path(prefix, "p1"));
        assertReference(r.p0(), id, path(prefix, "p2"));
        assertReference(r.difference(), id, path(prefix, "diff_p1_minus_p2"));
        assertReference(r.sePooled(), id, path(prefix, "se_pooled"));
        assertReference(r.zPooled(), id, path(prefix, "z_pooled"));
        assertReference(r.chiSquare(), id, path(prefix, "chisq"));
        assertReference(r.pValue(), id, path(prefix, "p_value"));
        assertReference(r.unpooled().se(), id, path(prefix, "se_unpooled"));
        assertReference(r.unpooled().ciLow(), id, path(prefix, "ci95_p1_minus_p2", "0"));
        assertReference(r.unpooled().ciHigh(), id, path(prefix, "ci95_p1_minus_p2", "1"));
    }

    private static String[] path(String[] prefix, String... rest) {
        String[] p = new String[prefix.length + rest.length];
        System.arraycopy(prefix, 0, p, 0, prefix.length);
        System.arraycopy(rest, 0, p, prefix.length, rest.length);
        return p;
    }

    @Test
    void equalSizesUncorrected() {
        TwoProportionResult r = TwoProportionTest.compare(1200, 10000, 1300, 10000, 0.05, false);
        assertCase(r, "two_prop_1200_vs_1300", "uncorrected");
        // invariant (reference notes): chisq = z_pooled^2 without continuity correction
        assertEquals(r.zPooled() * r.zPooled(), r.chiSquare(), 1e-12 * r.chiSquare());
    }

    @Test
    void equalSizesContinuityCorrected() {
        TwoProportionResult r = TwoProportionTest.compare(1200, 10000, 1300, 10000, 0.05, true);
        assertCase(r, "two_prop_1200_vs_1300", "continuity_corrected");
    }

    @Test
    void unequalSizes() {
        assertCase(TwoProportionTest.compare(530, 5000, 4810, 45000, 0.05, false), "two_prop_unequal_n");
    }

    @Test
    void lalondeEmployment78() {
        long x1 = 0;
        long n1 = 0;
        long x0 = 0;
        long n0 = 0;
        List<String[]> rows = ReferenceCases.csv("/reference/stats/lalonde.csv");
        for (String[] row : rows) {
            boolean employed = Double.parseDouble(row[9]) > 0;
            if (row[1].equals("1")) {
                n1++;
                x1 += employed ? 1 : 0;
            } else {
                n0++;
                x0 += employed ? 1 : 0;
            }
        }
        String id = "two_prop_lalonde_employed78";
        assertEquals((long) ReferenceCases.num(id, "x", "0"), x1);
        assertEquals((long) ReferenceCases.num(id, "x", "1"), x0);
        assertCase(TwoProportionTest.compare(x1, n1, x0, n0, 0.05, false), id);
    }

    @Test
    void unpooledIntervalAndPValueAgree() {
        // invariant: the unpooled Estimate's CI excludes 0 exactly when its p < alpha
        for (boolean cc : new boolean[] {false, true}) {
            for (long x0 : new long[] {1100, 1160, 1180, 1200, 1300}) {
                Estimate e = TwoProportionTest.compare(1200, 10000, x0, 10000, 0.05, cc).unpooled();
                boolean excludes = e.ciLow() > 0 || e.ciHigh() < 0;
                assertEquals(excludes, e.pValue() < 0.05, "x0 = " + x0 + ", correct = " + cc);
            }
        }
    }

    @Test
    void invalidCountsFail() {
        assertThrows(IllegalArgumentException.class, () -> TwoProportionTest.compare(11, 10, 1, 10, 0.05, false));
        assertThrows(IllegalArgumentException.class, () -> TwoProportionTest.compare(1, 0, 1, 10, 0.05, false));
        assertThrows(IllegalArgumentException.class, () -> TwoProportionTest.compare(1, 10, 1, 10, Double.NaN, false));
    }
}

package dev.verdict.stats;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.verdict.stats.ReferenceCases.assertReference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Welch and Student t tests against R 4.2.2 {@code t.test} (cases welch_lalonde_re78, welch_inline_small). */
class WelchTestTest {

    private static Moments[] lalondeRe78() {
        Moments.Accumulator treated = new Moments.Accumulator(1);
        Moments.Accumulator control = new Moments.Accumulator(1);
        List<String[]> rows = ReferenceCases.csv("/reference/stats/lalonde.csv");
        assertEquals(614, rows.size(), "lalonde.csv rows (SOURCES.md: 614)");
        for (String[] r : rows) {
            double re78 = Double.parseDouble(r[9]);
            (r[1].equals("1") ? treated : control).add(re78);
        }
        return new Moments[] {treated.toMoments(), control.toMoments()};
    }

    @Test
    void welchOnLalondeMatchesTTest() {
        Moments[] arms = lalondeRe78();
        Estimate e = WelchTest.welch(arms[0], arms[1], 0, 0.05);
        String id = "welch_lalonde_re78";
        assertReference(e.estimate(), id, "welch", "difference");
        assertReference(e.se(), id, "welch", "se");
        assertReference(e.statistic(), id, "welch", "t");
        assertReference(e.df(), id, "welch", "df");
        assertReference(e.pValue(), id, "welch", "p");
        assertReference(e.ciLow(), id, "welch", "ci95", "0");
        assertReference(e.ciHigh(), id, "welch", "ci95", "1");
        assertEquals("welch", e.method());
    }

    @Test
    void studentOnLalondeMatchesTTestVarEqual() {
        Moments[] arms = lalondeRe78();
        Estimate e = WelchTest.student(arms[0], arms[1], 0, 0.05);
        String id = "welch_lalonde_re78";
        assertReference(e.estimate(), id, "student", "difference");
        assertReference(e.se(), id, "student", "se");
        assertReference(e.statistic(), id, "student", "t");
        assertReference(e.df(), id, "student", "df");
        assertReference(e.pValue(), id, "student", "p");
        assertReference(e.ciLow(), id, "student", "ci95", "0");
        assertReference(e.ciHigh(), id, "student", "ci95", "1");
    }

    @Test
    void welchOnInlineSampleMatchesTTest() {
        String id = "welch_inline_small";
        Moments.Accumulator a = new Moments.Accumulator(1);
        Moments.Accumulator b = new Moments.Accumulator(1);
        ReferenceCases.node(id, "x").forEach(v -> a.add(v.asDouble()));
        ReferenceCases.node(id, "y").forEach(v -> b.add(v.asDouble()));
        Moments x = a.toMoments();
        Moments y = b.toMoments();
        Estimate e = WelchTest.welch(x.count(), x.mean(0), x.variance(0), y.count(), y.mean(0), y.variance(0), 0.05);
        assertReference(e.estimate(), id, "difference");
        assertReference(e.se(), id, "se");
        assertReference(e.statistic(), id, "t");
        assertReference(e.df(), id, "df");
        assertReference(e.pValue(), id, "p");
        assertReference(e.ciLow(), id, "ci95", "0");
        assertReference(e.ciHigh(), id, "ci95", "1");
    }

    @Test
    void swappingArmsFlipsTheSignOnly() {
        // invariant: welch(control, treatment) = -welch(treatment, control), same se, df, p
        Estimate ab = WelchTest.welch(8, 11.5, 1.3, 7, 9.8, 0.6, 0.05);
        Estimate ba = WelchTest.welch(7, 9.8, 0.6, 8, 11.5, 1.3, 0.05);
        assertEquals(-ab.estimate(), ba.estimate(), 0.0);
        assertEquals(ab.se(), ba.se(), 0.0);
        assertEquals(ab.df(), ba.df(), 1e-12);
        assertEquals(ab.pValue(), ba.pValue(), 1e-15);
        assertEquals(-ab.ciHigh(), ba.ciLow(), 1e-12);
    }

    @Test
    void equalVariancesAndSizesGiveTheSameSeForWelchAndStudent() {
        // invariant: with n1 = n0 and v1 = v0 both se formulas coincide and Welch df = n1 + n0 - 2
        Estimate w = WelchTest.welch(50, 1.0, 4.0, 50, 0.5, 4.0, 0.05);
        Estimate s = WelchTest.student(50, 1.0, 4.0, 50, 0.5, 4.0, 0.05);
        assertEquals(s.se(), w.se(), 1e-15);
        assertEquals(98.0, w.df(), 1e-12);
    }

    @Test
    void constantArmsGiveNanInferenceNotCertainty() {
        Estimate w = WelchTest.welch(5, 1.0, 0.0, 5, 0.0, 0.0, 0.05);
        assertEquals(Double.NaN, w.pValue());
    }

    @Test
    void invalidInputsFail() {
        assertThrows(IllegalArgumentException.class, () -> WelchTest.welch(1, 0, 1, 5, 0, 1, 0.05));
        assertThrows(IllegalArgumentException.class, () -> WelchTest.welch(5, Double.NaN, 1, 5, 0, 1, 0.05));
        assertThrows(IllegalArgumentException.class, () -> WelchTest.welch(5, 0, Double.NaN, 5, 0, 1, 0.05));
        assertThrows(IllegalArgumentException.class, () -> WelchTest.student(5, 0, -1, 5, 0, 1, 0.05));
    }
}

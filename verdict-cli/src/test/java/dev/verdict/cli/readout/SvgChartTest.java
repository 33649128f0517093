package dev.verdict.cli.readout;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SVG writer's numbers and markup: ticks, labels, coordinates, marks and the text alternative. */
class SvgChartTest {
    @Test
    void ticksAreOneTwoOrFiveTimesAPowerOfTenInsideTheRange() {
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1}, SvgChart.ticks(-0.05, 1.05), 1e-12);
        assertArrayEquals(new double[] {-50, 0, 50, 100, 150}, SvgChart.ticks(-93, 153), 1e-12);
        assertArrayEquals(new double[] {3}, SvgChart.ticks(3, 3), 0);
    }

    @Test
    void tickLabelsUseTheDigitsTheSpacingNeeds() {
        double[] t = {0, 0.005, 0.01, 0.015};
        assertEquals("0.005", SvgChart.tickLabel(0.005, t));
        assertEquals("0.01", SvgChart.tickLabel(0.01, t));
        double[] small = {-6e-6, -5e-6, -4e-6};
        assertEquals("-6e-6", SvgChart.tickLabel(-6e-6, small));
        assertEquals("-5e-6", SvgChart.tickLabel(-5e-6 + 1e-22, small));
        assertEquals("2000", SvgChart.tickLabel(2000, new double[] {0, 1000, 2000}));
    }

    @Test
    void coordinatesHaveTwoDecimalsAndNoLocale() {
        assertEquals("12.5", SvgChart.f(12.5));
        assertEquals("-0.25", SvgChart.f(-0.25));
        assertEquals("3", SvgChart.f(3.0001));
        assertEquals("-1.05", SvgChart.f(-1.049999));
    }

    @Test
    void figureIsAccessibleCountsItsMarksAndEscapesText() {
        SvgChart c = new SvgChart("chart-x", "A <title>", "", 300, 200).domain(0, 1, 0, 1);
        c.axes("x (seconds)", "y (requests)");
        c.point(0.5, 0.5, SvgChart.Shape.OPEN_SQUARE, SvgChart.TREATED, "p", "a & b");
        c.path(new double[] {0, 1}, new double[] {0, Double.NaN}, SvgChart.CONTROL, "4 2", 1, "line");
        String html = c.withDescription("Two marks & a <desc>.").figure();
        assertTrue(html.contains("role=\"img\""));
        assertTrue(html.contains("data-marks=\"2\""));
        assertTrue(html.contains("<title id=\"chart-x-title\">A &lt;title&gt;</title>"));
        assertTrue(html.contains("<desc id=\"chart-x-desc\">Two marks &amp; a &lt;desc&gt;.</desc>"));
        assertTrue(html.contains("x (seconds)") && html.contains("y (requests)"));
        assertFalse(html.contains("NaN"));
    }
}

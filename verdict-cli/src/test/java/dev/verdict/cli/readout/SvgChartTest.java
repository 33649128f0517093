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

    /**
     * The palette reads in greyscale: the two arm colours, the muted placebo grey and the white of open shapes differ
     * in relative luminance (WCAG 2 definition) by a contrast ratio of at least 1.5 pairwise, so a greyscale print
     * still tells them apart even before shape and dash do.
     */
    @Test
    void paletteColoursDifferInLuminance() {
        String[] palette = {SvgChart.TREATED, SvgChart.CONTROL, SvgChart.MUTED, "#ffffff"};
        for (int a = 0; a < palette.length; a++) {
            for (int b = a + 1; b < palette.length; b++) {
                double la = luminance(palette[a]);
                double lb = luminance(palette[b]);
                double ratio = (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
                assertTrue(ratio >= 1.5, palette[a] + " vs " + palette[b] + ": contrast " + ratio);
            }
        }
        // positive control: two hues of equal luminance fail the rule
        assertTrue((luminance("#808080") + 0.05) / (luminance("#808080") + 0.05) < 1.5);
    }

    /** WCAG 2 relative luminance of a #rrggbb colour. */
    private static double luminance(String hex) {
        double[] w = {0.2126, 0.7152, 0.0722};
        double l = 0;
        for (int i = 0; i < 3; i++) {
            double c = Integer.parseInt(hex.substring(1 + 2 * i, 3 + 2 * i), 16) / 255.0;
            l += w[i] * (c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
        }
        return l;
    }
}

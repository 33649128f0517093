package dev.verdict.cli.readout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small writer of static SVG charts: a plot area with linear x and y scales, axes with labelled ticks, and marks
 * written as SVG elements; {@link #figure()} returns the chart as an accessible HTML {@code <figure>}.
 *
 * <p>Why our own writer rather than a charting library or Vega-Lite: the readout needs a handful of simple chart
 * types (interval rows, lines, points, bars), drawn from numbers the estimators already produced. A server-side writer
 * gives byte-identical output for the same readout (coordinates are printed with a fixed, locale-independent format),
 * needs no script at all when the file is opened (nothing to bundle, nothing to fail offline, nothing a print
 * dialog can miss), and adds no dependency. The maintained JVM charting libraries (JFreeChart is LGPL; XChart and
 * Tablesaw's Plotly output are Apache-2.0) either draw bitmaps, embed a JavaScript renderer, or write SVG with
 * generated ids and floating-point text that differs between runs; Vega-Lite would need its renderer bundled from npm
 * at build time and scripts running in the reader's browser.
 *
 * <p>Accessibility: the {@code <svg>} has {@code role="img"}, a {@code <title>} and a {@code <desc>} (the text
 * alternative), and is labelled by them; the axes carry labels with units. Series are told apart by shape, fill and
 * dash pattern as well as by colour, so the charts read in greyscale and in print.
 *
 * <p>Counting: every element that stands for one datum or one series (an interval, a point, a path, a bar) is a
 * <em>mark</em>, carries {@code class="mark ..."}, and is counted in the svg's {@code data-marks} attribute, so that
 * tests (and the browser test) can compare what was drawn with the data.
 */
final class SvgChart {
    static final String TREATED = "#1f4e79";
    static final String CONTROL = "#b4561b";
    static final String MUTED = "#9a9a9a";

    private int left = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 12;
    private static final int BOTTOM = 48;

    private final String id;
    private final String title;
    private String description;
    private String defs = "";
    private final int width;
    private final int height;
    private final StringBuilder back = new StringBuilder();
    private final StringBuilder body = new StringBuilder();
    private final List<String> legend = new ArrayList<>();
    private int marks;
    private boolean absoluteY;
    private double x0;
    private double x1;
    private double y0;
    private double y1;

    SvgChart(String id, String title, String description, int width, int height) {
        this.id = id;
        this.title = title;
        this.description = description;
        this.width = width;
        this.height = height;
    }

    /** Sets the plot's left margin in pixels (room for row labels); call before drawing. */
    SvgChart leftMargin(int pixels) {
        this.left = pixels;
        return this;
    }

    /** Sets the data ranges of both axes (widened a little so that no mark sits on the frame). */
    SvgChart domain(double xMin, double xMax, double yMin, double yMax) {
        double[] x = pad(xMin, xMax);
        double[] y = pad(yMin, yMax);
        x0 = x[0];
        x1 = x[1];
        y0 = y[0];
        y1 = y[1];
        return this;
    }

    int plotLeft() {
        return left;
    }

    int plotRight() {
        return width - RIGHT;
    }

    int plotTop() {
        return TOP;
    }

    int plotBottom() {
        return height - BOTTOM;
    }

    double px(double x) {
        return left + (x - x0) / (x1 - x0) * (width - left - RIGHT);
    }

    double py(double y) {
        return height - BOTTOM - (y - y0) / (y1 - y0) * (height - TOP - BOTTOM);
    }

    /** Replaces the text alternative (the svg's desc and the paragraph under it). */
    SvgChart withDescription(String text) {
        this.description = text;
        return this;
    }

    /** Adds SVG definitions (patterns); their ids must start with this chart's id. */
    SvgChart defs(String xml) {
        this.defs = defs + xml;
        return this;
    }

    /** Draws the y axis alone, with nice ticks, grid lines and its label (the x axis drawn by {@link #xAxis}). */
    SvgChart yAxisOnly(String yLabel) {
        yAxis(yLabel);
        return this;
    }

    /** Draws both axes with nice ticks and their labels. */
    SvgChart axes(String xLabel, String yLabel) {
        xAxis(xLabel, ticks(x0, x1), null);
        yAxis(yLabel);
        return this;
    }

    /** Draws the x axis with ticks at the given data values, labelled by {@code labels} (or the values). */
    SvgChart xAxis(String xLabel, double[] at, List<String> labels) {
        back.append("<line class=\"axis\" x1=\"").append(f(left)).append("\" y1=\"").append(f(plotBottom()))
                .append("\" x2=\"").append(f(plotRight())).append("\" y2=\"").append(f(plotBottom())).append("\"/>\n");
        for (int i = 0; i < at.length; i++) {
            double x = px(at[i]);
            back.append("<line class=\"tick\" x1=\"").append(f(x)).append("\" y1=\"").append(f(plotBottom()))
                    .append("\" x2=\"").append(f(x)).append("\" y2=\"").append(f(plotBottom() + 4)).append("\"/>")
                    .append(text(x, plotBottom() + 16, "middle", labels == null ? tickLabel(at[i], at) : labels.get(i)))
                    .append('\n');
        }
        back.append(text((left + plotRight()) / 2.0, height - 10, "middle", xLabel)).append('\n');
        return this;
    }

    /** Labels the y axis with absolute values (for mirrored charts, where below the axis counts the other way). */
    SvgChart absoluteYLabels() {
        this.absoluteY = true;
        return this;
    }

    private void yAxis(String yLabel) {
        back.append("<line class=\"axis\" x1=\"").append(f(left)).append("\" y1=\"").append(f(TOP)).append("\" x2=\"")
                .append(f(left)).append("\" y2=\"").append(f(plotBottom())).append("\"/>\n");
        double[] yTicks = ticks(y0, y1);
        for (double v : yTicks) {
            double y = py(v);
            back.append("<line class=\"grid\" x1=\"").append(f(left)).append("\" y1=\"").append(f(y)).append("\" x2=\"")
                    .append(f(plotRight())).append("\" y2=\"").append(f(y)).append("\"/>")
                    .append(text(left - 6, y + 4, "end", tickLabel(absoluteY ? Math.abs(v) : v, yTicks))).append('\n');
        }
        back.append("<text class=\"label\" transform=\"translate(14,").append(f((TOP + plotBottom()) / 2.0))
                .append(") rotate(-90)\" text-anchor=\"middle\">").append(HtmlText.escape(yLabel)).append("</text>\n");
    }

    /** A horizontal reference line at data value {@code y}, dashed when {@code dash} is not null. */
    SvgChart hRule(double y, String cssClass, String dash) {
        return rule(left, py(y), plotRight(), py(y), cssClass, dash);
    }

    /** A vertical reference line at data value {@code x}. */
    SvgChart vRule(double x, String cssClass, String dash) {
        return rule(px(x), TOP, px(x), plotBottom(), cssClass, dash);
    }

    SvgChart rule(double xa, double ya, double xb, double yb, String cssClass, String dash) {
        back.append("<line class=\"").append(cssClass).append("\" x1=\"").append(f(xa)).append("\" y1=\"").append(f(ya))
                .append("\" x2=\"").append(f(xb)).append("\" y2=\"").append(f(yb)).append('"');
        if (dash != null) {
            back.append(" stroke-dasharray=\"").append(dash).append('"');
        }
        back.append("/>\n");
        return this;
    }

    /** A shaded band between data values {@code xa} and {@code xb} over the whole plot height. */
    SvgChart xBand(double xa, double xb, String cssClass) {
        double a = Math.max(left, Math.min(px(xa), px(xb)));
        double b = Math.min(plotRight(), Math.max(px(xa), px(xb)));
        if (b > a) {
            back.append("<rect class=\"").append(cssClass).append("\" x=\"").append(f(a)).append("\" y=\"").append(f(TOP))
                    .append("\" width=\"").append(f(b - a)).append("\" height=\"").append(f(plotBottom() - TOP))
                    .append("\"/>\n");
        }
        return this;
    }

    /** Free text in pixel coordinates (a row label, a note); not a mark. */
    SvgChart label(double x, double y, String anchor, String s) {
        back.append(text(x, y, anchor, s)).append('\n');
        return this;
    }

    /** One mark: an SVG element (or group) written as is; its class attribute must start with "mark". */
    SvgChart mark(String element) {
        body.append(element).append('\n');
        marks++;
        return this;
    }

    /** A point mark: a filled circle, an open circle, a filled square or an open square. */
    SvgChart point(double x, double y, Shape shape, String color, String cssClass, String tooltip) {
        double cx = px(x);
        double cy = py(y);
        String tip = tooltip == null ? "" : "<title>" + HtmlText.escape(tooltip) + "</title>";
        String fill = shape.filled ? color : "#ffffff";
        String el = shape.square
                ? "<rect class=\"mark " + cssClass + "\" x=\"" + f(cx - 3.5) + "\" y=\"" + f(cy - 3.5)
                + "\" width=\"7\" height=\"7\" fill=\"" + fill + "\" stroke=\"" + color + "\">" + tip + "</rect>"
                : "<circle class=\"mark " + cssClass + "\" cx=\"" + f(cx) + "\" cy=\"" + f(cy) + "\" r=\"3.5\" fill=\""
                + fill + "\" stroke=\"" + color + "\">" + tip + "</circle>";
        return mark(el);
    }

    /** A path mark through the finite points, broken at non-finite ones. */
    SvgChart path(double[] x, double[] y, String color, String dash, double strokeWidth, String cssClass) {
        StringBuilder d = new StringBuilder();
        boolean pen = false;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                pen = false;
                continue;
            }
            d.append(pen ? " L" : (d.length() == 0 ? "M" : " M")).append(f(px(x[i]))).append(',').append(f(py(y[i])));
            pen = true;
        }
        return mark("<path class=\"mark " + cssClass + "\" d=\"" + d + "\" fill=\"none\" stroke=\"" + color
                + "\" stroke-width=\"" + f(strokeWidth) + "\"" + (dash == null ? "" : " stroke-dasharray=\"" + dash + "\"")
                + "/>");
    }

    /** Adds a legend entry: a line sample (with dash) and a point sample, then the text. */
    SvgChart legend(String text, String color, String dash, Shape shape) {
        legend.add(HtmlText.escape(text) + "\u0000" + color + "\u0000" + (dash == null ? "" : dash) + "\u0000"
                + (shape == null ? "" : shape.name()));
        return this;
    }

    /** Adds a legend entry: a rectangle filled with {@code fill} (a colour or a pattern's {@code url(#id)}), then the text. */
    SvgChart legendSwatch(String text, String fill, String stroke) {
        legend.add(HtmlText.escape(text) + "\u0000" + stroke + "\u0000\u0000\u0000" + fill);
        return this;
    }

    int marks() {
        return marks;
    }

    /** The chart as an HTML figure: caption, the svg with its text alternative, and the alternative again as text. */
    String figure() {
        StringBuilder s = new StringBuilder();
        s.append("<figure class=\"chart\" id=\"").append(id).append("\">\n<figcaption>").append(HtmlText.escape(title))
                .append("</figcaption>\n");
        s.append("<svg role=\"img\" aria-labelledby=\"").append(id)
                .append("-title ").append(id).append("-desc\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height + legendHeight()).append("\" width=\"").append(width).append("\" height=\"")
                .append(height + legendHeight()).append("\" data-marks=\"").append(marks).append("\">\n");
        s.append("<title id=\"").append(id).append("-title\">").append(HtmlText.escape(title)).append("</title>\n");
        s.append("<desc id=\"").append(id).append("-desc\">").append(HtmlText.escape(description)).append("</desc>\n");
        if (!defs.isEmpty()) {
            s.append("<defs>").append(defs).append("</defs>\n");
        }
        s.append(back).append(body);
        legendSvg(s);
        s.append("</svg>\n<p class=\"alt\">").append(HtmlText.escape(description)).append("</p>\n</figure>\n");
        return s.toString();
    }

    private int legendHeight() {
        return legend.isEmpty() ? 0 : 18 * ((legend.size() + 2) / 3);
    }

    private void legendSvg(StringBuilder s) {
        for (int i = 0; i < legend.size(); i++) {
            String[] p = legend.get(i).split("\u0000", -1);
            double x = left + (i % 3) * ((width - left) / 3.0);
            double y = height + 18 * (i / 3) + 4;
            if (p.length > 4) {
                s.append("<g class=\"legend\"><rect x=\"").append(f(x)).append("\" y=\"").append(f(y - 6))
                        .append("\" width=\"24\" height=\"12\" fill=\"").append(p[4]).append("\" stroke=\"").append(p[1])
                        .append("\"/><text x=\"").append(f(x + 30)).append("\" y=\"").append(f(y + 4)).append("\">")
                        .append(p[0]).append("</text></g>\n");
                continue;
            }
            s.append("<g class=\"legend\"><line x1=\"").append(f(x)).append("\" y1=\"").append(f(y)).append("\" x2=\"")
                    .append(f(x + 24)).append("\" y2=\"").append(f(y)).append("\" stroke=\"").append(p[1])
                    .append("\" stroke-width=\"2\"");
            if (!p[2].isEmpty()) {
                s.append(" stroke-dasharray=\"").append(p[2]).append('"');
            }
            s.append("/>");
            if (!p[3].isEmpty()) {
                Shape sh = Shape.valueOf(p[3]);
                String fill = sh.filled ? p[1] : "#ffffff";
                s.append(sh.square
                        ? "<rect x=\"" + f(x + 8.5) + "\" y=\"" + f(y - 3.5) + "\" width=\"7\" height=\"7\" fill=\"" + fill
                        + "\" stroke=\"" + p[1] + "\"/>"
                        : "<circle cx=\"" + f(x + 12) + "\" cy=\"" + f(y) + "\" r=\"3.5\" fill=\"" + fill + "\" stroke=\""
                        + p[1] + "\"/>");
            }
            s.append("<text x=\"").append(f(x + 30)).append("\" y=\"").append(f(y + 4)).append("\">").append(p[0])
                    .append("</text></g>\n");
        }
    }

    /** Point shapes; filled versus open and round versus square read without colour. */
    enum Shape {
        FILLED_CIRCLE(true, false), OPEN_CIRCLE(false, false), FILLED_SQUARE(true, true), OPEN_SQUARE(false, true);

        final boolean filled;
        final boolean square;

        Shape(boolean filled, boolean square) {
            this.filled = filled;
            this.square = square;
        }
    }

    private static String text(double x, double y, String anchor, String s) {
        return "<text x=\"" + f(x) + "\" y=\"" + f(y) + "\" text-anchor=\"" + anchor + "\">" + HtmlText.escape(s) + "</text>";
    }

    /** Ticks at 1, 2 or 5 times a power of ten, about five of them, inside {@code [lo, hi]}. */
    static double[] ticks(double lo, double hi) {
        double span = hi - lo;
        if (!(span > 0) || !Double.isFinite(span)) {
            return new double[] {lo};
        }
        double raw = span / 5;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double r = raw / mag;
        double step = (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10) * mag;
        long first = (long) Math.ceil(lo / step - 1e-9);
        long last = (long) Math.floor(hi / step + 1e-9);
        double[] out = new double[(int) (last - first + 1)];
        for (long k = first; k <= last; k++) {
            double v = k * step;
            out[(int) (k - first)] = Math.abs(v) < step * 1e-9 ? 0 : v;
        }
        return out;
    }

    /** The range widened by 5% on each side; a zero-width range becomes one unit wide (or 10% of its value). */
    static double[] pad(double lo, double hi) {
        if (!(Double.isFinite(lo) && Double.isFinite(hi))) {
            return new double[] {0, 1};
        }
        if (hi <= lo) {
            double w = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            return new double[] {lo - w, hi + w};
        }
        double w = (hi - lo) * 0.05;
        return new double[] {lo - w, hi + w};
    }

    /** A pixel coordinate with two decimals and no locale. */
    static String f(double v) {
        long hundredths = Math.round(v * 100);
        long whole = hundredths / 100;
        long frac = Math.abs(hundredths % 100);
        String sign = hundredths < 0 && whole == 0 ? "-" : "";
        if (frac == 0) {
            return sign + whole;
        }
        return sign + whole + "." + (frac % 10 == 0 ? Long.toString(frac / 10) : String.format(Locale.ROOT, "%02d", frac));
    }

    /**
     * A tick label with no more digits than the tick spacing needs: plain decimals, or {@code 15e-6} style when the
     * spacing is below 0.001 or the values are 10^7 or more.
     */
    static String tickLabel(double v, double[] ticks) {
        if (v == 0 || !Double.isFinite(v)) {
            return v == 0 ? "0" : num(v);
        }
        double step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : Math.abs(v);
        int exp = (int) Math.floor(Math.log10(step) + 1e-9);
        if (step >= 1e-3 && Math.abs(v) < 1e7) {
            return new java.math.BigDecimal(v).setScale(Math.max(0, -exp), java.math.RoundingMode.HALF_EVEN)
                    .stripTrailingZeros().toPlainString();
        }
        long k = Math.round(v / Math.pow(10, exp));
        while (k % 10 == 0) {
            k /= 10;
            exp++;
        }
        return k + "e" + exp;
    }

    /** A tick or data value for display: the readout's number format. */
    static String num(double v) {
        return ReadoutMarkdown.num(v);
    }
}

package dev.verdict.cli.readout;

import dev.verdict.decide.Recommendation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.verdict.cli.readout.SvgChart.CONTROL;
import static dev.verdict.cli.readout.SvgChart.TREATED;
import static dev.verdict.cli.readout.SvgChart.f;
import static dev.verdict.cli.readout.SvgChart.num;

/**
 * The design lab's charts, drawn by {@link SvgChart} from a {@link LabSummary} (whose numbers, Monte Carlo intervals
 * included, lab.json also holds); nothing is estimated here. Each chart has one row per design (the coverage chart adds
 * a row per other inference method) and one mark per row it can draw.
 */
public final class LabCharts {
    /** Every chart id this class draws, in page order. */
    public static final List<String> CHART_IDS = List.of("chart-lab-bias", "chart-lab-coverage",
            "chart-lab-recommendations");

    private static final int WIDTH = 640;
    private static final int ROW = 28;
    private static final String INK = "#333333";

    private LabCharts() {
    }

    /**
     * Bias by design: each design's mean of estimate minus true effect with its 95% Monte Carlo interval, and zero as a
     * solid line. One mark per design with a finite bias.
     */
    static ReadoutCharts.Chart bias(LabSummary s) {
        List<LabSummary.Design> ds = s.designs();
        double lo = 0;
        double hi = 0;
        for (LabSummary.Design d : ds) {
            for (double v : new double[] {d.bias().mean(), d.bias().mcLow(), d.bias().mcHigh()}) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        String id = "chart-lab-bias";
        String title = "Bias by design";
        StringBuilder alt = new StringBuilder("Each design's bias: the mean over " + s.replicates()
                + " replicates of its estimate of the TTFT effect minus that replicate's true effect, in ms, with a 95% "
                + "Monte Carlo interval (plus or minus t(0.975, replicates - 1) standard errors of that mean); the solid line is zero. An "
                + "interval that excludes zero is a bias larger than the lab's own noise. ");
        List<String> labels = ds.stream().map(LabSummary.Design::name).toList();
        SvgChart c = new SvgChart(id, title, "", WIDTH, 12 + ROW * ds.size() + 48).leftMargin(leftMargin(labels))
                .domain(lo, hi, 0, 1);
        xAxis(c, lo, hi, "bias: estimate minus true effect (ms)");
        c.vRule(0, "zero", null);
        for (int i = 0; i < ds.size(); i++) {
            LabSummary.Design d = ds.get(i);
            LabSummary.Bias b = d.bias();
            double y = rowY(i);
            c.label(c.plotLeft() - 6, y + 4, "end", d.name());
            boolean interval = Double.isFinite(b.mcLow()) && Double.isFinite(b.mcHigh());
            alt.append(d.name()).append(": ").append(num(b.mean()))
                    .append(interval ? " [" + num(b.mcLow()) + ", " + num(b.mcHigh()) + "]" : "").append(". ");
            if (!Double.isFinite(b.mean())) {
                continue;
            }
            String tip = d.name() + ": bias " + num(b.mean()) + " ms; " + (interval
                    ? "95% Monte Carlo interval [" + num(b.mcLow()) + ", " + num(b.mcHigh()) + "] ms (SE " + num(b.mcSe())
                    + ")" : "no Monte Carlo interval from one replicate");
            c.mark("<g class=\"mark interval bias\"><title>" + HtmlText.escape(tip) + "</title>"
                    + (interval ? "<line x1=\"" + f(c.px(b.mcLow())) + "\" y1=\"" + f(y) + "\" x2=\"" + f(c.px(b.mcHigh()))
                    + "\" y2=\"" + f(y) + "\" stroke=\"" + TREATED + "\" stroke-width=\"2.5\"/>" : "")
                    + "<circle cx=\"" + f(c.px(b.mean())) + "\" cy=\"" + f(y) + "\" r=\"4\" fill=\"" + TREATED
                    + "\" stroke=\"" + TREATED + "\"/></g>");
        }
        c.legend("bias, 95% MC interval", TREATED, null, SvgChart.Shape.FILLED_CIRCLE);
        c.legend("zero (no bias)", INK, null, null);
        return finish(c, alt, id);
    }

    /**
     * Coverage by design: for each design the share of replicates whose readout interval contains the true effect,
     * then one row per other inference method (its coverage over the replicates where it gave an interval), each with
     * a 95% Wilson interval, and the nominal 95% dashed. One mark per row with at least one interval.
     */
    static ReadoutCharts.Chart coverage(LabSummary s) {
        record Row(String label, String design, String method, LabSummary.Proportion p) {
        }
        List<Row> rows = new ArrayList<>();
        for (LabSummary.Design d : s.designs()) {
            rows.add(new Row(d.name(), d.name(), null, d.coverage()));
            for (Map.Entry<String, LabSummary.Proportion> e : d.coverageByInference().entrySet()) {
                rows.add(new Row(e.getKey() + " (" + d.name() + ")", d.name(), e.getKey(), e.getValue()));
            }
        }
        double nominal = 100 * LabSummary.NOMINAL_COVERAGE;
        double lo = nominal;
        for (Row r : rows) {
            if (Double.isFinite(r.p().wilsonLow())) {
                lo = Math.min(lo, 100 * r.p().wilsonLow());
            }
        }
        String id = "chart-lab-coverage";
        String title = "Coverage by design";
        StringBuilder alt = new StringBuilder("For each design, the share of " + s.replicates() + " replicates whose "
                + "readout's nominal 95% interval contains that replicate's true effect (filled circles), and below it "
                + "the same for each other inference method the readouts report (open squares, dashed), each with a 95% "
                + "Wilson interval for the share; the dashed vertical line is the nominal 95%. ");
        SvgChart c = new SvgChart(id, title, "", WIDTH, 12 + ROW * rows.size() + 48)
                .leftMargin(leftMargin(rows.stream().map(Row::label).toList())).domain(lo, 100, 0, 1);
        xAxis(c, lo, 100, "coverage of the true effect by nominal 95% intervals (% of replicates)");
        c.vRule(nominal, "reference", "5 3");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            LabSummary.Proportion p = r.p();
            double y = rowY(i);
            c.label(c.plotLeft() - 6, y + 4, "end", r.label());
            String what = r.method() == null ? r.design() + ", readout's interval" : r.design() + ", " + r.method();
            if (p.trials() == 0) {
                c.label(c.plotLeft() + 6, y + 4, "start", "no interval in any replicate");
                alt.append(what).append(": no interval. ");
                continue;
            }
            String text = what + ": coverage " + pct(p.share()) + " (" + p.hits() + " of " + p.trials() + " replicates), "
                    + "95% Wilson interval [" + pct(p.wilsonLow()) + ", " + pct(p.wilsonHigh()) + "]";
            alt.append(text).append(". ");
            boolean headline = r.method() == null;
            String color = headline ? TREATED : CONTROL;
            String point = headline
                    ? "<circle cx=\"" + f(c.px(100 * p.share())) + "\" cy=\"" + f(y) + "\" r=\"4\" fill=\"" + color
                    + "\" stroke=\"" + color + "\"/>"
                    : "<rect x=\"" + f(c.px(100 * p.share()) - 4) + "\" y=\"" + f(y - 4) + "\" width=\"8\" height=\"8\" "
                    + "fill=\"#ffffff\" stroke=\"" + color + "\" stroke-width=\"1.5\"/>";
            c.mark("<g class=\"mark interval coverage" + (headline ? " readout" : " method") + "\"><title>"
                    + HtmlText.escape(text) + "</title><line x1=\"" + f(c.px(100 * p.wilsonLow())) + "\" y1=\"" + f(y)
                    + "\" x2=\"" + f(c.px(100 * p.wilsonHigh())) + "\" y2=\"" + f(y) + "\" stroke=\"" + color
                    + "\" stroke-width=\"2.5\"" + (headline ? "" : " stroke-dasharray=\"4 2\"") + "/>" + point + "</g>");
        }
        c.legend("readout's interval", TREATED, null, SvgChart.Shape.FILLED_CIRCLE);
        c.legend("other method", CONTROL, "4 2", SvgChart.Shape.OPEN_SQUARE);
        c.legend("nominal 95%", INK, "5 3", null);
        return finish(c, alt, id);
    }

    /**
     * Recommendations by design: per design a bar of 100% stacked by the share of replicates whose readout recommended
     * each action, each action with its own fill (solid, hatched, dotted, striped) so that the bars read in greyscale.
     * One mark per non-empty segment; empty when no replicate ran.
     */
    static Optional<ReadoutCharts.Chart> recommendations(LabSummary s) {
        if (s.replicates() == 0 || s.designs().isEmpty()) {
            return Optional.empty();
        }
        List<Recommendation> present = new ArrayList<>();
        for (Recommendation rec : Recommendation.values()) {
            if (s.designs().stream().anyMatch(d -> d.recommendations().getOrDefault(rec.wireName(), 0) > 0)) {
                present.add(rec);
            }
        }
        String id = "chart-lab-recommendations";
        String title = "Recommendations by design";
        StringBuilder alt = new StringBuilder("For each design, the share of " + s.replicates()
                + " replicates whose readout recommended each action, stacked to 100%. ");
        List<String> labels = s.designs().stream().map(LabSummary.Design::name).toList();
        SvgChart c = new SvgChart(id, title, "", WIDTH, 12 + ROW * labels.size() + 48).leftMargin(leftMargin(labels))
                .domain(0, 100, 0, 1);
        StringBuilder defs = new StringBuilder();
        for (Recommendation rec : present) {
            defs.append(pattern(id, rec));
        }
        c.defs(defs.toString());
        xAxis(c, 0, 100, "share of replicates recommending each action (%)");
        for (int i = 0; i < labels.size(); i++) {
            LabSummary.Design d = s.designs().get(i);
            double y = rowY(i);
            c.label(c.plotLeft() - 6, y + 4, "end", d.name());
            alt.append(d.name()).append(':');
            int cumulative = 0;
            for (Recommendation rec : present) {
                int n = d.recommendations().getOrDefault(rec.wireName(), 0);
                if (n == 0) {
                    continue;
                }
                double a = c.px(100.0 * cumulative / s.replicates());
                double b = c.px(100.0 * (cumulative + n) / s.replicates());
                cumulative += n;
                String text = d.name() + ": " + words(rec) + " " + pct((double) n / s.replicates()) + " (" + n + " of "
                        + s.replicates() + " replicates)";
                alt.append(' ').append(words(rec)).append(' ').append(pct((double) n / s.replicates())).append(',');
                c.mark("<rect class=\"mark bar recommendation " + rec.wireName() + "\" x=\"" + f(a) + "\" y=\"" + f(y - 8)
                        + "\" width=\"" + f(b - a) + "\" height=\"16\" fill=\"" + fill(id, rec) + "\" stroke=\"" + INK
                        + "\"><title>" + HtmlText.escape(text) + "</title></rect>");
            }
            alt.setLength(alt.length() - 1);
            alt.append(". ");
        }
        for (Recommendation rec : present) {
            c.legendSwatch(words(rec), fill(id, rec), INK);
        }
        return Optional.of(finish(c, alt, id));
    }

    /** A recommendation's fill: a colour or a pattern reference; lightness and texture differ, so greyscale keeps them apart. */
    private static String fill(String id, Recommendation rec) {
        return switch (rec) {
            case SHIP -> TREATED;
            case HOLDOUT -> "#c6c6c6";
            case INSTRUMENT_MORE -> "#ffffff";
            default -> "url(#" + id + "-" + rec.wireName() + ")";
        };
    }

    private static String pattern(String id, Recommendation rec) {
        String open = "<pattern id=\"" + id + "-" + rec.wireName() + "\" width=\"6\" height=\"6\" "
                + "patternUnits=\"userSpaceOnUse\"";
        String paper = "<rect width=\"6\" height=\"6\" fill=\"#ffffff\"/>";
        return switch (rec) {
            case RAMP -> open + " patternTransform=\"rotate(45)\">" + paper + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" "
                    + "stroke=\"" + TREATED + "\" stroke-width=\"2\"/></pattern>";
            case TARGET -> open + ">" + paper + "<circle cx=\"3\" cy=\"3\" r=\"1.5\" fill=\"" + TREATED + "\"/></pattern>";
            case PAUSE -> open + ">" + paper + "<line x1=\"0\" y1=\"3\" x2=\"6\" y2=\"3\" stroke=\"" + INK
                    + "\" stroke-width=\"1.5\"/></pattern>";
            case ROLL_BACK -> open + " patternTransform=\"rotate(45)\">" + paper + "<line x1=\"3\" y1=\"0\" x2=\"3\" y2=\"6\" "
                    + "stroke=\"" + CONTROL + "\" stroke-width=\"1.5\"/><line x1=\"0\" y1=\"3\" x2=\"6\" y2=\"3\" stroke=\""
                    + CONTROL + "\" stroke-width=\"1.5\"/></pattern>";
            default -> "";
        };
    }

    private static String words(Recommendation rec) {
        return rec.wireName().replace('_', ' ');
    }

    // ---------------------------------------------------------------- helpers

    private static double rowY(int i) {
        return 12 + ROW * i + ROW / 2.0;
    }

    /** Room for the longest row label at about 5.8 px a character, between 90 and 280 px. */
    private static int leftMargin(List<String> labels) {
        int longest = labels.stream().mapToInt(String::length).max().orElse(0);
        return (int) Math.max(90, Math.min(280, Math.ceil(5.8 * longest) + 16));
    }

    private static void xAxis(SvgChart c, double lo, double hi, String label) {
        double[] p = SvgChart.pad(lo, hi);
        double[] t = SvgChart.ticks(p[0], p[1]);
        List<String> labels = new ArrayList<>();
        for (double v : t) {
            labels.add(SvgChart.tickLabel(v, t));
        }
        c.xAxis(label, t, labels);
    }

    private static String pct(double share) {
        return num(100 * share) + "%";
    }

    private static ReadoutCharts.Chart finish(SvgChart c, StringBuilder alt, String id) {
        SvgChart done = c.withDescription(alt.toString().trim());
        return new ReadoutCharts.Chart(id, done.figure(), done.marks());
    }
}

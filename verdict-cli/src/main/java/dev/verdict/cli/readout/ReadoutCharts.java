package dev.verdict.cli.readout;

import dev.verdict.check.CheckResult;
import dev.verdict.readout.Effect;
import dev.verdict.readout.SegmentEffects;
import dev.verdict.spec.ExperimentSpec;
import dev.verdict.spec.Guardrail;
import dev.verdict.spec.MetricSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static dev.verdict.cli.readout.SvgChart.CONTROL;
import static dev.verdict.cli.readout.SvgChart.MUTED;
import static dev.verdict.cli.readout.SvgChart.TREATED;
import static dev.verdict.cli.readout.SvgChart.f;
import static dev.verdict.cli.readout.SvgChart.num;

/**
 * The readout's charts, each drawn from numbers the analysis already carries (effects, segment effects, check evidence
 * and the design's {@code details}, all of which readout.json also holds); nothing is estimated here. Each method
 * returns the chart as an HTML figure, or an empty string when the readout has no data for it.
 */
public final class ReadoutCharts {
    /** Every chart id this class can draw ({@code N} numbers the segment columns); docs/readout.md lists them. */
    public static final List<String> CHART_IDS = List.of("chart-effects", "chart-segment-N", "chart-event-study",
            "chart-trends", "chart-did-placebos", "chart-synthetic-paths", "chart-synthetic-gaps", "chart-rd",
            "chart-rd-density", "chart-overlap", "chart-love", "chart-switchback-N", "chart-clusters",
            "chart-saturation");
    private static final int WIDTH = 640;

    private ReadoutCharts() {
    }

    /** A chart's figure and how many marks it drew (for tests). */
    record Chart(String id, String html, int marks) {
    }

    // ---------------------------------------------------------------- effects

    /**
     * Forest plot of every overall effect: one row per metric on its own scale (metrics have different units), the
     * interval as a bar, the estimate as a point, zero as a solid line and the practical threshold (the success
     * metric's min_effect on its good side, a guardrail's max_harm on its harmful side) as a dashed line.
     * One mark per effect with a finite interval.
     */
    static Optional<Chart> effects(Readout r) {
        List<Effect> effects = r.analysis().effects().stream().filter(e -> e.segment().isEmpty()).toList();
        if (effects.isEmpty()) {
            return Optional.empty();
        }
        int rowHeight = 58;
        int labelWidth = 190;
        int height = 40 + rowHeight * effects.size();
        StringBuilder body = new StringBuilder();
        int marks = 0;
        StringBuilder alt = new StringBuilder("Each metric's effect (treatment minus control) with its interval, on its own "
                + "scale in the metric's unit. ");
        for (int i = 0; i < effects.size(); i++) {
            Effect e = effects.get(i);
            Optional<Double> threshold = threshold(r.spec(), e);
            double top = 8 + i * rowHeight;
            double mid = top + 18;
            double axisY = top + 34;
            body.append("<text x=\"4\" y=\"").append(f(mid + 4)).append("\">").append(HtmlText.escape(e.metric()))
                    .append(" <tspan class=\"role\">(").append(HtmlText.escape(e.role())).append(")</tspan></text>\n");
            alt.append(e.metric()).append(": ").append(num(e.estimate())).append(" [").append(num(e.ciLow())).append(", ")
                    .append(num(e.ciHigh())).append(']');
            threshold.ifPresent(t -> alt.append(", threshold ").append(num(t)));
            alt.append(". ");
            if (!(Double.isFinite(e.ciLow()) && Double.isFinite(e.ciHigh()) && Double.isFinite(e.estimate()))) {
                body.append("<text x=\"").append(labelWidth).append("\" y=\"").append(f(mid + 4))
                        .append("\">no finite interval</text>\n");
                continue;
            }
            double lo = Math.min(0, e.ciLow());
            double hi = Math.max(0, e.ciHigh());
            if (threshold.isPresent() && Double.isFinite(threshold.get())) {
                lo = Math.min(lo, threshold.get());
                hi = Math.max(hi, threshold.get());
            }
            double[] d = SvgChart.pad(lo, hi);
            double left = labelWidth;
            double right = WIDTH - 16;
            java.util.function.DoubleUnaryOperator x = v -> left + (v - d[0]) / (d[1] - d[0]) * (right - left);
            body.append("<line class=\"axis\" x1=\"").append(f(left)).append("\" y1=\"").append(f(axisY)).append("\" x2=\"")
                    .append(f(right)).append("\" y2=\"").append(f(axisY)).append("\"/>\n");
            double[] ticks = SvgChart.ticks(d[0], d[1]);
            for (double t : ticks) {
                body.append("<line class=\"tick\" x1=\"").append(f(x.applyAsDouble(t))).append("\" y1=\"").append(f(axisY))
                        .append("\" x2=\"").append(f(x.applyAsDouble(t))).append("\" y2=\"").append(f(axisY + 4))
                        .append("\"/><text class=\"ticklabel\" x=\"").append(f(x.applyAsDouble(t))).append("\" y=\"")
                        .append(f(axisY + 15)).append("\" text-anchor=\"middle\">").append(SvgChart.tickLabel(t, ticks))
                        .append("</text>\n");
            }
            body.append("<line class=\"zero\" x1=\"").append(f(x.applyAsDouble(0))).append("\" y1=\"").append(f(top))
                    .append("\" x2=\"").append(f(x.applyAsDouble(0))).append("\" y2=\"").append(f(axisY)).append("\"/>\n");
            if (threshold.isPresent() && Double.isFinite(threshold.get())) {
                double tx = x.applyAsDouble(threshold.get());
                body.append("<line class=\"threshold\" x1=\"").append(f(tx)).append("\" y1=\"").append(f(top))
                        .append("\" x2=\"").append(f(tx)).append("\" y2=\"").append(f(axisY))
                        .append("\" stroke-dasharray=\"5 3\"><title>")
                        .append(e.role().equals(Effect.ROLE_GUARDRAIL) ? "max_harm " : "min_effect ")
                        .append(num(threshold.get())).append("</title></line>\n");
            }
            String color = e.role().equals(Effect.ROLE_GUARDRAIL) ? CONTROL : TREATED;
            body.append("<g class=\"mark interval\"><title>").append(HtmlText.escape(e.metric())).append(": ")
                    .append(num(e.estimate())).append(" [").append(num(e.ciLow())).append(", ").append(num(e.ciHigh()))
                    .append("]</title><line x1=\"").append(f(x.applyAsDouble(e.ciLow()))).append("\" y1=\"").append(f(mid))
                    .append("\" x2=\"").append(f(x.applyAsDouble(e.ciHigh()))).append("\" y2=\"").append(f(mid))
                    .append("\" stroke=\"").append(color).append("\" stroke-width=\"2.5\"/><circle cx=\"")
                    .append(f(x.applyAsDouble(e.estimate()))).append("\" cy=\"").append(f(mid))
                    .append("\" r=\"4\" fill=\"").append(color).append("\"/></g>\n");
            marks++;
        }
        String title = "Effects with their intervals and practical thresholds";
        String id = "chart-effects";
        StringBuilder s = new StringBuilder();
        s.append("<figure class=\"chart\" id=\"").append(id).append("\">\n<figcaption>").append(title)
                .append("</figcaption>\n");
        s.append("<svg role=\"img\" aria-labelledby=\"").append(id).append("-title ")
                .append(id).append("-desc\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(height).append("\" data-marks=\"")
                .append(marks).append("\">\n<title id=\"").append(id).append("-title\">").append(title)
                .append("</title>\n<desc id=\"").append(id).append("-desc\">").append(HtmlText.escape(alt.toString().trim()))
                .append("</desc>\n").append(body);
        s.append("<text class=\"label\" x=\"").append(f((labelWidth + WIDTH - 16) / 2.0)).append("\" y=\"")
                .append(height - 20).append("\" text-anchor=\"middle\">effect, treatment minus control (metric's unit)"
                        + "</text>\n<text class=\"label\" x=\"").append(f((labelWidth + WIDTH - 16) / 2.0))
                .append("\" y=\"").append(height - 5).append("\" text-anchor=\"middle\">solid line: zero; dashed line: "
                        + "min_effect (success) or max_harm (guardrail)</text>\n");
        s.append("</svg>\n<p class=\"alt\">").append(HtmlText.escape(alt.toString().trim())).append("</p>\n</figure>\n");
        return Optional.of(new Chart(id, s.toString(), marks));
    }

    /**
     * The practical threshold on the effect's own scale, signed: the success metric's min_effect on the side that is
     * good, a guardrail's max_harm on the side that is harmful (both resolved against the effect's control value).
     */
    static Optional<Double> threshold(ExperimentSpec spec, Effect e) {
        if (e.role().equals(Effect.ROLE_SUCCESS)) {
            MetricSpec m = spec.success();
            return m.minEffect().map(t -> m.direction().sign() * t.absolute(e.control()));
        }
        if (e.role().equals(Effect.ROLE_GUARDRAIL)) {
            for (Guardrail g : spec.guardrails()) {
                if (g.metric().label().equals(e.metric())) {
                    return Optional.of(-g.metric().direction().sign() * g.maxHarm().absolute(e.control()));
                }
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- segments

    /**
     * Forest plot of one segment column's per-value effects on a shared axis, with zero and the overall effect of the
     * decision metric as reference lines. One mark per value with a finite interval.
     */
    static Optional<Chart> segment(Readout r, SegmentEffects s, int index) {
        List<Effect> list = s.effects();
        if (list.isEmpty()) {
            return Optional.empty();
        }
        Optional<Effect> overall = r.analysis().effects().stream()
                .filter(e -> e.segment().isEmpty() && e.role().equals(Effect.ROLE_SUCCESS)).findFirst();
        double lo = 0;
        double hi = 0;
        for (Effect e : list) {
            if (Double.isFinite(e.ciLow()) && Double.isFinite(e.ciHigh())) {
                lo = Math.min(lo, e.ciLow());
                hi = Math.max(hi, e.ciHigh());
            }
        }
        double ref = overall.map(Effect::estimate).orElse(Double.NaN);
        if (Double.isFinite(ref)) {
            lo = Math.min(lo, ref);
            hi = Math.max(hi, ref);
        }
        String metric = overall.map(Effect::metric).orElse(list.get(0).metric());
        String id = "chart-segment-" + index;
        String title = "Effect of the change on " + metric + " by " + s.column();
        StringBuilder alt = new StringBuilder("Per-value effects of " + s.column() + " with intervals; the dashed line is "
                + "the overall effect" + (Double.isFinite(ref) ? " (" + num(ref) + ")" : "") + ". ");
        int rowHeight = 26;
        SvgChart c = new SvgChart(id, title, "", WIDTH, 12 + rowHeight * list.size() + 48).leftMargin(170);
        c.domain(lo, hi, 0, 1);
        c.xAxis("effect on " + metric + ", treatment minus control (metric's unit)", SvgChart.ticks(SvgChart.pad(lo, hi)[0],
                SvgChart.pad(lo, hi)[1]), ticksLabels(SvgChart.ticks(SvgChart.pad(lo, hi)[0], SvgChart.pad(lo, hi)[1])));
        c.vRule(0, "zero", null);
        if (Double.isFinite(ref)) {
            c.vRule(ref, "reference", "5 3");
            c.legend("overall effect " + num(ref), "#333333", "5 3", null);
        }
        for (int i = 0; i < list.size(); i++) {
            Effect e = list.get(i);
            String value = e.segment().map(Effect.Segment::value).orElse("");
            double y = 12 + rowHeight * i + rowHeight / 2.0;
            c.label(c.plotLeft() - 6, y + 4, "end", value);
            alt.append(value).append(": ").append(num(e.estimate())).append(" [").append(num(e.ciLow())).append(", ")
                    .append(num(e.ciHigh())).append("]. ");
            if (!(Double.isFinite(e.ciLow()) && Double.isFinite(e.ciHigh()) && Double.isFinite(e.estimate()))) {
                continue;
            }
            c.mark("<g class=\"mark interval\"><title>" + HtmlText.escape(value) + ": " + num(e.estimate()) + " ["
                    + num(e.ciLow()) + ", " + num(e.ciHigh()) + "], n " + e.nControl() + " / " + e.nTreatment()
                    + "</title><line x1=\"" + f(c.px(e.ciLow())) + "\" y1=\"" + f(y) + "\" x2=\"" + f(c.px(e.ciHigh()))
                    + "\" y2=\"" + f(y) + "\" stroke=\"" + TREATED + "\" stroke-width=\"2.5\"/><rect x=\""
                    + f(c.px(e.estimate()) - 4) + "\" y=\"" + f(y - 4) + "\" width=\"8\" height=\"8\" fill=\"" + TREATED
                    + "\"/></g>");
        }
        return Optional.of(finish(c, alt, title, id));
    }

    private static List<String> ticksLabels(double[] t) {
        List<String> out = new ArrayList<>();
        for (double v : t) {
            out.add(SvgChart.tickLabel(v, t));
        }
        return out;
    }

    private static Chart finish(SvgChart c, StringBuilder alt, String title, String id) {
        SvgChart done = c.withDescription(alt.toString().trim());
        return new Chart(id, done.figure(), done.marks());
    }

    // ---------------------------------------------------------------- quasi-experimental designs

    /** The design's own charts from {@code design.details} and its check evidence. */
    static List<Chart> design(Readout r) {
        Map<String, Object> d = r.analysis().details();
        List<Chart> out = new ArrayList<>();
        switch (r.analysis().design()) {
            case "did" -> {
                eventStudy(d).ifPresent(out::add);
                trends(d).ifPresent(out::add);
                didPlacebos(d).ifPresent(out::add);
            }
            case "synthetic_control" -> {
                syntheticPaths(d).ifPresent(out::add);
                syntheticGaps(d).ifPresent(out::add);
            }
            case "rdd" -> {
                rdScatter(d).ifPresent(out::add);
                rdDensity(d, r.checks()).ifPresent(out::add);
            }
            case "propensity" -> {
                overlap(d).ifPresent(out::add);
                lovePlot(r.checks()).ifPresent(out::add);
            }
            case "switchback" -> out.addAll(switchbackTimelines(d));
            case "cluster_rct" -> clusterOutcomes(d).ifPresent(out::add);
            case "saturation" -> saturationClusters(d).ifPresent(out::add);
            default -> {
            }
        }
        return out;
    }

    /** Event-study coefficients with intervals by event time; leads (before treatment) shaded. One mark each. */
    static Optional<Chart> eventStudy(Map<String, Object> d) {
        List<Map<String, Object>> es = maps(d.get("event_study"));
        if (es.isEmpty()) {
            return Optional.empty();
        }
        double xlo = Double.POSITIVE_INFINITY;
        double xhi = Double.NEGATIVE_INFINITY;
        double lo = 0;
        double hi = 0;
        for (Map<String, Object> m : es) {
            double t = dbl(m.get("event_time"));
            xlo = Math.min(xlo, t);
            xhi = Math.max(xhi, t);
            for (String k : List.of("ci_low", "ci_high", "estimate")) {
                double v = dbl(m.get(k));
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        String id = "chart-event-study";
        String title = "Event study: effect by periods since treatment";
        StringBuilder alt = new StringBuilder("Difference-in-differences coefficients by event time with intervals; event "
                + "times below 0 (shaded) are leads, which should be near zero if trends were parallel. ");
        SvgChart c = new SvgChart(id, title, "", WIDTH, 300).domain(xlo - 0.5, xhi + 0.5, lo, hi);
        c.xBand(xlo - 1, -0.5, "lead");
        c.axes("periods since treatment (event time)", "effect (metric's unit)");
        c.hRule(0, "zero", null);
        c.legend("estimate and interval", TREATED, null, SvgChart.Shape.FILLED_CIRCLE);
        c.legend("reference period (fixed at 0)", TREATED, null, SvgChart.Shape.OPEN_CIRCLE);
        for (Map<String, Object> m : es) {
            double t = dbl(m.get("event_time"));
            double est = dbl(m.get("estimate"));
            double a = dbl(m.get("ci_low"));
            double b = dbl(m.get("ci_high"));
            boolean reference = Boolean.TRUE.equals(m.get("reference"));
            alt.append("event time ").append(num(t)).append(": ").append(num(est));
            if (Double.isFinite(a) && Double.isFinite(b)) {
                alt.append(" [").append(num(a)).append(", ").append(num(b)).append(']');
            }
            alt.append(reference ? " (reference). " : ". ");
            if (!Double.isFinite(est)) {
                continue;
            }
            String bar = Double.isFinite(a) && Double.isFinite(b) ? "<line x1=\"" + f(c.px(t)) + "\" y1=\"" + f(c.py(a))
                    + "\" x2=\"" + f(c.px(t)) + "\" y2=\"" + f(c.py(b)) + "\" stroke=\"" + TREATED
                    + "\" stroke-width=\"2\"/>" : "";
            c.mark("<g class=\"mark coefficient\"><title>event time " + num(t) + ": " + num(est) + "</title>" + bar
                    + "<circle cx=\"" + f(c.px(t)) + "\" cy=\"" + f(c.py(est)) + "\" r=\"4\" fill=\""
                    + (reference ? "#ffffff" : TREATED) + "\" stroke=\"" + TREATED + "\"/></g>");
        }
        return Optional.of(finish(c, alt, title, id));
    }

    /**
     * DiD with a single treated unit: the treated unit's estimate and every comparison unit's placebo estimate (that
     * unit relabelled as treated), one row per unit sorted by estimate, so the permutation p-value reads as the treated
     * row's rank among the rows. One mark per unit.
     */
    static Optional<Chart> didPlacebos(Map<String, Object> d) {
        if (!(d.get("placebo_in_space") instanceof Map<?, ?> pl)) {
            return Optional.empty();
        }
        List<Map<String, Object>> placebos = maps(pl.get("placebos"));
        double treated = dbl(pl.get("estimate"));
        if (placebos.isEmpty() || !Double.isFinite(treated)) {
            return Optional.empty();
        }
        record Row(String unit, double estimate, boolean treated) {
        }
        String name = pl.get("treated_unit") == null ? "treated unit" : pl.get("treated_unit") + " (treated)";
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(name, treated, true));
        double hi = Math.abs(treated);
        for (Map<String, Object> m : placebos) {
            double v = dbl(m.get("estimate"));
            if (Double.isFinite(v)) {
                rows.add(new Row(String.valueOf(m.get("unit")), v, false));
                hi = Math.max(hi, Math.abs(v));
            }
        }
        rows.sort(java.util.Comparator.comparingDouble(Row::estimate).thenComparing(Row::unit));
        hi = hi > 0 ? hi : 1;
        String id = "chart-did-placebos";
        String title = "Placebo in space: the treated unit's estimate among the comparison units'";
        StringBuilder alt = new StringBuilder("Difference-in-differences estimate of the treated unit (filled square) and "
                + "of each comparison unit relabelled as treated from the same period (open circles), sorted. The "
                + "permutation p-value is the share of rows at least as far from zero as the treated one; p = "
                + num(dbl(pl.get("p_value"))) + ". ");
        int rowHeight = 16;
        SvgChart c = new SvgChart(id, title, "", WIDTH, 12 + rowHeight * rows.size() + 48).leftMargin(170)
                .domain(-hi, hi, 0, 1);
        double[] p = SvgChart.pad(-hi, hi);
        double[] t = SvgChart.ticks(p[0], p[1]);
        c.xAxis("difference-in-differences estimate (metric's unit)", t, ticksLabels(t));
        c.vRule(0, "zero", null);
        c.vRule(Math.abs(treated), "threshold", "5 3").vRule(-Math.abs(treated), "threshold", "5 3");
        alt.append("Dashed lines at plus and minus the treated estimate mark as far from zero. ");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            double y = 12 + rowHeight * i + rowHeight / 2.0;
            c.label(c.plotLeft() - 6, y + 4, "end", r.unit());
            alt.append(r.unit()).append(": ").append(num(r.estimate())).append(". ");
            String tip = "<title>" + HtmlText.escape(r.treated() ? r.unit() : r.unit() + " (placebo)") + ": "
                    + num(r.estimate()) + "</title>";
            c.mark(r.treated()
                    ? "<rect class=\"mark placebo treated\" x=\"" + f(c.px(r.estimate()) - 4.5) + "\" y=\"" + f(y - 4.5)
                    + "\" width=\"9\" height=\"9\" fill=\"" + TREATED + "\" stroke=\"" + TREATED + "\">" + tip + "</rect>"
                    : "<circle class=\"mark placebo\" cx=\"" + f(c.px(r.estimate())) + "\" cy=\"" + f(y)
                    + "\" r=\"4\" fill=\"#ffffff\" stroke=\"" + CONTROL + "\">" + tip + "</circle>");
        }
        c.legend("treated unit", TREATED, null, SvgChart.Shape.FILLED_SQUARE);
        c.legend("\u00b1 treated estimate", "#333333", "5 3", null);
        c.legend("placebo unit", CONTROL, null, SvgChart.Shape.OPEN_CIRCLE);
        return Optional.of(finish(c, alt, title, id));
    }

    /** Raw treated and comparison means by period: two path marks. */
    static Optional<Chart> trends(Map<String, Object> d) {
        List<Map<String, Object>> tr = maps(d.get("trends"));
        if (tr.isEmpty()) {
            return Optional.empty();
        }
        double[] x = new double[tr.size()];
        double[] yt = new double[tr.size()];
        double[] yc = new double[tr.size()];
        for (int i = 0; i < tr.size(); i++) {
            x[i] = i;
            yt[i] = dbl(tr.get(i).get("treated_mean"));
            yc[i] = dbl(tr.get(i).get("comparison_mean"));
        }
        double[] range = range(yt, yc);
        String id = "chart-trends";
        String title = "Raw trends: treated and comparison units by period";
        StringBuilder alt = new StringBuilder("Mean outcome per period of the units that are ever treated (solid) and "
                + "of the comparison units (dashed), from " + tr.get(0).get("period_start") + " to "
                + tr.get(tr.size() - 1).get("period_start") + ". ");
        SvgChart c = new SvgChart(id, title, "", WIDTH, 300).domain(0, Math.max(1, tr.size() - 1), range[0], range[1]);
        int[] idx = tickIndexes(tr.size());
        double[] at = new double[idx.length];
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < idx.length; i++) {
            at[i] = idx[i];
            String p = String.valueOf(tr.get(idx[i]).get("period_start"));
            labels.add(p.length() >= 10 ? p.substring(0, 10) : p);
        }
        c.xAxis("period start (UTC date, " + d.getOrDefault("period", "period") + ")", at, labels);
        c.yAxisOnly("mean outcome (metric's unit)");
        c.path(x, yt, TREATED, null, 2, "treated");
        c.path(x, yc, CONTROL, "6 4", 2, "comparison");
        c.legend("treated units", TREATED, null, null);
        c.legend("comparison units", CONTROL, "6 4", null);
        return Optional.of(finish(c, alt, title, id));
    }

    /** Treated and synthetic paths, treatment start marked: two path marks. */
    static Optional<Chart> syntheticPaths(Map<String, Object> d) {
        Map<String, Object> p = map(d.get("paths"));
        List<Object> periods = list(p.get("periods"));
        if (periods.isEmpty()) {
            return Optional.empty();
        }
        double[] x = index(periods.size());
        double[] yt = doubles(p.get("treated"));
        double[] ys = doubles(p.get("synthetic"));
        double[] range = range(yt, ys);
        String id = "chart-synthetic-paths";
        String title = "Treated unit and its synthetic control";
        int first = periods.indexOf(d.get("first_treated_period"));
        StringBuilder alt = new StringBuilder("Outcome path of the treated unit(s) (solid) and of the synthetic control "
                + "built from the donors (dashed) over " + periods.size() + " periods; treatment starts at "
                + d.get("first_treated_period") + " (vertical line). Before it the two should coincide. ");
        SvgChart c = new SvgChart(id, title, "", WIDTH, 300).domain(0, Math.max(1, periods.size() - 1), range[0], range[1]);
        periodAxis(c, periods, "period (" + d.getOrDefault("period", "period") + ")");
        c.yAxisOnly("outcome (metric's unit)");
        if (first >= 0) {
            c.xBand(first - 0.5, periods.size(), "post");
            c.vRule(first - 0.5, "reference", "2 2");
        }
        c.path(x, yt, TREATED, null, 2, "treated");
        c.path(x, ys, CONTROL, "6 4", 2, "synthetic");
        c.legend("treated", TREATED, null, null);
        c.legend("synthetic control", CONTROL, "6 4", null);
        return Optional.of(finish(c, alt, title, id));
    }

    /** The treated gap (treated minus synthetic) in black over every kept placebo's gap in grey: 1 + placebos marks. */
    static Optional<Chart> syntheticGaps(Map<String, Object> d) {
        Map<String, Object> p = map(d.get("paths"));
        List<Object> periods = list(p.get("periods"));
        if (periods.isEmpty()) {
            return Optional.empty();
        }
        double[] x = index(periods.size());
        double[] gap = doubles(p.get("gap"));
        Map<String, Object> placebos = map(d.get("placebo_gaps"));
        List<double[]> all = new ArrayList<>();
        all.add(gap);
        placebos.values().forEach(v -> all.add(doubles(v)));
        double[] range = range(all.toArray(new double[0][]));
        range[0] = Math.min(range[0], 0);
        range[1] = Math.max(range[1], 0);
        String id = "chart-synthetic-gaps";
        String title = "Gap between treated and synthetic, against placebo gaps";
        StringBuilder alt = new StringBuilder("Treated minus synthetic by period (dark, thick) and the same gap for each of "
                + placebos.size() + " placebo donors treated as if they had been treated (thin grey, dashed). A treated gap "
                + "that stands out from the grey ones after treatment is evidence of an effect. ");
        SvgChart c = new SvgChart(id, title, "", WIDTH, 300).domain(0, Math.max(1, periods.size() - 1), range[0], range[1]);
        periodAxis(c, periods, "period (" + d.getOrDefault("period", "period") + ")");
        c.yAxisOnly("gap, treated minus synthetic (metric's unit)");
        c.hRule(0, "zero", null);
        int first = periods.indexOf(d.get("first_treated_period"));
        if (first >= 0) {
            c.vRule(first - 0.5, "reference", "2 2");
        }
        for (Map.Entry<String, Object> e : placebos.entrySet()) {
            c.path(x, doubles(e.getValue()), MUTED, "3 2", 1, "placebo");
        }
        c.path(x, gap, "#111111", null, 2.5, "treated");
        c.legend("treated gap", "#111111", null, null);
        c.legend("placebo gaps", MUTED, "3 2", null);
        return Optional.of(finish(c, alt, title, id));
    }

    /** RD binned means (one point mark per bin) and the local fits below and above the cutoff (two path marks). */
    static Optional<Chart> rdScatter(Map<String, Object> d) {
        Map<String, Object> plot = map(d.get("plot"));
        List<Map<String, Object>> bins = maps(plot.get("bins"));
        List<Map<String, Object>> fit = maps(plot.get("fit"));
        if (bins.isEmpty()) {
            return Optional.empty();
        }
        double cutoff = dbl(d.get("cutoff"));
        double xlo = cutoff;
        double xhi = cutoff;
        List<double[]> ys = new ArrayList<>();
        double[] by = new double[bins.size()];
        for (int i = 0; i < bins.size(); i++) {
            double bx = dbl(bins.get(i).get("x"));
            xlo = Math.min(xlo, bx);
            xhi = Math.max(xhi, bx);
            by[i] = dbl(bins.get(i).get("mean"));
        }
        ys.add(by);
        List<double[]> below = new ArrayList<>();
        List<double[]> above = new ArrayList<>();
        for (Map<String, Object> m : fit) {
            double fx = dbl(m.get("x"));
            (fx < cutoff ? below : above).add(new double[] {fx, dbl(m.get("fitted"))});
        }
        double[] fy = new double[fit.size()];
        for (int i = 0; i < fit.size(); i++) {
            fy[i] = dbl(fit.get(i).get("fitted"));
        }
        ys.add(fy);
        double[] range = range(ys.toArray(new double[0][]));
        String running = String.valueOf(d.getOrDefault("running", "running variable"));
        String id = "chart-rd";
        String title = "Regression discontinuity at " + running + " = " + num(cutoff);
        StringBuilder alt = new StringBuilder("Binned means of the outcome against " + running + " (" + bins.size()
                + " bins, points) with the local polynomial fit on each side of the cutoff " + num(cutoff)
                + " (lines); the jump of the fits at the cutoff is the effect. ");
        SvgChart c = new SvgChart(id, title, "", WIDTH, 300).domain(xlo, xhi, range[0], range[1]);
        c.axes(running + " (running variable, its own unit)", "outcome (metric's unit)");
        c.vRule(cutoff, "reference", "2 2");
        for (int i = 0; i < bins.size(); i++) {
            double bx = dbl(bins.get(i).get("x"));
            if (Double.isFinite(by[i])) {
                c.point(bx, by[i], bx < cutoff ? SvgChart.Shape.OPEN_CIRCLE : SvgChart.Shape.FILLED_CIRCLE,
                        bx < cutoff ? CONTROL : TREATED, "bin", "x " + num(bx) + ": mean " + num(by[i]) + ", "
                                + bins.get(i).get("count") + " rows");
            }
        }
        for (List<double[]> side : List.of(below, above)) {
            if (side.isEmpty()) {
                continue;
            }
            c.path(column(side, 0), column(side, 1), side == below ? CONTROL : TREATED, side == below ? "6 4" : null,
                    2, "fit");
        }
        c.legend("below cutoff", CONTROL, "6 4", SvgChart.Shape.OPEN_CIRCLE);
        c.legend("at or above cutoff", TREATED, null, SvgChart.Shape.FILLED_CIRCLE);
        return Optional.of(finish(c, alt, title, id));
    }

    /**
     * The manipulation check's density plot (rddensity's rdplotdensity) from {@code details.density}: a histogram of
     * the running variable within the test's bandwidths (muted bars, one mark per non-empty bin), and on each side of
     * the cutoff the local polynomial density estimate (a path mark, dashed below the cutoff) with its pointwise
     * interval (a band mark, hatched below, tinted above), the cutoff as a dotted rule. Marks: non-empty bins plus two
     * per side with at least two finite grid points.
     */
    static Optional<Chart> rdDensity(Map<String, Object> d, List<CheckResult> checks) {
        Map<String, Object> dens = map(d.get("density"));
        List<Map<String, Object>> grid = maps(dens.get("grid"));
        Map<String, Object> hist = map(dens.get("histogram"));
        double[] edges = doubles(hist.get("bin_edges"));
        double[] bars = doubles(hist.get("density"));
        double[] counts = doubles(hist.get("count"));
        if (grid.isEmpty()) {
            return Optional.empty();
        }
        boolean histogram = edges.length >= 2 && bars.length == edges.length - 1 && counts.length == bars.length;
        double cutoff = dbl(d.get("cutoff"));
        List<double[]> below = new ArrayList<>();
        List<double[]> above = new ArrayList<>();
        double xlo = cutoff;
        double xhi = cutoff;
        double yhi = 0;
        for (Map<String, Object> m : grid) {
            double[] p = {dbl(m.get("x")), dbl(m.get("density")), dbl(m.get("ci_low")), dbl(m.get("ci_high"))};
            if (!(Double.isFinite(p[0]) && Double.isFinite(p[1]) && Double.isFinite(p[2]) && Double.isFinite(p[3]))) {
                continue;
            }
            ("below".equals(m.get("side")) ? below : above).add(p);
            xlo = Math.min(xlo, p[0]);
            xhi = Math.max(xhi, p[0]);
            yhi = Math.max(yhi, p[3]);
        }
        if (histogram) {
            xlo = Math.min(xlo, edges[0]);
            xhi = Math.max(xhi, edges[edges.length - 1]);
            for (double b : bars) {
                if (Double.isFinite(b)) {
                    yhi = Math.max(yhi, b);
                }
            }
        }
        String running = String.valueOf(d.getOrDefault("running", "running variable"));
        double level = dbl(dens.get("level"));
        String pct = Double.isFinite(level) ? num(100 * level) + "%" : "";
        String id = "chart-rd-density";
        String title = "Density of " + running + " around the cutoff (manipulation check)";
        StringBuilder alt = new StringBuilder("Histogram of " + running + " within the density test's bandwidths "
                + "(grey bars: rows per unit of " + running + " as a share of all " + num(dbl(dens.get("rows")))
                + " rows) with the local polynomial density estimate on each side of the cutoff " + num(cutoff)
                + " (lines: dashed below, solid above) and its pointwise " + pct + " interval (bands: hatched below, "
                + "tinted above). ");
        double[] atCutoff = new double[6];
        java.util.Arrays.fill(atCutoff, Double.NaN);
        for (Map<String, Object> m : grid) {
            if (dbl(m.get("x")) == cutoff) {
                int o = "below".equals(m.get("side")) ? 0 : 3;
                atCutoff[o] = dbl(m.get("density"));
                atCutoff[o + 1] = dbl(m.get("ci_low"));
                atCutoff[o + 2] = dbl(m.get("ci_high"));
            }
        }
        alt.append("At the cutoff the density is ").append(num(atCutoff[0])).append(" [").append(num(atCutoff[1]))
                .append(", ").append(num(atCutoff[2])).append("] from below and ").append(num(atCutoff[3])).append(" [")
                .append(num(atCutoff[4])).append(", ").append(num(atCutoff[5])).append("] from above");
        checks.stream().filter(x -> x.name().equals("manipulation")).findFirst().ifPresent(x -> alt.append(
                "; the manipulation test gives T = ").append(num(dbl(x.evidence().get("statistic")))).append(", p = ")
                .append(num(dbl(x.evidence().get("p_value")))));
        alt.append(". A jump between the curves at the cutoff that the bands do not bridge means requests may be "
                + "sorting themselves across it. ");
        SvgChart c = new SvgChart(id, title, "", WIDTH, 300).domain(xlo, xhi, 0, yhi > 0 ? yhi : 1);
        c.defs("<pattern id=\"chart-rd-density-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
                + "patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"" + CONTROL
                + "\" stroke-width=\"1.5\" stroke-opacity=\"0.5\"/></pattern>");
        c.axes(running + " (running variable, its own unit)", "density (share of rows per x unit)");
        if (histogram) {
            for (int i = 0; i < bars.length; i++) {
                if (!(bars[i] > 0)) {
                    continue;
                }
                double xa = c.px(edges[i]);
                double w = Math.max(0.5, c.px(edges[i + 1]) - xa - 1);
                c.mark("<rect class=\"mark bar histogram\" x=\"" + f(xa) + "\" y=\"" + f(c.py(bars[i])) + "\" width=\""
                        + f(w) + "\" height=\"" + f(c.py(0) - c.py(bars[i])) + "\" fill=\"" + MUTED
                        + "\" fill-opacity=\"0.35\"><title>" + HtmlText.escape(running) + " " + num(edges[i]) + " to "
                        + num(edges[i + 1]) + ": " + num(counts[i]) + " rows, density " + num(bars[i])
                        + "</title></rect>");
            }
        }
        for (List<double[]> side : List.of(below, above)) {
            if (side.size() < 2) {
                continue;
            }
            boolean low = side == below;
            StringBuilder band = new StringBuilder();
            for (int i = 0; i < side.size(); i++) {
                band.append(i == 0 ? "M" : " L").append(f(c.px(side.get(i)[0]))).append(',')
                        .append(f(c.py(side.get(i)[3])));
            }
            for (int i = side.size() - 1; i >= 0; i--) {
                band.append(" L").append(f(c.px(side.get(i)[0]))).append(',').append(f(c.py(side.get(i)[2])));
            }
            c.mark("<path class=\"mark band " + (low ? "below" : "above") + "\" d=\"" + band + " Z\" fill=\""
                    + (low ? "url(#chart-rd-density-hatch)" : TREATED + "\" fill-opacity=\"0.15") + "\" stroke=\""
                    + (low ? CONTROL : TREATED) + "\" stroke-width=\"0.5\"><title>" + pct + " interval "
                    + (low ? "below" : "above") + " the cutoff</title></path>");
        }
        for (List<double[]> side : List.of(below, above)) {
            if (side.size() < 2) {
                continue;
            }
            c.path(column(side, 0), column(side, 1), side == below ? CONTROL : TREATED, side == below ? "6 4" : null,
                    2, "density");
        }
        c.vRule(cutoff, "reference", "2 2");
        c.legend("below cutoff, band hatched", CONTROL, "6 4", null);
        c.legend("above cutoff, band tinted", TREATED, null, null);
        c.legend("histogram (rows)", MUTED, null, SvgChart.Shape.FILLED_SQUARE);
        return Optional.of(finish(c, alt, title, id));
    }

    /**
     * Mirrored histograms of the propensity score, treated above the axis and control below, with the trimming bounds
     * dashed. One bar mark per non-empty bin of each arm.
     */
    static Optional<Chart> overlap(Map<String, Object> d) {
        Map<String, Object> o = map(d.get("overlap"));
        double[] edges = doubles(o.get("bin_edges"));
        double[] ht = doubles(o.get("histogram_treated"));
        double[] hc = doubles(o.get("histogram_control"));
        if (edges.length < 2 || ht.length != edges.length - 1 || hc.length != edges.length - 1) {
            return Optional.empty();
        }
        double max = 1;
        for (int i = 0; i < ht.length; i++) {
            max = Math.max(max, Math.max(ht[i], hc[i]));
        }
        String id = "chart-overlap";
        String title = "Overlap of propensity scores by arm";
        StringBuilder alt = new StringBuilder("Histogram of estimated propensity scores, treated rows above the axis "
                + "(solid bars) and control rows below it (hatched bars); where one arm has rows and the other none, "
                + "there is no comparison. ");
        SvgChart c = new SvgChart(id, title, "", WIDTH, 300).domain(edges[0], edges[edges.length - 1], -max, max);
        c.defs("<pattern id=\"chart-overlap-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
                + "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ffffff\"/><line x1=\"0\" "
                + "y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"" + CONTROL + "\" stroke-width=\"2\"/></pattern>");
        c.absoluteYLabels().axes("propensity score (probability of treatment)", "rows per bin (treated up, control down)");
        c.hRule(0, "zero", null);
        for (Map<String, Object> t : maps(d.get("trimmed"))) {
            double a = dbl(t.get("alpha"));
            if (a > 0 && a < 0.5) {
                c.vRule(a, "threshold", "5 3").vRule(1 - a, "threshold", "5 3");
                alt.append("Trimming rule ").append(t.get("rule")).append(" keeps [").append(num(a)).append(", ")
                        .append(num(1 - a)).append("] (dashed). ");
            }
        }
        for (int i = 0; i < ht.length; i++) {
            double xa = c.px(edges[i]);
            double w = Math.max(0.5, c.px(edges[i + 1]) - xa - 1);
            if (ht[i] > 0) {
                c.mark("<rect class=\"mark bar treated\" x=\"" + f(xa) + "\" y=\"" + f(c.py(ht[i])) + "\" width=\""
                        + f(w) + "\" height=\"" + f(c.py(0) - c.py(ht[i])) + "\" fill=\"" + TREATED + "\"><title>"
                        + "treated, " + num(edges[i]) + " to " + num(edges[i + 1]) + ": " + num(ht[i]) + "</title></rect>");
            }
            if (hc[i] > 0) {
                c.mark("<rect class=\"mark bar control\" x=\"" + f(xa) + "\" y=\"" + f(c.py(0)) + "\" width=\"" + f(w)
                        + "\" height=\"" + f(c.py(-hc[i]) - c.py(0)) + "\" fill=\"url(#chart-overlap-hatch)\" stroke=\"" + CONTROL
                        + "\"><title>control, " + num(edges[i]) + " to " + num(edges[i + 1]) + ": " + num(hc[i])
                        + "</title></rect>");
            }
        }
        c.legend("treated (solid)", TREATED, null, SvgChart.Shape.FILLED_SQUARE);
        c.legend("control (hatched)", CONTROL, null, SvgChart.Shape.OPEN_SQUARE);
        return Optional.of(finish(c, alt, title, id));
    }

    /**
     * Love plot from the covariate_balance check: each covariate's standardized mean difference before weighting (open
     * circle) and after (filled), with the balance threshold dashed. Two point marks per covariate.
     */
    static Optional<Chart> lovePlot(List<CheckResult> checks) {
        Optional<CheckResult> check = checks.stream().filter(x -> x.name().equals("covariate_balance")).findFirst();
        if (check.isEmpty()) {
            return Optional.empty();
        }
        List<Map<String, Object>> rows = maps(check.get().evidence().get("covariates"));
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        double threshold = dbl(check.get().evidence().get("threshold"));
        double hi = Double.isFinite(threshold) ? threshold : 0.1;
        for (Map<String, Object> m : rows) {
            hi = Math.max(hi, Math.max(Math.abs(dbl(m.get("smd_before"))), Math.abs(dbl(m.get("smd_after")))));
        }
        String id = "chart-love";
        String title = "Covariate balance before and after weighting";
        StringBuilder alt = new StringBuilder("Standardized mean difference of each covariate, treated minus control, "
                + "before weighting (open circles) and after (filled); within the dashed lines (+/- " + num(threshold)
                + ") counts as balanced. ");
        int rowHeight = 24;
        SvgChart c = new SvgChart(id, title, "", WIDTH, 12 + rowHeight * rows.size() + 48).leftMargin(170).domain(-hi, hi, 0, 1);
        double[] p = SvgChart.pad(-hi, hi);
        double[] t = SvgChart.ticks(p[0], p[1]);
        c.xAxis("standardized mean difference (treated minus control, in pooled standard deviations)", t, ticksLabels(t));
        c.vRule(0, "zero", null);
        if (Double.isFinite(threshold)) {
            c.vRule(threshold, "threshold", "5 3").vRule(-threshold, "threshold", "5 3");
        }
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> m = rows.get(i);
            String name = String.valueOf(m.get("covariate"));
            double y = 12 + rowHeight * i + rowHeight / 2.0;
            c.label(c.plotLeft() - 6, y + 4, "end", name);
            double before = dbl(m.get("smd_before"));
            double after = dbl(m.get("smd_after"));
            alt.append(name).append(": ").append(num(before)).append(" before, ").append(num(after)).append(" after. ");
            if (Double.isFinite(before)) {
                c.mark("<circle class=\"mark smd before\" cx=\"" + f(c.px(before)) + "\" cy=\"" + f(y)
                        + "\" r=\"4\" fill=\"#ffffff\" stroke=\"" + CONTROL + "\"><title>" + HtmlText.escape(name)
                        + " before: " + num(before) + "</title></circle>");
            }
            if (Double.isFinite(after)) {
                c.mark("<circle class=\"mark smd after\" cx=\"" + f(c.px(after)) + "\" cy=\"" + f(y) + "\" r=\"4\" fill=\""
                        + TREATED + "\" stroke=\"" + TREATED + "\"><title>" + HtmlText.escape(name) + " after: "
                        + num(after) + "</title></circle>");
            }
        }
        c.legend("before weighting", CONTROL, null, SvgChart.Shape.OPEN_CIRCLE);
        c.legend("after weighting", TREATED, null, SvgChart.Shape.FILLED_CIRCLE);
        return Optional.of(finish(c, alt, title, id));
    }

    // ---------------------------------------------------------------- randomized designs with shared state

    /**
     * Switchback timeline, one chart per schedule (per value of {@code switchback.by}, else one): each block's
     * decision-metric value over its post-washout window as a horizontal segment (solid with a filled square when
     * treated, dashed with an open circle when control), treated blocks shaded light, washout windows shaded darker.
     * One mark per block.
     */
    static List<Chart> switchbackTimelines(Map<String, Object> d) {
        Map<String, Object> t = map(d.get("timeline"));
        List<Map<String, Object>> blocks = maps(t.get("blocks"));
        if (blocks.isEmpty()) {
            return List.of();
        }
        Map<String, List<Map<String, Object>>> byStratum = new java.util.LinkedHashMap<>();
        blocks.forEach(b -> byStratum.computeIfAbsent(String.valueOf(b.get("stratum")), k -> new ArrayList<>()).add(b));
        // the x axis counts days, or hours when the whole schedule spans at most two days
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (Map<String, Object> b : blocks) {
            long at = java.time.Instant.parse(String.valueOf(b.get("start"))).getEpochSecond();
            first = Math.min(first, at);
            last = Math.max(last, at);
        }
        boolean hours = last - first + 60 * dbl(t.get("block_minutes")) <= 2 * 86_400;
        double unitSeconds = hours ? 3_600 : 86_400;
        String unitName = hours ? "hours" : "days";
        double blockDays = 60 * dbl(t.get("block_minutes")) / unitSeconds;
        double washoutDays = 60 * dbl(t.get("washout_minutes")) / unitSeconds;
        String metric = String.valueOf(t.get("metric"));
        java.time.Instant origin = java.time.Instant.parse(String.valueOf(t.get("origin")));
        List<Chart> out = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, List<Map<String, Object>>> e : byStratum.entrySet()) {
            List<Map<String, Object>> list = e.getValue();
            double[] start = new double[list.size()];
            double[] y = new double[list.size()];
            int treated = 0;
            for (int i = 0; i < list.size(); i++) {
                start[i] = (java.time.Instant.parse(String.valueOf(list.get(i).get("start"))).getEpochSecond()
                        - origin.getEpochSecond()) / unitSeconds;
                y[i] = dbl(list.get(i).get("outcome"));
                treated += Boolean.TRUE.equals(list.get(i).get("treated")) ? 1 : 0;
            }
            double[] range = range(y);
            String id = "chart-switchback-" + index++;
            String where = t.get("by") == null ? "" : " (" + t.get("by") + " = " + e.getKey() + ")";
            String title = "Switchback timeline of " + metric + where;
            StringBuilder alt = new StringBuilder(String.format(Locale.ROOT, "%d blocks of %s minutes from %s (UTC), "
                            + "%d treated (shaded, solid segments with squares) and %d control (dashed segments with open "
                            + "circles); each segment is the block's %s after its %s-minute washout (darker shading), "
                            + "which the analysis leaves out.", list.size(), num(dbl(t.get("block_minutes"))),
                    origin, treated, list.size() - treated, metric, num(dbl(t.get("washout_minutes")))));
            if (dbl(t.get("mixed_blocks_excluded")) > 0) {
                alt.append(" ").append(num(dbl(t.get("mixed_blocks_excluded"))))
                        .append(" blocks that carried both arms are left out.");
            }
            SvgChart c = new SvgChart(id, title, "", WIDTH, 300)
                    .domain(start[0], start[start.length - 1] + blockDays, range[0], range[1]);
            for (int i = 0; i < list.size(); i++) {
                if (Boolean.TRUE.equals(list.get(i).get("treated"))) {
                    c.xBand(start[i], start[i] + blockDays, "treated-block");
                }
                if (washoutDays > 0) {
                    c.xBand(start[i], start[i] + washoutDays, "washout");
                }
            }
            c.axes(unitName + " since " + origin + " (UTC)", metric + " per block (metric's unit)");
            for (int i = 0; i < list.size(); i++) {
                if (!Double.isFinite(y[i])) {
                    continue;
                }
                boolean tr = Boolean.TRUE.equals(list.get(i).get("treated"));
                String color = tr ? TREATED : CONTROL;
                double xa = c.px(start[i] + washoutDays);
                double xb = c.px(start[i] + blockDays);
                double yy = c.py(y[i]);
                double xm = (xa + xb) / 2;
                String marker = tr
                        ? "<rect x=\"" + f(xm - 2) + "\" y=\"" + f(yy - 2) + "\" width=\"4\" height=\"4\" fill=\"" + color + "\"/>"
                        : "<circle cx=\"" + f(xm) + "\" cy=\"" + f(yy) + "\" r=\"2\" fill=\"#ffffff\" stroke=\"" + color + "\"/>";
                c.mark("<g class=\"mark block\"><title>" + HtmlText.escape(String.valueOf(list.get(i).get("start"))) + ", "
                        + HtmlText.escape(String.valueOf(list.get(i).get("arm"))) + ": " + num(y[i]) + "</title><line x1=\""
                        + f(xa) + "\" y1=\"" + f(yy) + "\" x2=\"" + f(xb) + "\" y2=\"" + f(yy) + "\" stroke=\"" + color
                        + "\" stroke-width=\"1.5\"" + (tr ? "" : " stroke-dasharray=\"2 1\"") + "/>" + marker + "</g>");
            }
            c.legend("treated block (shaded)", TREATED, null, SvgChart.Shape.FILLED_SQUARE);
            c.legend("control block", CONTROL, "2 1", SvgChart.Shape.OPEN_CIRCLE);
            out.add(finish(c, alt, title, id));
        }
        return out;
    }

    /**
     * Cluster RCT: each cluster's decision-metric value (unweighted), in one column per stratum and arm, with the
     * column's mean of cluster values as a short rule. One mark per cluster.
     */
    static Optional<Chart> clusterOutcomes(Map<String, Object> d) {
        Map<String, Object> o = map(d.get("cluster_outcomes"));
        List<Map<String, Object>> rows = new ArrayList<>(maps(o.get("clusters")));
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        java.util.Comparator<Map<String, Object>> order = java.util.Comparator
                .comparing((Map<String, Object> m) -> String.valueOf(m.get("stratum")))
                .thenComparing(m -> Boolean.TRUE.equals(m.get("treated")))
                .thenComparing(m -> dbl(m.get("outcome")))
                .thenComparing(m -> String.valueOf(m.get("cluster")));
        rows.sort(order);
        Map<String, List<Map<String, Object>>> columns = new java.util.LinkedHashMap<>();
        for (Map<String, Object> m : rows) {
            columns.computeIfAbsent(m.get("stratum") + "\u0000" + m.get("arm"), k -> new ArrayList<>()).add(m);
        }
        double[] all = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            all[i] = dbl(rows.get(i).get("outcome"));
        }
        double[] range = range(all);
        String metric = String.valueOf(o.get("metric"));
        boolean strata = o.get("strata_column") != null;
        String id = "chart-clusters";
        String title = "Cluster outcomes by arm" + (strata ? " and stratum" : "");
        StringBuilder alt = new StringBuilder("Each cluster's " + metric + " (one point per cluster; treated filled "
                + "squares, control open circles), in columns by " + (strata ? "stratum (" + o.get("strata_column")
                + ") and " : "") + "arm, with each column's mean of cluster values as a horizontal rule. The effect "
                + "weights clusters by their rows; these points are unweighted. ");
        int k = columns.size();
        SvgChart c = new SvgChart(id, title, "", WIDTH, 320).domain(-0.5, k - 0.5, range[0], range[1]);
        double[] at = new double[k];
        List<String> labels = new ArrayList<>();
        int col = 0;
        for (Map.Entry<String, List<Map<String, Object>>> e : columns.entrySet()) {
            String[] key = e.getKey().split("\u0000", -1);
            at[col] = col;
            labels.add(strata ? key[0] + ": " + key[1] : key[1]);
            List<Map<String, Object>> list = e.getValue();
            double sum = 0;
            int finite = 0;
            for (int i = 0; i < list.size(); i++) {
                double v = dbl(list.get(i).get("outcome"));
                if (!Double.isFinite(v)) {
                    continue;
                }
                sum += v;
                finite++;
                boolean tr = Boolean.TRUE.equals(list.get(i).get("treated"));
                double spread = list.size() == 1 ? 0 : (i / (double) (list.size() - 1) - 0.5) * 0.5;
                c.point(col + spread, v, tr ? SvgChart.Shape.FILLED_SQUARE : SvgChart.Shape.OPEN_CIRCLE,
                        tr ? TREATED : CONTROL, "cluster", list.get(i).get("cluster") + " (" + key[1]
                                + (strata ? ", " + key[0] : "") + "): " + num(v));
            }
            if (finite > 0) {
                double mean = sum / finite;
                c.rule(c.px(col - 0.35), c.py(mean), c.px(col + 0.35), c.py(mean), "reference", null);
                alt.append(strata ? key[0] + ", " : "").append(key[1]).append(": ").append(finite)
                        .append(" clusters, mean ").append(num(mean)).append(". ");
            }
            col++;
        }
        c.xAxis(strata ? "stratum: arm" : "arm", at, labels);
        c.yAxisOnly(metric + " per cluster (metric's unit)");
        c.legend("treated cluster", TREATED, null, SvgChart.Shape.FILLED_SQUARE);
        c.legend("control cluster", CONTROL, null, SvgChart.Shape.OPEN_CIRCLE);
        c.legend("column mean of clusters", "#333333", null, null);
        return Optional.of(finish(c, alt, title, id));
    }

    /**
     * Saturation design: per level (one column each, increasing), each cluster's mean of untreated requests (open
     * circles, left half) and of treated requests (filled squares, right half), with the column means of clusters as
     * short rules and the pure-control clusters' mean dashed across the plot: untreated points of a mixed level away
     * from the dashed line are spillover, treated against untreated within a level the direct effect. One mark per
     * cluster and arm with requests.
     */
    static Optional<Chart> saturationClusters(Map<String, Object> d) {
        Map<String, Object> o = map(d.get("saturation_clusters"));
        List<Map<String, Object>> rows = maps(o.get("clusters"));
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        java.util.TreeMap<Double, List<Map<String, Object>>> byLevel = new java.util.TreeMap<>();
        rows.forEach(m -> byLevel.computeIfAbsent(dbl(m.get("level")), k -> new ArrayList<>()).add(m));
        List<Double> values = new ArrayList<>();
        for (Map<String, Object> m : rows) {
            values.add(dbl(m.get("untreated_mean")));
            values.add(dbl(m.get("treated_mean")));
        }
        double[] range = range(values.stream().mapToDouble(Double::doubleValue).toArray());
        String metric = String.valueOf(o.get("metric"));
        String id = "chart-saturation";
        String title = "Cluster means by saturation level: spillover and direct effect";
        StringBuilder alt = new StringBuilder("Each cluster's mean " + metric + " over its untreated requests (open "
                + "circles) and over its treated requests (filled squares), in one column per saturation level (the "
                + "share of the cluster's requests treated); short rules are the means over clusters, the dashed line "
                + "the pure-control clusters' mean. Untreated requests of mixed clusters away from the dashed line "
                + "show spillover. ");
        int k = byLevel.size();
        SvgChart c = new SvgChart(id, title, "", WIDTH, 320).domain(-0.5, k - 0.5, range[0], range[1]);
        double[] at = new double[k];
        List<String> labels = new ArrayList<>();
        double pure = Double.NaN;
        int col = 0;
        for (Map.Entry<Double, List<Map<String, Object>>> e : byLevel.entrySet()) {
            at[col] = col;
            labels.add(num(100 * e.getKey()) + "% treated");
            alt.append("Level ").append(num(e.getKey())).append(" (").append(e.getValue().size()).append(" clusters):");
            List<String> parts = new ArrayList<>();
            for (int arm = 0; arm < 2; arm++) {
                String key = arm == 0 ? "untreated_mean" : "treated_mean";
                List<Map<String, Object>> list = new ArrayList<>(e.getValue());
                list.sort(java.util.Comparator.comparing((Map<String, Object> m) -> dbl(m.get(key)))
                        .thenComparing(m -> String.valueOf(m.get("cluster"))));
                double sum = 0;
                int finite = 0;
                for (int i = 0; i < list.size(); i++) {
                    double v = dbl(list.get(i).get(key));
                    if (!Double.isFinite(v)) {
                        continue;
                    }
                    sum += v;
                    finite++;
                    double spread = list.size() == 1 ? 0 : (i / (double) (list.size() - 1) - 0.5) * 0.18;
                    double x = col + (arm == 0 ? -0.2 : 0.2) + spread;
                    c.point(x, v, arm == 0 ? SvgChart.Shape.OPEN_CIRCLE : SvgChart.Shape.FILLED_SQUARE,
                            arm == 0 ? CONTROL : TREATED, "cluster", list.get(i).get("cluster") + " at level "
                                    + num(e.getKey()) + ", " + (arm == 0 ? "untreated" : "treated") + " requests: "
                                    + num(v) + " (" + list.get(i).get(arm == 0 ? "untreated_requests"
                                    : "treated_requests") + " requests)");
                }
                if (finite > 0) {
                    double mean = sum / finite;
                    double x = col + (arm == 0 ? -0.2 : 0.2);
                    c.rule(c.px(x - 0.15), c.py(mean), c.px(x + 0.15), c.py(mean), "reference", null);
                    parts.add((arm == 0 ? "untreated mean " : "treated mean ") + num(mean));
                    if (arm == 0 && e.getKey() == 0.0) {
                        pure = mean;
                    }
                }
            }
            alt.append(' ').append(String.join(", ", parts)).append(". ");
            col++;
        }
        if (Double.isFinite(pure)) {
            c.hRule(pure, "reference", "5 3");
        }
        c.xAxis("saturation level (share of the cluster's requests treated)", at, labels);
        c.yAxisOnly(metric + " per cluster and arm (metric's unit)");
        c.legend("untreated requests", CONTROL, null, SvgChart.Shape.OPEN_CIRCLE);
        c.legend("treated requests", TREATED, null, SvgChart.Shape.FILLED_SQUARE);
        c.legend("pure-control mean", "#333333", "5 3", null);
        return Optional.of(finish(c, alt, title, id));
    }

    // ---------------------------------------------------------------- helpers

    private static void periodAxis(SvgChart c, List<Object> periods, String label) {
        int[] idx = tickIndexes(periods.size());
        double[] at = new double[idx.length];
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < idx.length; i++) {
            at[i] = idx[i];
            String s = String.valueOf(periods.get(idx[i]));
            labels.add(s.length() > 10 ? s.substring(0, 10) : s);
        }
        c.xAxis(label, at, labels);
    }

    /** About six evenly spaced indexes including the first and the last. */
    private static int[] tickIndexes(int n) {
        if (n <= 1) {
            return new int[] {0};
        }
        int k = Math.min(n, 6);
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = (int) Math.round(i * (n - 1) / (double) (k - 1));
        }
        return out;
    }

    /** Column {@code j} of a list of points. */
    private static double[] column(List<double[]> points, int j) {
        double[] out = new double[points.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = points.get(i)[j];
        }
        return out;
    }

    private static double[] index(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return x;
    }

    private static double[] range(double[]... series) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] s : series) {
            for (double v : s) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return Double.isFinite(lo) ? new double[] {lo, hi} : new double[] {0, 1};
    }

    static double dbl(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }

    static List<Map<String, Object>> maps(Object o) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object x : list(o)) {
            if (x instanceof Map<?, ?>) {
                out.add(map(x));
            }
        }
        return out;
    }

    static double[] doubles(Object o) {
        List<Object> l = list(o);
        double[] out = new double[l.size()];
        for (int i = 0; i < l.size(); i++) {
            out[i] = dbl(l.get(i));
        }
        return out;
    }
}

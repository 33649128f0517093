package dev.verdict.cli.readout;

import dev.verdict.check.CheckCategory;
import dev.verdict.check.CheckResult;
import dev.verdict.decide.Decision;
import dev.verdict.readout.Effect;
import dev.verdict.readout.SegmentEffects;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static dev.verdict.cli.readout.HtmlText.escape;
import static dev.verdict.cli.readout.ReadoutMarkdown.num;

/**
 * Writes readout.html: one self-contained file (inline CSS, inline SVG charts, no script, no font or image fetched)
 * in the framework's order, the same as readout.md (FRAMEWORK.md section 8): the decision and its rule; identification
 * checks with the design's diagnostic charts; guardrails; effects with a forest plot; segments with a forest plot per
 * column, and unit economics; the contingency; what would change the decision; the distance from the ideal
 * experiment; methods and provenance. The charts are drawn by {@link SvgChart} from numbers the analysis already
 * carries ({@link ReadoutCharts}). Same readout, same bytes.
 */
public final class ReadoutHtml {
    /** Section ids in the order they appear; tests and docs/readout.md rely on it. */
    public static final List<String> SECTIONS = List.of("decision", "identification", "guardrails", "effects",
            "segments", "economics", "contingency", "what-would-change", "ideal-experiment", "methods", "provenance");

    private static final Set<CheckCategory> IDENTIFICATION = EnumSet.of(CheckCategory.DATA_QUALITY,
            CheckCategory.ASSIGNMENT_INTEGRITY, CheckCategory.IDENTIFICATION, CheckCategory.EXECUTION_FIDELITY,
            CheckCategory.BOUNDARY_COVERAGE);
    private static final Set<CheckCategory> SAFETY = EnumSet.of(CheckCategory.GUARDRAIL, CheckCategory.SPILLOVER,
            CheckCategory.ROLLBACK_TRIGGER);

    private ReadoutHtml() {
    }

    /** The readout as a complete HTML document. */
    public static String write(Readout r) {
        return render(r, new ArrayList<>());
    }

    private static String render(Readout r, List<ReadoutCharts.Chart> charts) {
        StringBuilder h = new StringBuilder(64 * 1024);
        Decision d = r.decision();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"").append(escape(r.provenance().tool())).append("\">\n")
                .append("<title>").append(escape(r.spec().name())).append(": ")
                .append(escape(label(d.recommendation().wireName()))).append("</title>\n<style>\n").append(ReadoutStylesheet.CSS)
                .append("</style>\n</head>\n<body>\n<main>\n");
        h.append("<h1>").append(escape(r.spec().name())).append("</h1>\n");

        open(h, "decision", "Decision");
        h.append("<div class=\"decision\"><p class=\"recommendation\">").append(escape(label(d.recommendation().wireName())))
                .append("</p>\n<p>").append(escape(d.reason())).append("</p>\n<p>Rule that fired: <code>")
                .append(escape(d.rule())).append("</code>. Design: ").append(escape(r.analysis().design()))
                .append(r.spec().design().quasi() ? ", not randomized; unit of analysis: <code>"
                        : ", unit of randomization and of the variance: <code>")
                .append(escape(r.analysis().unit())).append("</code>.</p></div>\n");
        h.append("<details><summary>Decision trail (every rule, in order)</summary>\n<table>\n<thead><tr><th>rule</th>"
                + "<th>outcome</th></tr></thead>\n<tbody>\n");
        d.trail().forEach(s -> h.append("<tr><td><code>").append(breakable(s.rule())).append("</code></td><td>")
                .append(escape(s.outcome())).append("</td></tr>\n"));
        h.append("</tbody>\n</table>\n</details>\n");
        close(h);

        open(h, "identification", "1. Identification checks");
        checks(h, r.checks(), IDENTIFICATION);
        for (ReadoutCharts.Chart c : ReadoutCharts.design(r)) {
            add(h, charts, c);
        }
        close(h);

        open(h, "guardrails", "2. Guardrails");
        checks(h, r.checks(), SAFETY);
        effectTable(h, r.analysis().effects().stream().filter(e -> e.role().equals(Effect.ROLE_GUARDRAIL)).toList());
        close(h);

        open(h, "effects", "3. Effect on the decision metric");
        effectTable(h, r.analysis().effects().stream().filter(e -> e.role().equals(Effect.ROLE_SUCCESS)).toList());
        ReadoutCharts.effects(r).ifPresent(c -> add(h, charts, c));
        close(h);

        open(h, "segments", "4. Segments and unit economics");
        if (r.analysis().segments().isEmpty()) {
            h.append("<p>No segments declared.</p>\n");
        }
        int index = 0;
        for (SegmentEffects s : r.analysis().segments()) {
            h.append("<h3>Segment <code>").append(escape(s.column())).append("</code></h3>\n");
            h.append("<p>Heterogeneity (effects differ across values): chi-square ").append(num(s.heterogeneityStatistic()))
                    .append(" on ").append(s.heterogeneityDf()).append(" df, p = ").append(num(s.heterogeneityPValue()))
                    .append(".</p>\n");
            ReadoutCharts.segment(r, s, index++).ifPresent(c -> add(h, charts, c));
            h.append("<div class=\"table\"><table>\n<thead><tr><th>value</th><th>control</th><th>treatment</th><th>effect</th><th>CI</th>"
                    + "<th>p</th><th>p (Holm)</th><th>n control</th><th>n treatment</th></tr></thead>\n<tbody>\n");
            for (int i = 0; i < s.effects().size(); i++) {
                Effect e = s.effects().get(i);
                h.append("<tr><td>").append(escape(e.segment().map(Effect.Segment::value).orElse(""))).append("</td>");
                cells(h, num(e.control()), num(e.treatment()), num(e.estimate()),
                        "[" + num(e.ciLow()) + ", " + num(e.ciHigh()) + "]", num(e.pValue()), num(s.adjustedP().get(i)),
                        Long.toString(e.nControl()), Long.toString(e.nTreatment()));
                h.append("</tr>\n");
            }
            h.append("</tbody>\n</table></div>\n");
        }
        h.append("</section>\n");
        h.append("<section id=\"economics\">\n<h3>Unit economics</h3>\n");
        checks(h, r.checks(), EnumSet.of(CheckCategory.ECONOMIC));
        effectTable(h, r.analysis().effects().stream().filter(e -> e.role().equals(Effect.ROLE_ECONOMICS)).toList());
        close(h);

        open(h, "contingency", "5. Contingency");
        h.append("<p>").append(escape(d.contingency())).append("</p>\n");
        close(h);
        open(h, "what-would-change", "6. What would change this decision");
        list(h, d.whatWouldChange());
        close(h);
        open(h, "ideal-experiment", "7. Distance from the ideal experiment");
        h.append("<p>").append(escape(r.ideal().description())).append("</p>\n");
        if (r.ideal().gaps().isEmpty()) {
            h.append("<p>This design and log have no known gap from it.</p>\n");
        } else {
            list(h, r.ideal().gaps());
        }
        close(h);
        open(h, "methods", "Methods");
        h.append("<p>Two-sided ").append(num(100 * (1 - r.spec().alpha()))).append("% intervals (alpha = ")
                .append(num(r.spec().alpha())).append(").</p>\n");
        list(h, r.analysis().notes());
        close(h);
        open(h, "provenance", "Provenance");
        Provenance p = r.provenance();
        List<String> items = new ArrayList<>();
        items.add("tool: " + p.tool());
        items.add("engine: " + p.engine() + " " + p.engineVersion());
        items.add("seed: " + p.seed());
        p.files().forEach(f -> items.add("data: " + f.path() + " (" + f.bytes() + " bytes, " + f.fingerprint() + ")"));
        list(h, items);
        close(h);
        h.append("</main>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void add(StringBuilder h, List<ReadoutCharts.Chart> charts, ReadoutCharts.Chart c) {
        charts.add(c);
        h.append(c.html());
    }

    private static void open(StringBuilder h, String id, String title) {
        h.append("<section id=\"").append(id).append("\">\n<h2>").append(escape(title)).append("</h2>\n");
    }

    private static void close(StringBuilder h) {
        h.append("</section>\n");
    }

    private static void list(StringBuilder h, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        h.append("<ul>\n");
        items.forEach(i -> h.append("<li>").append(escape(i)).append("</li>\n"));
        h.append("</ul>\n");
    }

    private static void cells(StringBuilder h, String... values) {
        for (String v : values) {
            h.append("<td class=\"n\">").append(escape(v)).append("</td>");
        }
    }

    private static void checks(StringBuilder h, List<CheckResult> checks, Set<CheckCategory> categories) {
        List<CheckResult> list = checks.stream().filter(c -> categories.contains(c.category())).toList();
        if (list.isEmpty()) {
            h.append("<p>No checks in this group.</p>\n");
            return;
        }
        h.append("<div class=\"table\"><table class=\"checks\">\n<thead><tr><th>check</th><th>status</th><th>finding</th></tr></thead>\n<tbody>\n");
        for (CheckResult c : list) {
            String status = c.status().wireName();
            h.append("<tr><td><code>").append(breakable(c.name())).append("</code></td><td class=\"status-")
                    .append(status.replace('_', '-')).append("\">").append(escape(statusText(c))).append("</td><td>")
                    .append(escape(c.summary())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table></div>\n");
    }

    private static void effectTable(StringBuilder h, List<Effect> effects) {
        if (effects.isEmpty()) {
            return;
        }
        h.append("<div class=\"table\"><table class=\"effects\">\n<thead><tr><th>metric</th><th>kind</th><th>control</th><th>treatment</th>"
                + "<th>effect</th><th>relative</th><th>CI</th><th>p</th><th>method</th><th>n control</th>"
                + "<th>n treatment</th></tr></thead>\n<tbody>\n");
        for (Effect e : effects) {
            h.append("<tr><td>").append(escape(e.metric())).append("</td><td>").append(escape(e.kind())).append("</td>");
            cells(h, num(e.control()), num(e.treatment()), num(e.estimate()),
                    Double.isFinite(e.relative()) ? num(100 * e.relative()) + "%" : "n/a",
                    "[" + num(e.ciLow()) + ", " + num(e.ciHigh()) + "]", num(e.pValue()));
            h.append("<td><code>").append(breakable(e.method())).append("</code></td>");
            cells(h, Long.toString(e.nControl()), Long.toString(e.nTreatment()));
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table></div>\n");
    }

    private static String statusText(CheckResult c) {
        return switch (c.status()) {
            case PASS -> "pass";
            case WARN -> "WARN";
            case FAIL -> "FAIL";
            case NOT_EVALUATED -> "not evaluated";
        };
    }

    /**
     * An identifier for a table cell: escaped, with a line-break opportunity ({@code <wbr>}) after each underscore,
     * dot and colon, so that a long method name wraps between its words in a narrow column (and in print) rather than
     * in the middle of one.
     */
    static String breakable(String code) {
        return escape(code).replace("_", "_<wbr>").replace(".", ".<wbr>").replace(":", ":<wbr>");
    }

    private static String label(String wire) {
        return wire.replace('_', ' ').toUpperCase(Locale.ROOT);
    }
}

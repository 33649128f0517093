package dev.verdict.cli.readout;

import java.util.List;
import java.util.Map;

import static dev.verdict.cli.readout.HtmlText.escape;
import static dev.verdict.cli.readout.ReadoutMarkdown.num;

/**
 * Writes the design lab's readout.html: one self-contained file (the readouts' stylesheet inlined, inline SVG charts,
 * no script, nothing fetched) with the scenario and its true effect, a table of each design's bias, RMSE, coverage,
 * power and recommendations, the coverage of each other inference method, and the charts of {@link LabCharts} with
 * how to read them. Everything comes from the {@link LabSummary} that lab.json also holds. Same summary, same bytes.
 */
public final class LabHtml {
    /** Section ids in the order they appear. */
    public static final List<String> SECTIONS = List.of("setup", "designs", "bias", "coverage", "recommendations",
            "provenance");

    private LabHtml() {
    }

    /** The lab's summary as a complete HTML document; {@code tool} names the tool and its version. */
    public static String write(LabSummary s, String tool) {
        StringBuilder h = new StringBuilder(32 * 1024);
        String name = "Design lab: " + s.scenario();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"").append(escape(tool)).append("\">\n")
                .append("<title>").append(escape(name)).append("</title>\n<style>\n").append(ReadoutStylesheet.CSS)
                .append("</style>\n</head>\n<body>\n<main>\n");
        h.append("<h1>").append(escape(name)).append("</h1>\n");
        long last = s.firstSeed() + s.replicates() - 1;

        open(h, "setup", "Setup");
        h.append("<div class=\"table\"><table class=\"setup\">\n<tbody>\n");
        row(h, "scenario", s.scenario());
        row(h, "change", "control " + s.control() + ", treatment " + s.treatment());
        row(h, "decision metric", "mean time to first token (TTFT), treatment minus control, in ms");
        row(h, "true effect", num(s.meanTrueEffect()) + " ms averaged over replicates (from " + num(s.minTrueEffect())
                + " to " + num(s.maxTrueEffect()) + " ms); each replicate's truth is its ideal experiment, every "
                + "request on treatment minus every request on control, same seed");
        row(h, "replicates", s.replicates() + " (seeds " + s.firstSeed() + " to " + last + "), " + num(s.hours())
                + " simulated hours each");
        row(h, "designs", String.join(", ", s.designs().stream().map(LabSummary.Design::name).toList()));
        row(h, "intervals", "the readouts' two-sided nominal " + num(100 * LabSummary.NOMINAL_COVERAGE) + "% intervals");
        h.append("</tbody>\n</table></div>\n");
        close(h);

        open(h, "designs", "Results by design");
        h.append("<p>Bias and RMSE: each replicate's estimate minus that replicate's true effect (ms). Coverage: share of "
                + "replicates whose interval contains the true effect. Power: share whose interval excludes zero. In "
                + "brackets, 95% Monte Carlo intervals: how far these numbers could move with more replicates.</p>\n");
        h.append("<div class=\"table\"><table class=\"designs\">\n<thead><tr><th>design</th><th>bias (ms)</th>"
                + "<th>bias, 95% MC interval</th><th>RMSE (ms)</th><th>coverage</th><th>coverage, 95% Wilson interval</th>"
                + "<th>power</th><th>recommendations</th></tr></thead>\n<tbody>\n");
        for (LabSummary.Design d : s.designs()) {
            h.append("<tr><td>").append(escape(d.name())).append("</td>");
            cells(h, num(d.bias().mean()), interval(d.bias().mcLow(), d.bias().mcHigh(), ""), num(d.rmse()),
                    pct(d.coverage().share()) + " (" + d.coverage().hits() + "/" + d.coverage().trials() + ")",
                    interval(100 * d.coverage().wilsonLow(), 100 * d.coverage().wilsonHigh(), "%"),
                    pct(d.power().share()));
            StringBuilder recs = new StringBuilder();
            for (Map.Entry<String, Integer> e : d.recommendations().entrySet()) {
                recs.append(recs.length() == 0 ? "" : ", ").append(e.getKey().replace('_', ' ')).append(' ')
                        .append(pct((double) e.getValue() / s.replicates()));
            }
            h.append("<td>").append(escape(recs.toString())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table></div>\n");
        if (s.designs().stream().anyMatch(d -> !d.coverageByInference().isEmpty())) {
            h.append("<h3>Coverage of the other inference methods</h3>\n<p>The readouts of some designs report other "
                    + "intervals for the decision metric in their checks (a cluster RCT with few clusters: CR2, wild "
                    + "cluster bootstrap, randomization inference; a switchback: Horvitz-Thompson, demand-adjusted). "
                    + "Their coverage counts only the replicates where the method gave an interval.</p>\n");
            h.append("<div class=\"table\"><table class=\"coverage-by-inference\">\n<thead><tr><th>design</th>"
                    + "<th>method</th><th>replicates with an interval</th><th>coverage</th>"
                    + "<th>coverage, 95% Wilson interval</th></tr></thead>\n<tbody>\n");
            for (LabSummary.Design d : s.designs()) {
                for (Map.Entry<String, LabSummary.Proportion> e : d.coverageByInference().entrySet()) {
                    LabSummary.Proportion p = e.getValue();
                    h.append("<tr><td>").append(escape(d.name())).append("</td><td><code>").append(escape(e.getKey()))
                            .append("</code></td>");
                    cells(h, p.trials() + " of " + s.replicates(), pct(p.share()),
                            interval(100 * p.wilsonLow(), 100 * p.wilsonHigh(), "%"));
                    h.append("</tr>\n");
                }
            }
            h.append("</tbody>\n</table></div>\n");
        }
        if (s.designs().stream().anyMatch(d -> !d.checks().isEmpty())) {
            h.append("<h3>Checks that fired</h3>\n<p>How often each design's readouts failed or warned on each check, "
                    + "and the coverage of the readouts that failed no validity check (data quality, assignment "
                    + "integrity, identification, execution fidelity, spillover): a design that under-covers but whose "
                    + "checks fail on the replicates it gets wrong still protects the decision; one whose misses go "
                    + "unflagged does not.</p>\n");
            h.append("<div class=\"table\"><table class=\"checks-fired\">\n<thead><tr><th>design</th><th>check</th>"
                    + "<th>failed</th><th>warned</th></tr></thead>\n<tbody>\n");
            for (LabSummary.Design d : s.designs()) {
                for (Map.Entry<String, LabSummary.CheckCounts> e : d.checks().entrySet()) {
                    h.append("<tr><td>").append(escape(d.name())).append("</td><td><code>").append(escape(e.getKey()))
                            .append("</code></td>");
                    cells(h, pct((double) e.getValue().fail() / s.replicates()),
                            pct((double) e.getValue().warn() / s.replicates()));
                    h.append("</tr>\n");
                }
            }
            h.append("</tbody>\n</table></div>\n");
            h.append("<div class=\"table\"><table class=\"coverage-where-valid\">\n<thead><tr><th>design"
                    + "</th><th>replicates with no failed validity check</th><th>coverage among them</th>"
                    + "<th>coverage, 95% Wilson interval</th></tr></thead>\n<tbody>\n");
            for (LabSummary.Design d : s.designs()) {
                LabSummary.Proportion p = d.coverageWhereValid();
                h.append("<tr><td>").append(escape(d.name())).append("</td>");
                cells(h, p.trials() + " of " + s.replicates(), p.trials() == 0 ? "-" : pct(p.share()),
                        p.trials() == 0 ? "-" : interval(100 * p.wilsonLow(), 100 * p.wilsonHigh(), "%"));
                h.append("</tr>\n");
            }
            h.append("</tbody>\n</table></div>\n");
        }
        close(h);

        open(h, "bias", "Bias");
        h.append(LabCharts.bias(s).html());
        h.append("<p>How to read it: a design whose point sits on the zero line estimates the effect of shipping to "
                + "everyone without systematic error. The bar is the Monte Carlo interval of the bias: if it excludes "
                + "zero, the bias is real and not noise from running few replicates; if it is wide, run more "
                + "replicates before comparing designs. A bias near minus the true effect means the design sees "
                + "almost none of the effect (both arms share the state the change moves).</p>\n");
        close(h);

        open(h, "coverage", "Coverage");
        h.append(LabCharts.coverage(s).html());
        h.append("<p>How to read it: an honest 95% interval contains the truth in about 95% of replicates, so each row "
                + "should sit near the dashed line. A row whose Wilson interval lies entirely left of the line "
                + "under-covers: its intervals are too narrow or off-centre (a biased design under-covers however "
                + "many replicates run). A row right of the line is conservative: it protects against false "
                + "positives but costs power. With few replicates the Wilson intervals are wide and cannot tell "
                + "90% from 95%.</p>\n");
        close(h);

        open(h, "recommendations", "Recommendations");
        LabCharts.recommendations(s).ifPresent(c -> h.append(c.html()));
        h.append("<p>How often each design's readout ended with each recommendation. With a true effect the lab "
                + "knows, a design that is unbiased and covers can still recommend differently across replicates "
                + "when the effect is small against its noise (low power).</p>\n");
        close(h);

        open(h, "provenance", "Provenance");
        h.append("<ul>\n");
        for (String item : List.of("tool: " + tool, "scenario: " + s.scenario(), "first seed: " + s.firstSeed()
                + ", replicates: " + s.replicates(), "lab.json in the same folder holds every number on this page")) {
            h.append("<li>").append(escape(item)).append("</li>\n");
        }
        h.append("</ul>\n");
        close(h);
        h.append("</main>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void open(StringBuilder h, String id, String title) {
        h.append("<section id=\"").append(id).append("\">\n<h2>").append(escape(title)).append("</h2>\n");
    }

    private static void close(StringBuilder h) {
        h.append("</section>\n");
    }

    private static void row(StringBuilder h, String key, String value) {
        h.append("<tr><th>").append(escape(key)).append("</th><td>").append(escape(value)).append("</td></tr>\n");
    }

    private static void cells(StringBuilder h, String... values) {
        for (String v : values) {
            h.append("<td class=\"n\">").append(escape(v)).append("</td>");
        }
    }

    private static String interval(double lo, double hi, String unit) {
        return Double.isFinite(lo) && Double.isFinite(hi) ? "[" + num(lo) + unit + ", " + num(hi) + unit + "]" : "n/a";
    }

    private static String pct(double share) {
        return Double.isFinite(share) ? num(100 * share) + "%" : "n/a";
    }
}

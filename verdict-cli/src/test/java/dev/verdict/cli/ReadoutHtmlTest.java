package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.cli.readout.ReadoutCharts;
import dev.verdict.cli.readout.ReadoutHtml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * readout.html without a browser: sections in the framework's order, one chart per data set with as many marks as
 * the data in readout.json has (the HTML is compared with the JSON, not with itself), every chart accessible, nothing
 * fetched from the network, user text escaped, and the same bytes for the same inputs.
 */
class ReadoutHtmlTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FIGURE = Pattern.compile("<figure class=\"chart\" id=\"([^\"]+)\">(.*?)</figure>",
            Pattern.DOTALL);

    @TempDir
    Path tmp;

    /** Analyzes an example into a fresh folder and returns the folder. */
    private Path analyze(String example) {
        Path out = tmp.resolve(example.replace('/', '_') + "-" + System.nanoTime());
        CliRun run = CliRun.analyze(CliRun.repo().resolve("examples/" + example
                + (example.endsWith(".yaml") ? "" : "/spec.yaml")), out);
        assertTrue(run.err().isEmpty(), run.err());
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"clean-win", "mixed-segments", "did-rollout", "synthetic-control", "rdd", "propensity",
            "switchback", "cluster-rct", "synthetic-control/spec-did.yaml"})
    void sectionsInOrderChartsMatchTheDataAndNothingIsFetched(String example) throws IOException {
        Path out = analyze(example);
        String html = Files.readString(out.resolve("readout.html"));
        JsonNode json = JSON.readTree(out.resolve("readout.json").toFile());

        int at = -1;
        for (String id : ReadoutHtml.SECTIONS) {
            int next = html.indexOf("<section id=\"" + id + "\">");
            assertTrue(next > at, "section " + id + " missing or out of order");
            at = next;
        }
        assertFalse(Pattern.compile("(src|href)\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(),
                "no src or href: nothing is fetched");
        assertFalse(html.contains("http:") || html.contains("https:") || html.contains("<script")
                || html.contains("@import") || html.contains("url(http"), "self-contained");

        Map<String, Integer> expected = expectedMarks(json);
        Map<String, Integer> drawn = new LinkedHashMap<>();
        Matcher m = FIGURE.matcher(html);
        while (m.find()) {
            String body = m.group(2);
            assertTrue(body.contains("<figcaption>"), m.group(1) + " has a caption");
            assertTrue(body.contains("role=\"img\""), m.group(1) + " is an image to assistive technology");
            assertTrue(Pattern.compile("<title id=\"[^\"]+\">[^<]+</title>").matcher(body).find(), m.group(1) + " title");
            assertTrue(Pattern.compile("<desc id=\"[^\"]+\">[^<]{20,}</desc>").matcher(body).find(), m.group(1) + " desc");
            assertTrue(body.contains("unit") || body.contains("probability") || body.contains("standard deviations"),
                    m.group(1) + " says its units");
            Matcher n = Pattern.compile("data-marks=\"(\\d+)\"").matcher(body);
            assertTrue(n.find());
            int declared = Integer.parseInt(n.group(1));
            assertEquals(declared, count(body, "class=\"mark"), m.group(1) + ": data-marks equals the marks drawn");
            drawn.put(m.group(1), declared);
            assertLegendReadsWithoutColour(m.group(1), body);
            assertTrue(documentedCharts().contains(m.group(1).replaceAll("\\d+$", "N")), m.group(1) + " documented");
        }
        assertEquals(expected, drawn, example);
    }

    private static final Pattern LEGEND = Pattern.compile("<g class=\"legend\">(.*?)</g>");

    /**
     * Greyscale: a chart's legend entries differ from each other in dash pattern or point shape or fill, never in
     * colour alone.
     */
    private static void assertLegendReadsWithoutColour(String chart, String body) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        Matcher g = LEGEND.matcher(body);
        while (g.find()) {
            String e = g.group(1);
            String line = e.substring(0, e.indexOf("/>"));
            Matcher dash = Pattern.compile("stroke-dasharray=\"([^\"]*)\"").matcher(line);
            String rest = e.substring(e.indexOf("/>") + 2);
            String shape = rest.startsWith("<rect") ? "square" : rest.startsWith("<circle") ? "circle" : "none";
            boolean open = rest.contains("fill=\"#ffffff\"");
            String key = (dash.find() ? dash.group(1) : "solid") + "|" + shape + "|" + (open ? "open" : "filled");
            assertTrue(seen.add(key), chart + ": two legend entries differ only in colour (" + key + ")");
        }
    }

    /** What readout.json says each chart must draw. */
    private static Map<String, Integer> expectedMarks(JsonNode json) {
        Map<String, Integer> e = new LinkedHashMap<>();
        JsonNode details = json.path("design").path("details");
        switch (json.path("design").path("name").asText()) {
            case "did" -> {
                int coefficients = 0;
                for (JsonNode c : details.path("event_study")) {
                    coefficients += c.path("estimate").isNumber() ? 1 : 0;
                }
                if (coefficients > 0) {
                    e.put("chart-event-study", coefficients);
                }
                e.put("chart-trends", 2);
                if (details.has("placebo_in_space")) {
                    e.put("chart-did-placebos", 1 + details.path("placebo_in_space").path("placebos").size());
                }
            }
            case "synthetic_control" -> {
                e.put("chart-synthetic-paths", 2);
                e.put("chart-synthetic-gaps", 1 + details.path("placebo_gaps").size());
            }
            case "rdd" -> {
                boolean below = false;
                boolean above = false;
                for (JsonNode f : details.path("plot").path("fit")) {
                    below |= f.path("x").asDouble() < details.path("cutoff").asDouble();
                    above |= f.path("x").asDouble() >= details.path("cutoff").asDouble();
                }
                e.put("chart-rd", details.path("plot").path("bins").size() + (below ? 1 : 0) + (above ? 1 : 0));
                // density plot: a bar per non-empty histogram bin, a line and a band per side with two drawable points
                int bars = 0;
                for (JsonNode b : details.path("density").path("histogram").path("density")) {
                    bars += b.asDouble() > 0 ? 1 : 0;
                }
                int pointsBelow = 0;
                int pointsAbove = 0;
                for (JsonNode g : details.path("density").path("grid")) {
                    if (g.path("density").isNumber() && g.path("ci_low").isNumber() && g.path("ci_high").isNumber()) {
                        pointsBelow += g.path("side").asText().equals("below") ? 1 : 0;
                        pointsAbove += g.path("side").asText().equals("above") ? 1 : 0;
                    }
                }
                e.put("chart-rd-density", bars + (pointsBelow >= 2 ? 2 : 0) + (pointsAbove >= 2 ? 2 : 0));
            }
            case "propensity" -> {
                int bars = 0;
                for (String arm : new String[] {"histogram_treated", "histogram_control"}) {
                    for (JsonNode b : details.path("overlap").path(arm)) {
                        bars += b.asLong() > 0 ? 1 : 0;
                    }
                }
                e.put("chart-overlap", bars);
                for (JsonNode c : json.path("checks")) {
                    if (c.path("name").asText().equals("covariate_balance")) {
                        e.put("chart-love", 2 * c.path("evidence").path("covariates").size());
                    }
                }
            }
            case "switchback" -> {
                Map<String, Integer> perSchedule = new LinkedHashMap<>();
                for (JsonNode b : details.path("timeline").path("blocks")) {
                    perSchedule.merge(b.path("stratum").asText(), b.path("outcome").isNumber() ? 1 : 0, Integer::sum);
                }
                int i = 0;
                for (int n : perSchedule.values()) {
                    e.put("chart-switchback-" + i++, n);
                }
            }
            case "cluster_rct" -> {
                int n = 0;
                for (JsonNode c : details.path("cluster_outcomes").path("clusters")) {
                    n += c.path("outcome").isNumber() ? 1 : 0;
                }
                if (n > 0) {
                    e.put("chart-clusters", n);
                }
            }
            default -> {
            }
        }
        int effects = 0;
        for (JsonNode x : json.path("effects")) {
            effects += x.path("ci_low").isNumber() && x.path("ci_high").isNumber() && x.path("estimate").isNumber() ? 1 : 0;
        }
        e.put("chart-effects", effects);
        int i = 0;
        for (JsonNode s : json.path("segments")) {
            int n = 0;
            for (JsonNode x : s.path("effects")) {
                n += x.path("ci_low").isNumber() && x.path("ci_high").isNumber() && x.path("estimate").isNumber() ? 1 : 0;
            }
            e.put("chart-segment-" + i++, n);
        }
        return e;
    }

    /** The chart ids docs/readout.md lists under its charts marker. */
    private static java.util.List<String> documentedCharts() throws IOException {
        String doc = Files.readString(CliRun.repo().resolve("docs/readout.md"));
        String list = doc.substring(doc.indexOf("<!-- charts"), doc.indexOf("## readout.json"));
        Matcher m = Pattern.compile("^- `(chart-[^`]+)`", Pattern.MULTILINE).matcher(list);
        java.util.List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void documentedChartsAreTheChartsTheRendererDraws() throws IOException {
        assertEquals(ReadoutCharts.CHART_IDS, documentedCharts());
    }

    /**
     * The per-block and per-cluster chart data are the numbers the headline used: their denominator-weighted means by
     * arm give back the decision metric's control and treatment values (1e-12 relative).
     */
    @ParameterizedTest
    @ValueSource(strings = {"switchback", "cluster-rct"})
    void perUnitChartDataReconstructTheHeadlineMeans(String example) throws IOException {
        JsonNode json = JSON.readTree(analyze(example).resolve("readout.json").toFile());
        JsonNode details = json.path("design").path("details");
        JsonNode units = example.equals("switchback") ? details.path("timeline").path("blocks")
                : details.path("cluster_outcomes").path("clusters");
        assertTrue(units.size() >= 20, "per-unit rows: " + units.size());
        double[] num = new double[2];
        double[] den = new double[2];
        for (JsonNode u : units) {
            int arm = u.path("treated").asBoolean() ? 1 : 0;
            num[arm] += u.path("outcome").asDouble() * u.path("denominator").asDouble();
            den[arm] += u.path("denominator").asDouble();
        }
        JsonNode success = json.path("effects").get(0);
        assertEquals("success", success.path("role").asText());
        assertEquals(success.path("control").asDouble(), num[0] / den[0], 1e-12 * Math.abs(num[0] / den[0]));
        assertEquals(success.path("treatment").asDouble(), num[1] / den[1], 1e-12 * Math.abs(num[1] / den[1]));
    }

    @Test
    void sameInputsGiveTheSameBytes() throws IOException {
        Path a = analyze("propensity");
        Path b = analyze("propensity");
        assertArrayEquals(Files.readAllBytes(a.resolve("readout.html")), Files.readAllBytes(b.resolve("readout.html")));
        Path c = analyze("clean-win");
        Path d = analyze("clean-win");
        assertArrayEquals(Files.readAllBytes(c.resolve("readout.html")), Files.readAllBytes(d.resolve("readout.html")));
        Path e = analyze("rdd");
        Path f = analyze("rdd");
        assertArrayEquals(Files.readAllBytes(e.resolve("readout.html")), Files.readAllBytes(f.resolve("readout.html")));
        assertArrayEquals(Files.readAllBytes(e.resolve("readout.json")), Files.readAllBytes(f.resolve("readout.json")));
    }

    @Test
    void jsonCarriesTheSignedThresholdTheEffectsChartDraws() throws IOException {
        JsonNode json = JSON.readTree(analyze("clean-win").resolve("readout.json").toFile());
        Map<String, JsonNode> byMetric = new LinkedHashMap<>();
        json.get("effects").forEach(e -> byMetric.put(e.get("metric").asText(), e));
        // examples/clean-win/spec.yaml: completed min_effect 0.005 (increase is good); error max_harm 0.005 (an
        // increase harms); p99 latency max_harm 5% of the control p99 (an increase harms).
        assertEquals(0.005, byMetric.get("completed").get("threshold").asDouble(), 0);
        assertEquals(0.005, byMetric.get("error").get("threshold").asDouble(), 0);
        JsonNode p99 = byMetric.get("p99(latency_ms)");
        assertEquals(0.05 * p99.get("control").asDouble(), p99.get("threshold").asDouble(), 1e-12);
        assertFalse(byMetric.get("net_value_per_request").has("threshold"), "economics effects have none");
    }

    @Test
    void userTextIsEscaped() throws IOException {
        String spec = Files.readString(CliRun.repo().resolve("examples/clean-win/spec.yaml"))
                .replace("name: faster tokenizer path", "name: \"<script>alert('x')</script> & <b>bold</b>\"")
                .replace("data: requests.parquet", "data: '" + CliRun.repo().resolve("examples/clean-win/requests.parquet")
                        + "'");
        Path s = tmp.resolve("spec.yaml");
        Files.writeString(s, spec);
        CliRun run = CliRun.analyze(s, tmp.resolve("out"));
        assertTrue(run.err().isEmpty(), run.err());
        String html = Files.readString(tmp.resolve("out/readout.html"));
        assertFalse(html.contains("<script"), "no script element");
        assertFalse(html.contains("<b>bold"), "no markup from the spec");
        assertTrue(html.contains("<h1>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</h1>"));
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}

package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.cli.readout.LabCharts;
import dev.verdict.cli.readout.LabHtml;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The design lab's readout.html, from {@code verdict lab} on a small bundled scenario: sections in order, every chart
 * accessible with as many marks as lab.json has rows, the numbers in the marks' titles equal to lab.json's, the
 * Monte Carlo intervals consistent with the point values, nothing fetched, and the same bytes from a second run on
 * another thread count.
 */
class LabReadoutHtmlTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FIGURE = Pattern.compile("<figure class=\"chart\" id=\"([^\"]+)\">(.*?)</figure>",
            Pattern.DOTALL);
    private static final Pattern MARK_TITLE = Pattern.compile("class=\"mark[^\"]*\"[^>]*><title>([^<]*)</title>");
    /** A number as {@code ReadoutMarkdown.num} prints it (four significant digits). */
    private static final String NUM = "(-?[0-9.]+(?:e[-+]?[0-9]+)?)";

    @TempDir
    static Path tmp;
    private static Path out;
    private static String html;
    private static JsonNode lab;
    private static Map<String, String> figures;

    @BeforeAll
    static void runLab() throws IOException {
        out = tmp.resolve("lab");
        CliRun run = CliRun.lab(out, 2);
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("readout.html"), run.out());
        html = Files.readString(out.resolve("readout.html"));
        lab = JSON.readTree(out.resolve("lab.json").toFile());
        figures = new LinkedHashMap<>();
        Matcher m = FIGURE.matcher(html);
        while (m.find()) {
            figures.put(m.group(1), m.group(2));
        }
    }

    @Test
    void sectionsInOrderAndNothingIsFetched() {
        int at = -1;
        for (String id : LabHtml.SECTIONS) {
            int next = html.indexOf("<section id=\"" + id + "\">");
            assertTrue(next > at, "section " + id + " missing or out of order");
            at = next;
        }
        assertFalse(Pattern.compile("(src|href)\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(), "no src or href");
        assertFalse(html.contains("http:") || html.contains("https:") || html.contains("<script")
                || html.contains("<link") || html.contains("@import"), "self-contained");
        assertTrue(html.contains("<h1>Design lab: " + lab.get("scenario").asText() + "</h1>"));
        assertTrue(html.contains("seeds " + lab.get("first_seed").asLong() + " to " + (lab.get("first_seed").asLong() + 1)),
                "replicates and seeds stated");
    }

    @Test
    void everyChartIsAccessibleAndCountsItsMarks() {
        assertEquals(LabCharts.CHART_IDS, List.copyOf(figures.keySet()), "the lab's charts, in order");
        for (Map.Entry<String, String> f : figures.entrySet()) {
            String id = f.getKey();
            String body = f.getValue();
            assertTrue(body.contains("<figcaption>"), id + " has a caption");
            assertTrue(body.contains("role=\"img\""), id + " is an image to assistive technology");
            Matcher desc = Pattern.compile("<desc id=\"[^\"]+\">([^<]{40,})</desc>").matcher(body);
            assertTrue(desc.find(), id + " has a text alternative");
            assertTrue(body.contains("<p class=\"alt\">" + desc.group(1) + "</p>"), id + ": the alternative is also text");
            assertTrue(body.contains("(ms)") || body.contains("(%"), id + " says its units");
            Matcher n = Pattern.compile("data-marks=\"(\\d+)\"").matcher(body);
            assertTrue(n.find());
            assertEquals(Integer.parseInt(n.group(1)), count(body, "class=\"mark"), id + ": data-marks = marks drawn");
        }
    }

    @Test
    void biasChartDrawsLabJsonsBiasPerDesign() {
        String body = figures.get("chart-lab-bias");
        JsonNode designs = lab.get("designs");
        assertEquals(designs.size(), marks(body), "one mark per design");
        List<String> titles = titles(body);
        Pattern p = Pattern.compile("^([a-z_]+): bias " + NUM + " ms; 95% Monte Carlo interval \\[" + NUM + ", " + NUM
                + "\\] ms");
        double zero = Double.parseDouble(attr(body, "<line class=\"zero\"", "x1"));
        for (int i = 0; i < designs.size(); i++) {
            JsonNode d = designs.get(i);
            Matcher m = p.matcher(titles.get(i));
            assertTrue(m.find(), titles.get(i));
            assertEquals(d.get("design").asText(), m.group(1));
            assertFourDigits(d.get("bias").asDouble(), Double.parseDouble(m.group(2)), m.group(1) + " bias");
            assertFourDigits(d.get("bias_mc_low").asDouble(), Double.parseDouble(m.group(3)), m.group(1) + " MC low");
            assertFourDigits(d.get("bias_mc_high").asDouble(), Double.parseDouble(m.group(4)), m.group(1) + " MC high");
            // lab.json's interval is bias +/- qt(0.975, 1) (R: 12.70620473617471) standard errors (2 replicates)
            double se = d.get("bias_mc_se").asDouble();
            assertTrue(se > 0, m.group(1) + " has a Monte Carlo SE from two replicates");
            assertEquals(d.get("bias").asDouble() - 12.70620473617471 * se, d.get("bias_mc_low").asDouble(), 1e-9);
            assertEquals(d.get("bias").asDouble() + 12.70620473617471 * se, d.get("bias_mc_high").asDouble(), 1e-9);
        }
        // positive control: the request RCT sees almost none of the effect (both arms share the cache), so its mark
        // sits left of the zero line, and the switchback's mark does not sit at the same place
        assertTrue(lab.get("mean_true_effect").asDouble() > 10, "the scenario has a large true effect");
        double request = markX(body, 0);
        assertTrue(request < zero, "request RCT's bias is drawn left of zero: " + request + " vs " + zero);
        assertTrue(Math.abs(markX(body, 1) - request) > 5, "switchback and request drawn apart");
    }

    @Test
    void coverageChartDrawsOneRowPerDesignAndInferenceMethod() {
        String body = figures.get("chart-lab-coverage");
        List<double[]> expected = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int methods = 0;
        for (JsonNode d : lab.get("designs")) {
            names.add(d.get("design").asText() + ", readout's interval");
            expected.add(new double[] {d.get("coverage").asDouble(), d.get("coverage_mc_low").asDouble(),
                    d.get("coverage_mc_high").asDouble()});
            for (Map.Entry<String, JsonNode> m : d.get("coverage_by_inference").properties()) {
                if (m.getValue().get("replicates_with_interval").asInt() > 0) {
                    names.add(d.get("design").asText() + ", " + m.getKey());
                    expected.add(new double[] {m.getValue().get("coverage").asDouble(),
                            m.getValue().get("coverage_mc_low").asDouble(), m.getValue().get("coverage_mc_high").asDouble()});
                    methods++;
                }
            }
        }
        assertTrue(methods > 0, "the switchback and the cluster RCT report other inference methods");
        assertEquals(expected.size(), marks(body), "one mark per design and per method with an interval");
        List<String> titles = titles(body);
        Pattern p = Pattern.compile("^(.+): coverage " + NUM + "% \\((\\d+) of (\\d+) replicates\\), 95% Wilson interval \\["
                + NUM + "%, " + NUM + "%\\]");
        for (int i = 0; i < expected.size(); i++) {
            Matcher m = p.matcher(titles.get(i));
            assertTrue(m.find(), titles.get(i));
            assertEquals(names.get(i), m.group(1));
            double[] e = expected.get(i);
            assertFourDigits(100 * e[0], Double.parseDouble(m.group(2)), names.get(i));
            assertEquals(e[0], Double.parseDouble(m.group(3)) / Double.parseDouble(m.group(4)), 1e-12, names.get(i));
            assertFourDigits(100 * e[1], Double.parseDouble(m.group(5)), names.get(i) + " Wilson low");
            assertFourDigits(100 * e[2], Double.parseDouble(m.group(6)), names.get(i) + " Wilson high");
            assertTrue(e[1] <= e[0] && e[0] <= e[2] && e[1] >= 0 && e[2] <= 1, names.get(i) + " interval holds the share");
        }
        assertTrue(body.contains("class=\"reference\"") && body.contains("stroke-dasharray=\"5 3\""), "nominal 95% dashed");
    }

    @Test
    void recommendationChartStacksEachDesignsShares() {
        String body = figures.get("chart-lab-recommendations");
        int segments = 0;
        for (JsonNode d : lab.get("designs")) {
            double sum = 0;
            for (JsonNode share : d.get("recommendations")) {
                segments += share.asDouble() > 0 ? 1 : 0;
                sum += share.asDouble();
            }
            assertEquals(1.0, sum, 1e-12, "shares sum to one");
        }
        assertEquals(segments, marks(body), "one bar segment per design and recommendation");
    }

    @Test
    void sameLabOnOneThreadGivesTheSameBytes() throws IOException {
        Path again = tmp.resolve("again");
        CliRun run = CliRun.lab(again, 1);
        assertEquals(0, run.exit(), run.err());
        assertArrayEquals(Files.readAllBytes(out.resolve("readout.html")), Files.readAllBytes(again.resolve("readout.html")));
        assertArrayEquals(Files.readAllBytes(out.resolve("lab.json")), Files.readAllBytes(again.resolve("lab.json")));
    }

    // ---------------------------------------------------------------- helpers

    /** The printed value has four significant digits, so it is within half a unit of the fourth digit. */
    private static void assertFourDigits(double expected, double printed, String what) {
        assertEquals(expected, printed, Math.max(1e-12, Math.abs(expected) * 5e-4), what);
    }

    private static int marks(String body) {
        Matcher n = Pattern.compile("data-marks=\"(\\d+)\"").matcher(body);
        assertTrue(n.find());
        return Integer.parseInt(n.group(1));
    }

    private static List<String> titles(String body) {
        List<String> out = new ArrayList<>();
        Matcher m = MARK_TITLE.matcher(body);
        while (m.find()) {
            out.add(m.group(1).replace("&#39;", "'"));
        }
        return out;
    }

    /** The x of the circle in the i-th mark. */
    private static double markX(String body, int i) {
        Matcher m = Pattern.compile("<g class=\"mark[^\"]*\">.*?<circle cx=\"([-0-9.]+)\"").matcher(body);
        for (int k = 0; k <= i; k++) {
            assertTrue(m.find(), "mark " + i);
        }
        return Double.parseDouble(m.group(1));
    }

    private static String attr(String body, String element, String name) {
        int at = body.indexOf(element);
        assertTrue(at >= 0, element);
        Matcher m = Pattern.compile(name + "=\"([^\"]+)\"").matcher(body.substring(at));
        assertTrue(m.find());
        return m.group(1);
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}

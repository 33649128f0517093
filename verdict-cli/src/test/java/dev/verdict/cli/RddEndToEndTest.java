package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code design: rdd} end to end through the command line (also on Spark, from the Spark module): the Lee (2008) US
 * Senate data as a request log reproduces rdrobust 3.0.0's default fit and rddensity 2.6's test (R reference numbers,
 * verdict-core/src/test/resources/reference/rd, tolerance 1e-8 relative as the reference README states); planted
 * bunching at the cutoff fails the manipulation check and leaves the effect descriptive (positive control); a fuzzy
 * design reports its first stage.
 */
class RddEndToEndTest {
    private static final String SPEC = """
            name: incumbency at the margin
            design: rdd
            data: requests.csv
            success: {metric: vote, kind: mean, direction: increase}
            rdd: {running: margin, cutoff: 0%s}
            """;

    @TempDir
    Path tmp;

    private JsonNode analyze(String extra) throws Exception {
        return Readouts.analyze(tmp, SPEC.formatted(extra));
    }

    private static void close(double want, double got) {
        assertEquals(want, got, 1e-8 * Math.abs(want), "want " + want + " got " + got);
    }

    @Test
    void senateLogReproducesRdrobustAndRddensity() throws Exception {
        List<String> lines = Files.readAllLines(CliRun.repo().resolve(
                "verdict-core/src/test/resources/reference/rd/rdrobust_senate.csv"));
        String[] head = lines.get(0).split(",");
        int vote = List.of(head).indexOf("vote");
        int margin = List.of(head).indexOf("margin");
        StringBuilder csv = new StringBuilder("request_id,margin,vote,arm\n");
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            double x = Double.parseDouble(f[margin]);
            String y = f[vote].equals("NA") ? "" : f[vote];
            csv.append("r").append(i).append(',').append(f[margin]).append(',').append(y).append(',')
                    .append(x >= 0 ? "treatment" : "control").append('\n');
        }
        Files.writeString(tmp.resolve("requests.csv"), csv);
        JsonNode root = analyze("");
        JsonNode e = root.get("effects").get(0);
        // senate_rdrobust_default: robust row = bias-corrected estimate with the robust SE and CI
        close(7.50650247058503, e.get("estimate").asDouble());
        close(1.7412584146072, e.get("se").asDouble());
        close(4.0936986901776, e.get("ci_low").asDouble());
        close(10.9193062509925, e.get("ci_high").asDouble());
        close(45.1731260785271, e.get("control").asDouble());
        close(52.587256880499, e.get("treatment").asDouble());
        assertEquals(360, e.get("n_control").asInt());
        assertEquals(323, e.get("n_treatment").asInt());
        assertEquals("rd_local_linear_triangular_robust_bias_corrected", e.get("method").asText());
        JsonNode details = root.get("design").get("details");
        close(17.7543972211796, details.get("bandwidths").get("h_below").asDouble());
        close(28.0280871511707, details.get("bandwidths").get("b_below").asDouble());
        close(7.41413080197191, details.get("conventional").get("estimate").asDouble());
        assertEquals(false, details.get("fuzzy").asBoolean());
        // senate_rddensity_default on all 1390 running values (rows without a vote included)
        JsonNode m = Readouts.check(root, "manipulation");
        assertEquals("pass", m.get("status").asText());
        close(-0.875273014081979, m.get("evidence").get("statistic").asDouble());
        close(0.381425373757512, m.get("evidence").get("p_value").asDouble());
        assertEquals("not_evaluated", Readouts.check(root, "covariate_continuity").get("status").asText());
        assertEquals(5, Readouts.check(root, "bandwidth_sensitivity").get("evidence").get("table").size());

        // the density plot: the test's bandwidths and, at the cutoff, its one-sided estimates f_left, f_right
        JsonNode density = details.get("density");
        close(19.8411084362635, density.get("h_below").asDouble());
        close(27.1187866633276, density.get("h_above").asDouble());
        assertEquals(3, density.get("order").asInt(), "the test's p + 1");
        JsonNode grid = density.get("grid");
        assertEquals(50, grid.size());
        JsonNode lastBelow = grid.get(24);
        JsonNode firstAbove = grid.get(25);
        assertEquals("below", lastBelow.get("side").asText());
        assertEquals("above", firstAbove.get("side").asText());
        assertEquals(0.0, lastBelow.get("x").asDouble(), 0);
        assertEquals(0.0, firstAbove.get("x").asDouble(), 0);
        close(0.0216859146532578, lastBelow.get("density").asDouble());
        close(0.0181377072527615, firstAbove.get("density").asDouble());
        close(-19.8411084362635, grid.get(0).get("x").asDouble());
        close(27.1187866633276, grid.get(49).get("x").asDouble());
        JsonNode hist = density.get("histogram");
        assertEquals(hist.get("bin_edges").size(), hist.get("density").size() + 1);
        int counted = 0;
        int nonEmpty = 0;
        for (JsonNode c : hist.get("count")) {
            counted += c.asInt();
            nonEmpty += c.asInt() > 0 ? 1 : 0;
        }
        assertEquals(408 + 460, counted, "N_eff_left + N_eff_right of senate_rddensity_default");
        String html = Files.readString(tmp.resolve("out/readout.html"));
        assertTrue(html.contains("<figure class=\"chart\" id=\"chart-rd-density\">"), "the density plot is drawn");
        assertTrue(html.contains("data-marks=\"" + (nonEmpty + 4) + "\""), "a bar per non-empty bin, two lines, two bands");
    }

    /** Positive control: requests pushed just above the cutoff (bunching) fail the density test; the effect is descriptive. */
    @Test
    void bunchingAtTheCutoffFailsManipulationAndPauses() throws Exception {
        SplittableRandom rnd = new SplittableRandom(3);
        StringBuilder csv = new StringBuilder("request_id,margin,vote,arm,age\n");
        for (int i = 0; i < 4000; i++) {
            double x = 2 * rnd.nextDouble() - 1;
            if (x < 0 && x > -0.2 && rnd.nextDouble() < 0.6) {
                x = -x; // moved across
            }
            double y = 1 + 2 * x + (x >= 0 ? 0.5 : 0) + 0.3 * rnd.nextGaussian();
            double age = 40 + 5 * rnd.nextGaussian();
            csv.append(String.format(Locale.ROOT, "r%d,%.6f,%.6f,%s,%.3f%n", i, x, y, x >= 0 ? "treatment" : "control", age));
        }
        Files.writeString(tmp.resolve("requests.csv"), csv);
        JsonNode root = analyze(", covariates: [age]");
        assertEquals("fail", Readouts.check(root, "manipulation").get("status").asText(), Readouts.check(root, "manipulation").toString());
        JsonNode grid = root.get("design").get("details").get("density").get("grid");
        JsonNode below = grid.get(24);
        JsonNode above = grid.get(25);
        assertTrue(below.get("ci_high").asDouble() < above.get("ci_low").asDouble(), "the plot shows the jump: " + below
                + " then " + above);
        assertEquals("pass", Readouts.check(root, "covariate_continuity").get("status").asText());
        assertEquals("pause", root.get("recommendation").asText());
        assertTrue(root.get("effects").get(0).get("method").asText().endsWith("_descriptive"));
    }

    /**
     * Treated below the cutoff: the estimator runs on the mirrored running variable, the density plot is reported on
     * the log's scale (below the cutoff first, x and histogram edges ascending). Draws from N(0, 1) so the density at
     * the cutoff is 0.399 from both sides.
     */
    @Test
    void densityPlotIsOnTheLogsScaleWhenTreatedIsBelow() throws Exception {
        SplittableRandom rnd = new SplittableRandom(9);
        StringBuilder csv = new StringBuilder("request_id,margin,vote,arm\n");
        for (int i = 0; i < 6000; i++) {
            double x = 1 + rnd.nextGaussian();
            double y = x + (x < 1 ? 0.5 : 0) + 0.3 * rnd.nextGaussian();
            csv.append(String.format(Locale.ROOT, "r%d,%.6f,%.6f,%s%n", i, x, y, x < 1 ? "treatment" : "control"));
        }
        Files.writeString(tmp.resolve("requests.csv"), csv);
        JsonNode root = Readouts.analyze(tmp, SPEC.formatted("").replace("cutoff: 0", "cutoff: 1"));
        JsonNode density = root.get("design").get("details").get("density");
        JsonNode grid = density.get("grid");
        for (int i = 0; i < grid.size(); i++) {
            JsonNode g = grid.get(i);
            assertEquals(i < 25 ? "below" : "above", g.get("side").asText());
            assertTrue(i < 25 ? g.get("x").asDouble() <= 1 : g.get("x").asDouble() >= 1, g.toString());
            if (i > 0 && i != 25) {
                assertTrue(g.get("x").asDouble() > grid.get(i - 1).get("x").asDouble(), "ascending at " + i);
            }
        }
        assertEquals(1.0, grid.get(24).get("x").asDouble(), 0);
        assertEquals(1.0, grid.get(25).get("x").asDouble(), 0);
        close(1 - density.get("h_below").asDouble(), grid.get(0).get("x").asDouble());
        close(1 + density.get("h_above").asDouble(), grid.get(49).get("x").asDouble());
        for (JsonNode g : List.of(grid.get(24), grid.get(25))) {
            assertTrue(g.get("ci_low").asDouble() < 0.3989 && 0.3989 < g.get("ci_high").asDouble(), g.toString());
        }
        JsonNode edges = density.get("histogram").get("bin_edges");
        boolean cutoffIsAnEdge = false;
        for (int i = 1; i < edges.size(); i++) {
            assertTrue(edges.get(i).asDouble() > edges.get(i - 1).asDouble(), "edges ascend at " + i);
            cutoffIsAnEdge |= edges.get(i).asDouble() == 1.0;
        }
        assertTrue(cutoffIsAnEdge);
        close(grid.get(0).get("x").asDouble(), edges.get(0).asDouble());
        close(grid.get(49).get("x").asDouble(), edges.get(edges.size() - 1).asDouble());
        // the manipulation check speaks on the same scale: its below/above are the plot's, T = (above - below) / se
        JsonNode manipulation = null;
        for (JsonNode c : root.get("checks")) {
            manipulation = c.get("name").asText().equals("manipulation") ? c.get("evidence") : manipulation;
        }
        close(grid.get(24).get("density").asDouble(), manipulation.get("density_below").asDouble());
        close(grid.get(25).get("density").asDouble(), manipulation.get("density_above").asDouble());
        close(density.get("h_below").asDouble(), manipulation.get("h_below").asDouble());
        close(density.get("h_above").asDouble(), manipulation.get("h_above").asDouble());
        assertEquals(Math.signum(manipulation.get("density_above").asDouble() - manipulation.get("density_below")
                .asDouble()), Math.signum(manipulation.get("statistic").asDouble()), manipulation.toString());
    }

    /** 15% of requests on each side take the other arm: fuzzy RD, take-up jumps by 0.7, the ratio recovers 0.5 / 0.7. */
    @Test
    void imperfectTakeUpIsFuzzyWithItsFirstStage() throws Exception {
        SplittableRandom rnd = new SplittableRandom(5);
        StringBuilder csv = new StringBuilder("request_id,margin,vote,arm\n");
        for (int i = 0; i < 6000; i++) {
            double x = 2 * rnd.nextDouble() - 1;
            boolean treated = (x >= 0) != (rnd.nextDouble() < 0.15);
            double y = 1 + x + (treated ? 0.5 : 0) + 0.2 * rnd.nextGaussian();
            csv.append(String.format(Locale.ROOT, "r%d,%.6f,%.6f,%s%n", i, x, y, treated ? "treatment" : "control"));
        }
        Files.writeString(tmp.resolve("requests.csv"), csv);
        JsonNode root = analyze("");
        JsonNode e = root.get("effects").get(0);
        assertTrue(e.get("method").asText().startsWith("fuzzy_rd"), e.toString());
        assertTrue(e.get("ci_low").asDouble() < 0.5 && 0.5 < e.get("ci_high").asDouble(), e.toString());
        JsonNode fs = Readouts.check(root, "first_stage");
        assertEquals("pass", fs.get("status").asText());
        double jump = fs.get("evidence").get("jump").asDouble();
        assertTrue(Math.abs(jump - 0.7) < 0.1, "take-up jump " + jump);
        assertTrue(root.get("design").get("details").get("fuzzy").asBoolean());
        assertNotEquals("ship", root.get("recommendation").asText(), "no success threshold is declared");
    }
}

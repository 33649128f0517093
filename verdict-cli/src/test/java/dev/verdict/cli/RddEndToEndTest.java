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
        assertEquals("pass", Readouts.check(root, "covariate_continuity").get("status").asText());
        assertEquals("pause", root.get("recommendation").asText());
        assertTrue(root.get("effects").get(0).get("method").asText().endsWith("_descriptive"));
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

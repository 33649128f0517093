package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code design: propensity} end to end through the command line (also on Spark, from the Spark module): the LaLonde
 * data (NSW treated, PSID controls) as a request log reproduces R's normalized IPW estimates (reference case
 * lalonde_ipw_hajek, lalonde_ipw_trimmed; 1e-8 relative) with the race factor expanded against 'black' as R does. The
 * ATT's weights balance the covariates (worst |SMD| 0.093) but rest on about 100 of 429 controls (overlap warns); the
 * ATE's do not balance re74 (0.274), so the balance check fails, the effect is descriptive and the decision pauses
 * (positive control).
 */
class PropensityEndToEndTest {
    @TempDir
    Path tmp;

    private void lalonde() throws Exception {
        List<String> lines = Files.readAllLines(CliRun.repo().resolve(
                "verdict-core/src/test/resources/reference/stats/lalonde.csv"));
        StringBuilder csv = new StringBuilder("request_id,arm,age,educ,race,married,nodegree,re74,re75,re78\n");
        for (String line : lines.subList(2, lines.size())) {
            String[] f = line.replace("\"", "").split(",");
            csv.append(f[0]).append(',').append(f[1].equals("1") ? "treatment" : "control");
            for (int i = 2; i < f.length; i++) {
                csv.append(',').append(f[i]);
            }
            csv.append('\n');
        }
        Files.writeString(tmp.resolve("requests.csv"), csv);
    }

    private static final String SPEC = """
            name: job training (LaLonde)
            design: propensity
            data: requests.csv
            success: {metric: re78, kind: mean, direction: increase}
            propensity: {covariates: [age, educ, race, married, nodegree, re74, re75], bootstrap: 200%s}
            """;

    @Test
    void attReproducesRAndBalances() throws Exception {
        lalonde();
        JsonNode root = Readouts.analyze(tmp, SPEC.formatted(""));
        JsonNode e = root.get("effects").get(0);
        assertEquals(1214.07122329292, e.get("estimate").asDouble(), 1e-8 * 1214.07);
        assertEquals(6349.14353027027, e.get("treatment").asDouble(), 1e-8 * 6349.14, "treated mean");
        assertEquals(5135.07230697735, e.get("control").asDouble(), 1e-8 * 5135.07, "weighted control mean");
        assertEquals("ipw_hajek_att_bootstrap", e.get("method").asText());
        assertTrue(e.get("se").asDouble() > 300 && e.get("se").asDouble() < 2000, e.toString());
        assertEquals(185, e.get("n_treatment").asInt());
        assertEquals(429, e.get("n_control").asInt());
        // R WeightIt's lm_weightit (README): treat 1214.1, SE 798.2 (HC0, adjusted for estimation of weights)
        JsonNode sandwich = root.get("design").get("details").get("m_estimation");
        assertEquals(1214.07122329292, sandwich.get("estimate").asDouble(), 1e-8 * 1214.07);
        assertEquals(798.2, sandwich.get("se").asDouble(), 0.05, sandwich.toString());
        assertEquals(583.8, sandwich.get("control_mean_se").asDouble(), 0.05, sandwich.toString());
        assertEquals("pass", Readouts.check(root, "propensity_model").get("status").asText());
        JsonNode balance = Readouts.check(root, "covariate_balance");
        assertEquals("pass", balance.get("status").asText(), balance.toString());
        assertEquals("age", balance.get("evidence").get("worst").asText());
        JsonNode overlap = Readouts.check(root, "overlap");
        assertEquals("warn", overlap.get("status").asText(), overlap.toString());
        assertEquals(99.8153859157943, overlap.get("evidence").get("ess_control").asDouble(), 1e-8 * 99.8);
        JsonNode model = root.get("design").get("details").get("model").get("coefficients");
        assertEquals(-2.08173412000129, model.get("race_hispan").asDouble(), 1e-8 * 2.08);
        assertEquals(-3.06536774097135, model.get("race_white").asDouble(), 1e-8 * 3.07);
        // a fixed key order (a Map.of here once made readout.json differ from one JVM to the next)
        java.util.List<String> keys = new java.util.ArrayList<>();
        root.get("design").get("details").get("model").fieldNames().forEachRemaining(keys::add);
        assertEquals(java.util.List.of("status", "coefficients"), keys);
    }

    @Test
    void trimmedAttIsTheHeadlineWithItsWarning() throws Exception {
        lalonde();
        JsonNode root = Readouts.analyze(tmp, SPEC.formatted(", trim: 0.1"));
        JsonNode e = root.get("effects").get(0);
        assertEquals(1261.84231358065, e.get("estimate").asDouble(), 1e-8 * 1261.84);
        assertTrue(e.get("method").asText().startsWith("ipw_hajek_att_trimmed_"), e.toString());
        assertEquals(341, root.get("design").get("details").get("trimmed").get(0).get("kept").asInt());
    }

    @Test
    void ateDoesNotBalanceRe74SoItIsDescriptiveAndPauses() throws Exception {
        lalonde();
        JsonNode root = Readouts.analyze(tmp, SPEC.formatted(", estimand: ate"));
        JsonNode e = root.get("effects").get(0);
        assertEquals(224.676309103942, e.get("estimate").asDouble(), 1e-8 * 224.68);
        JsonNode balance = Readouts.check(root, "covariate_balance");
        assertEquals("fail", balance.get("status").asText(), balance.toString());
        assertEquals("re74", balance.get("evidence").get("worst").asText());
        assertEquals("pause", root.get("recommendation").asText());
        assertTrue(e.get("method").asText().endsWith("_descriptive"), e.toString());
    }
}

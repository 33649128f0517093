package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code design: synthetic_control} end to end through the command line (also on Spark, from the Spark module):
 * California Proposition 99 as a request log reproduces synthdid 0.0.9's estimates for synthdid, sc and did (1e-8
 * relative, reference README tolerance) and, with R's seed, synthdid's placebo standard error; a treated unit with a
 * trend no donor has fails the pre-fit check and leaves the effect descriptive (positive control); with 5 donors the
 * permutation test cannot reach significance and says so.
 */
class SyntheticControlEndToEndTest {

    @TempDir
    Path tmp;

    private JsonNode analyze(String spec) throws Exception {
        return Readouts.analyze(tmp, spec);
    }

    private void prop99() throws Exception {
        Readouts.prop99Log(tmp.resolve("requests.csv"), "region");
    }

    private static final String PROP99 = """
            name: proposition 99
            design: synthetic_control
            unit: region
            data: requests.csv
            seed: 12345
            success: {metric: packs, kind: mean, direction: decrease}
            synthetic_control: {period: week, method: %s}
            """;

    @Test
    void prop99LogReproducesSynthdid() throws Exception {
        prop99();
        JsonNode root = analyze(PROP99.formatted("synthdid"));
        JsonNode e = root.get("effects").get(0);
        assertEquals(-15.6038278727338, e.get("estimate").asDouble(), 1e-8 * 15.6);
        // R: set.seed(12345); sqrt(vcov(est, method = "placebo")) with 200 replications
        assertEquals(8.36799308138054, e.get("se").asDouble(), 1e-8 * 8.37);
        assertEquals("synthdid_placebo_se", e.get("method").asText());
        assertEquals(38, e.get("n_control").asInt());
        assertEquals("pass", Readouts.check(root, "synthetic_fit").get("status").asText());
        JsonNode placebo = Readouts.check(root, "placebo_inference").get("evidence");
        // California's post/pre ratio is the largest: rank 1 of the kept placebos plus itself, p at its floor
        assertEquals(1, placebo.get("rank").asInt(), placebo.toString());
        int kept = placebo.get("placebos_kept").asInt();
        assertEquals(1.0 / (kept + 1), placebo.get("p_value").asDouble(), 1e-15);
        assertEquals(1.0 / 39, placebo.get("smallest_attainable_p_all_donors").asDouble(), 1e-15);
        JsonNode d = root.get("design").get("details");
        assertEquals(0.0575127872420202, d.get("donor_weights").get("Colorado").asDouble(), 1e-10);
        assertEquals(31, d.get("paths").get("gap").size());
        assertEquals("California", d.get("treated").get(0).asText());
    }

    @Test
    void prop99OtherMethods() throws Exception {
        prop99();
        assertEquals(-19.619663470944, analyze(PROP99.formatted("sc")).get("effects").get(0).get("estimate").asDouble(),
                1e-8 * 19.6);
        assertEquals(-27.349111083615, analyze(PROP99.formatted("did")).get("effects").get(0).get("estimate").asDouble(),
                1e-8 * 27.3);
    }

    private void panel(int donors, boolean trendingTreated) throws Exception {
        SplittableRandom rnd = new SplittableRandom(8);
        StringBuilder csv = new StringBuilder("request_id,ts,cluster,arm,latency_ms\n");
        int id = 0;
        for (int u = 0; u <= donors; u++) {
            boolean treatedUnit = u == 0;
            double level = 300 + 20 * rnd.nextGaussian();
            for (int day = 0; day < 20; day++) {
                boolean treated = treatedUnit && day >= 14;
                double trend = treatedUnit && trendingTreated ? 15 * day : 2 * day;
                for (int k = 0; k < 4; k++) {
                    double y = level + trend + (treated ? -30 : 0) + 4 * rnd.nextGaussian();
                    csv.append(String.format(Locale.ROOT, "r%d,2026-11-%02dT%02d:00:00Z,c%02d,%s,%.3f%n", id++, day + 1,
                            k + 6, u, treated ? "treatment" : "control", y));
                }
            }
        }
        Files.writeString(tmp.resolve("requests.csv"), csv);
    }

    private static final String SIM = """
            name: eviction policy on c00
            design: synthetic_control
            data: requests.csv
            success: {metric: latency_ms, kind: mean, direction: decrease}
            """;

    @Test
    void aTreatedTrendNoDonorHasFailsThePreFit() throws Exception {
        panel(12, true);
        JsonNode root = analyze(SIM);
        assertEquals("fail", Readouts.check(root, "synthetic_fit").get("status").asText(), Readouts.check(root, "synthetic_fit").toString());
        assertEquals("pause", root.get("recommendation").asText());
        assertTrue(root.get("effects").get(0).get("method").asText().endsWith("_descriptive"));
    }

    @Test
    void fiveDonorsCannotReachSignificanceAndSaySo() throws Exception {
        panel(5, false);
        JsonNode root = analyze(SIM);
        assertEquals("pass", Readouts.check(root, "synthetic_fit").get("status").asText());
        JsonNode p = Readouts.check(root, "placebo_inference");
        assertEquals("warn", p.get("status").asText(), p.toString());
        assertEquals(1.0 / 6, p.get("evidence").get("smallest_attainable_p").asDouble(), 1e-12);
        assertTrue(p.get("summary").asText().contains("no effect could be significant"), p.toString());
    }
}

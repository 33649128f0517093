package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.cli.readout.LabSummary;
import dev.verdict.decide.Recommendation;
import dev.verdict.sim.Scenarios;
import dev.verdict.sim.SimDesign;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lab's report arithmetic on hand-made replicates: coverage of the headline and of each alternative inference, and
 * the Monte Carlo intervals of the bias and of the coverages.
 */
class LabReportTest {

    private static LabCommand.Result result(double truth, double lo, double hi, double[] wcr, double[] ri) {
        TreeMap<String, double[]> alt = new TreeMap<>();
        if (wcr != null) {
            alt.put("wild_cluster_bootstrap", wcr);
        }
        if (ri != null) {
            alt.put("randomization_inference", ri);
        }
        return new LabCommand.Result(truth, (lo + hi) / 2, lo, hi, Recommendation.PAUSE, alt);
    }

    @Test
    void coverageByInferenceCountsOnlyReplicatesWithAnInterval() {
        var sc = Scenarios.load("cache-eviction");
        List<SimDesign> ds = List.of(SimulateCommand.design(sc, "cluster", 0.5, null, null));
        LabCommand.Result[][] results = {
                {result(1.0, 0, 2, new double[] {0, 2}, new double[] {0, 2})},          // all cover
                {result(1.0, 2, 3, new double[] {0.5, 1.5}, new double[] {Double.NaN, Double.NaN})}, // headline misses
                {result(1.0, 0, 3, new double[] {1.5, 2}, null)},                      // wcr misses, no ri
                {result(1.0, -1, 0.5, new double[] {0, 1}, new double[] {2, 3})}};     // headline, ri miss
        StringWriter text = new StringWriter();
        LabSummary summary = LabCommand.summarize(sc, 1, ds, results);
        LabCommand.print(summary, new PrintWriter(text, true));
        JsonNode json = LabCommand.json(summary);
        JsonNode d = json.get("designs").get(0);
        assertEquals(0.5, d.get("coverage").asDouble(), 0.0);
        JsonNode by = d.get("coverage_by_inference");
        assertEquals(4, by.get("wild_cluster_bootstrap").get("replicates_with_interval").asInt());
        assertEquals(0.75, by.get("wild_cluster_bootstrap").get("coverage").asDouble(), 0.0);
        // NaN ends and a missing method both count as no interval
        assertEquals(2, by.get("randomization_inference").get("replicates_with_interval").asInt());
        assertEquals(0.5, by.get("randomization_inference").get("coverage").asDouble(), 0.0);
        assertTrue(text.toString().contains("wild_cluster_bootstrap   coverage  75.0% (4 of 4 replicates"), text.toString());
        assertFalse(text.toString().contains("cr2"), "no method appears that no replicate reported");
        // the Monte Carlo intervals lab.json carries are the summary's: Wilson for 2 of 4 and 3 of 4
        assertEquals(LabSummary.Proportion.of(2, 4).wilsonLow(), d.get("coverage_mc_low").asDouble(), 0.0);
        assertEquals(LabSummary.Proportion.of(3, 4).wilsonHigh(),
                by.get("wild_cluster_bootstrap").get("coverage_mc_high").asDouble(), 0.0);
        assertEquals(1, by.get("randomization_inference").get("covered").asInt());
        // errors (interval midpoint minus truth) 0, 1.5, 0.5, -1.25: mean 0.1875, sample sd 1.143368561167687
        // (Python 3 statistics.stdev); the interval uses qt(0.975, 3) = 3.182446305284263 (R)
        assertEquals(0.1875, d.get("bias").asDouble(), 1e-15);
        assertEquals(1.143368561167687 / 2, d.get("bias_mc_se").asDouble(), 1e-12);
        assertEquals(0.1875 - 3.182446305284263 * 1.143368561167687 / 2, d.get("bias_mc_low").asDouble(), 1e-12);
    }

    /**
     * Checks that fired are counted per check and status, and the coverage where no validity check failed counts only
     * those replicates (a failed guardrail does not remove one).
     */
    @Test
    void checksThatFiredAndCoverageWhereNoCheckFailed() {
        var sc = Scenarios.load("cache-eviction");
        List<SimDesign> ds = List.of(SimulateCommand.design(sc, "switchback", 0.5, null, null));
        java.util.function.BiFunction<double[], String[], LabCommand.Result> r = (ci, flags) -> {
            TreeMap<String, LabCommand.Flag> f = new TreeMap<>();
            for (int i = 0; i < flags.length; i += 2) {
                f.put(flags[i], new LabCommand.Flag(dev.verdict.check.CheckStatus.valueOf(flags[i + 1]),
                        flags[i].startsWith("guardrail") ? dev.verdict.check.CheckCategory.GUARDRAIL
                                : dev.verdict.check.CheckCategory.IDENTIFICATION));
            }
            return new LabCommand.Result(1.0, (ci[0] + ci[1]) / 2, ci[0], ci[1], Recommendation.PAUSE, new TreeMap<>(), f);
        };
        LabCommand.Result[][] results = {
                {r.apply(new double[] {0, 2}, new String[] {})},                                          // covers, clean
                {r.apply(new double[] {2, 3}, new String[] {"carryover", "FAIL"})},                       // misses, flagged
                {r.apply(new double[] {3, 4}, new String[] {"carryover", "FAIL", "washout_clearance", "WARN"})},
                {r.apply(new double[] {0.5, 1.5}, new String[] {"washout_clearance", "WARN"})},           // covers, warn only
                {r.apply(new double[] {5, 6}, new String[] {"washout_clearance", "WARN"})},               // misses, not caught
                {r.apply(new double[] {0, 2}, new String[] {"guardrail:error", "FAIL"})}};                 // covers
        // a failed guardrail judges the change, not the estimate: the last replicate still counts as valid
        LabSummary summary = LabCommand.summarize(sc, 1, ds, results);
        LabSummary.Design d = summary.designs().get(0);
        assertEquals(new LabSummary.CheckCounts(2, 0), d.checks().get("carryover"));
        assertEquals(new LabSummary.CheckCounts(0, 3), d.checks().get("washout_clearance"));
        assertEquals(0.5, d.coverage().share(), 1e-15);
        // the readouts without a failed validity check: 1, 4, 5 and 6, of which 1, 4 and 6 cover
        assertEquals(4, d.coverageWhereValid().trials());
        assertEquals(3, d.coverageWhereValid().hits());
        StringWriter text = new StringWriter();
        LabCommand.print(summary, new PrintWriter(text, true));
        assertTrue(text.toString().contains("checks that fired: carryover fail 33%, guardrail:error fail 17%, "
                + "washout_clearance warn 50%"), text.toString());
        assertTrue(text.toString().contains("coverage where no validity check failed: 75.0% (4 of 6 replicates)"),
                text.toString());
        JsonNode json = LabCommand.json(summary).get("designs").get(0);
        assertEquals(2, json.get("checks").get("carryover").get("failed").asInt());
        assertEquals(0.5, json.get("checks").get("washout_clearance").get("warn").asDouble(), 1e-15);
        assertEquals(4, json.get("coverage_where_validity_checks_pass").get("replicates").asInt());
        String html = dev.verdict.cli.readout.LabHtml.write(summary, "verdict test");
        assertTrue(html.contains("<td><code>carryover</code></td><td class=\"n\">33.33%</td><td class=\"n\">0%</td>"),
                html);
        assertTrue(html.contains("<td>switchback</td><td class=\"n\">4 of 6</td>"), html);
    }

    /**
     * Wilson score intervals (no continuity correction) against the worked examples of Newcombe (1998), "Two-sided
     * confidence intervals for the single proportion: comparison of seven methods", Statistics in Medicine 17:857-872,
     * method 3, printed to four decimals: 81/263, 15/148, 0/20, 1/29.
     */
    @Test
    void wilsonIntervalsMatchNewcombesExamples() {
        double[][] cases = {{81, 263, 0.2553, 0.3662}, {15, 148, 0.0624, 0.1605}, {0, 20, 0.0, 0.1611},
                {1, 29, 0.0061, 0.1718}};
        for (double[] c : cases) {
            LabSummary.Proportion p = LabSummary.Proportion.of((int) c[0], (int) c[1]);
            assertEquals(c[2], p.wilsonLow(), 5e-5, c[0] + "/" + c[1] + " low");
            assertEquals(c[3], p.wilsonHigh(), 5e-5, c[0] + "/" + c[1] + " high");
            assertEquals(c[0] / c[1], p.share(), 1e-15);
        }
        // invariants: inside [0, 1], containing the share, and NaN without trials
        LabSummary.Proportion all = LabSummary.Proportion.of(20, 20);
        assertEquals(1.0, all.wilsonHigh(), 0.0);
        assertTrue(all.wilsonLow() < 1 && all.wilsonLow() > 0.8, "20/20 low " + all.wilsonLow());
        assertEquals(0.0, LabSummary.Proportion.of(0, 2).wilsonLow(), 0.0, "no hits: the interval starts at 0");
        assertTrue(Double.isNaN(LabSummary.Proportion.of(0, 0).wilsonLow()));
    }

    @Test
    void biasMonteCarloIntervalIsMeanPlusMinusTTimesStandardError() {
        // errors 1, 2, 3, 4: mean 2.5, sample variance 5/3, se sqrt(5/3 / 4) = 0.6454972243679028
        LabSummary.Bias b = LabSummary.Bias.of(new double[] {1, 2, 3, 4});
        assertEquals(2.5, b.mean(), 1e-15);
        assertEquals(0.6454972243679028, b.mcSe(), 1e-15);
        // qt(0.975, 3) = 3.182446305284263 (R)
        assertEquals(2.5 - 3.182446305284263 * 0.6454972243679028, b.mcLow(), 1e-12);
        assertEquals(2.5 + 3.182446305284263 * 0.6454972243679028, b.mcHigh(), 1e-12);
        assertTrue(Double.isNaN(LabSummary.Bias.of(new double[] {3}).mcSe()), "no standard error from one replicate");
    }
}

package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Quantile metrics of the panel designs end to end through the command line (also on Spark, from the Spark module):
 * a log whose treated clusters get their top requests shifted by +40 ms after adoption (the cell p99 moves by exactly
 * +40, the median not at all). {@code did} with {@code kind: p99} reports the two-way fixed effects estimate equal to
 * the 2x2 difference of the per-cell type-7 p99 values computed here from the written rows (1e-9; nearest-rank p99
 * would give another number), a p50 guardrail likewise, the cell that carried both arms left out; with two clusters it
 * says a quantile's cells hold no within-cell variance; {@code synthetic_control} with {@code kind: p99} runs synthdid
 * on the treated cluster's per-day p99 path; {@code propensity} still refuses a quantile.
 */
class PanelQuantileEndToEndTest {

    @TempDir
    Path tmp;

    private static final Instant DAY0 = Instant.parse("2026-11-02T00:00:00Z");
    private static final double SHIFT = 40;

    /**
     * Writes requests.csv: per cluster and day 200 to 400 requests of {@code level + 8 day + lognormal noise} ms; in a
     * treated cluster from day {@code adopt} on the arm is treatment and the top values (at least the two that type 7
     * interpolates between at p = 0.99) are {@code +SHIFT}. With {@code mixedDay}, cluster 0 also logs one day of both
     * arms after the panel. Returns the values as written, per cluster and day.
     */
    private double[][][] writeLog(int clusters, int days, int treatedClusters, int adopt, boolean mixedDay, long seed)
            throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder csv = new StringBuilder("request_id,ts,cluster,arm,latency_ms\n");
        double[][][] cells = new double[clusters][days][];
        int id = 0;
        for (int c = 0; c < clusters; c++) {
            double level = 200 + 20 * rnd.nextGaussian();
            for (int d = 0; d < days; d++) {
                boolean treated = c < treatedClusters && d >= adopt;
                int n = 200 + rnd.nextInt(201);
                double[] base = new double[n];
                for (int i = 0; i < n; i++) {
                    base[i] = level + 8 * d + Math.exp(3 + 0.5 * rnd.nextGaussian());
                }
                double[] sorted = base.clone();
                Arrays.sort(sorted);
                double cut = sorted[n - Math.max(2, (int) Math.ceil(0.05 * n))];
                cells[c][d] = new double[n];
                for (int i = 0; i < n; i++) {
                    String v = String.format(Locale.ROOT, "%.3f", base[i] + (treated && base[i] >= cut ? SHIFT : 0));
                    cells[c][d][i] = Double.parseDouble(v);
                    csv.append('r').append(id++).append(',').append(DAY0.plusSeconds(d * 86_400L + i * 997L % 86_400))
                            .append(",pool-").append(c).append(',').append(treated ? "treatment" : "control")
                            .append(',').append(v).append('\n');
                }
            }
        }
        if (mixedDay) {
            for (int i = 0; i < 20; i++) {
                csv.append('r').append(id++).append(',').append(DAY0.plusSeconds(days * 86_400L + i * 600L))
                        .append(",pool-0,").append(i % 2 == 0 ? "treatment" : "control").append(",999.000\n");
            }
        }
        Files.writeString(tmp.resolve("requests.csv"), csv);
        return cells;
    }

    /** R's quantile(x, p, type = 7), written out: 1-based index 1 + (n - 1) p, (1 - g) x[j] + g x[j + 1]. */
    private static double typeSeven(double[] values, double p) {
        double[] x = values.clone();
        Arrays.sort(x);
        double index = 1 + (x.length - 1) * p;
        int j = (int) Math.floor(index);
        double g = index - j;
        return j >= x.length ? x[x.length - 1] : (1 - g) * x[j - 1] + g * x[j];
    }

    /** Nearest rank (type 1): the ceil(n p)-th value. */
    private static double nearestRank(double[] values, double p) {
        double[] x = values.clone();
        Arrays.sort(x);
        return x[(int) Math.ceil(x.length * p) - 1];
    }

    /** The 2x2 of cell values: {treated before, treated after, control before, control after, estimate}. */
    private static double[] twoByTwo(double[][] q, int treatedClusters, int adopt) {
        double[] sum = new double[4];
        int[] n = new int[4];
        for (int c = 0; c < q.length; c++) {
            for (int d = 0; d < q[c].length; d++) {
                int k = (c < treatedClusters ? 0 : 2) + (d >= adopt ? 1 : 0);
                sum[k] += q[c][d];
                n[k]++;
            }
        }
        double[] m = new double[5];
        for (int k = 0; k < 4; k++) {
            m[k] = sum[k] / n[k];
        }
        m[4] = (m[1] - m[0]) - (m[3] - m[2]);
        return m;
    }

    private static double[][] cellQuantiles(double[][][] cells, double p, boolean typeSeven) {
        double[][] q = new double[cells.length][];
        for (int c = 0; c < cells.length; c++) {
            q[c] = new double[cells[c].length];
            for (int d = 0; d < cells[c].length; d++) {
                q[c][d] = typeSeven ? typeSeven(cells[c][d], p) : nearestRank(cells[c][d], p);
            }
        }
        return q;
    }

    private static JsonNode effect(JsonNode root, String metric) {
        for (JsonNode e : root.get("effects")) {
            if (e.get("metric").asText().equals(metric)) {
                return e;
            }
        }
        throw new AssertionError("no effect " + metric + " in " + root.get("effects"));
    }

    @Test
    void didOnP99IsTheTwoByTwoOfCellP99s() throws Exception {
        double[][][] cells = writeLog(6, 6, 3, 3, true, 7);
        JsonNode root = Readouts.analyze(tmp, """
                name: routing change, tail latency
                design: did
                data: requests.csv
                success: {metric: latency_ms, kind: p99, direction: decrease}
                guardrails:
                  - {metric: latency_ms, kind: p50, direction: decrease, max_harm: 10}
                did: {period: day}
                """);
        double[] want = twoByTwo(cellQuantiles(cells, 0.99, true), 3, 3);
        JsonNode e = effect(root, "p99(latency_ms)");
        assertEquals("p99", e.get("kind").asText());
        assertEquals("did_twfe_cr2_by_cluster", e.get("method").asText(), e.toString());
        assertEquals(want[4], e.get("estimate").asDouble(), 1e-9, e.toString());
        JsonNode t = root.get("design").get("details").get("two_by_two");
        assertEquals(want[0], t.get("treated_before").asDouble(), 1e-9);
        assertEquals(want[1], t.get("treated_after").asDouble(), 1e-9);
        assertEquals(want[2], t.get("control_before").asDouble(), 1e-9);
        assertEquals(want[3], t.get("control_after").asDouble(), 1e-9);
        // the definition matters here: nearest-rank cell p99s give another estimate
        double nearest = twoByTwo(cellQuantiles(cells, 0.99, false), 3, 3)[4];
        assertTrue(Math.abs(nearest - want[4]) > 1e-3, "type 1 " + nearest + " vs type 7 " + want[4]);
        // the shift moves every treated cell's p99 by exactly +40: the estimate is 40 plus the cells' noise
        assertTrue(e.get("ci_low").asDouble() < SHIFT && SHIFT < e.get("ci_high").asDouble(), e.toString());
        assertEquals(36, root.get("design").get("details").get("cells").asInt());
        assertEquals(1, root.get("design").get("details").get("mixed_cells_left_out").asInt());
        assertEquals("pass", Readouts.check(root, "treated_units").get("status").asText());

        JsonNode g = effect(root, "p50(latency_ms)");
        assertEquals("p50", g.get("kind").asText());
        assertEquals(twoByTwo(cellQuantiles(cells, 0.5, true), 3, 3)[4], g.get("estimate").asDouble(), 1e-9);
        assertTrue(g.get("ci_low").asDouble() < 0 && 0 < g.get("ci_high").asDouble(), "the median did not move " + g);
        assertEquals("pass", Readouts.check(root, "guardrail:p50(latency_ms)").get("status").asText());

        String notes = root.get("design").get("notes").toString();
        assertTrue(notes.contains("did: p99(latency_ms) as the p99 per cluster and day (36 cells"), notes);
        assertTrue(notes.contains("p99(latency_ms) (kind p99) is the per-cell 0.99-quantile"), notes);
        assertTrue(notes.contains("p50(latency_ms) (kind p50) is the per-cell 0.50-quantile"), notes);
        assertFalse(notes.contains("not estimated"), notes);
    }

    @Test
    void twoClustersSayAQuantileCellHasNoWithinCellVariance() throws Exception {
        double[][][] cells = writeLog(2, 2, 1, 1, false, 3);
        JsonNode root = Readouts.analyze(tmp, """
                name: two regions, tail latency
                design: did
                data: requests.csv
                success: {metric: latency_ms, kind: p99, direction: decrease}
                """);
        JsonNode e = root.get("effects").get(0);
        assertEquals(twoByTwo(cellQuantiles(cells, 0.99, true), 1, 1)[4], e.get("estimate").asDouble(), 1e-9);
        assertTrue(e.get("se").isNull(), e.toString());
        JsonNode check = Readouts.check(root, "treated_units");
        assertEquals("warn", check.get("status").asText());
        String summary = check.get("summary").asText();
        assertTrue(summary.startsWith("Only one treated cluster") && summary.contains("Nor can the requests within each "
                + "cell supply one for a quantile outcome") && summary.contains("density at the quantile"), summary);
    }

    @Test
    void syntheticControlOnP99RunsSynthdidOnTheCellP99Path() throws Exception {
        double[][][] cells = writeLog(9, 12, 1, 8, false, 11);
        JsonNode root = Readouts.analyze(tmp, """
                name: batching budget, tail latency
                design: synthetic_control
                data: requests.csv
                seed: 5
                success: {metric: latency_ms, kind: p99, direction: decrease}
                synthetic_control: {period: day}
                """);
        JsonNode e = root.get("effects").get(0);
        assertEquals("p99", e.get("kind").asText());
        assertTrue(e.get("method").asText().startsWith("synthdid_placebo_se"), e.toString());
        assertEquals(8, e.get("n_control").asInt());
        JsonNode treatedPath = root.get("design").get("details").get("paths").get("treated");
        assertEquals(12, treatedPath.size());
        for (int d = 0; d < 12; d++) {
            assertEquals(typeSeven(cells[0][d], 0.99), treatedPath.get(d).asDouble(), 1e-9, "day " + d);
        }
        String notes = root.get("design").get("notes").toString();
        assertTrue(notes.contains("synthetic_control: p99(latency_ms) as the p99 per cluster and day"), notes);
        assertTrue(notes.contains("is the per-cell 0.99-quantile"), notes);
    }

    @Test
    void propensityStillRefusesAQuantile() throws Exception {
        List<String> rows = new ArrayList<>(List.of("request_id,arm,latency_ms,tier"));
        for (int i = 0; i < 40; i++) {
            rows.add("r" + i + "," + (i % 2 == 0 ? "treatment" : "control") + "," + (100 + i) + "," + (i % 3));
        }
        Files.write(tmp.resolve("requests.csv"), rows);
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, """
                name: speculative decoding
                design: propensity
                data: requests.csv
                success: {metric: latency_ms, kind: p99, direction: decrease}
                propensity: {covariates: [tier]}
                """);
        CliRun run = CliRun.analyze(spec, tmp.resolve("out"));
        assertEquals(2, run.exit(), run.err());
        assertTrue(run.err().contains("'p99' is not estimated by design propensity"), run.err());
    }
}

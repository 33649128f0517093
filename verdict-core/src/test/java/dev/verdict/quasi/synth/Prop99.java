package dev.verdict.quasi.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Test access to {@code reference/synth/}: the California Proposition 99 panel (39 states x 1970-2000, California
 * treated from 1989; see the CSV's source line) and {@code reference-synth.json}, a verbatim subset of the shared
 * reference.json produced by R 4.2.2 with synthdid 0.0.9 (cases prop99_synthdid, prop99_sc_estimate,
 * prop99_did_estimate).
 */
final class Prop99 {
    /** The reference README's tolerance for deterministic quantities. */
    static final double REL_TOL = 1e-8;
    static final Panel PANEL = load();
    private static final JsonNode ROOT = json();

    private Prop99() {
    }

    private static Panel load() {
        List<Panel.Observation> rows = new ArrayList<>();
        TreeSet<String> years = new TreeSet<>();
        try (InputStream in = Prop99.class.getResourceAsStream("/reference/synth/california_prop99.csv");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            boolean header = true;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                String[] f = line.split(",", -1);
                rows.add(new Panel.Observation(f[0], f[1], Double.parseDouble(f[2])));
                years.add(f[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Panel.fromObservations(rows, new ArrayList<>(years));
    }

    private static JsonNode json() {
        try (InputStream in = Prop99.class.getResourceAsStream("/reference/synth/reference-synth.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The synthdid layout: the 38 controls in panel (alphabetical) order, then California; years in order. */
    static double[][] matrix() {
        int ca = PANEL.unitIndex("California");
        int n = PANEL.units().size();
        double[][] y = new double[n][];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (i != ca) {
                y[k++] = PANEL.series(i);
            }
        }
        y[n - 1] = PANEL.series(ca);
        return y;
    }

    /** Control names in the order of {@link #matrix()}. */
    static List<String> controls() {
        List<String> c = new ArrayList<>(PANEL.units());
        c.remove("California");
        return c;
    }

    static final int N0 = 38;
    static final int T0 = 19;

    /** The results object of a case, walked down the keys. */
    static JsonNode node(String caseId, String... path) {
        for (JsonNode c : ROOT.get("cases")) {
            if (c.get("id").asText().equals(caseId)) {
                JsonNode n = c.get("results");
                for (String p : path) {
                    n = n.get(p);
                    if (n == null) {
                        throw new IllegalArgumentException("no " + String.join("/", path) + " in case " + caseId);
                    }
                }
                return n;
            }
        }
        throw new IllegalArgumentException("no reference case " + caseId);
    }

    static double num(String caseId, String... path) {
        return node(caseId, path).asDouble();
    }

    static String call(String caseId) {
        for (JsonNode c : ROOT.get("cases")) {
            if (c.get("id").asText().equals(caseId)) {
                return c.get("call").asText();
            }
        }
        throw new IllegalArgumentException("no reference case " + caseId);
    }

    /** Relative error |actual - expected| / |expected|. */
    static double relativeError(double expected, double actual) {
        return Math.abs(actual - expected) / Math.abs(expected);
    }

    /** Asserts {@code |actual - expected| <= tol |expected|}, naming the source. */
    static void assertRelative(double expected, double actual, double tol, String source) {
        assertTrue(Double.isFinite(actual), source + ": got non-finite " + actual);
        double err = relativeError(expected, actual);
        assertTrue(err <= tol, source + ": expected " + expected + ", got " + actual + " (relative error " + err
                + " > " + tol + ")");
    }
}

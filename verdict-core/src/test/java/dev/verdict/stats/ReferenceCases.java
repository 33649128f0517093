package dev.verdict.stats;

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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Test access to {@code reference/stats/reference-stats.json}, a verbatim subset of the shared
 * reference.json (R 4.2.2; sandwich 3.0-2, clubSandwich 0.5.8, estimatr 1.0.0, stats 4.2.2), and to the
 * CSV copies next to it.
 */
final class ReferenceCases {
    /** The reference README's tolerance for deterministic quantities. */
    static final double REL_TOL = 1e-8;
    private static final JsonNode ROOT = load();

    private ReferenceCases() {
    }

    private static JsonNode load() {
        try (InputStream in = ReferenceCases.class.getResourceAsStream("/reference/stats/reference-stats.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code results} object of a case, walked down the given keys (array indices as numbers). */
    static JsonNode node(String caseId, String... path) {
        for (JsonNode c : ROOT.get("cases")) {
            if (c.get("id").asText().equals(caseId)) {
                JsonNode n = c.get("results");
                for (String p : path) {
                    n = p.matches("\\d+") ? n.get(Integer.parseInt(p)) : n.get(p);
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

    /** The R call recorded with a case (for assertion messages). */
    static String call(String caseId) {
        for (JsonNode c : ROOT.get("cases")) {
            if (c.get("id").asText().equals(caseId)) {
                return c.get("call").asText();
            }
        }
        throw new IllegalArgumentException("no reference case " + caseId);
    }

    /** Asserts {@code |actual - expected| <= tol |expected|}, naming the source in the message. */
    static void assertRelative(double expected, double actual, double tol, String source) {
        assertTrue(Double.isFinite(actual), source + ": got non-finite " + actual);
        double err = Math.abs(actual - expected) / Math.abs(expected);
        assertTrue(err <= tol, source + ": expected " + expected + ", got " + actual + " (relative error " + err
                + " > " + tol + ")");
    }

    /** Reference value at the case path, checked to the README's 1e-8 relative. */
    static void assertReference(double actual, String caseId, String... path) {
        assertRelative(num(caseId, path), actual, REL_TOL, caseId + " " + String.join("/", path) + " from `"
                + call(caseId) + "`");
    }

    static void assertExact(double expected, double actual, String source) {
        assertEquals(expected, actual, 0.0, source);
    }

    /** Rows of a resource CSV as string fields, skipping '#' source lines and the header; quotes stripped. */
    static List<String[]> csv(String resource) {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = ReferenceCases.class.getResourceAsStream(resource);
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
                for (int i = 0; i < f.length; i++) {
                    f[i] = f[i].replace("\"", "");
                }
                rows.add(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }
}

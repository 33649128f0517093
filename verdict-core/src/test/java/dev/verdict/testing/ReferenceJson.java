package dev.verdict.testing;

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

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One test resource in the layout of the shared {@code reference.json} ({@code cases}, each with an {@code id}, the R
 * {@code call} that made it and its {@code results}), and the resource CSVs beside it; the per-area reference classes
 * of the tests (stats, rd, propensity, synth) read through it.
 */
public final class ReferenceJson {
    private final JsonNode root;
    private final String resource;

    private ReferenceJson(JsonNode root, String resource) {
        this.root = root;
        this.resource = resource;
    }

    /** Reads a class-path resource such as {@code /reference/rd/reference-rd.json}. */
    public static ReferenceJson load(String resource) {
        try (InputStream in = ReferenceJson.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return new ReferenceJson(new ObjectMapper().readTree(in), resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode reference(String caseId) {
        for (JsonNode c : root.get("cases")) {
            if (c.get("id").asText().equals(caseId)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no reference case " + caseId + " in " + resource);
    }

    /** The {@code results} object of a case, walked down the given keys (array indices as numbers). */
    public JsonNode node(String caseId, String... path) {
        JsonNode n = reference(caseId).get("results");
        for (String p : path) {
            n = p.matches("\\d+") && n.isArray() ? n.get(Integer.parseInt(p)) : n.get(p);
            if (n == null) {
                throw new IllegalArgumentException("no " + String.join("/", path) + " in case " + caseId);
            }
        }
        return n;
    }

    public double num(String caseId, String... path) {
        return node(caseId, path).asDouble();
    }

    /** The R call recorded with a case (for assertion messages). */
    public String call(String caseId) {
        return reference(caseId).get("call").asText();
    }

    /** Relative error {@code |actual - expected| / |expected|}. */
    public static double relativeError(double expected, double actual) {
        return Math.abs(actual - expected) / Math.abs(expected);
    }

    /** Asserts {@code |actual - expected| <= tol |expected|} (and a finite actual), naming the source. */
    public static void assertRelative(double expected, double actual, double tol, String source) {
        assertTrue(Double.isFinite(actual), source + ": got non-finite " + actual);
        double err = relativeError(expected, actual);
        assertTrue(err <= tol, source + ": expected " + expected + ", got " + actual + " (relative error " + err
                + " > " + tol + ")");
    }

    /** Rows of a resource CSV as string fields, skipping '#' source lines, blank lines and the header; quotes stripped. */
    public static List<String[]> csv(String resource) {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = ReferenceJson.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
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

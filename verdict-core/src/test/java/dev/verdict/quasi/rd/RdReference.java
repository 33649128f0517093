package dev.verdict.quasi.rd;

import dev.verdict.testing.ReferenceJson;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Test access to {@code reference/rd/reference-rd.json} (a verbatim subset of the shared reference.json: the
 * senate_* cases, made with R 4.2.2, rdrobust 3.0.0 and rddensity 2.6 by scripts/case_c_senate_rd.R) and to the
 * Lee (2008) Senate data next to it ({@code rdrobust_senate.csv}, a byte-for-byte copy of rdrobust's file).
 */
final class RdReference {
    /** The reference README's tolerance for deterministic quantities. */
    static final double REL_TOL = 1e-8;
    /** The reference README's tolerance for bandwidths from rdrobust's iterative selector. */
    static final double BW_TOL = 1e-6;
    private static final ReferenceJson REF = ReferenceJson.load("/reference/rd/reference-rd.json");

    /** Senate margin (running variable, all 1390 rows) and vote share (NaN where missing: 93 rows). */
    static final double[] MARGIN;
    static final double[] VOTE;
    static final double[] POPULATION;
    static final double[] TERMS_HOUSE;

    static {
        List<String[]> rows = csv("/reference/rd/rdrobust_senate.csv");
        int n = rows.size();
        MARGIN = new double[n];
        VOTE = new double[n];
        POPULATION = new double[n];
        TERMS_HOUSE = new double[n];
        for (int i = 0; i < n; i++) {
            String[] f = rows.get(i);
            VOTE[i] = parse(f[2]);
            MARGIN[i] = parse(f[3]);
            TERMS_HOUSE[i] = parse(f[5]);
            POPULATION[i] = parse(f[7]);
        }
    }

    private RdReference() {
    }

    private static double parse(String s) {
        return s.isEmpty() || s.equals("NA") ? Double.NaN : Double.parseDouble(s);
    }

    static JsonNode node(String caseId, String... path) {
        return REF.node(caseId, path);
    }

    static double num(String caseId, String... path) {
        return REF.num(caseId, path);
    }

    static String call(String caseId) {
        return REF.call(caseId);
    }

    /** Relative error of actual against expected. */
    static double relErr(double expected, double actual) {
        return Math.abs(actual - expected) / Math.abs(expected);
    }

    /** Asserts the reference value at the path to {@code tol} relative, naming the R call. */
    static void assertReference(double actual, double tol, String caseId, String... path) {
        double expected = num(caseId, path);
        assertTrue(Double.isFinite(actual), caseId + " " + String.join("/", path) + ": got " + actual);
        double err = relErr(expected, actual);
        assertTrue(err <= tol, caseId + " " + String.join("/", path) + " from `" + call(caseId) + "`: expected "
                + expected + ", got " + actual + " (relative error " + err + " > " + tol + ")");
    }

    static List<String[]> csv(String resource) {
        return ReferenceJson.csv(resource);
    }
}

package dev.verdict.stats;

import dev.verdict.testing.ReferenceJson;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Test access to {@code reference/stats/reference-stats.json}, a verbatim subset of the shared
 * reference.json (R 4.2.2; sandwich 3.0-2, clubSandwich 0.5.8, estimatr 1.0.0, stats 4.2.2), and to the
 * CSV copies next to it.
 */
final class ReferenceCases {
    /** The reference README's tolerance for deterministic quantities. */
    static final double REL_TOL = 1e-8;
    private static final ReferenceJson REF = ReferenceJson.load("/reference/stats/reference-stats.json");

    private ReferenceCases() {
    }

    /** The {@code results} object of a case, walked down the given keys (array indices as numbers). */
    static JsonNode node(String caseId, String... path) {
        return REF.node(caseId, path);
    }

    static double num(String caseId, String... path) {
        return REF.num(caseId, path);
    }

    /** The R call recorded with a case (for assertion messages). */
    static String call(String caseId) {
        return REF.call(caseId);
    }

    /** Asserts {@code |actual - expected| <= tol |expected|}, naming the source in the message. */
    static void assertRelative(double expected, double actual, double tol, String source) {
        ReferenceJson.assertRelative(expected, actual, tol, source);
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
        return ReferenceJson.csv(resource);
    }
}

package dev.verdict.quasi.synth;

import dev.verdict.testing.ReferenceJson;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

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
    private static final ReferenceJson REF = ReferenceJson.load("/reference/synth/reference-synth.json");

    private Prop99() {
    }

    private static Panel load() {
        List<Panel.Observation> rows = new ArrayList<>();
        TreeSet<String> years = new TreeSet<>();
        for (String[] f : ReferenceJson.csv("/reference/synth/california_prop99.csv")) {
            rows.add(new Panel.Observation(f[0], f[1], Double.parseDouble(f[2])));
            years.add(f[1]);
        }
        return Panel.fromObservations(rows, new ArrayList<>(years));
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
        return REF.node(caseId, path);
    }

    static double num(String caseId, String... path) {
        return REF.num(caseId, path);
    }

    static String call(String caseId) {
        return REF.call(caseId);
    }

    /** Relative error |actual - expected| / |expected|. */
    static double relativeError(double expected, double actual) {
        return ReferenceJson.relativeError(expected, actual);
    }

    /** Asserts {@code |actual - expected| <= tol |expected|}, naming the source. */
    static void assertRelative(double expected, double actual, double tol, String source) {
        ReferenceJson.assertRelative(expected, actual, tol, source);
    }
}

package dev.verdict.quasi.propensity;

import dev.verdict.testing.ReferenceJson;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Test access to {@code reference/propensity/reference-propensity.json}, a verbatim subset of the shared
 * reference.json (cases lalonde_*, R 4.2.2 {@code stats::glm}, estimatr 1.0.0, script case_b_lalonde.R), and to the
 * LaLonde data it was computed on, {@code reference/stats/lalonde.csv} (MatchIt 4.5.1 {@code data(lalonde)}: 185 NSW
 * treated, 429 PSID controls), shared with the stats tests rather than copied.
 */
final class PropensityReference {
    /** The reference README's tolerance for deterministic quantities. */
    static final double REL_TOL = 1e-8;
    private static final ReferenceJson REF = ReferenceJson.load("/reference/propensity/reference-propensity.json");

    private PropensityReference() {
    }

    static JsonNode node(String caseId, String... path) {
        return REF.node(caseId, path);
    }

    static double num(String caseId, String... path) {
        return REF.num(caseId, path);
    }

    /** Asserts {@code |actual - expected| <= 1e-8 |expected|} against the case value; returns the relative error. */
    static double assertReference(double actual, String caseId, String... path) {
        double expected = num(caseId, path);
        ReferenceJson.assertRelative(expected, actual, REL_TOL, caseId + " " + String.join("/", path)
                + " (R 4.2.2, shared reference.json)");
        return ReferenceJson.relativeError(expected, actual);
    }

    /** LaLonde as the R script builds it. */
    static final class Lalonde {
        final double[] re78;
        final boolean[] treat;
        final String[] race;
        final double[] age;
        final double[] educ;
        final double[] married;
        final double[] nodegree;
        final double[] re74;
        final double[] re75;

        private Lalonde(int n) {
            re78 = new double[n];
            treat = new boolean[n];
            race = new String[n];
            age = new double[n];
            educ = new double[n];
            married = new double[n];
            nodegree = new double[n];
            re74 = new double[n];
            re75 = new double[n];
        }

        /** The propensity model's X: age, educ, race (reference 'black'), married, nodegree, re74, re75. */
        Covariates modelCovariates() {
            Covariates raceDummies = Covariates.indicators("race", race, List.of("black", "hispan", "white"), "black");
            return Covariates.of(List.of("age", "educ"), new double[][] {age, educ})
                    .and(raceDummies)
                    .and(Covariates.of(List.of("married", "nodegree", "re74", "re75"),
                            new double[][] {married, nodegree, re74, re75}));
        }

        /** The balance table's covariates, every race level: age, educ, black, hispan, white, married, ... */
        Covariates balanceCovariates() {
            return Covariates.of(List.of("age", "educ"), new double[][] {age, educ})
                    .and(Covariates.indicators("", race, List.of("black", "hispan", "white"), null))
                    .and(Covariates.of(List.of("married", "nodegree", "re74", "re75"),
                            new double[][] {married, nodegree, re74, re75}));
        }

        PropensityData data() {
            return PropensityData.of(re78, treat, modelCovariates()).withBalanceCovariates(balanceCovariates());
        }
    }

    static Lalonde lalonde() {
        List<String[]> rows = ReferenceJson.csv("/reference/stats/lalonde.csv");
        assertEquals(614, rows.size(), "lalonde.csv rows (SOURCES.md: 614)");
        Lalonde d = new Lalonde(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            String[] f = rows.get(i); // id,treat,age,educ,race,married,nodegree,re74,re75,re78
            d.treat[i] = f[1].equals("1");
            d.age[i] = Double.parseDouble(f[2]);
            d.educ[i] = Double.parseDouble(f[3]);
            d.race[i] = f[4];
            d.married[i] = Double.parseDouble(f[5]);
            d.nodegree[i] = Double.parseDouble(f[6]);
            d.re74[i] = Double.parseDouble(f[7]);
            d.re75[i] = Double.parseDouble(f[8]);
            d.re78[i] = Double.parseDouble(f[9]);
        }
        return d;
    }
}

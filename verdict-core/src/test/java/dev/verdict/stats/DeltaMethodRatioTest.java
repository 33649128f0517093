package dev.verdict.stats;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.OptionalInt;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The delta-method contrast: reference agreement with R's Welch test in the request-level special case, agreement
 * with OLS for the CUPED adjustment, and nominal coverage with known truth under user randomization, with the
 * naive per-request interval as a positive control that under-covers.
 */
class DeltaMethodRatioTest {
    private static final double REL = 1e-10;

    /** Moments of rows {@code [y, 1]}: a request-randomized arm, where every unit's count is 1. */
    private static Moments requestArm(double... y) {
        Moments.Accumulator a = new Moments.Accumulator(2);
        for (double v : y) {
            a.add(v, 1.0);
        }
        return a.toMoments();
    }

    @Test
    void requestLevelMeanIsWelchAsInR() {
        // R 4.2.2: t.test(c(12.1, 9.8, 11.4, 10.9, 13.2, 10.1, 12.7, 11.8), c(9.9, 10.4, 8.7, 11.0, 9.1, 10.2, 9.6))
        // (shared/reference case welch_inline_small)
        Moments t = requestArm(12.1, 9.8, 11.4, 10.9, 13.2, 10.1, 12.7, 11.8);
        Moments c = requestArm(9.9, 10.4, 8.7, 11.0, 9.1, 10.2, 9.6);
        Estimate e = DeltaMethodRatio.contrast(t, c, new double[] {1, 0}, new double[] {0, 1}, OptionalInt.empty(), 0.05,
                "welch").result();
        assertEquals(1.65714285714286, e.estimate(), 1e-13 * 1.66);
        assertEquals(0.51633190822937, e.se(), 1e-12);
        assertEquals(12.1560721549475, e.df(), 1e-11);
        assertEquals(0.00738803866647091, e.pValue(), 1e-12);
        assertEquals(0.533752134674661, e.ciLow(), 1e-11);
        assertEquals(2.78053357961105, e.ciHigh(), 1e-11);
    }

    @Test
    void ratioMatchesTheDeltaMethodComputedFromUnits() {
        // Known truth: the delta-method variance written out directly on per-unit (num, den) pairs.
        SplittableRandom rnd = new SplittableRandom(3);
        int n = 500;
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            double den = 1 + rnd.nextInt(20);
            rows[i] = new double[] {den * (2 + rnd.nextDouble()), den};
        }
        Moments m = Moments.of(rows);
        DeltaMethodRatio.ArmRatio r = DeltaMethodRatio.arm(m, new double[] {1, 0}, new double[] {0, 1});
        double sx = 0;
        double sy = 0;
        for (double[] row : rows) {
            sx += row[0];
            sy += row[1];
        }
        double ratio = sx / sy;
        double ybar = sy / n;
        double ss = 0;
        for (double[] row : rows) {
            double l = (row[0] - ratio * row[1]) / ybar;
            ss += l * l;
        }
        double want = ss / (n - 1) / n;
        assertEquals(ratio, r.value(), REL * ratio);
        assertEquals(want, r.variance(), 1e-9 * want);
    }

    @Test
    void cupedEqualsTheTreatmentCoefficientOfOlsWithTheCovariate() {
        // Invariant (Frisch–Waugh–Lovell): with a common within-arm slope, the adjusted contrast is the coefficient on
        // T in OLS y ~ 1 + T + x, computed here with EJML on the raw rows.
        SplittableRandom rnd = new SplittableRandom(11);
        int n = 400;
        Moments.Accumulator t = new Moments.Accumulator(3);
        Moments.Accumulator c = new Moments.Accumulator(3);
        DMatrixRMaj x = new DMatrixRMaj(2 * n, 3);
        DMatrixRMaj y = new DMatrixRMaj(2 * n, 1);
        for (int i = 0; i < 2 * n; i++) {
            boolean treated = i % 2 == 0;
            double pre = 100 + 20 * gaussian(rnd);
            double out = 0.8 * pre + (treated ? 3 : 0) + 5 * gaussian(rnd);
            (treated ? t : c).add(out, 1.0, pre);
            x.set(i, 0, 1);
            x.set(i, 1, treated ? 1 : 0);
            x.set(i, 2, pre);
            y.set(i, 0, out);
        }
        DeltaMethodRatio.Contrast k = DeltaMethodRatio.contrast(t.toMoments(), c.toMoments(), new double[] {1, 0, 0},
                new double[] {0, 1, 0}, OptionalInt.of(2), 0.05, "cuped");
        DMatrixRMaj xtx = new DMatrixRMaj(3, 3);
        DMatrixRMaj xty = new DMatrixRMaj(3, 1);
        CommonOps_DDRM.multTransA(x, x, xtx);
        CommonOps_DDRM.multTransA(x, y, xty);
        DMatrixRMaj beta = new DMatrixRMaj(3, 1);
        assertTrue(CommonOps_DDRM.solve(xtx, xty, beta));
        assertEquals(beta.get(1, 0), k.estimate(), 1e-9 * Math.abs(beta.get(1, 0)));
        assertEquals(beta.get(2, 0), k.theta(), 1e-9 * Math.abs(beta.get(2, 0)));
        DeltaMethodRatio.Contrast raw = DeltaMethodRatio.contrast(t.toMoments(), c.toMoments(), new double[] {1, 0, 0},
                new double[] {0, 1, 0}, OptionalInt.empty(), 0.05, "welch");
        assertTrue(k.result().se() < 0.5 * raw.result().se(), "a covariate with R^2 ~ 0.9 must cut the SE by more than half");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2})
    void userLevelIntervalsCoverAndPerRequestIntervalsDoNot(long seed) {
        // Known truth: users with a random effect (intra-user correlation) and 1..30 requests each; true effect 0.
        SplittableRandom rnd = new SplittableRandom(seed);
        int reps = 400;
        int coveredUnit = 0;
        int coveredNaive = 0;
        for (int rep = 0; rep < reps; rep++) {
            Moments.Accumulator[] unit = {new Moments.Accumulator(2), new Moments.Accumulator(2)};
            Moments.Accumulator[] row = {new Moments.Accumulator(2), new Moments.Accumulator(2)};
            for (int u = 0; u < 300; u++) {
                int arm = rnd.nextInt(2);
                double userEffect = 2 * gaussian(rnd);
                int requests = 1 + rnd.nextInt(30);
                double sum = 0;
                for (int q = 0; q < requests; q++) {
                    double v = 10 + userEffect + gaussian(rnd);
                    sum += v;
                    row[arm].add(v, 1.0);
                }
                unit[arm].add(sum, requests);
            }
            double[] a = {1, 0};
            double[] b = {0, 1};
            Estimate eu = DeltaMethodRatio.contrast(unit[1].toMoments(), unit[0].toMoments(), a, b, OptionalInt.empty(),
                    0.05, "delta").result();
            Estimate en = DeltaMethodRatio.contrast(row[1].toMoments(), row[0].toMoments(), a, b, OptionalInt.empty(),
                    0.05, "naive").result();
            coveredUnit += eu.ciLow() <= 0 && 0 <= eu.ciHigh() ? 1 : 0;
            coveredNaive += en.ciLow() <= 0 && 0 <= en.ciHigh() ? 1 : 0;
        }
        // 95% nominal; with 400 replications the binomial SD is 1.1 points, so [0.92, 0.98] is a 3-SD band.
        double unitCoverage = coveredUnit / (double) reps;
        assertTrue(unitCoverage > 0.92 && unitCoverage < 0.98, "user-level coverage " + unitCoverage);
        // Positive control: treating correlated requests as independent under-covers badly (design effect ~ 60).
        assertTrue(coveredNaive / (double) reps < 0.6, "naive coverage " + coveredNaive / (double) reps);
    }

    static double gaussian(SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log1p(-rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }
}

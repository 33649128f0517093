package dev.verdict.quasi.synth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Invariants, hand-computed cases and known truth for {@link SynthDid}. */
class SynthDidPropertyTest {
    private static final double[][] Y = SimulatedPanel.treatedLast(SimulatedPanel.matrix(25, 30, 20, 3.0, 0.3, 11));

    @ParameterizedTest
    @EnumSource(SynthDid.Method.class)
    void weightsLieOnTheSimplex(SynthDid.Method m) {
        SynthDid.Fit fit = SynthDid.estimate(Y, 24, 20, m);
        for (double[] w : new double[][] {fit.omega(), fit.lambda()}) {
            double sum = 0;
            for (double v : w) {
                assertTrue(v >= 0, "weights are non-negative");
                sum += v;
            }
            // sc's lambda is fixed at zero (no time weights)
            assertEquals(m == SynthDid.Method.SYNTHETIC_CONTROL && w.length == 20 ? 0 : 1, sum, 1e-12);
        }
    }

    @Test
    void didIsTheHandComputedDoubleDifference() {
        // 3 controls, 1 treated, 2 pre + 2 post periods
        double[][] y = {{1, 2, 4, 5}, {2, 2, 3, 3}, {0, 1, 1, 2}, {5, 6, 2, 1}};
        double treated = (2 + 1) / 2.0 - (5 + 6) / 2.0;
        double controls = ((4 + 5 + 3 + 3 + 1 + 2) / 6.0) - ((1 + 2 + 2 + 2 + 0 + 1) / 6.0);
        assertEquals(treated - controls, SynthDid.estimate(y, 3, 2, SynthDid.Method.DID).estimate(), 1e-14);
    }

    @Test
    void noiseLevelIsTheSdOfFirstDifferences() {
        double[][] y = {{1, 2, 4, 9}, {2, 2, 3, 0}, {0, 0, 0, 0}};
        // differences over the 3 pre-periods of the 2 controls: 1, 2, 0, 1 -> mean 1, sample variance 2/3
        assertEquals(Math.sqrt(2.0 / 3), SynthDid.noiseLevel(y, 2, 3), 1e-15);
    }

    @ParameterizedTest
    @EnumSource(SynthDid.Method.class)
    void aCommonPeriodShockChangesNothing(SynthDid.Method m) {
        // adding c_t to every unit in period t: omega and lambda sum to one, so every estimator is unchanged once the
        // tuning is held fixed (the noise level, hence zeta and the stopping threshold, sees the shock)
        double[][] shifted = new double[Y.length][];
        for (int i = 0; i < Y.length; i++) {
            shifted[i] = Y[i].clone();
            for (int t = 0; t < Y[i].length; t++) {
                shifted[i][t] += 2.5 * Math.sin(t);
            }
        }
        SynthDid.Fit fit = SynthDid.estimate(Y, 24, 20, m);
        double[] omega = m == SynthDid.Method.DID ? fit.omega() : null;
        double[] lambda = m == SynthDid.Method.SYNTHDID ? null : fit.lambda();
        assertEquals(fit.estimate(), SynthDid.fit(m, shifted, 24, 20, fit.tuning(), omega, lambda).estimate(), 1e-6);
    }

    @Test
    void aLevelShiftOfTheTreatedUnitIsAbsorbedByTheInterceptsButNotBySyntheticControl() {
        double[][] shifted = Y.clone();
        shifted[Y.length - 1] = Y[Y.length - 1].clone();
        for (int t = 0; t < Y[0].length; t++) {
            shifted[Y.length - 1][t] += 40;
        }
        for (SynthDid.Method m : new SynthDid.Method[] {SynthDid.Method.SYNTHDID, SynthDid.Method.DID}) {
            assertEquals(SynthDid.estimate(Y, 24, 20, m).estimate(), SynthDid.estimate(shifted, 24, 20, m).estimate(),
                    1e-6, m.wireName());
        }
        // positive control: without an intercept the synthetic unit cannot follow the shift
        double sc = SynthDid.estimate(Y, 24, 20, SynthDid.Method.SYNTHETIC_CONTROL).estimate();
        double scShifted = SynthDid.estimate(shifted, 24, 20, SynthDid.Method.SYNTHETIC_CONTROL).estimate();
        assertTrue(Math.abs(sc - scShifted) > 1, "sc moves with a level shift: " + sc + " vs " + scShifted);
    }

    @Test
    void syntheticControlRecoversAPlantedConvexCombination() {
        // treated = 0.6 donor 0 + 0.4 donor 3 exactly, plus an effect of 2 after period 15: known truth
        double[][] base = SimulatedPanel.matrix(12, 20, 15, 0, 1.0, 5);
        double[][] y = new double[12][];
        for (int i = 0; i < 11; i++) {
            y[i] = base[i + 1];
        }
        y[11] = new double[20];
        for (int t = 0; t < 20; t++) {
            y[11][t] = 0.6 * y[0][t] + 0.4 * y[3][t] + (t >= 15 ? 2 : 0);
        }
        SynthDid.Fit fit = SynthDid.estimate(y, 11, 15, SynthDid.Method.SYNTHETIC_CONTROL);
        assertEquals(2, fit.estimate(), 0.05);
        assertEquals(0.6, fit.omega()[0], 0.05);
        assertEquals(0.4, fit.omega()[3], 0.05);
    }

    @Test
    void synthdidRecoversAPlantedEffectAcrossSeeds() {
        // known truth: effect 3 on a factor model; the mean over 20 seeds is within 0.15 and each within 1.5
        double sum = 0;
        for (int s = 0; s < 20; s++) {
            double[][] y = SimulatedPanel.treatedLast(SimulatedPanel.matrix(30, 30, 22, 3.0, 0.5, 100 + s));
            double est = SynthDid.estimate(y, 29, 22, SynthDid.Method.SYNTHDID).estimate();
            assertEquals(3.0, est, 1.5, "seed " + (100 + s));
            sum += est;
        }
        assertEquals(3.0, sum / 20, 0.15);
    }

    @Test
    void placeboSeIsSeededAndRequiresMoreControlsThanTreated() {
        SynthDid.Fit fit = SynthDid.estimate(Y, 24, 20, SynthDid.Method.SYNTHDID);
        double a = SynthDid.placeboSe(fit, Y, 24, 20, 30, 1);
        assertEquals(a, SynthDid.placeboSe(fit, Y, 24, 20, 30, 1), 0.0);
        assertNotEquals(a, SynthDid.placeboSe(fit, Y, 24, 20, 30, 2));
        double[][] y = {{1, 2, 3}, {2, 3, 5}, {0, 1, 2}, {4, 4, 4}};
        SynthDid.Fit small = SynthDid.estimate(y, 2, 2, SynthDid.Method.DID);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SynthDid.placeboSe(small, y, 2, 2, 10, 1));
        assertTrue(e.getMessage().contains("more control units than treated"), e.getMessage());
    }

    @Test
    void badMatricesAreRefusedWithTheReason() {
        double[][] ragged = {{1, 2, 3}, {1, 2}, {1, 2, 3}};
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SynthDid.estimate(ragged, 2, 2, SynthDid.Method.DID)).getMessage().contains("balanced"));
        double[][] nan = {{1, 2, 3}, {1, Double.NaN, 3}, {1, 2, 3}};
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SynthDid.estimate(nan, 2, 2, SynthDid.Method.DID)).getMessage().contains("NaN"));
        double[][] ok = {{1, 2, 3}, {1, 2, 3}, {1, 2, 3}};
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SynthDid.estimate(ok, 2, 1, SynthDid.Method.DID)).getMessage().contains("pre-treatment"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SynthDid.estimate(ok, 3, 2, SynthDid.Method.DID)).getMessage().contains("control units"));
    }

    @Test
    void sameInputGivesTheSameFit() {
        assertEquals(SynthDid.estimate(Y, 24, 20, SynthDid.Method.SYNTHDID),
                SynthDid.estimate(Y, 24, 20, SynthDid.Method.SYNTHDID));
    }
}

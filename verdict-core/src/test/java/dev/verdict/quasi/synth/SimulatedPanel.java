package dev.verdict.quasi.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded panels with known truth for the tests: a two-factor model
 * {@code Y_it = a_i + 0.1 t + l_i1 f_1t + l_i2 f_2t + noise e_it} with random-walk factors, standard normal e and
 * loadings in [0, 1); unit 0 is "treated", and {@code effect} is added to its outcomes from period {@code t0} on.
 */
final class SimulatedPanel {
    private SimulatedPanel() {
    }

    static double[][] matrix(int units, int periods, int t0, double effect, double noise, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] f = new double[2][periods];
        for (int k = 0; k < 2; k++) {
            for (int t = 0; t < periods; t++) {
                f[k][t] = (t > 0 ? f[k][t - 1] : 0) + r.nextGaussian();
            }
        }
        double[][] y = new double[units][periods];
        for (int i = 0; i < units; i++) {
            double a = 10 * r.nextDouble();
            double l0 = r.nextDouble();
            double l1 = r.nextDouble();
            for (int t = 0; t < periods; t++) {
                y[i][t] = a + 0.1 * t + l0 * f[0][t] + l1 * f[1][t] + noise * r.nextGaussian();
                if (i == 0 && t >= t0) {
                    y[i][t] += effect;
                }
            }
        }
        return y;
    }

    static Panel panel(double[][] y) {
        List<String> units = new ArrayList<>();
        List<String> periods = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            units.add("unit" + i);
        }
        for (int t = 0; t < y[0].length; t++) {
            periods.add(String.valueOf(2000 + t));
        }
        return Panel.of(units, periods, y);
    }

    /** The matrix with row 0 (the treated unit) moved to the end, as SynthDid expects. */
    static double[][] treatedLast(double[][] y) {
        double[][] out = new double[y.length][];
        for (int i = 1; i < y.length; i++) {
            out[i - 1] = y[i];
        }
        out[y.length - 1] = y[0];
        return out;
    }
}

package dev.verdict.quasi.did;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded simulated panels for the difference-in-differences tests. */
final class SimulatedPanels {
    private SimulatedPanels() {
    }

    /** The effect of adoption on a treated unit of cohort g (grid index) at event time e &gt;= 0. */
    interface Effect {
        double at(int g, int e);
    }

    /**
     * A balanced panel: unit i belongs to cohort {@code cohortOf[i]} (grid index, or -1 for never treated);
     * {@code y = a_i + l_t + preSlope * (t - g) 1[treated unit, t < g] + effect(g, t - g) 1[t >= g] + noise}.
     */
    static Panel balanced(int[] cohortOf, int periods, Effect effect, double preSlope, double noise,
                          SplittableRandom rnd) {
        int n = cohortOf.length;
        String[] unit = new String[n * periods];
        long[] period = new long[n * periods];
        double[] y = new double[n * periods];
        long[] first = new long[n * periods];
        double[] level = new double[periods];
        for (int t = 0; t < periods; t++) {
            level[t] = 100 + 2 * Math.sin(t) + 0.5 * t;
        }
        int r = 0;
        for (int i = 0; i < n; i++) {
            double a = 10 * rnd.nextGaussian();
            int g = cohortOf[i];
            for (int t = 0; t < periods; t++) {
                unit[r] = String.format("u%04d", i);
                period[r] = 2000 + t;
                double v = a + level[t] + noise * rnd.nextGaussian();
                if (g >= 0) {
                    v += t < g ? preSlope * (t - g) : effect.at(g, t - g);
                }
                y[r] = v;
                first[r] = g < 0 ? Panel.NEVER_TREATED : 2000 + g;
                r++;
            }
        }
        return Panel.withFirstTreated(unit, period, y, first, null);
    }

    /** Cohort assignment: {@code count[j]} units in cohort {@code cohorts[j]} (-1: never treated). */
    static int[] cohorts(int[] cohorts, int[] count) {
        List<Integer> out = new ArrayList<>();
        for (int j = 0; j < cohorts.length; j++) {
            for (int c = 0; c < count[j]; c++) {
                out.add(cohorts[j]);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}

package dev.verdict.switchback;

import dev.verdict.assign.SwitchbackSchedule;

/**
 * A conservative variance estimate of the Horvitz-Thompson estimator of {@link BlockEstimators#horvitzThompson}
 * for designs whose randomization points are independent coins (Bernoulli; minimax regret), in the form of Aronow and
 * Samii (2017, "Estimating average causal effects under general interference", Annals of Applied Statistics, eq. 8)
 * as Bojinov, Simchi-Levi and Zhao (2023, section 4) use it.
 *
 * <p>Write the estimator as {@code (1/N) sum_{(t,a)} s_a Y_t(a) I_{t,a} / pi_{t,a}} over eligible blocks t and arms a
 * (s_1 = 1, s_0 = -1; {@code I_{t,a}} the indicator that blocks t-m..t all have arm a). Its variance is
 * {@code (1/N^2) sum over ordered pairs s_a s_b Y_t(a) Y_u(b) (pi_{ta,ub} - pi_ta pi_ub) / (pi_ta pi_ub)}. Pairs
 * whose windows share no coin are independent and drop out. Pairs that can both be observed (same arm, overlapping
 * windows, or the same (t, a)) are estimated unbiasedly by {@code I_ta I_ub s_a s_b Y_t Y_u (pi_{ta,ub} - pi_ta
 * pi_ub) / (pi_{ta,ub} pi_ta pi_ub)}, with {@code pi_{ta,ub} = q_a^(coins in the union of the windows)}. Pairs that
 * can never both be observed (overlapping windows, different arms, including t = u) contribute {@code +Y_t(a)
 * Y_u(b)}, bounded by {@code (Y_t(a)^2 + Y_u(b)^2) / 2} and estimated by {@code I_ta Y_t^2 / (2 pi_ta) + I_ub Y_u^2 /
 * (2 pi_ub)}: the estimate's expectation exceeds the variance by exactly {@code (1/N^2) sum (Y_t(a) - Y_u(b))^2 / 2}
 * over those pairs ({@code HorvitzThompsonTest} checks this identity by enumeration).
 *
 * <p>Complete and within-day schedules make every block's arm depend on every other's, so no pair drops out and
 * this form does not apply: {@link #conservative} returns NaN for them (their inference is by randomization only).
 */
public final class HorvitzThompsonVariance {
    private HorvitzThompsonVariance() {
    }

    /** The conservative variance estimate, or NaN when the design's coins are not independent per segment. */
    public static double conservative(BlockSeries s, boolean[] treated, int m, ScheduleDesign design) {
        if (design.kind() != ScheduleDesign.Kind.BERNOULLI && design.kind() != ScheduleDesign.Kind.MINIMAX_REGRET) {
            return Double.NaN;
        }
        int n = s.size();
        long[] segment = new long[n];
        for (int[] r : s.strataRanges()) {
            int[] points = design.kind() == ScheduleDesign.Kind.MINIMAX_REGRET
                    ? SwitchbackSchedule.minimaxRegretPoints((int) (s.block(r[1] - 1) + 1), design.designOrder()) : null;
            for (int i = r[0]; i < r[1]; i++) {
                if (points == null) {
                    segment[i] = s.block(i);
                } else {
                    int at = java.util.Arrays.binarySearch(points, (int) s.block(i));
                    segment[i] = at >= 0 ? at : -at - 2;
                }
            }
        }
        int[] run = s.runOfKnown();
        double q1 = design.kind() == ScheduleDesign.Kind.MINIMAX_REGRET ? 0.5 : design.share();
        int eligible = 0;
        long[] lo = new long[n];
        long[] hi = new long[n];
        int[] arm = new int[n]; // 1 treated path, 0 control path, -1 mixed, -2 not eligible
        int same = 0;
        for (int i = 0; i < n; i++) {
            same = i > 0 && run[i] > 1 && treated[i] == treated[i - 1] ? same + 1 : 1;
            if (run[i] <= m) {
                arm[i] = -2;
                continue;
            }
            eligible++;
            lo[i] = segment[i - m];
            hi[i] = segment[i];
            arm[i] = same > m ? (treated[i] ? 1 : 0) : -1;
        }
        if (eligible == 0) {
            return Double.NaN;
        }
        double v = 0;
        for (int i = 0; i < n; i++) {
            if (arm[i] < 0) {
                continue;
            }
            double q = arm[i] == 1 ? q1 : 1 - q1;
            double pi = Math.pow(q, hi[i] - lo[i] + 1);
            double yi = s.y(i);
            int overlapping = 0;
            // windows of the same stratum overlapping block i's: scan both ways while segment ranges can intersect
            for (int dir = -1; dir <= 1; dir += 2) {
                for (int j = dir < 0 ? i : i + 1; j >= 0 && j < n; j += dir) {
                    if (s.stratum(j) != s.stratum(i)) {
                        break;
                    }
                    if (arm[j] == -2) {
                        continue;
                    }
                    if (hi[j] < lo[i] || lo[j] > hi[i]) {
                        if (dir < 0 ? hi[j] < lo[i] : lo[j] > hi[i]) {
                            break; // windows move monotonically: no later j overlaps
                        }
                        continue;
                    }
                    overlapping++;
                    if (arm[j] == arm[i]) {
                        double pj = Math.pow(q, hi[j] - lo[j] + 1);
                        double pij = Math.pow(q, Math.max(hi[i], hi[j]) - Math.min(lo[i], lo[j]) + 1);
                        v += yi * s.y(j) * (pij - pi * pj) / (pij * pi * pj);
                    }
                }
            }
            // incompatible partners: every overlapping (j, other arm), j = i included
            v += overlapping * yi * yi / pi;
        }
        return v / ((double) eligible * eligible);
    }
}

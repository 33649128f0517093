package dev.verdict.switchback;

import dev.verdict.stats.CoefficientTable;
import dev.verdict.stats.Estimate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Two tests of carryover past a switchback's washout, both across blocks.
 * <ul>
 *   <li><b>Halves</b>: the effect on the first half of each block's post-washout window minus the effect on the second
 *       half, i.e. Welch's contrast between arms of the within-block difference {@code y_first - y_second}. The
 *       previous block's arm still acting early in a block (or an effect that builds up within a block) makes the
 *       two halves' effects differ.</li>
 *   <li><b>Lags</b>: OLS of block values on the current arm and the arms of the {@code L} previous blocks of the same
 *       schedule, {@code y_t = a + b_0 W_t + b_1 W_{t-1} + ... + b_L W_{t-L}} (plus schedule dummies), over blocks
 *       whose {@code L} predecessors are observed, with HC2 standard errors. The estimated carryover order is the
 *       smallest {@code m} in {@code 0..L-1} whose next lag {@code b_{m+1}} is not significant at {@code alpha};
 *       {@code L} when all are.</li>
 * </ul>
 */
public final class CarryoverTest {
    private CarryoverTest() {
    }

    /**
     * The result.
     *
     * @param firstHalf      the block-level effect on the first halves
     * @param secondHalf     on the second halves
     * @param halvesDiff     first minus second, with its Welch test across blocks (NaN when too few blocks)
     * @param lags           the lag coefficients b_1..b_L with HC2 inference, empty when the regression is not
     *                       identified
     * @param estimatedOrder the estimated carryover order, -1 when the lag regression is not identified
     * @param lagBlocks      blocks in the lag regression
     */
    public record Result(Estimate firstHalf, Estimate secondHalf, Estimate halvesDiff, List<Estimate> lags,
                         int estimatedOrder, int lagBlocks) { }

    /** Both tests with lags up to {@code maxLag >= 1}. */
    public static Result run(BlockSeries s, int maxLag, double alpha) {
        int n = s.size();
        double[] first = new double[n];
        double[] second = new double[n];
        double[] diff = new double[n];
        for (int i = 0; i < n; i++) {
            Optional<double[]> h = s.halves(i);
            first[i] = h.map(v -> v[0]).orElse(Double.NaN);
            second[i] = h.map(v -> v[1]).orElse(Double.NaN);
            diff[i] = h.map(v -> v[0] - v[1]).orElse(Double.NaN);
        }
        boolean[] w = s.arms();
        Estimate e1 = BlockEstimators.welch(first, w, alpha, "block_difference_in_means_first_half");
        Estimate e2 = BlockEstimators.welch(second, w, alpha, "block_difference_in_means_second_half");
        Estimate ed = BlockEstimators.welch(diff, w, alpha, "halves_difference_across_blocks");

        int[] run = s.runOfKnown();
        int strata = s.strata().size();
        List<String> names = new ArrayList<>();
        names.add("intercept");
        for (int l = 0; l <= maxLag; l++) {
            names.add(l == 0 ? "arm" : "arm_lag" + l);
        }
        for (int g = 1; g < strata; g++) {
            names.add("schedule_" + g);
        }
        List<double[]> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (run[i] <= maxLag) {
                continue;
            }
            double[] row = new double[names.size()];
            row[0] = 1;
            for (int l = 0; l <= maxLag; l++) {
                row[1 + l] = w[i - l] ? 1 : 0;
            }
            if (s.stratum(i) > 0) {
                row[maxLag + 1 + s.stratum(i)] = 1;
            }
            x.add(row);
            y.add(s.y(i));
        }
        Optional<CoefficientTable> t = BlockRegression.fit(x, y, names);
        List<Estimate> lags = new ArrayList<>();
        int order = -1;
        if (t.isPresent()) {
            order = maxLag;
            for (int l = 1; l <= maxLag; l++) {
                Estimate e = t.get().estimate(1 + l, alpha);
                lags.add(new Estimate(e.estimate(), e.se(), e.df(), e.ciLow(), e.ciHigh(), e.pValue(),
                        "ols_hc2_lag" + l));
            }
            for (int l = 1; l <= maxLag; l++) {
                if (!(lags.get(l - 1).pValue() < alpha)) {
                    order = l - 1;
                    break;
                }
            }
        }
        return new Result(e1, e2, ed, lags, order, x.size());
    }
}

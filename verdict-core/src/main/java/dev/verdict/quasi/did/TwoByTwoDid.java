package dev.verdict.quasi.did;

import dev.verdict.stats.ClusterBlock;
import dev.verdict.stats.ClusterRobustOls;
import dev.verdict.stats.CoefficientTable;
import dev.verdict.stats.Estimate;

import java.util.ArrayList;
import java.util.List;

/**
 * The 2x2 difference-in-differences of means for a single adoption date: treated units (all adopting at period
 * {@code g}) against never-treated units, every period before {@code g} against every period from {@code g} on.
 *
 * <p>Each unit i contributes its (cell-weighted) mean before, {@code ybar_i^pre}, and after,
 * {@code ybar_i^post}, and its change {@code d_i = ybar_i^post - ybar_i^pre}; units count with weight
 * {@code W_i} = the sum of their cell weights (1 per cell without weights). Then
 * {@code DiD = sum_T W_i d_i / sum_T W_i - sum_C W_i d_i / sum_C W_i}, which on a balanced unweighted panel is
 * {@code (mean_post,T - mean_pre,T) - (mean_post,C - mean_pre,C)} of the cell means, i.e. {@code
 * synthdid::did_estimate} (uniform unit and time weights). Differencing within a unit first keeps a change in
 * the mix of cells over time out of the estimate.
 *
 * <p>Standard error: the regression of {@code d_i} on a constant and the treated indicator, weighted by
 * {@code W_i}, with the CR2 variance on one-unit clusters (here HC2, a Welch-type unequal-variance standard
 * error) and its Satterthwaite df ({@link dev.verdict.stats.OlsFit#cr2()}). It is not reported with two
 * units or a single treated or comparison unit ({@link SmallSample}).
 */
public final class TwoByTwoDid {
    private TwoByTwoDid() {
    }

    /**
     * The 2x2 difference-in-differences.
     *
     * @throws IllegalArgumentException when treated units adopt at more than one period (use
     *                                  {@link CallawaySantAnna}) or there are no never-treated units
     */
    public static TwoByTwoResult estimate(Panel panel, DidOptions options) {
        int[] cohorts = panel.cohortIndices();
        if (cohorts.length != 1) {
            throw new IllegalArgumentException("treated units adopt at " + cohorts.length + " different periods; a"
                    + " 2x2 difference-in-differences needs one adoption period (use CallawaySantAnna for staggered"
                    + " adoption)");
        }
        if (panel.neverTreatedUnits() == 0) {
            throw new IllegalArgumentException("no never-treated unit: a 2x2 difference-in-differences needs a"
                    + " comparison group that is untreated after adoption");
        }
        int g = cohorts[0];
        double[] sumW = new double[2];
        double[] sumPre = new double[2];
        double[] sumPost = new double[2];
        int[] count = new int[2];
        List<double[]> unitRows = new ArrayList<>();
        for (int u = 0; u < panel.unitCount(); u++) {
            double wPre = 0;
            double yPre = 0;
            double wPost = 0;
            double yPost = 0;
            for (int r = panel.start(u); r < panel.end(u); r++) {
                double w = panel.weight(r);
                if (panel.periodIndex(r) < g) {
                    wPre += w;
                    yPre += w * panel.outcome(r);
                } else {
                    wPost += w;
                    yPost += w * panel.outcome(r);
                }
            }
            if (wPre == 0 || wPost == 0) {
                continue;
            }
            int a = panel.cohort(u) == Panel.NEVER ? 0 : 1;
            double wu = wPre + wPost;
            double pre = yPre / wPre;
            double post = yPost / wPost;
            sumW[a] += wu;
            sumPre[a] += wu * pre;
            sumPost[a] += wu * post;
            count[a]++;
            unitRows.add(new double[] {wu, a, post - pre});
        }
        if (count[0] == 0 || count[1] == 0) {
            throw new IllegalArgumentException("no " + (count[1] == 0 ? "treated" : "comparison") + " unit is observed"
                    + " both before and after period " + panel.periods()[g] + "; a 2x2 difference-in-differences"
                    + " needs one of each");
        }
        double tb = sumPre[1] / sumW[1];
        double ta = sumPost[1] / sumW[1];
        double cb = sumPre[0] / sumW[0];
        double ca = sumPost[0] / sumW[0];
        double did = (ta - tb) - (ca - cb);
        String method = "2x2 difference-in-differences of unit mean changes";
        String reason = SmallSample.reason(panel);
        Estimate effect;
        if (reason != null) {
            effect = DidArguments.pointOnly(did, method, reason);
        } else {
            List<ClusterBlock> blocks = new ArrayList<>();
            for (double[] row : unitRows) {
                double root = Math.sqrt(row[0]);
                blocks.add(ClusterBlock.ofRows(new double[][] {{root, root * row[1]}}, new double[] {root * row[2]}));
            }
            CoefficientTable t = ClusterRobustOls.fit(blocks, List.of("(Intercept)", "treated")).cr2();
            Estimate e = t.estimate(1, options.alpha());
            effect = new Estimate(did, e.se(), e.df(), did - (e.estimate() - e.ciLow()), did + (e.ciHigh() - e.estimate()),
                    e.pValue(), method + ", " + t.method() + " on unit changes");
        }
        long adoption = panel.periods()[g];
        return new TwoByTwoResult(adoption, tb, ta, cb, ca, effect, reason, count[1], count[0],
                explain("period " + adoption, tb, ta, cb, ca, did, reason));
    }

    /** The explanation text; {@code adoption} names the first treated period (e.g. "period 5"). */
    static String explain(String adoption, double tb, double ta, double cb, double ca, double did, String reason) {
        String f = DidArguments.format(ta - tb);
        String c = DidArguments.format(ca - cb);
        StringBuilder s = new StringBuilder();
        s.append("Treated units went from ").append(DidArguments.format(tb)).append(" before ").append(adoption)
                .append(" to ").append(DidArguments.format(ta)).append(" after: a treated change of ").append(f)
                .append(". Comparison units went from ").append(DidArguments.format(cb)).append(" to ")
                .append(DidArguments.format(ca)).append(": a control change of ").append(c)
                .append(", the trend the treated units would have followed without the change. ")
                .append("Difference-in-differences = treated change - control change = ").append(f).append(" - (")
                .append(c).append(") = ").append(DidArguments.format(did)).append(". A before/after comparison of the"
                        + " treated units alone would claim ").append(f).append("; the control change (").append(c)
                .append(") is the common trend, not the effect.");
        if (reason != null) {
            s.append(" Standard error not available: ").append(reason).append('.');
        }
        return s.toString();
    }
}

package dev.verdict.quasi.did;

import dev.verdict.stats.CoefficientTable;
import dev.verdict.stats.Estimate;
import dev.verdict.stats.OlsFit;

import java.util.List;

/**
 * Static two-way fixed-effects difference-in-differences: {@code y_it = a_i + l_t + b D_it + e_it}, weighted by
 * the cell weights, with {@code D_it = 1} from a unit's first treated period on. Unit effects are absorbed by
 * the within transformation and period effects kept as dummies ({@link WithinRegression} states why and the df
 * convention). Standard errors are clustered by unit: CR2 with Satterthwaite df (reported) and CR1.
 *
 * <p>With one adoption date on a balanced, unweighted panel, b equals the 2x2 difference of mean changes
 * ({@link TwoByTwoDid}). With staggered adoption b is a weighted average of all 2x2 comparisons, including
 * ones that use already-treated units as controls, and is biased when effects vary over time (Goodman-Bacon
 * 2021, J. Econometrics 225:254-277); {@link CallawaySantAnna} is the estimator to report then.
 */
public final class TwoWayFixedEffects {
    private TwoWayFixedEffects() {
    }

    /** Fits the model with the given options (only {@code alpha} is used). */
    public static TwfeResult fit(Panel panel, DidOptions options) {
        WithinRegression.Fit f = WithinRegression.fit(panel, List.of("treated"),
                (u, t, out) -> out[0] = panel.treatedAt(u, t) ? 1 : 0);
        OlsFit ols = f.ols();
        String reason = SmallSample.reason(panel);
        if (reason == null && f.exact()) {
            reason = "every cell is fitted exactly (no residual variation), so there is nothing to estimate a"
                    + " sampling variance from";
        }
        String method = "two-way fixed effects (unit effects absorbed, period dummies)";
        Estimate cr2;
        Estimate cr1;
        if (reason != null) {
            cr2 = DidArguments.pointOnly(ols.coefficient(0), method, reason);
            cr1 = cr2;
        } else {
            CoefficientTable t2 = ols.cr2();
            CoefficientTable t1 = ols.cr1();
            cr2 = relabel(t2.estimate(0, options.alpha()), method + ", " + t2.method() + ", clustered by unit");
            cr1 = relabel(t1.estimate(0, options.alpha()), method + ", " + t1.method() + ", clustered by unit");
        }
        return new TwfeResult(cr2, cr1, reason, ols.clusters(), (int) ols.n(), ols.k(),
                panel.cohortIndices().length > 1);
    }

    static Estimate relabel(Estimate e, String method) {
        return new Estimate(e.estimate(), e.se(), e.df(), e.ciLow(), e.ciHigh(), e.pValue(), method);
    }
}

package dev.verdict.quasi.propensity;

import java.util.Arrays;
import java.util.Locale;

/**
 * A rule that keeps only rows whose estimated propensity lies in {@code [alpha, 1 - alpha]}; the propensity comes
 * from the full-sample fit and is not refitted on the kept rows (as the reference analysis does).
 *
 * <ul>
 *   <li>{@link #interval(double)}: a declared alpha, e.g. 0.1.</li>
 *   <li>{@link #crump()}: Crump, Hotz, Imbens and Mitnik (2009, Biometrika 96:187-199): with
 *       {@code g = 1/(e(1-e))}, no trimming when {@code max g <= 2 mean g}; otherwise {@code gamma} solves
 *       {@code gamma = 2 E[g | g <= gamma]} and {@code alpha = 1/2 - sqrt(1/4 - 1/gamma)}, which minimises the
 *       asymptotic variance of the ATE over the kept population under homoskedasticity. Computed by sorting g and
 *       taking the smallest root: the first k (ascending) with {@code 2 mean(g_(1..k)) < g_(k+1)}.</li>
 * </ul>
 *
 * <p>Trimming changes the estimand to the effect in the kept population; when effects vary with the propensity it is
 * biased for the full population's ATE or ATT. Results say so.
 */
public final class TrimRule {
    private final double alpha;
    private final boolean crump;

    private TrimRule(double alpha, boolean crump) {
        this.alpha = alpha;
        this.crump = crump;
    }

    /** Keep {@code e in [a, 1 - a]}, {@code 0 < a < 1/2}. */
    public static TrimRule interval(double a) {
        if (!(a > 0 && a < 0.5)) {
            throw new IllegalArgumentException("trimming bound a must be in (0, 0.5) to keep [a, 1-a], got " + a
                    + "; e.g. 0.1 keeps propensities in [0.1, 0.9]");
        }
        return new TrimRule(a, false);
    }

    /** The Crump et al. (2009) data-driven rule. */
    public static TrimRule crump() {
        return new TrimRule(Double.NaN, true);
    }

    public boolean isCrump() {
        return crump;
    }

    /** The declared alpha (NaN for the Crump rule). */
    public double declaredAlpha() {
        return alpha;
    }

    /** "crump_2009" or "interval_0.1". */
    public String name() {
        return crump ? "crump_2009" : "interval_" + String.format(Locale.ROOT, "%s", alpha);
    }

    /** The alpha this rule gives for these propensities (frequency weights f, null for all 1). */
    double alphaFor(double[] e, double[] f) {
        return crump ? crumpAlpha(e, f) : alpha;
    }

    /** Crump et al.'s alpha; 0 when no trimming is needed. */
    static double crumpAlpha(double[] e, double[] f) {
        int m = 0;
        for (int i = 0; i < e.length; i++) {
            m += f == null ? 1 : (int) f[i];
        }
        double[] g = new double[m];
        int at = 0;
        double sum = 0;
        for (int i = 0; i < e.length; i++) {
            int c = f == null ? 1 : (int) f[i];
            if (c == 0) {
                continue;
            }
            double gi = 1 / (e[i] * (1 - e[i]));
            for (int r = 0; r < c; r++) {
                g[at++] = gi;
            }
            sum += c * gi;
        }
        Arrays.sort(g);
        if (g[m - 1] <= 2 * sum / m) {
            return 0;
        }
        double cum = 0;
        double gamma = Double.NaN;
        for (int k = 0; k < m - 1; k++) {
            cum += g[k];
            double twiceMean = 2 * cum / (k + 1);
            if (twiceMean < g[k + 1]) {
                gamma = twiceMean;
                break;
            }
        }
        return 0.5 - Math.sqrt(0.25 - 1 / gamma);
    }
}

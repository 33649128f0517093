package dev.verdict.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * The least-squares blocks of the row-level model {@code y ~ 1 + T} of a cluster RCT, built from per-cluster sums
 * alone: the treatment is constant within a cluster, so {@code X_g'X_g = n_g [[1, T_g], [T_g, T_g]]} and
 * {@code X_g'y_g = S_g (1, T_g)}. The coefficient of T is the difference in row-weighted means, and CR1, CR2 with
 * its Satterthwaite df ({@link OlsFit#cr2()}) and the wild cluster bootstrap need nothing else. {@code y'y} is not
 * known from the sums; it only enters the residual sum of squares (never a cluster-robust variance), and is set to its
 * lower bound {@code S_g^2 / n_g} (no within-cluster spread) so that the block is valid.
 */
public final class TreatmentBlocks {
    private TreatmentBlocks() {
    }

    /**
     * The blocks, one per cluster.
     *
     * @param n       per-cluster row counts (&gt; 0)
     * @param s       per-cluster outcome sums
     * @param treated per-cluster assignment
     */
    public static List<ClusterBlock> of(double[] n, double[] s, boolean[] treated) {
        List<ClusterBlock> out = new ArrayList<>();
        for (int h = 0; h < n.length; h++) {
            double t = treated[h] ? 1 : 0;
            out.add(ClusterBlock.of(Math.round(n[h]), new double[][] {{n[h], t * n[h]}, {t * n[h], t * n[h]}},
                    new double[] {s[h], t * s[h]}, s[h] * s[h] / n[h]));
        }
        return out;
    }
}

package dev.verdict.stats;

import java.util.List;

/**
 * What an engine returns for a cluster-robust regression: one {@link ClusterBlock} per cluster with at
 * least one complete row, the coefficient names in regressor order, and how many rows were left out.
 *
 * @param names       {@code "(Intercept)"} followed by the x columns, in the blocks' regressor order
 * @param blocks      one block per cluster, ordered by the cluster key's text
 * @param rowsUsed    complete rows, the sum of the blocks' n
 * @param rowsDropped rows with a missing x, y or cluster value (not in any block)
 */
public record ClusterBlockReduction(List<String> names, List<ClusterBlock> blocks, long rowsUsed, long rowsDropped) {

    public ClusterBlockReduction {
        names = List.copyOf(names);
        blocks = List.copyOf(blocks);
    }

    /** OLS on the blocks, coefficients named by {@link #names()}. */
    public OlsFit fit() {
        return ClusterRobustOls.fit(blocks, names);
    }
}

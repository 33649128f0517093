package dev.verdict.switchback;

import dev.verdict.InputException;
import dev.verdict.stats.ClusterBlock;
import dev.verdict.stats.ClusterRobustOls;
import dev.verdict.stats.CoefficientTable;

import java.util.List;
import java.util.Optional;

/**
 * OLS of block values on block-level regressors with HC2 standard errors (each block its own cluster, so CR2 is HC2)
 * and the Satterthwaite degrees of freedom of Pustejovsky and Tipton; empty when the design is singular or leaves no
 * residual degree of freedom.
 */
final class BlockRegression {
    private BlockRegression() {
    }

    static Optional<CoefficientTable> fit(List<double[]> x, List<Double> y, List<String> names) {
        if (x.size() <= names.size() + 1) {
            return Optional.empty();
        }
        List<ClusterBlock> rows = new java.util.ArrayList<>(x.size());
        for (int i = 0; i < x.size(); i++) {
            rows.add(ClusterBlock.ofRows(new double[][] {x.get(i)}, new double[] {y.get(i)}));
        }
        try {
            return Optional.of(ClusterRobustOls.fit(rows, names).cr2());
        } catch (InputException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

package dev.verdict.design;

import dev.verdict.reduce.VariableGroup;
import dev.verdict.spec.MetricKind;
import dev.verdict.spec.MetricSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How one declared metric is reduced and estimated: its variable group in the reduction plan and the linear
 * combinations {@code a} (numerator) and {@code b} (denominator) of the group's moment vector that
 * {@link dev.verdict.stats.DeltaMethodRatio} turns into an effect.
 *
 * @param metric  the metric as declared
 * @param role    success, guardrail or economics
 * @param label   the display label
 * @param key     the spec key that declared it, for messages
 * @param group   the variable group (log column names)
 * @param numerator   weights on the moment vector for the numerator
 * @param denominator weights on the moment vector for the denominator
 * @param column  the log column of the outcome (numerator), for quantiles and messages
 */
record MetricPlan(MetricSpec metric, String role, String label, String key, VariableGroup group, double[] numerator,
                  double[] denominator, String column) {

    /** The covariate's index in the moment vector, when the metric is regression-adjusted. */
    OptionalInt covariateIndex() {
        int i = group.covariateIndex();
        return i < 0 ? OptionalInt.empty() : OptionalInt.of(i);
    }

    boolean quantile() {
        return metric.kind().isQuantile();
    }

    /**
     * The plan of a mean, proportion, ratio or quantile metric whose columns are already resolved to the log's names.
     */
    static MetricPlan of(MetricSpec m, String role, String key, String groupName, String column,
                         Optional<String> denominatorColumn, Optional<String> covariateColumn) {
        List<String> cols = new ArrayList<>();
        cols.add(column);
        denominatorColumn.ifPresent(cols::add);
        VariableGroup g = new VariableGroup(groupName, cols, covariateColumn);
        double[] a = new double[g.dimension()];
        double[] b = new double[g.dimension()];
        a[0] = 1;
        if (m.kind() == MetricKind.RATIO) {
            b[1] = 1;
        } else {
            b[g.countIndex()] = 1;
        }
        return new MetricPlan(m, role, m.label(), key, g, a, b, column);
    }

    /** The plan of an economics metric built from weights over the economics group. */
    static MetricPlan economics(MetricSpec m, String label, VariableGroup g, double[] a, double[] b) {
        return new MetricPlan(m, dev.verdict.readout.Effect.ROLE_ECONOMICS, label, "economics", g, a, b,
                g.columns().get(0));
    }
}

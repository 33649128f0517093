package dev.verdict.cli.spec;

import dev.verdict.spec.CanonicalColumns;
import dev.verdict.spec.ExperimentSpec.Design;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The top-level {@code strata} key: for a cluster RCT, the column the cluster assignment was stratified on (constant
 * within each cluster), so that randomization inference re-draws assignments within its values. An error for any other
 * design, and for the arm, an id, the time or the cluster column itself.
 */
final class SpecStrata {
    private SpecStrata() {
    }

    static Optional<String> parse(Optional<Value> v, Design design, String unit, Function<Value, String> column) {
        if (v.isEmpty()) {
            return Optional.empty();
        }
        Value s = v.get();
        if (design != Design.CLUSTER_RCT) {
            throw s.bad("strata only applies to design: cluster_rct (design here is "
                    + design.name().toLowerCase(Locale.ROOT) + "); remove it");
        }
        String col = column.apply(s);
        List<String> forbidden = List.of(CanonicalColumns.ARM, CanonicalColumns.EXECUTED_ARM, CanonicalColumns.REQUEST_ID,
                CanonicalColumns.TS, unit);
        if (forbidden.contains(col)) {
            throw s.bad("'" + col + "' cannot be the strata column (it is the arm, an id, the time or the cluster "
                    + "itself); name a column constant within each cluster, e.g. strata: region");
        }
        return Optional.of(col);
    }
}

package dev.verdict.design;

import dev.verdict.InputException;
import dev.verdict.reduce.Engine;
import dev.verdict.reduce.Reduction;
import dev.verdict.reduce.ReductionPlan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Each cluster's stratum (the spec's {@code strata} column, constant within a cluster), from two request-level
 * reductions that every engine runs: the first reads the stratum column as the "arm" column and lists its values (the
 * arm-label counts); the second declares those values as the labels and the cluster column as a segment, so that each
 * (stratum, cluster) pair with rows is one segment cell. A cluster in two strata, or with a missing stratum, is an
 * input error naming it.
 */
final class ClusterStrata {
    private ClusterStrata() {
    }

    /** Cluster value to stratum value, sorted by cluster. */
    static Map<String, String> of(ReductionPlan plan, String clusterColumn, String strataColumn, Engine engine) {
        ReductionPlan labels = new ReductionPlan(plan.source(), strataColumn, List.of(Reduction.NULL_LABEL + "?"),
                Optional.empty(), List.of(), List.of(), List.of(), ReductionPlan.Fidelity.NONE, Optional.empty());
        List<String> values = new ArrayList<>(engine.reduce(labels).armLabelCounts().keySet());
        values.sort(null);
        ReductionPlan pairs = new ReductionPlan(plan.source(), strataColumn, values, Optional.empty(), List.of(),
                List.of(clusterColumn), List.of(), ReductionPlan.Fidelity.NONE, Optional.empty());
        Map<String, String> out = new TreeMap<>();
        for (Reduction.Cell c : engine.reduce(pairs).segmentCells(clusterColumn)) {
            if (c.rows() == 0) {
                continue;
            }
            String cluster = c.segment().orElseThrow().value();
            String stratum = c.arm();
            if (stratum.equals(Reduction.NULL_LABEL)) {
                throw InputException.data("column '" + strataColumn + "' (spec key 'strata') is missing on rows of "
                        + "cluster '" + cluster + "'; every row needs its cluster's stratum");
            }
            String before = out.putIfAbsent(cluster, stratum);
            if (before != null && !before.equals(stratum)) {
                String a = before.compareTo(stratum) < 0 ? before : stratum;
                String b = before.compareTo(stratum) < 0 ? stratum : before;
                throw InputException.data("column '" + strataColumn + "' (spec key 'strata') is not constant within "
                        + "cluster '" + cluster + "': it has the values '" + a + "' and '" + b + "'; a stratum must be "
                        + "a property of the whole cluster");
            }
        }
        return out;
    }
}

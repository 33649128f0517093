package dev.verdict.reduce;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything a design needs from a log, declared up front so an engine can compute it in one
 * pushed-down aggregation at the unit of analysis. Column names are the log's own, already
 * validated as plain identifiers; engines still quote them.
 *
 * @param source         the log
 * @param armColumn      the assigned-arm column
 * @param armLabels      the declared arm labels (control first); other labels are counted as unknown
 * @param unit           the randomization unit's key when units are coarser than requests (users,
 *                       workspaces, clusters, time blocks); empty for request-level reductions. A time-block key
 *                       also excludes washout rows from every reduction of the plan
 * @param groups         numeric column groups whose moments are needed
 * @param segments       segment columns; moments are also reduced per (arm, segment value)
 * @param quantiles      row-level quantiles per arm (and pooled over arms)
 * @param fidelity       optional execution-fidelity columns present in the log
 * @param exposure       the time column and the declared start, if both exist
 */
public record ReductionPlan(
        LogSource source,
        String armColumn,
        List<String> armLabels,
        Optional<UnitKey> unit,
        List<VariableGroup> groups,
        List<String> segments,
        List<QuantileRequest> quantiles,
        Fidelity fidelity,
        Optional<Exposure> exposure) {

    public ReductionPlan {
        armLabels = List.copyOf(armLabels);
        groups = List.copyOf(groups);
        segments = List.copyOf(segments);
        quantiles = List.copyOf(quantiles);
    }

    public boolean unitLevel() {
        return unit.isPresent();
    }

    /** The time-block key, when the unit is a time block (switchback). */
    public Optional<UnitKey.TimeBlocks> timeBlocks() {
        return unit.filter(UnitKey.TimeBlocks.class::isInstance).map(UnitKey.TimeBlocks.class::cast);
    }

    /**
     * Quantiles of a numeric column at the given probabilities (type 7, linear interpolation between order
     * statistics, as R's default and DuckDB's {@code quantile_cont}), per declared arm, and also pooled over the
     * declared arms when {@code pooled} (each pooled quantile costs the engine another pass over the column's values).
     */
    public record QuantileRequest(String column, List<Double> probabilities, boolean pooled) {
        public QuantileRequest {
            probabilities = List.copyOf(probabilities);
        }

        /** A request with pooled quantiles too. */
        public QuantileRequest(String column, List<Double> probabilities) {
            this(column, probabilities, true);
        }
    }

    /** Log columns that say what really ran; each may be absent. */
    public record Fidelity(Optional<String> executedArm, Optional<String> fallbackReason,
                           Optional<String> timedOut) {
        public static final Fidelity NONE = new Fidelity(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The decision-time column and the declared start of the experiment. */
    public record Exposure(String timeColumn, Instant start) { }
}

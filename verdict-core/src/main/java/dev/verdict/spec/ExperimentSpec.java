package dev.verdict.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A declared experiment, written before results are seen: the decision it serves, the design, where
 * the log lives, the metrics and the thresholds that turn evidence into a recommendation.
 *
 * <p>Immutable and already validated: an instance only exists for a spec that passed every rule of
 * the spec parser, so downstream stages never re-check its values. Paths are absolute (relative
 * paths in the YAML file resolve against the spec file's folder).
 *
 * @param name           human-readable experiment name
 * @param decision       the decision pattern, which fixes the estimand
 * @param design         the design; this version analyzes request, user, cluster RCTs and switchbacks
 * @param data           the request log: one or more files or globs (CSV or Parquet)
 * @param format         file format, or {@link DataFormat#AUTO} to infer it from the extension, or
 *                       {@link DataFormat#TABLE} when {@code data} names a catalog table (Spark engine)
 * @param columns        canonical column name to the log's own column name, complete for every canonical name
 * @param unit           canonical name of the randomization unit column ({@code request_id} for a request RCT)
 * @param arms           the control and treatment labels as they appear in the arm column
 * @param allocation     the declared share of units in control and in treatment (sums to 1)
 * @param start          when the treatment started, ISO-8601, if declared (for the exposure check)
 * @param success        the decision metric
 * @param guardrails     metrics that must not get worse by more than their {@code max_harm}
 * @param economics      the unit-economics columns and the cost bar
 * @param segments       pre-declared segment columns (canonical names) for CATE
 * @param rollback       rollback trigger thresholds
 * @param contingency    the pre-declared contingency sentence, if any
 * @param alpha          two-sided significance level in (0, 0.5]
 * @param sharedState    the shared state this change touches; empty when it is state-neutral
 * @param dataQuality    thresholds above which missing values or unknown arms fail the data check
 * @param longRun        a long-run outcome the decision depends on, and whether it is observed
 * @param seed           seed for anything random (bootstrap, resampling)
 * @param switchback     the time blocks of a switchback (present exactly when the design is a switchback)
 * @param strata         cluster RCT: the canonical name of a column constant within each cluster that the assignment
 *                       was stratified on (randomization inference re-draws within its values), if any
 * @param saturation     the saturation levels of a cluster RCT run as a saturation (two-stage) design, if declared
 * @param prePeriod      the log carries a pre-period: rows before {@code start} are left out of every effect and
 *                       check except the pre-period covariates of {@code cluster_balance} (needs {@code start})
 * @param quasi          the design block of a quasi-experimental design (present exactly for did, synthetic_control,
 *                       propensity and rdd)
 * @param rerandomization cluster RCT: the re-randomization rule the assignment was drawn under, if declared (needs
 *                       {@code prePeriod}: its covariates are pre-period cluster means)
 */
public record ExperimentSpec(
        String name,
        DecisionPattern decision,
        Design design,
        List<String> data,
        DataFormat format,
        Map<String, String> columns,
        String unit,
        Arms arms,
        Allocation allocation,
        Optional<String> start,
        MetricSpec success,
        List<Guardrail> guardrails,
        Optional<Economics> economics,
        List<String> segments,
        Rollback rollback,
        Optional<String> contingency,
        double alpha,
        List<SharedState> sharedState,
        DataQuality dataQuality,
        Optional<LongRun> longRun,
        long seed,
        Path specFile,
        Optional<Switchback> switchback,
        Optional<String> strata,
        Optional<Saturation> saturation,
        boolean prePeriod,
        Optional<QuasiDesign> quasi,
        Optional<Rerandomization> rerandomization) {

    public ExperimentSpec {
        data = List.copyOf(data);
        columns = Map.copyOf(columns);
        guardrails = List.copyOf(guardrails);
        segments = List.copyOf(segments);
        sharedState = List.copyOf(sharedState);
    }

    /** A spec without a re-randomization rule. */
    public ExperimentSpec(String name, DecisionPattern decision, Design design, List<String> data, DataFormat format,
                          Map<String, String> columns, String unit, Arms arms, Allocation allocation,
                          Optional<String> start, MetricSpec success, List<Guardrail> guardrails,
                          Optional<Economics> economics, List<String> segments, Rollback rollback,
                          Optional<String> contingency, double alpha, List<SharedState> sharedState,
                          DataQuality dataQuality, Optional<LongRun> longRun, long seed, Path specFile,
                          Optional<Switchback> switchback, Optional<String> strata, Optional<Saturation> saturation,
                          boolean prePeriod, Optional<QuasiDesign> quasi) {
        this(name, decision, design, data, format, columns, unit, arms, allocation, start, success, guardrails,
                economics, segments, rollback, contingency, alpha, sharedState, dataQuality, longRun, seed, specFile,
                switchback, strata, saturation, prePeriod, quasi, Optional.empty());
    }

    /** A spec of a randomized design. */
    public ExperimentSpec(String name, DecisionPattern decision, Design design, List<String> data, DataFormat format,
                          Map<String, String> columns, String unit, Arms arms, Allocation allocation,
                          Optional<String> start, MetricSpec success, List<Guardrail> guardrails,
                          Optional<Economics> economics, List<String> segments, Rollback rollback,
                          Optional<String> contingency, double alpha, List<SharedState> sharedState,
                          DataQuality dataQuality, Optional<LongRun> longRun, long seed, Path specFile,
                          Optional<Switchback> switchback, Optional<String> strata, Optional<Saturation> saturation,
                          boolean prePeriod) {
        this(name, decision, design, data, format, columns, unit, arms, allocation, start, success, guardrails,
                economics, segments, rollback, contingency, alpha, sharedState, dataQuality, longRun, seed, specFile,
                switchback, strata, saturation, prePeriod, Optional.empty());
    }

    /** A spec whose log has no pre-period. */
    public ExperimentSpec(String name, DecisionPattern decision, Design design, List<String> data, DataFormat format,
                          Map<String, String> columns, String unit, Arms arms, Allocation allocation,
                          Optional<String> start, MetricSpec success, List<Guardrail> guardrails,
                          Optional<Economics> economics, List<String> segments, Rollback rollback,
                          Optional<String> contingency, double alpha, List<SharedState> sharedState,
                          DataQuality dataQuality, Optional<LongRun> longRun, long seed, Path specFile,
                          Optional<Switchback> switchback, Optional<String> strata, Optional<Saturation> saturation) {
        this(name, decision, design, data, format, columns, unit, arms, allocation, start, success, guardrails,
                economics, segments, rollback, contingency, alpha, sharedState, dataQuality, longRun, seed, specFile,
                switchback, strata, saturation, false);
    }

    /** A spec without a saturation block. */
    public ExperimentSpec(String name, DecisionPattern decision, Design design, List<String> data, DataFormat format,
                          Map<String, String> columns, String unit, Arms arms, Allocation allocation,
                          Optional<String> start, MetricSpec success, List<Guardrail> guardrails,
                          Optional<Economics> economics, List<String> segments, Rollback rollback,
                          Optional<String> contingency, double alpha, List<SharedState> sharedState,
                          DataQuality dataQuality, Optional<LongRun> longRun, long seed, Path specFile,
                          Optional<Switchback> switchback) {
        this(name, decision, design, data, format, columns, unit, arms, allocation, start, success, guardrails,
                economics, segments, rollback, contingency, alpha, sharedState, dataQuality, longRun, seed, specFile,
                switchback, Optional.empty(), Optional.empty());
    }

    /** A spec of a design without a design block (every design but the switchback). */
    public ExperimentSpec(String name, DecisionPattern decision, Design design, List<String> data, DataFormat format,
                          Map<String, String> columns, String unit, Arms arms, Allocation allocation,
                          Optional<String> start, MetricSpec success, List<Guardrail> guardrails,
                          Optional<Economics> economics, List<String> segments, Rollback rollback,
                          Optional<String> contingency, double alpha, List<SharedState> sharedState,
                          DataQuality dataQuality, Optional<LongRun> longRun, long seed, Path specFile) {
        this(name, decision, design, data, format, columns, unit, arms, allocation, start, success, guardrails,
                economics, segments, rollback, contingency, alpha, sharedState, dataQuality, longRun, seed, specFile,
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The log's own name for a canonical column. */
    public String column(String canonical) {
        return columns.getOrDefault(canonical, canonical);
    }

    /** True when the unit of randomization is the request itself. */
    public boolean requestRandomized() {
        return design == Design.REQUEST_RCT;
    }

    public enum DecisionPattern { SHIP_BROADLY, EXPLAIN_TREATED, TARGET_SEGMENT, CHANGE_RULE }

    public enum Design {
        REQUEST_RCT, USER_RCT, CLUSTER_RCT, SWITCHBACK, DID, SYNTHETIC_CONTROL, PROPENSITY, RDD;

        /** True for the quasi-experimental designs (no randomization). */
        public boolean quasi() {
            return this == DID || this == SYNTHETIC_CONTROL || this == PROPENSITY || this == RDD;
        }
    }

    public enum DataFormat { AUTO, CSV, PARQUET, TABLE }

    /** Kinds of shared state a change can move; any of them makes a request RCT suspect. */
    public enum SharedState { CACHE, BATCHING, ROUTING, CAPACITY, RATE_LIMIT, QUEUE }

    public record Arms(String control, String treatment) { }

    public record Allocation(double control, double treatment) { }

    /**
     * Thresholds for the data-quality check.
     *
     * @param maxMissingShare    largest share of rows with a missing outcome that still passes
     * @param maxUnknownArmShare largest share of rows with an arm label not in {@code arms} that still passes
     */
    public record DataQuality(double maxMissingShare, double maxUnknownArmShare) {
        public static final DataQuality DEFAULT = new DataQuality(0.01, 0.001);
    }

    /**
     * A long-run outcome the decision depends on.
     *
     * @param metric   its name
     * @param observed whether the experiment observes it; when not, a positive short-run result yields holdout
     */
    public record LongRun(String metric, boolean observed) { }

    /**
     * The time blocks of a switchback: the unit of randomization is {@code floor((t - origin) / block)}, per value of
     * {@code by} when given, and the first {@code washout} seconds of every block are left out of the analysis.
     *
     * @param blockSeconds   block length in seconds, > 0
     * @param washoutSeconds washout at the start of each block in seconds, in [0, blockSeconds)
     * @param origin         the first block's start, a UTC instant (ISO-8601); the spec's {@code start} when not given
     * @param by             canonical name of a column with its own schedule per value (e.g. {@code region}), if any
     * @param schedule       how the blocks' arms were drawn, the wire name of the generator randomization inference
     *                       re-draws with: {@code complete} (default), {@code bernoulli}, {@code within_day} or
     *                       {@code minimax_regret}
     * @param carryoverOrder the declared carryover order m in blocks (0: the washout clears carryover), for the
     *                       Horvitz-Thompson estimator and the carryover check
     */
    public record Switchback(long blockSeconds, long washoutSeconds, String origin, Optional<String> by, String schedule,
                             int carryoverOrder) {
        /** The generator assumed when the spec does not say: complete randomization. */
        public static final String DEFAULT_SCHEDULE = "complete";
        /** Every schedule wire name, in documentation order. */
        public static final java.util.List<String> SCHEDULES = java.util.List.of("complete", "bernoulli", "within_day",
                "minimax_regret");

        public Switchback {
            if (!SCHEDULES.contains(schedule)) {
                throw new IllegalArgumentException("schedule must be one of " + SCHEDULES + ", got " + schedule);
            }
            if (carryoverOrder < 0) {
                throw new IllegalArgumentException("carryover order must be >= 0, got " + carryoverOrder);
            }
        }

        /** A switchback with the default schedule ({@code complete}) and carryover order 0. */
        public Switchback(long blockSeconds, long washoutSeconds, String origin, Optional<String> by) {
            this(blockSeconds, washoutSeconds, origin, by, DEFAULT_SCHEDULE, 0);
        }
    }
}

package dev.verdict.design;

import dev.verdict.assign.BalanceCriterion;
import dev.verdict.assign.BalanceTable;
import dev.verdict.check.CheckResult;
import dev.verdict.check.RerandomizationCheck;
import dev.verdict.check.UnitLevelChecks.Unit;
import dev.verdict.reduce.Engine;
import dev.verdict.reduce.ReductionPlan;
import dev.verdict.reduce.UnitKey;
import dev.verdict.spec.ExperimentSpec;
import dev.verdict.spec.Rerandomization;
import dev.verdict.stats.ClusterRandomizationInference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A cluster RCT's declared re-randomization ({@code rerandomization} in the spec) against its log: every cluster's
 * pre-period means of the declared covariates (the path of {@code cluster_balance}), the balance of the logged assignment
 * under the declared criterion, and the predicate that restricts randomization inference to the assignments the
 * criterion accepts. Restricted inference is used only when it is evaluable (every cluster has a pre-period value of
 * every covariate; under the Mahalanobis criterion a non-singular covariance) and the logged assignment meets the
 * criterion; otherwise plain randomization inference, with the reason.
 */
final class ClusterRerandomization {
    private final Rerandomization declared;
    private final BalanceCriterion criterion;
    /** Clusters of the analysis with their arms, in the engine's order. */
    private final List<String> clusters;
    private final boolean[] logged;
    private final Map<String, double[]> values;
    private final Optional<String> strataColumn;
    private final Map<String, String> strataOf;
    private final String prePeriod;
    private final Optional<String> notEvaluable;
    private final Function<boolean[], BalanceTable> tables;
    /** The criterion for tables of the declared covariates, its chi-square quantile computed once. */
    private final Predicate<BalanceTable> accepts;

    private ClusterRerandomization(Rerandomization declared, List<String> clusters, boolean[] logged,
                                   Map<String, double[]> values, Optional<String> strataColumn,
                                   Map<String, String> strataOf, String prePeriod, Optional<String> notEvaluable) {
        this.declared = declared;
        this.criterion = declared.criterion() == Rerandomization.Criterion.MAX_STD_DIFF
                ? BalanceCriterion.maxStdDiff(declared.threshold())
                : BalanceCriterion.mahalanobisQuantile(declared.threshold());
        this.clusters = clusters;
        this.logged = logged;
        this.values = values;
        this.strataColumn = strataColumn;
        this.strataOf = strataOf;
        Optional<String> reason = notEvaluable;
        Function<boolean[], BalanceTable> t = null;
        if (reason.isEmpty()) {
            t = BalanceTable.ofAssignments(clusters, declared.covariates(), values::get);
            if (criterion instanceof BalanceCriterion.MahalanobisQuantile && Double.isNaN(t.apply(logged).mahalanobis())) {
                reason = Optional.of("the covariance of " + String.join(", ", declared.covariates()) + " over the "
                        + clusters.size() + " clusters is singular (a constant or collinear covariate), so the "
                        + "Mahalanobis distance is undefined");
                t = null;
            }
        }
        this.prePeriod = prePeriod;
        this.notEvaluable = reason;
        this.tables = t;
        this.accepts = criterion.forCovariates(declared.covariates().size());
    }

    /**
     * Reads the pre-period means of the declared covariates per cluster.
     *
     * @param columns the log's names of the declared covariates, in the declared order
     */
    static ClusterRerandomization of(ExperimentSpec spec, ReductionPlan plan, Engine engine, List<String> columns) {
        Rerandomization declared = spec.rerandomization().orElseThrow();
        String cluster = ((UnitKey.Column) plan.unit().orElseThrow()).column();
        Optional<String> strataColumn = spec.strata().map(spec::column);
        if (plan.exposure().isEmpty()) {
            return new ClusterRerandomization(declared, List.of(), new boolean[0], Map.of(), strataColumn, Map.of(),
                    "none", Optional.of("the log has no decision-time column, so no pre-period"));
        }
        UnitSummaries.PrePeriodMeans means = UnitSummaries.prePeriodMeans(spec, plan, engine, cluster, columns);
        Map<String, String> strataOf = strataColumn.map(sc -> ClusterStrata.of(plan, cluster, sc, engine))
                .orElse(Map.of());
        List<String> ids = new ArrayList<>();
        List<Boolean> arms = new ArrayList<>();
        Map<String, double[]> values = new LinkedHashMap<>();
        Map<String, List<String>> missing = new LinkedHashMap<>();
        int k = columns.size();
        for (int j = 0; j < k; j++) {
            List<Unit> units = means.covariates().get(columns.get(j));
            for (Unit u : units) {
                if (j == 0) {
                    ids.add(u.id());
                    arms.add(u.treated());
                    values.put(u.id(), new double[k]);
                }
                values.get(u.id())[j] = u.value();
                if (!Double.isFinite(u.value())) {
                    missing.computeIfAbsent(u.id(), x -> new ArrayList<>()).add(declared.covariates().get(j));
                }
            }
        }
        boolean[] logged = new boolean[ids.size()];
        for (int h = 0; h < logged.length; h++) {
            logged[h] = arms.get(h);
        }
        Optional<String> reason = Optional.empty();
        if (!missing.isEmpty()) {
            List<String> items = new ArrayList<>();
            missing.forEach((id, cols) -> items.add(id + ": " + String.join(", ", cols)));
            reason = Optional.of(missing.size() + " of " + ids.size() + " clusters " + (missing.size() == 1 ? "has"
                    : "have") + " no pre-period value of a declared covariate (" + abbreviate(items) + "), so the "
                    + "declared criterion cannot be evaluated on every assignment");
        }
        return new ClusterRerandomization(declared, List.copyOf(ids), logged, values, strataColumn, strataOf,
                means.note(), reason);
    }

    /** Whether randomization inference is restricted to the accepted assignments. */
    boolean restricts() {
        return notEvaluable.isEmpty() && accepts.test(tables.apply(logged));
    }

    /** Why randomization inference is not restricted (empty when it is). */
    Optional<String> plainBecause() {
        if (notEvaluable.isPresent()) {
            return notEvaluable;
        }
        return restricts() ? Optional.empty() : Optional.of("the logged assignment does not meet the declared criterion "
                + criterion.describe() + " (check rerandomization)");
    }

    /** The criterion, described. */
    String describe() {
        return criterion.describe() + " on " + String.join(", ", declared.covariates());
    }

    /**
     * The acceptance predicate over an assignment of {@code ids} (one metric's clusters, in its order), empty when the
     * inference is not restricted or when those clusters are not exactly the clusters with covariates.
     */
    Optional<Predicate<boolean[]>> predicate(List<String> ids) {
        if (!restricts() || ids.size() != clusters.size() || !values.keySet().containsAll(ids)) {
            return Optional.empty();
        }
        int[] at = new int[ids.size()];
        for (int h = 0; h < at.length; h++) {
            at[h] = clusters.indexOf(ids.get(h));
        }
        boolean[] mine = new boolean[clusters.size()];
        return Optional.of(a -> {
            for (int h = 0; h < at.length; h++) {
                mine[at[h]] = a[h];
            }
            return accepts.test(tables.apply(mine));
        });
    }

    /** The {@code rerandomization} check, with the accepted share counted as the restricted inference counts it. */
    CheckResult check(int budget, long seed) {
        if (notEvaluable.isPresent()) {
            return RerandomizationCheck.notEvaluated(declared, criterion, notEvaluable.get(), clusters.size(),
                    strataColumn, prePeriod);
        }
        String[] strata = strataColumn.isPresent() ? clusters.stream().map(strataOf::get).toArray(String[]::new) : null;
        ClusterRandomizationInference.Acceptance acceptance = ClusterRandomizationInference.acceptance(logged, strata,
                a -> accepts.test(tables.apply(a)), budget, seed);
        return RerandomizationCheck.of(declared, criterion, tables.apply(logged), acceptance, clusters.size(),
                strataColumn, prePeriod);
    }

    private static String abbreviate(List<String> items) {
        return items.size() <= 5 ? String.join("; ", items)
                : String.join("; ", items.subList(0, 5)) + " and " + (items.size() - 5) + " more";
    }
}

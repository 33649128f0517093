package dev.verdict.check;

import dev.verdict.assign.BalanceCriterion;
import dev.verdict.assign.BalanceTable;
import dev.verdict.spec.Rerandomization;
import dev.verdict.stats.ClusterRandomizationInference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@value #NAME} check of a cluster RCT whose spec declares how its assignment was re-randomized: does the logged
 * assignment meet the declared balance criterion on the clusters' pre-period means? PASS when it does (randomization
 * inference then re-draws among the assignments the criterion accepts); WARN when it does not: the logged assignment
 * could not have come from the declared procedure, so randomization inference under it does not describe this
 * experiment; NOT_EVALUATED when the balance cannot be computed (a cluster without a pre-period value, a singular
 * covariance under the Mahalanobis criterion). Evidence: the criterion, its threshold, the logged assignment's balance
 * table and Mahalanobis distance, and the share of complete randomizations within strata the criterion accepts.
 */
public final class RerandomizationCheck {
    /** Check name in the readout. */
    public static final String NAME = "rerandomization";

    private RerandomizationCheck() {
    }

    /**
     * The check of an evaluable declaration.
     *
     * @param declared   the spec's block
     * @param criterion  the criterion it declares
     * @param logged     the balance of the logged assignment, one row per declared covariate (declared names)
     * @param acceptance how many complete randomizations within strata the criterion accepts
     * @param clusters   clusters in the balance table
     * @param strata     the strata column, if the spec declares one
     * @param prePeriod  which rows are the pre-period
     */
    public static CheckResult of(Rerandomization declared, BalanceCriterion criterion, BalanceTable logged,
                                 ClusterRandomizationInference.Acceptance acceptance, int clusters,
                                 Optional<String> strata, String prePeriod) {
        Map<String, Object> ev = evidence(declared, criterion, clusters, strata, prePeriod);
        List<Object> rows = new ArrayList<>();
        for (BalanceTable.Row r : logged.rows()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("covariate", r.covariate());
            row.put("mean_control", r.controlMean());
            row.put("mean_treatment", r.treatedMean());
            row.put("pooled_sd", r.pooledSd());
            row.put("std_diff", Double.isFinite(r.stdDiff()) ? r.stdDiff() : null);
            rows.add(row);
        }
        ev.put("covariates", rows);
        ev.put("max_abs_std_diff", Double.isFinite(logged.maxAbsStdDiff()) ? logged.maxAbsStdDiff() : null);
        ev.put("mahalanobis", Double.isFinite(logged.mahalanobis()) ? logged.mahalanobis() : null);
        ev.put("accepted", acceptance.accepted());
        ev.put("attempts", acceptance.attempts());
        ev.put("accepted_share", acceptance.share());
        ev.put("accepted_share_exact", acceptance.exact());
        boolean ok = criterion.accepts(logged);
        ev.put("logged_assignment_accepted", ok);
        BalanceTable.Row worst = logged.rows().get(0);
        for (BalanceTable.Row r : logged.rows()) {
            if (Math.abs(r.stdDiff()) > Math.abs(worst.stdDiff())) {
                worst = r;
            }
        }
        String share = acceptance.accepted() + " of " + acceptance.attempts() + " (" + CheckText.pct(acceptance.share())
                + ") " + (acceptance.exact() ? "possible" : "re-drawn") + " complete randomizations"
                + strata.map(s -> " within the strata of " + s).orElse("") + " meet it";
        String balance = "largest |std diff| " + CheckText.num(Math.abs(worst.stdDiff())) + " on " + worst.covariate()
                + (Double.isFinite(logged.mahalanobis()) ? ", Mahalanobis M = " + CheckText.num(logged.mahalanobis())
                : "");
        if (ok) {
            return new CheckResult(NAME, CheckCategory.IDENTIFICATION, CheckStatus.PASS, "The logged assignment meets "
                    + "the declared re-randomization criterion " + text(declared, criterion) + " (" + balance + "); "
                    + share + ", and randomization inference re-draws among those.", ev);
        }
        return new CheckResult(NAME, CheckCategory.IDENTIFICATION, CheckStatus.WARN, "The logged assignment does not "
                + "meet the declared re-randomization criterion " + text(declared, criterion) + ": "
                + violations(declared, criterion, logged) + ". It could not have come from the declared procedure, so "
                + "randomization inference under it does not describe this experiment (plain randomization inference "
                + "is reported instead); " + share + ". Fix the spec's rerandomization block (covariates, criterion, "
                + "threshold) or the assignment.", ev);
    }

    /**
     * The check when the balance of the logged assignment cannot be computed.
     *
     * @param reason why, one clause (e.g. which clusters have no pre-period value)
     */
    public static CheckResult notEvaluated(Rerandomization declared, BalanceCriterion criterion, String reason,
                                           int clusters, Optional<String> strata, String prePeriod) {
        Map<String, Object> ev = evidence(declared, criterion, clusters, strata, prePeriod);
        ev.put("reason", reason);
        return new CheckResult(NAME, CheckCategory.IDENTIFICATION, CheckStatus.NOT_EVALUATED, "Re-randomization not "
                + "evaluated: " + reason + ". Randomization inference re-draws plain complete randomizations instead "
                + "(valid, but conservative under re-randomization).", ev);
    }

    private static Map<String, Object> evidence(Rerandomization declared, BalanceCriterion criterion, int clusters,
                                                Optional<String> strata, String prePeriod) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("criterion", declared.criterion().wireName());
        ev.put("threshold", declared.threshold());
        if (criterion instanceof BalanceCriterion.MahalanobisQuantile q) {
            ev.put("mahalanobis_bound", q.bound(declared.covariates().size()));
        }
        ev.put("clusters", clusters);
        ev.put("strata_column", strata.orElse(null));
        ev.put("pre_period", prePeriod);
        return ev;
    }

    private static String text(Rerandomization declared, BalanceCriterion criterion) {
        if (criterion instanceof BalanceCriterion.MahalanobisQuantile q) {
            int k = declared.covariates().size();
            return "Mahalanobis M <= chi2_" + k + " quantile " + CheckText.num(declared.threshold()) + " = "
                    + CheckText.num(q.bound(k)) + " on " + String.join(", ", declared.covariates());
        }
        return "max |std diff| <= " + CheckText.num(declared.threshold()) + " on " + String.join(", ",
                declared.covariates());
    }

    /** The covariates beyond the threshold, or for Mahalanobis the distance and the covariate that drives it most. */
    private static String violations(Rerandomization declared, BalanceCriterion criterion, BalanceTable logged) {
        List<String> out = new ArrayList<>();
        BalanceTable.Row worst = logged.rows().get(0);
        for (BalanceTable.Row r : logged.rows()) {
            if (!(Math.abs(r.stdDiff()) <= declared.threshold())) {
                out.add(r.covariate() + " std diff " + CheckText.num(r.stdDiff()));
            }
            if (Math.abs(r.stdDiff()) > Math.abs(worst.stdDiff())) {
                worst = r;
            }
        }
        if (criterion instanceof BalanceCriterion.MahalanobisQuantile q) {
            return "M = " + CheckText.num(logged.mahalanobis()) + " > " + CheckText.num(q.bound(logged.rows().size()))
                    + ", largest |std diff| on " + worst.covariate() + " (" + CheckText.num(worst.stdDiff()) + ")";
        }
        return String.join(", ", out) + " (beyond " + CheckText.num(declared.threshold()) + ")";
    }
}

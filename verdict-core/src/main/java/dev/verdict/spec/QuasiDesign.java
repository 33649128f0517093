package dev.verdict.spec;

import java.util.List;
import java.util.Optional;

/**
 * The block of a quasi-experimental design (FRAMEWORK.md section 3): the change was not randomized, usually it already
 * shipped, and the design says how the comparison is built. Treatment status is always read from the log's arm
 * column (the policy that ran), so the same log schema serves every design.
 */
public sealed interface QuasiDesign {

    /** Length of a panel period; periods are UTC, weeks start on Monday. */
    enum Period { HOUR, DAY, WEEK }

    /**
     * Difference-in-differences on the unit x period panel of the log.
     *
     * @param period       the panel's period
     * @param estimator    {@code auto} picks two-way fixed effects for one adoption date and Callaway-Sant'Anna for
     *                     staggered adoption
     * @param controlGroup the comparison units of Callaway-Sant'Anna
     */
    record Did(Period period, DidEstimator estimator, ControlGroup controlGroup) implements QuasiDesign { }

    enum DidEstimator { AUTO, TWFE, CALLAWAY_SANTANNA }

    enum ControlGroup { NEVER_TREATED, NOT_YET_TREATED }

    /**
     * Synthetic control on the unit x period panel: one treated unit (or a block of units adopting together) against
     * weighted donors.
     *
     * @param period      the panel's period
     * @param method      synthetic difference-in-differences (default), synthetic control, or plain DiD
     * @param prefitRatio placebos whose pre-period MSPE exceeds this multiple of the treated unit's are left out of
     *                    the permutation distribution (Abadie, Diamond and Hainmueller 2010 use 5)
     */
    record SyntheticControl(Period period, ScMethod method, double prefitRatio) implements QuasiDesign { }

    enum ScMethod { SYNTHDID, SC, DID }

    /**
     * Propensity-score weighting of requests on observed covariates.
     *
     * @param covariates canonical column names (numeric, or text expanded to indicators)
     * @param estimand   the effect on the treated (default) or the average effect
     * @param estimator  normalized IPW, or augmented IPW with a linear outcome model per arm
     * @param trim       trimming of the propensity
     * @param bootstrap  replicates of the whole two-step procedure
     */
    record Propensity(List<String> covariates, Estimand estimand, PsEstimator estimator, Trim trim, int bootstrap)
            implements QuasiDesign {
        public Propensity {
            covariates = List.copyOf(covariates);
        }
    }

    enum Estimand { ATT, ATE }

    enum PsEstimator { IPW, AIPW }

    /**
     * Trimming of the estimated propensity.
     *
     * @param rule  none, the Crump et al. (2009) rule, or a fixed interval {@code [low, 1 - low]}
     * @param low   the fixed interval's lower end (0 unless the rule is fixed)
     */
    record Trim(TrimRule rule, double low) { }

    enum TrimRule { NONE, CRUMP, FIXED }

    /**
     * Regression discontinuity at a known cutoff of a running variable; sharp when the arm column switches exactly at
     * the cutoff, fuzzy (ratio of jumps) otherwise.
     *
     * @param running    canonical name of the running variable's column
     * @param cutoff     the cutoff; rows at or above it are on the treated side
     * @param kernel     local-fit kernel
     * @param order      local polynomial order
     * @param bandwidth  a fixed bandwidth, or empty for the MSE-optimal one
     * @param covariates columns checked for continuity at the cutoff
     */
    record Rdd(String running, double cutoff, Kernel kernel, int order, Optional<Double> bandwidth,
               List<String> covariates) implements QuasiDesign {
        public Rdd {
            covariates = List.copyOf(covariates);
        }
    }

    enum Kernel { TRIANGULAR, EPANECHNIKOV, UNIFORM }
}

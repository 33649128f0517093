package dev.verdict.quasi.synth;

import dev.verdict.stats.Estimate;

import java.util.List;

/**
 * Everything a synthetic control analysis ({@link SyntheticControl#analyze}) produces: the effect with its placebo
 * standard error, the donor and time weights, the pre-period fit and its identification check, the placebo-in-space
 * permutation test, and the paths to plot.
 *
 * <p>Gap and synthetic path. With {@code tau_t = mean_tr,t - sum_i omega_i Y_i,t} (the treated path minus the
 * omega-weighted donors), the gap in period t is {@code tau_t - sum_s lambda_s tau_s} (s over pre-periods) and the
 * synthetic path is {@code treated_t - gap_t}: the weighted donors shifted by the lambda-weighted pre-period
 * difference. For synthetic control (lambda = 0) that is the classic synthetic unit; for DiD the shift is the mean
 * pre-period difference. The effect is the mean post-period gap (synthdid's {@code synthdid_effect_curve}). RMSPEs are
 * root mean squared gaps over the pre- or post-periods.
 *
 * @param method             the estimator
 * @param treatedUnits       the treated units (their average is "the treated unit" when there are several)
 * @param firstTreatedPeriod the first period under treatment
 * @param preperiods         T0, periods before treatment
 * @param postperiods        T1, periods from the first treated one on
 * @param effect             tau; its se is the placebo standard error (NaN when not computed), the interval and p
 *                           normal (as synthdid's {@code confint}); method names estimator and variance
 * @param fit                the underlying weights and tuning
 * @param donorWeights       omega per donor, in panel order (zeros included)
 * @param timeWeights        lambda per pre-period, in time order
 * @param paths              treated, synthetic and gap paths over all periods
 * @param preRmspe           root mean squared gap over the pre-periods
 * @param postRmspe          root mean squared gap over the post-periods
 * @param preFit             the pre-period fit identification check
 * @param placebo            placebo-in-space runs and the permutation p-value
 */
public record SyntheticControlResult(SynthDid.Method method, List<String> treatedUnits, String firstTreatedPeriod,
                                     int preperiods, int postperiods, Estimate effect, SynthDid.Fit fit,
                                     List<UnitWeight> donorWeights, List<PeriodWeight> timeWeights, Paths paths,
                                     double preRmspe, double postRmspe, PreFitCheck preFit, PlaceboTest placebo) {

    public SyntheticControlResult {
        treatedUnits = List.copyOf(treatedUnits);
        donorWeights = List.copyOf(donorWeights);
        timeWeights = List.copyOf(timeWeights);
    }

    /** A donor's unit weight omega. */
    public record UnitWeight(String unit, double weight) { }

    /** A pre-period's time weight lambda. */
    public record PeriodWeight(String period, double weight) { }

    /**
     * The series to plot, one value per period of the panel.
     *
     * @param periods   period labels in time order
     * @param treated   the treated unit's outcome (the average over treated units)
     * @param synthetic its synthetic counterpart, {@code treated - gap}
     * @param gap       treated minus synthetic; after treatment, the per-period effect
     */
    public record Paths(List<String> periods, List<Double> treated, List<Double> synthetic, List<Double> gap) {
        public Paths {
            periods = List.copyOf(periods);
            treated = List.copyOf(treated);
            synthetic = List.copyOf(synthetic);
            gap = List.copyOf(gap);
        }
    }

    /**
     * Identification check: do the weighted donors track the treated unit before treatment? Passes when
     * {@code preRmspe <= threshold * treatedPreSd}, the pre-period RMSPE against the standard deviation (divisor
     * n - 1) of the treated unit's own pre-period outcomes: a fit that leaves a large share of the treated unit's
     * pre-period variation unexplained cannot stand in for its counterfactual.
     *
     * @param preRmspe     root mean squared pre-period gap
     * @param treatedPreSd sd of the treated unit's pre-period outcome
     * @param ratio        preRmspe / treatedPreSd (infinite when the sd is 0 and the RMSPE is not)
     * @param threshold    the declared largest acceptable ratio
     * @param noiseLevel   sigma, the sd of the donors' first differences (context: a fit near sigma is at noise level)
     * @param passed       the verdict of the rule
     * @param rule         the rule in words
     */
    public record PreFitCheck(double preRmspe, double treatedPreSd, double ratio, double threshold, double noiseLevel,
                              boolean passed, String rule) { }

    /**
     * One placebo-in-space run: the same estimator with a donor as the treated unit and the other donors as its pool.
     *
     * @param unit      the donor
     * @param estimate  its placebo effect
     * @param preRmspe  its pre-period RMSPE
     * @param postRmspe its post-period RMSPE
     * @param ratio     postRmspe / preRmspe
     * @param kept      false when excluded for poor pre-fit
     * @param gap       its gap path over all periods
     */
    public record Placebo(String unit, double estimate, double preRmspe, double postRmspe, double ratio, boolean kept,
                          List<Double> gap) {
        public Placebo {
            gap = List.copyOf(gap);
        }
    }

    /**
     * The placebo-in-space permutation test (Abadie, Diamond and Hainmueller 2010): the treated unit's post/pre RMSPE
     * ratio ranked among the kept placebos' ratios.
     *
     * @param placebos            one run per donor, in panel order
     * @param exclusionMultiple   a placebo is dropped when its pre-period MSPE exceeds this multiple of the treated
     *                            unit's (ADH 2010 show 20, 5 and 2; RMSPE multiple = sqrt of it)
     * @param donors              J, the number of donors (and placebo runs)
     * @param kept                placebos kept after the exclusion
     * @param treatedRatio        the treated unit's post/pre RMSPE ratio
     * @param rank                1 + the number of kept placebos whose ratio is at least the treated unit's (ties count
     *                            against the treated unit)
     * @param pValue              rank / (kept + 1)
     * @param smallestPValue      1 / (kept + 1), the smallest p this test can give here
     * @param smallestPValueAllDonors 1 / (J + 1), the smallest p with every donor kept
     * @param alpha               the level judged against
     * @param significanceReachable false when {@code smallestPValue > alpha}: no result could be significant
     * @param significant         {@code pValue <= alpha} (a permutation test rejects at its exact level)
     * @param rule                the exclusion and ranking rule in words
     */
    public record PlaceboTest(List<Placebo> placebos, double exclusionMultiple, int donors, int kept,
                              double treatedRatio, int rank, double pValue, double smallestPValue,
                              double smallestPValueAllDonors, double alpha, boolean significanceReachable,
                              boolean significant, String rule) {
        public PlaceboTest {
            placebos = List.copyOf(placebos);
        }

        /** The placebos kept in the permutation distribution (the ones to draw beside the treated gap). */
        public List<Placebo> keptPlacebos() {
            return placebos.stream().filter(Placebo::kept).toList();
        }
    }
}

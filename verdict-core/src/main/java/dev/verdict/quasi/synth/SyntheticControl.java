package dev.verdict.quasi.synth;

import dev.verdict.stats.Estimate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A synthetic control analysis of one treated unit (or a block of units adopting together) against a pool of donors:
 * the effect from {@link SynthDid} (synthetic difference-in-differences by default), its placebo standard error, the
 * pre-period fit and its identification check, and placebo-in-space inference with poor-fit exclusion. Immutable;
 * configure with {@code withDefaults().withMethod(...)...} and call {@link #analyze}.
 *
 * <p>Steps, for a panel, treated units and first treated period:
 * <ol>
 *   <li>Donors are the other units, in panel order; periods before the first treated one are pre-periods.</li>
 *   <li>Effect and weights: {@link SynthDid#estimate} on the donors-then-treated matrix. Standard error: synthdid's
 *       placebo variance ({@link SynthDid#placeboSe}, {@code replications} draws with R's generator and the given
 *       seed; skipped when 0 or when there are no more donors than treated units); interval and p-value normal, as
 *       synthdid's {@code confint}.</li>
 *   <li>Paths and RMSPE: see {@link SyntheticControlResult}.</li>
 *   <li>Pre-fit check: pass when {@code preRmspe <= preFitThreshold * sd(treated pre-period outcome)}.</li>
 *   <li>Placebo in space (Abadie, Diamond and Hainmueller 2010, JASA 105:493-505, doi:10.1198/jasa.2009.ap08746):
 *       for every donor, the same estimator (default tuning recomputed for that panel) with the donor as the only
 *       treated unit and the other donors as its pool (the real treated units left out). A placebo is excluded when
 *       its pre-period MSPE exceeds {@code exclusionMultiple} times the treated unit's (ADH's rule; default 5, their
 *       middle cut-off). The statistic is the post/pre RMSPE ratio; {@code p = rank / (kept + 1)} where rank counts the
 *       treated unit and every kept placebo whose ratio is at least the treated one's. With J donors the smallest
 *       attainable p is {@code 1 / (J + 1)}, and {@code 1 / (kept + 1)} after exclusion; when that exceeds alpha the
 *       result says no significance is reachable.</li>
 * </ol>
 * With several treated units, their average is the treated unit (as in synthdid) while each placebo treats a single
 * donor; the ratio of RMSPEs is scale-free, but an average is smoother than one unit, so the test is then approximate.
 *
 * <p>Hand-written: placebo-in-space inference and the exclusion rule follow ADH (2010); no JVM library offers them.
 */
public final class SyntheticControl {
    /** Default multiple of the treated pre-period MSPE above which a placebo is excluded (ADH 2010). */
    public static final double DEFAULT_EXCLUSION_MULTIPLE = 5;
    /** Default largest pre-period RMSPE as a share of the treated unit's pre-period outcome sd. */
    public static final double DEFAULT_PRE_FIT_THRESHOLD = 0.5;
    /** synthdid's default number of placebo draws. */
    public static final int DEFAULT_PLACEBO_REPLICATIONS = 200;
    /** Default seed of the placebo variance. */
    public static final int DEFAULT_SEED = 12345;
    /** Relative tolerance under which two RMSPE ratios count as tied (so rounding cannot flip a rank). */
    static final double TIE_TOLERANCE = 1e-10;

    private final SynthDid.Method method;
    private final double etaOmega;
    private final double alpha;
    private final int replications;
    private final int seed;
    private final double exclusionMultiple;
    private final double preFitThreshold;

    private SyntheticControl(SynthDid.Method method, double etaOmega, double alpha, int replications, int seed,
                             double exclusionMultiple, double preFitThreshold) {
        this.method = method;
        this.etaOmega = etaOmega;
        this.alpha = alpha;
        this.replications = replications;
        this.seed = seed;
        this.exclusionMultiple = exclusionMultiple;
        this.preFitThreshold = preFitThreshold;
    }

    /**
     * Synthetic difference-in-differences with synthdid's tuning, alpha 0.05, 200 placebo draws with seed 12345,
     * exclusion of placebos whose pre-period MSPE exceeds 5 times the treated unit's, and a pre-fit threshold of 0.5.
     */
    public static SyntheticControl withDefaults() {
        return new SyntheticControl(SynthDid.Method.SYNTHDID, Double.NaN, 0.05, DEFAULT_PLACEBO_REPLICATIONS,
                DEFAULT_SEED, DEFAULT_EXCLUSION_MULTIPLE, DEFAULT_PRE_FIT_THRESHOLD);
    }

    /** The estimator: synthdid (default), sc (synthdid's sc_estimate) or did. */
    public SyntheticControl withMethod(SynthDid.Method m) {
        if (m == null) {
            throw new IllegalArgumentException("method must be one of synthdid, sc, did; got null");
        }
        return new SyntheticControl(m, etaOmega, alpha, replications, seed, exclusionMultiple, preFitThreshold);
    }

    /**
     * Unit-weight regularization {@code zeta_omega = etaOmega * sigma} instead of the method's default
     * ({@code (N1 T1)^(1/4)} for synthdid, 1e-6 for sc); NaN restores the default.
     */
    public SyntheticControl withEtaOmega(double eta) {
        if (!Double.isNaN(eta)) {
            Arguments.nonNegative("etaOmega", eta);
        }
        return new SyntheticControl(method, eta, alpha, replications, seed, exclusionMultiple, preFitThreshold);
    }

    /** Level of the interval and of the permutation test, in (0, 1). */
    public SyntheticControl withAlpha(double a) {
        return new SyntheticControl(method, etaOmega, Arguments.alpha(a), replications, seed, exclusionMultiple,
                preFitThreshold);
    }

    /** Placebo variance draws; 0 skips the standard error, otherwise at least 2. */
    public SyntheticControl withPlaceboReplications(int b) {
        if (b != 0 && b < 2) {
            throw new IllegalArgumentException("placebo replications must be 0 (no standard error) or at least 2, got " + b);
        }
        return new SyntheticControl(method, etaOmega, alpha, b, seed, exclusionMultiple, preFitThreshold);
    }

    /** Seed of the placebo variance, as R's {@code set.seed}. */
    public SyntheticControl withSeed(int s) {
        return new SyntheticControl(method, etaOmega, alpha, replications, s, exclusionMultiple, preFitThreshold);
    }

    /**
     * Exclude a placebo whose pre-period MSPE exceeds this multiple of the treated unit's; infinity keeps every
     * placebo.
     */
    public SyntheticControl withExclusionMultiple(double m) {
        if (!(m >= 1)) {
            throw new IllegalArgumentException("the placebo exclusion multiple must be >= 1 (or infinity to keep all), got "
                    + m + "; Abadie et al. (2010) use 20, 5 and 2");
        }
        return new SyntheticControl(method, etaOmega, alpha, replications, seed, m, preFitThreshold);
    }

    /** Largest acceptable pre-period RMSPE as a multiple of the treated unit's pre-period outcome sd. */
    public SyntheticControl withPreFitThreshold(double c) {
        return new SyntheticControl(method, etaOmega, alpha, replications, seed, exclusionMultiple,
                Arguments.positive("preFitThreshold", c));
    }

    /**
     * Runs the analysis.
     *
     * @param panel              the balanced panel
     * @param treatedUnits       the treated units (at least one; every other unit is a donor)
     * @param firstTreatedPeriod the first period under treatment (at least two periods must precede it)
     * @throws IllegalArgumentException on an unknown or repeated unit or period, fewer than 3 donors, or fewer than 2
     *                                  pre-periods
     */
    public SyntheticControlResult analyze(Panel panel, List<String> treatedUnits, String firstTreatedPeriod) {
        if (treatedUnits == null || treatedUnits.isEmpty()) {
            throw new IllegalArgumentException("treated units are empty; name at least one unit of the panel");
        }
        Set<String> treatedSet = new HashSet<>();
        int[] treatedRows = new int[treatedUnits.size()];
        for (int k = 0; k < treatedUnits.size(); k++) {
            String u = treatedUnits.get(k);
            treatedRows[k] = panel.unitIndex(u);
            if (treatedRows[k] < 0) {
                throw new IllegalArgumentException("treated unit '" + u + "' is not in the panel; units are "
                        + abbreviated(panel.units()));
            }
            if (!treatedSet.add(u)) {
                throw new IllegalArgumentException("treated unit '" + u + "' is listed twice; list each unit once");
            }
        }
        int t0 = panel.periodIndex(firstTreatedPeriod);
        if (t0 < 0) {
            throw new IllegalArgumentException("first treated period '" + firstTreatedPeriod
                    + "' is not a period of the panel; periods are " + abbreviated(panel.periods()));
        }
        if (t0 < 2) {
            throw new IllegalArgumentException("first treated period '" + firstTreatedPeriod + "' leaves " + t0
                    + " pre-period(s); synthetic control needs at least 2 periods before treatment");
        }
        int tt = panel.periods().size();
        int[] donorRows = new int[panel.units().size() - treatedRows.length];
        int j = 0;
        for (int i = 0; i < panel.units().size(); i++) {
            if (!treatedSet.contains(panel.units().get(i))) {
                donorRows[j++] = i;
            }
        }
        if (donorRows.length < 3) {
            throw new IllegalArgumentException("the panel has " + donorRows.length
                    + " donor unit(s) besides the treated ones; synthetic control needs at least 3 (more for inference)");
        }
        int n0 = donorRows.length;
        double[][] y = new double[n0 + treatedRows.length][];
        for (int i = 0; i < n0; i++) {
            y[i] = panel.row(donorRows[i]);
        }
        for (int k = 0; k < treatedRows.length; k++) {
            y[n0 + k] = panel.row(treatedRows[k]);
        }

        SynthDid.Fit fit = SynthDid.estimate(y, n0, t0, method, etaOmega);
        double[] gap = gap(y, n0, t0, fit);
        double[] treated = treatedMean(y, n0);
        double preRmspe = rms(gap, 0, t0);
        double postRmspe = rms(gap, t0, tt);

        double se = Double.NaN;
        boolean seComputed = replications > 0 && n0 > treatedRows.length;
        if (seComputed) {
            se = SynthDid.placeboSe(fit, y, n0, t0, replications, seed);
        }
        String seName = seComputed ? "_placebo_se" : "_no_se";
        Estimate effect = Estimate.ofT(fit.estimate(), se, Double.POSITIVE_INFINITY, alpha,
                method.wireName() + seName);

        List<SyntheticControlResult.UnitWeight> unitWeights = new ArrayList<>();
        double[] omega = fit.omega();
        for (int i = 0; i < n0; i++) {
            unitWeights.add(new SyntheticControlResult.UnitWeight(panel.units().get(donorRows[i]), omega[i]));
        }
        List<SyntheticControlResult.PeriodWeight> timeWeights = new ArrayList<>();
        double[] lambda = fit.lambda();
        for (int t = 0; t < t0; t++) {
            timeWeights.add(new SyntheticControlResult.PeriodWeight(panel.periods().get(t), lambda[t]));
        }
        double[] synthetic = new double[tt];
        for (int t = 0; t < tt; t++) {
            synthetic[t] = treated[t] - gap[t];
        }
        SyntheticControlResult.Paths paths = new SyntheticControlResult.Paths(panel.periods(), boxed(treated),
                boxed(synthetic), boxed(gap));

        SyntheticControlResult.PreFitCheck preFit = preFitCheck(preRmspe, treated, t0, fit.tuning().noiseLevel());
        SyntheticControlResult.PlaceboTest placebo = placeboInSpace(panel, y, n0, t0, donorRows, preRmspe, postRmspe);
        return new SyntheticControlResult(method, treatedUnits, firstTreatedPeriod, t0, tt - t0, effect, fit,
                unitWeights, timeWeights, paths, preRmspe, postRmspe, preFit, placebo);
    }

    private SyntheticControlResult.PreFitCheck preFitCheck(double preRmspe, double[] treated, int t0, double sigma) {
        double mean = 0;
        for (int t = 0; t < t0; t++) {
            mean += treated[t];
        }
        mean /= t0;
        double ss = 0;
        for (int t = 0; t < t0; t++) {
            ss += (treated[t] - mean) * (treated[t] - mean);
        }
        double sd = Math.sqrt(ss / (t0 - 1));
        double ratio = sd > 0 ? preRmspe / sd : (preRmspe > 0 ? Double.POSITIVE_INFINITY : 0);
        boolean passed = preRmspe <= preFitThreshold * sd;
        String rule = "pre-period RMSPE <= " + preFitThreshold + " x sd of the treated unit's pre-period outcome";
        return new SyntheticControlResult.PreFitCheck(preRmspe, sd, ratio, preFitThreshold, sigma, passed, rule);
    }

    private SyntheticControlResult.PlaceboTest placeboInSpace(Panel panel, double[][] y, int n0, int t0,
                                                              int[] donorRows, double treatedPre, double treatedPost) {
        int tt = y[0].length;
        double treatedRatio = ratio(treatedPost, treatedPre);
        List<SyntheticControlResult.Placebo> placebos = new ArrayList<>();
        double[][] yp = new double[n0][];
        int kept = 0;
        int rank = 1;
        for (int d = 0; d < n0; d++) {
            int k = 0;
            for (int i = 0; i < n0; i++) {
                if (i != d) {
                    yp[k++] = y[i];
                }
            }
            yp[n0 - 1] = y[d];
            SynthDid.Fit f = SynthDid.estimate(yp, n0 - 1, t0, method, etaOmega);
            double[] g = gap(yp, n0 - 1, t0, f);
            double pre = rms(g, 0, t0);
            double post = rms(g, t0, tt);
            double r = ratio(post, pre);
            boolean keep = exclusionMultiple == Double.POSITIVE_INFINITY
                    || pre * pre <= exclusionMultiple * treatedPre * treatedPre;
            if (keep) {
                kept++;
                if (r >= treatedRatio * (1 - TIE_TOLERANCE)) {
                    rank++;
                }
            }
            placebos.add(new SyntheticControlResult.Placebo(panel.units().get(donorRows[d]), f.estimate(), pre, post,
                    r, keep, boxed(g)));
        }
        double p = (double) rank / (kept + 1);
        double smallest = 1.0 / (kept + 1);
        String rule = "placebo in space for each of the " + n0 + " donors; a placebo is excluded when its pre-period"
                + " MSPE exceeds " + exclusionMultiple + " x the treated unit's; p = rank of the treated post/pre RMSPE"
                + " ratio among the treated and kept placebos (ties count against it) / (kept + 1)";
        return new SyntheticControlResult.PlaceboTest(placebos, exclusionMultiple, n0, kept, treatedRatio, rank, p,
                smallest, 1.0 / (n0 + 1), alpha, smallest <= alpha, p <= alpha, rule);
    }

    /** Per period, tau_t - lambda'tau_pre with tau_t = treated mean - omega'controls. */
    static double[] gap(double[][] y, int n0, int t0, SynthDid.Fit fit) {
        double[] tau = SynthDid.combinedRow(y, n0, fit.omega());
        double[] lambda = fit.lambda();
        double shift = 0;
        for (int t = 0; t < t0; t++) {
            shift += lambda[t] * tau[t];
        }
        double[] g = new double[tau.length];
        for (int t = 0; t < tau.length; t++) {
            g[t] = tau[t] - shift;
        }
        return g;
    }

    private static double[] treatedMean(double[][] y, int n0) {
        int n1 = y.length - n0;
        double[] m = new double[y[0].length];
        for (int i = n0; i < y.length; i++) {
            for (int t = 0; t < m.length; t++) {
                m[t] += y[i][t];
            }
        }
        for (int t = 0; t < m.length; t++) {
            m[t] /= n1;
        }
        return m;
    }

    private static double rms(double[] v, int from, int to) {
        double ss = 0;
        for (int t = from; t < to; t++) {
            ss += v[t] * v[t];
        }
        return Math.sqrt(ss / (to - from));
    }

    /** post / pre; a perfect pre-fit gives +infinity (or 0 when the post-period gap is also 0). */
    private static double ratio(double post, double pre) {
        if (pre > 0) {
            return post / pre;
        }
        return post > 0 ? Double.POSITIVE_INFINITY : 0;
    }

    private static List<Double> boxed(double[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (double e : v) {
            out.add(e);
        }
        return out;
    }

    private static String abbreviated(List<String> names) {
        return names.size() <= 8 ? names.toString()
                : names.subList(0, 8) + " and " + (names.size() - 8) + " more";
    }
}

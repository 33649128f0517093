package dev.verdict.design;

import dev.verdict.InputException;
import dev.verdict.check.CheckResult;
import dev.verdict.check.CheckStatus;
import dev.verdict.quasi.propensity.Balance;
import dev.verdict.quasi.propensity.Covariates;
import dev.verdict.quasi.propensity.Effect;
import dev.verdict.quasi.propensity.Estimand;
import dev.verdict.quasi.propensity.LogisticFit;
import dev.verdict.quasi.propensity.MEstimation;
import dev.verdict.quasi.propensity.Overlap;
import dev.verdict.quasi.propensity.PropensityData;
import dev.verdict.quasi.propensity.PropensityResult;
import dev.verdict.quasi.propensity.PropensityWeighting;
import dev.verdict.quasi.propensity.TrimRule;
import dev.verdict.quasi.propensity.Trimmed;
import dev.verdict.quasi.propensity.WeightedEffect;
import dev.verdict.reduce.Engine;
import dev.verdict.reduce.LogSchema;
import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.Reduction;
import dev.verdict.reduce.Rows;
import dev.verdict.spec.CanonicalColumns;
import dev.verdict.spec.ExperimentSpec;
import dev.verdict.spec.QuasiDesign;
import dev.verdict.stats.Estimate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code design: propensity}: propensity-score weighting of the log's requests on declared covariates (numeric
 * columns as they are, text columns as indicators against their first level in text order). A logistic model fitted
 * by IRLS with separation detection gives each request's propensity; the headline is the normalized (Hajek) IPW
 * estimate of the declared estimand (ATT by default), or the augmented (doubly robust) one, or with a declared trim
 * the Hajek estimate on the trimmed rows; its interval is the percentile-free normal interval of a bootstrap of the
 * whole two-step procedure (seeded by the spec; identical whatever the thread count). Identification checks:
 * {@value #MODEL} (the propensity model converged without separation), {@value #BALANCE} (every standardized mean
 * difference below 0.1 after weighting) and {@value #OVERLAP} (effective sample sizes and extreme weights).
 */
final class PropensityDesign extends QuasiDesignAnalysis<QuasiDesign.Propensity> {
    static final String MODEL = "propensity_model";
    static final String BALANCE = "covariate_balance";
    static final String OVERLAP = "overlap";
    /** Effective sample size below this share of an arm's rows warns (the weights rest on few requests). */
    static final double WEAK_OVERLAP = 0.5;

    private final QuasiDesign.Propensity ps;
    private final List<String> numeric = new ArrayList<>();
    private final List<String> categorical = new ArrayList<>();

    PropensityDesign(ExperimentSpec spec, LogSource source, LogSchema schema) {
        super(spec, source, schema, QuasiDesign.Propensity.class);
        this.ps = block;
        for (int i = 0; i < ps.covariates().size(); i++) {
            String key = "propensity.covariates[" + i + "]";
            String col = columns.require(ps.covariates().get(i), key);
            LogSchema.ColumnKind kind = schema.kind(col).orElseThrow();
            if (kind == LogSchema.ColumnKind.NUMERIC) {
                numeric.add(columns.requireNumeric(ps.covariates().get(i), key));
            } else if (kind == LogSchema.ColumnKind.TEXT || kind == LogSchema.ColumnKind.BOOLEAN) {
                categorical.add(col);
            } else {
                throw InputException.data("column '" + col + "' (spec key '" + key + "') holds "
                        + kind.name().toLowerCase(Locale.ROOT) + " values; a covariate must be numeric or text "
                        + "(categories)");
            }
        }
    }

    @Override
    public Analysis analyze(Reduction r, Engine engine) {
        Estimand estimand = ps.estimand() == QuasiDesign.Estimand.ATE ? Estimand.ATE : Estimand.ATT;
        PropensityWeighting weighting = PropensityWeighting.withDefaults().withEstimand(estimand)
                .withAlpha(spec.alpha()).withBootstrap(ps.bootstrap(), spec.seed())
                .withThreads(Runtime.getRuntime().availableProcessors())
                .withAugmentation(ps.estimator() == QuasiDesign.PsEstimator.AIPW);
        if (ps.trim().rule() == QuasiDesign.TrimRule.CRUMP) {
            weighting = weighting.withTrimming(TrimRule.crump());
        } else if (ps.trim().rule() == QuasiDesign.TrimRule.FIXED) {
            weighting = weighting.withTrimming(TrimRule.interval(ps.trim().low()));
        }
        List<dev.verdict.readout.Effect> effects = new ArrayList<>();
        PropensityResult head = null;
        int headRows = 0;
        Map<String, Object> sandwich = null;
        for (MetricPlan m : metrics) {
            List<String> num = new ArrayList<>(List.of(m.column()));
            num.addAll(numeric);
            List<String> text = new ArrayList<>(List.of(arm));
            text.addAll(categorical);
            Rows rows = engine.rows(new Rows.Request(source, num, text, QuasiSupport.ROW_LIMIT));
            PropensityData data = data(rows, m);
            PropensityResult res;
            try {
                res = weighting.analyze(data);
            } catch (IllegalArgumentException e) {
                throw InputException.data("design propensity on column '" + m.column() + "' (spec key '" + m.key()
                        + "') with covariates " + ps.covariates() + ": " + e.getMessage());
            }
            effects.add(effect(m, res, data));
            if (m.role().equals(dev.verdict.readout.Effect.ROLE_SUCCESS)) {
                head = res;
                headRows = data.rows();
                notes.add("propensity: " + m.label() + " on " + data.rows() + " requests (" + data.treatedCount()
                        + " treated, " + data.controlCount() + " control; " + rows.dropped() + " rows without the "
                        + "outcome or a covariate left out), estimand " + estimand.wireName() + ", covariates "
                        + String.join(", ", data.propensityCovariates().names()) + "; interval from " + ps.bootstrap()
                        + " bootstrap replicates of the whole two-step procedure (seed " + spec.seed() + ")");
                res.warnings().forEach(w -> notes.add("propensity: " + w));
                if (ps.estimator() == QuasiDesign.PsEstimator.IPW && res.estimable()) {
                    sandwich = sandwich(data, res, estimand);
                    notes.add(String.format(Locale.ROOT, "propensity: M-estimation (HC0 sandwich adjusted for the "
                            + "estimated propensity, as R WeightIt's lm_weightit reports) gives SE %.6g for the same "
                            + "contrast, beside the bootstrap's; design.details.m_estimation", (double) sandwich.get("se")));
                }
            }
        }
        List<CheckResult> checks = new ArrayList<>();
        checks.add(QuasiSupport.dataQuality(spec, r, metrics.get(0)));
        checks.add(model(head.model()));
        if (head.estimable()) {
            checks.add(balance(head.identification()));
            checks.add(overlap(head, estimand));
        }
        checks.addAll(QuasiSupport.guardrailsAndEconomics(spec, effects));
        effects = QuasiSupport.descriptiveIfUnidentified(effects, checks, notes);
        Analysis.IdealExperiment ideal = new Analysis.IdealExperiment("Every request randomly routed between '"
                + spec.arms().control() + "' and '" + spec.arms().treatment() + "', with no interference between arms "
                + "and every outcome logged.", List.of("treatment was not randomized: weighting removes the "
                + "differences in " + String.join(", ", ps.covariates()) + " only, and assumes no other cause of both "
                + "treatment and outcome (no unobserved confounding)", "the covariates must be confounders measured "
                + "before treatment, not consequences of it"));
        Map<String, Object> details = details(head, headRows);
        if (sandwich != null) {
            details.put("m_estimation", sandwich);
        }
        return new Analysis("propensity", CanonicalColumns.REQUEST_ID, effects, List.of(), checks, notes, ideal,
                details);
    }

    /**
     * The headline IPW contrast's M-estimation standard error (stacked logistic scores and weighted least squares;
     * {@link MEstimation}) on the headline's sample (a trimming interval taken as fixed), with its normal interval.
     */
    private Map<String, Object> sandwich(PropensityData data, PropensityResult res, Estimand estimand) {
        double a = res.trimmed().isEmpty() ? 0 : res.trimmed().get(0).alpha();
        MEstimation.Result me = MEstimation.hajek(data, res.propensity(), estimand, a, 1 - a);
        double z = org.apache.commons.statistics.distribution.NormalDistribution.of(0, 1)
                .inverseCumulativeProbability(1 - spec.alpha() / 2);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", "hc0_sandwich_adjusted_for_estimated_propensity");
        m.put("estimand", estimand.wireName());
        m.put("trim_alpha", a);
        m.put("estimate", me.tau());
        m.put("se", me.seTau());
        m.put("ci_low", me.tau() - z * me.seTau());
        m.put("ci_high", me.tau() + z * me.seTau());
        m.put("control_mean", me.alpha());
        m.put("control_mean_se", me.seAlpha());
        return m;
    }

    private PropensityData data(Rows rows, MetricPlan m) {
        String[] a = rows.labels(arm);
        int n = 0;
        for (String s : a) {
            n += s.equals(spec.arms().treatment()) || s.equals(spec.arms().control()) ? 1 : 0;
        }
        int[] keep = new int[n];
        int k = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i].equals(spec.arms().treatment()) || a[i].equals(spec.arms().control())) {
                keep[k++] = i;
            }
        }
        double[] y = pick(rows.column(m.column()), keep);
        boolean[] t = new boolean[n];
        for (int i = 0; i < n; i++) {
            t[i] = a[keep[i]].equals(spec.arms().treatment());
        }
        List<String> names = new ArrayList<>();
        double[][] cols = new double[numeric.size()][];
        for (int j = 0; j < numeric.size(); j++) {
            names.add(numeric.get(j));
            cols[j] = pick(rows.column(numeric.get(j)), keep);
        }
        Covariates x = numeric.isEmpty() ? Covariates.none(n) : Covariates.of(names, cols);
        for (String c : categorical) {
            String[] all = rows.labels(c);
            String[] v = new String[n];
            TreeSet<String> levels = new TreeSet<>();
            for (int i = 0; i < n; i++) {
                v[i] = all[keep[i]];
                levels.add(v[i]);
            }
            if (levels.size() < 2) {
                throw InputException.data("column '" + c + "' (spec key 'propensity.covariates') has the single value '"
                        + levels.first() + "' on the analyzed rows; a constant covariate explains nothing: remove it");
            }
            x = x.and(Covariates.indicators(c + "_", v, List.copyOf(levels), levels.first()));
        }
        try {
            return PropensityData.of(y, t, x);
        } catch (IllegalArgumentException e) {
            throw InputException.data("design propensity on column '" + m.column() + "' (spec key '" + m.key() + "'): "
                    + e.getMessage());
        }
    }

    private static double[] pick(double[] v, int[] keep) {
        double[] out = new double[keep.length];
        for (int i = 0; i < keep.length; i++) {
            out[i] = v[keep[i]];
        }
        return out;
    }

    /** The headline: trimmed Hajek with a declared trim, else augmented or Hajek of the estimand. */
    private dev.verdict.readout.Effect effect(MetricPlan m, PropensityResult res, PropensityData data) {
        if (!res.estimable()) {
            Estimate naive = res.naive();
            return QuasiSupport.effect(m, Double.NaN, Double.NaN, new Estimate(naive.estimate(), naive.se(), naive.df(),
                    naive.ciLow(), naive.ciHigh(), naive.pValue(), "unweighted_difference_propensity_not_estimable"),
                    data.controlCount(), data.treatedCount());
        }
        WeightedEffect w;
        String method;
        Estimand e = res.estimand();
        if (!res.trimmed().isEmpty()) {
            Trimmed tr = res.trimmed().get(0);
            w = e == Estimand.ATE ? tr.ate() : tr.att();
            method = "ipw_hajek_" + e.wireName() + "_trimmed_" + tr.rule();
            if (w == null) {
                throw InputException.data("spec key 'propensity.trim': trimming (" + tr.rule() + ") leaves an arm "
                        + "empty; loosen or remove the trim");
            }
        } else if (ps.estimator() == QuasiDesign.PsEstimator.AIPW) {
            w = res.effect(e == Estimand.ATE ? Effect.ATE_AUGMENTED : Effect.ATT_AUGMENTED);
            method = "aipw_" + e.wireName();
        } else {
            w = res.headline();
            method = "ipw_hajek_" + e.wireName();
        }
        Estimate i = w.inference();
        return QuasiSupport.effect(m, w.meanControl(), w.meanTreated(), new Estimate(w.estimate(), i.se(), i.df(),
                i.ciLow(), i.ciHigh(), i.pValue(), method + "_bootstrap"), data.controlCount(), data.treatedCount());
    }

    private CheckResult model(LogisticFit fit) {
        CheckResult.Evidence ev = CheckResult.evidenceBuilder().put("status", fit.status().wireName())
                .put("iterations", fit.iterations());
        if (fit.converged()) {
            return QuasiSupport.check(MODEL, CheckStatus.PASS, "The logistic propensity model converged ("
                    + fit.iterations() + " iterations) with no separation.", ev);
        }
        return QuasiSupport.check(MODEL, CheckStatus.FAIL, "The propensity model cannot be used: " + fit.message()
                + " Treatment is (nearly) determined by the covariates, so no weighting can compare like with like.",
                ev);
    }

    private CheckResult balance(Balance b) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Balance.Row row : b.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("covariate", row.name());
            m.put("smd_before", row.smdBefore());
            m.put("smd_after", row.smdAfter());
            m.put("mean_treated", row.meanTreated());
            m.put("mean_control", row.meanControl());
            m.put("weighted_mean_treated", row.weightedMeanTreated());
            m.put("weighted_mean_control", row.weightedMeanControl());
            rows.add(m);
        }
        CheckResult.Evidence ev = CheckResult.evidenceBuilder().put("estimand", b.estimand().wireName())
                .put("threshold", b.threshold()).put("max_abs_smd_before", b.maxAbsBefore())
                .put("max_abs_smd_after", b.maxAbsAfter()).put("worst", b.worst()).put("covariates", rows);
        return QuasiSupport.check(BALANCE, b.passed() ? CheckStatus.PASS : CheckStatus.FAIL, b.message(), ev);
    }

    private CheckResult overlap(PropensityResult res, Estimand estimand) {
        Overlap o = res.overlap();
        Overlap.WeightDiagnostics w = estimand == Estimand.ATE ? o.ate() : o.att();
        double shareT = w.essTreated() / o.treated().n();
        double shareC = w.essControl() / o.control().n();
        CheckResult.Evidence ev = CheckResult.evidenceBuilder().put("estimand", estimand.wireName())
                .put("ess_treated", w.essTreated()).put("ess_control", w.essControl())
                .put("rows_treated", o.treated().n()).put("rows_control", o.control().n())
                .put("top_weight_share_treated", w.topShareTreated()).put("top_weight_share_control", w.topShareControl())
                .put("propensity_quantiles_treated", QuasiSupport.list(o.treated().quantiles()))
                .put("propensity_quantiles_control", QuasiSupport.list(o.control().quantiles()));
        boolean weak = shareT < WEAK_OVERLAP || shareC < WEAK_OVERLAP;
        String summary = String.format(Locale.ROOT, "Effective sample size under the %s weights: %.0f of %d treated, "
                + "%.0f of %d control%s", estimand.wireName(), w.essTreated(), o.treated().n(), w.essControl(),
                o.control().n(), weak ? ": the weights rest on few requests (weak overlap); consider a trim and read the "
                + "estimate as fragile." : ".");
        return QuasiSupport.check(OVERLAP, weak ? CheckStatus.WARN : CheckStatus.PASS, summary, ev);
    }

    private Map<String, Object> details(PropensityResult res, int rows) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("estimand", res.estimand().wireName());
        d.put("rows", rows);
        LogisticFit fit = res.model();
        Map<String, Object> coef = new LinkedHashMap<>();
        List<String> names = fit.names();
        for (int j = 0; j < names.size(); j++) {
            coef.put(names.get(j), fit.coefficients()[j]);
        }
        Map<String, Object> model = new LinkedHashMap<>(); // insertion order: Map.of's order changes per JVM
        model.put("status", fit.status().wireName());
        model.put("coefficients", coef);
        d.put("model", model);
        if (!res.estimable()) {
            return d;
        }
        Map<String, Object> est = new LinkedHashMap<>();
        for (WeightedEffect w : res.effects()) {
            est.put(w.effect().wireName(), w.estimate());
        }
        est.put("naive_difference", res.naive().estimate());
        d.put("estimators", est);
        Map<String, Object> overlap = new LinkedHashMap<>();
        overlap.put("bin_edges", QuasiSupport.list(res.overlap().binEdges()));
        overlap.put("histogram_treated", longs(res.overlap().treated().histogram()));
        overlap.put("histogram_control", longs(res.overlap().control().histogram()));
        d.put("overlap", overlap);
        List<Map<String, Object>> trimmed = new ArrayList<>();
        for (Trimmed t : res.trimmed()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rule", t.rule());
            m.put("alpha", t.alpha());
            m.put("kept", t.kept());
            m.put("warning", t.warning());
            trimmed.add(m);
        }
        d.put("trimmed", trimmed);
        return d;
    }

    private static List<Long> longs(long[] v) {
        List<Long> out = new ArrayList<>();
        for (long x : v) {
            out.add(x);
        }
        return out;
    }
}

package dev.verdict.design;

import dev.verdict.InputException;
import dev.verdict.check.CheckResult;
import dev.verdict.check.CheckStatus;
import dev.verdict.readout.Effect;
import dev.verdict.reduce.Engine;
import dev.verdict.reduce.LogSchema;
import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.Reduction;
import dev.verdict.reduce.Rows;
import dev.verdict.spec.CanonicalColumns;
import dev.verdict.spec.ExperimentSpec;
import dev.verdict.spec.QuasiDesign;
import dev.verdict.quasi.rd.BandwidthSensitivity;
import dev.verdict.quasi.rd.Bandwidths;
import dev.verdict.quasi.rd.Covariate;
import dev.verdict.quasi.rd.CovariateContinuity;
import dev.verdict.quasi.rd.DensityPlotData;
import dev.verdict.quasi.rd.DensityTest;
import dev.verdict.quasi.rd.DensityTestResult;
import dev.verdict.quasi.rd.RdAnalysis;
import dev.verdict.quasi.rd.RdEstimate;
import dev.verdict.quasi.rd.RdKernel;
import dev.verdict.quasi.rd.RdPlotData;
import dev.verdict.quasi.rd.RdReport;
import dev.verdict.quasi.rd.RdRobust;
import dev.verdict.stats.Estimate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code design: rdd}: regression discontinuity on the requests of the log. The treated side of the cutoff is the side
 * whose requests carry the treatment arm more often; the design is sharp when the arm switches exactly at the cutoff
 * and fuzzy (ratio of the outcome's jump to the take-up's jump) otherwise. Each outcome gets rdrobust's robust
 * bias-corrected estimate and interval ({@link RdAnalysis}), with its own MSE-optimal bandwidth unless the spec fixes
 * one; the identification checks are the manipulation (density) test at the cutoff, covariate continuity, the bandwidth
 * sensitivity table and, for a fuzzy design, the first stage.
 *
 * <p>Rows are read individually ({@link Engine#rows}): the local fits need each request's running value and outcome.
 */
final class RddDesign extends QuasiDesignAnalysis<QuasiDesign.Rdd> {
    static final String MANIPULATION = "manipulation";
    static final String COVARIATE_CONTINUITY = "covariate_continuity";
    static final String BANDWIDTH_SENSITIVITY = "bandwidth_sensitivity";
    static final String FIRST_STAGE = "first_stage";
    /** Evaluation points of the density plot on each side of the cutoff. */
    static final int DENSITY_GRID_POINTS = 25;

    private final QuasiDesign.Rdd rdd;
    private final String running;
    private final List<String> covariates = new ArrayList<>();

    RddDesign(ExperimentSpec spec, LogSource source, LogSchema schema) {
        super(spec, source, schema, QuasiDesign.Rdd.class);
        this.rdd = block;
        this.running = columns.requireNumeric(rdd.running(), "rdd.running");
        for (int i = 0; i < rdd.covariates().size(); i++) {
            covariates.add(columns.requireNumeric(rdd.covariates().get(i), "rdd.covariates[" + i + "]"));
        }
    }

    @Override
    public Analysis analyze(Reduction r, Engine engine) {
        double alpha = spec.alpha();
        // the running variable alone (every row with one: the density test uses rows without an outcome too)
        Rows all = engine.rows(new Rows.Request(source, List.of(running), List.of(arm), QuasiSupport.ROW_LIMIT));
        Side side = side(all);
        RdRobust estimator = RdRobust.withDefaults().withKernel(kernel()).withOrder(rdd.order())
                .withLevel(1 - alpha);
        if (rdd.bandwidth().isPresent()) {
            estimator = estimator.withBandwidths(Bandwidths.manual(rdd.bandwidth().get()));
        }
        RdAnalysis analysis = RdAnalysis.withDefaults().withEstimator(estimator).withAlpha(alpha);
        List<Effect> effects = new ArrayList<>();
        RdReport headline = null;
        Map<String, Object> details = new LinkedHashMap<>();
        for (MetricPlan m : metrics) {
            Rows rows = engine.rows(new Rows.Request(source, List.of(running, m.column()), List.of(arm),
                    QuasiSupport.ROW_LIMIT));
            Sample s = sample(rows, m.column(), side);
            RdReport rep;
            try {
                rep = analysis.run(s.y, s.fuzzy ? s.d : null, s.x, s.c, List.of());
            } catch (IllegalArgumentException e) {
                throw InputException.data("column '" + m.column() + "' (spec key '" + m.key() + "') around cutoff "
                        + fmt(rdd.cutoff()) + " of '" + running + "': " + e.getMessage());
            }
            RdEstimate est = rep.estimate();
            Estimate robust = est.robust();
            String method = (s.fuzzy ? "fuzzy_" : "") + "rd_local_" + (rdd.order() == 1 ? "linear" : "poly" + rdd.order())
                    + "_" + kernel().name().toLowerCase(Locale.ROOT) + "_robust_bias_corrected";
            Estimate e = new Estimate(robust.estimate(), robust.se(), robust.df(), robust.ciLow(), robust.ciHigh(),
                    robust.pValue(), method);
            effects.add(QuasiSupport.effect(m, est.muLeft(), est.muRight(), e, est.nhLeft(), est.nhRight()));
            if (m.role().equals(Effect.ROLE_SUCCESS)) {
                headline = rep;
                details.put("running", running);
                details.put("cutoff", rdd.cutoff());
                details.put("treated_side", side.above ? "at_or_above_cutoff" : "below_cutoff");
                details.put("fuzzy", s.fuzzy);
                details.put("bandwidths", bandwidths(est.bandwidths(), side));
                details.put("conventional", estimate(est.conventional()));
                details.put("bias_corrected", estimate(est.biasCorrected()));
                details.put("robust", estimate(est.robust()));
                details.put("plot", plot(rep.plot(), side));
                if (!side.above) {
                    notes.add("rdd: the treated side is below the cutoff; the running variable is mirrored (-x) so that "
                            + "the effect is treated minus control");
                }
                notes.add("rdd: " + m.label() + " on " + s.y.length + " rows (" + rows.dropped() + " without a running "
                        + "value or outcome left out), " + (s.fuzzy ? "fuzzy (take-up from the arm column: "
                        + fmt(s.takeUpBelow) + " below, " + fmt(s.takeUpAbove) + " at or above)" : "sharp (the arm "
                        + "switches exactly at the cutoff)") + ", bandwidth h = " + fmt(est.bandwidths().hLeft()) + " ("
                        + est.bandwidths().rule() + "), " + est.nhLeft() + " + " + est.nhRight() + " rows within h");
            }
        }
        List<CheckResult> checks = new ArrayList<>();
        checks.add(QuasiSupport.dataQuality(spec, r, metrics.get(0)));
        DensityTestResult dens = density(all, side, details);
        checks.add(manipulation(dens, alpha, side));
        checks.add(continuity(engine, side, estimator, alpha));
        checks.add(sensitivity(headline, alpha));
        if (headline.estimate().fuzzy()) {
            checks.add(firstStage(headline.estimate(), alpha));
        }
        checks.addAll(QuasiSupport.guardrailsAndEconomics(spec, effects));
        effects = QuasiSupport.descriptiveIfUnidentified(effects, checks, notes);
        List<String> gaps = new ArrayList<>(List.of("treatment was not randomized: the comparison is local to requests "
                + "near the cutoff of " + running + " and assumes nothing else changes there"));
        if (headline.estimate().fuzzy()) {
            gaps.add("take-up is imperfect: the fuzzy estimate is the effect on requests whose treatment the cutoff "
                    + "switched (compliers)");
        }
        Analysis.IdealExperiment ideal = new Analysis.IdealExperiment("Every request randomly routed between '"
                + spec.arms().control() + "' and '" + spec.arms().treatment() + "' whatever its " + running
                + ", with no interference between arms and every outcome logged.", gaps);
        return new Analysis("rdd", CanonicalColumns.REQUEST_ID, effects, List.of(), checks, notes, ideal, details);
    }

    private RdKernel kernel() {
        return switch (rdd.kernel()) {
            case TRIANGULAR -> RdKernel.TRIANGULAR;
            case EPANECHNIKOV -> RdKernel.EPANECHNIKOV;
            case UNIFORM -> RdKernel.UNIFORM;
        };
    }

    /** Which side of the cutoff is treated: the side whose rows carry the treatment arm more often. */
    private record Side(boolean above, double shareBelow, double shareAbove) { }

    private Side side(Rows rows) {
        double[] x = rows.column(running);
        String[] a = rows.labels(arm);
        long[] n = new long[2];
        long[] t = new long[2];
        for (int i = 0; i < x.length; i++) {
            boolean treated = a[i].equals(spec.arms().treatment());
            if (!treated && !a[i].equals(spec.arms().control())) {
                continue;
            }
            int k = x[i] >= rdd.cutoff() ? 1 : 0;
            n[k]++;
            t[k] += treated ? 1 : 0;
        }
        if (n[0] == 0 || n[1] == 0) {
            throw InputException.data("column '" + running + "' (spec key 'rdd.running'): " + (n[0] == 0 ? "no" : "every")
                    + " row of the declared arms is at or above the cutoff " + fmt(rdd.cutoff()) + "; a discontinuity "
                    + "needs rows on both sides: check rdd.cutoff");
        }
        double below = (double) t[0] / n[0];
        double above = (double) t[1] / n[1];
        if (below == above) {
            throw InputException.data("column '" + arm + "' (spec key 'columns.arm'): the share of '"
                    + spec.arms().treatment() + "' rows is " + fmt(below) + " on both sides of " + running + " = "
                    + fmt(rdd.cutoff()) + "; treatment does not change at the cutoff, so there is no discontinuity to use");
        }
        return new Side(above > below, below, above);
    }

    /** Outcome, take-up and running variable of the rows of the declared arms, mirrored when treated is below. */
    private static final class Sample {
        double[] y;
        double[] d;
        double[] x;
        double c;
        boolean fuzzy;
        double takeUpBelow;
        double takeUpAbove;
    }

    private Sample sample(Rows rows, String outcome, Side side) {
        double[] x = rows.column(running);
        double[] y = rows.column(outcome);
        String[] a = rows.labels(arm);
        int n = 0;
        for (String s : a) {
            n += s.equals(spec.arms().treatment()) || s.equals(spec.arms().control()) ? 1 : 0;
        }
        Sample s = new Sample();
        s.y = new double[n];
        s.d = new double[n];
        s.x = new double[n];
        s.c = side.above ? rdd.cutoff() : -rdd.cutoff();
        int k = 0;
        boolean fuzzy = false;
        long[] cnt = new long[2];
        long[] tr = new long[2];
        for (int i = 0; i < x.length; i++) {
            boolean treated = a[i].equals(spec.arms().treatment());
            if (!treated && !a[i].equals(spec.arms().control())) {
                continue;
            }
            s.x[k] = side.above ? x[i] : -x[i];
            s.y[k] = y[i];
            s.d[k] = treated ? 1 : 0;
            boolean onTreatedSide = s.x[k] >= s.c;
            fuzzy |= treated != onTreatedSide;
            int b = x[i] >= rdd.cutoff() ? 1 : 0;
            cnt[b]++;
            tr[b] += treated ? 1 : 0;
            k++;
        }
        s.fuzzy = fuzzy;
        s.takeUpBelow = cnt[0] == 0 ? Double.NaN : (double) tr[0] / cnt[0];
        s.takeUpAbove = cnt[1] == 0 ? Double.NaN : (double) tr[1] / cnt[1];
        return s;
    }

    /**
     * The density test on every running value of the declared arms (rows without an outcome included); its plot data
     * goes into {@code details.density}.
     */
    private DensityTestResult density(Rows all, Side side, Map<String, Object> details) {
        double[] x = all.column(running);
        String[] a = all.labels(arm);
        double[] kept = new double[x.length];
        int k = 0;
        for (int i = 0; i < x.length; i++) {
            if (a[i].equals(spec.arms().treatment()) || a[i].equals(spec.arms().control())) {
                kept[k++] = side.above ? x[i] : -x[i];
            }
        }
        double[] xs = java.util.Arrays.copyOf(kept, k);
        double c = side.above ? rdd.cutoff() : -rdd.cutoff();
        DensityTest test = DensityTest.withDefaults().withLevel(1 - spec.alpha());
        try {
            DensityTestResult d = test.test(xs, c);
            details.put("density", densityPlot(test.plotData(xs, c, d, DENSITY_GRID_POINTS), side));
            return d;
        } catch (IllegalArgumentException e) {
            throw InputException.data("column '" + running + "' (spec key 'rdd.running'): the density test at the "
                    + "cutoff cannot run: " + e.getMessage());
        }
    }

    /**
     * The manipulation check on the log's scale: when the treated side is below the cutoff the test ran on the
     * mirrored running variable, so its left and right (densities, bandwidths) are the log's above and below, and its
     * statistic (right minus left) changes sign.
     */
    private CheckResult manipulation(DensityTestResult d, double alpha, Side side) {
        boolean pass = d.passes(alpha);
        double t = side.above ? d.statistic() : -d.statistic();
        CheckResult.Evidence ev = CheckResult.evidenceBuilder().put("test", "cattaneo_jansson_ma_local_polynomial_density")
                .put("statistic", t).put("p_value", d.pValue()).put("alpha", alpha)
                .put("density_below", side.above ? d.fLeft() : d.fRight())
                .put("density_above", side.above ? d.fRight() : d.fLeft())
                .put("h_below", side.above ? d.hLeft() : d.hRight())
                .put("h_above", side.above ? d.hRight() : d.hLeft());
        String summary = String.format(Locale.ROOT, "Density of %s at the cutoff: %s (T = %.3f, p = %.3g)", running,
                pass ? "no jump detected, so no sign that requests were pushed across it"
                        : "it jumps, so requests may be sorting themselves across the cutoff", t, d.pValue());
        return QuasiSupport.check(MANIPULATION, pass ? CheckStatus.PASS : CheckStatus.FAIL, summary + ".", ev);
    }

    private CheckResult continuity(Engine engine, Side side, RdRobust estimator, double alpha) {
        if (covariates.isEmpty()) {
            return QuasiSupport.check(COVARIATE_CONTINUITY, CheckStatus.NOT_EVALUATED, "No covariates declared "
                    + "(rdd.covariates); continuity of pre-determined request features at the cutoff was not checked.",
                    CheckResult.evidenceBuilder().put("covariates", List.of()));
        }
        List<String> cols = new ArrayList<>(List.of(running));
        cols.addAll(covariates);
        Rows rows = engine.rows(new Rows.Request(source, cols, List.of(), QuasiSupport.ROW_LIMIT));
        double[] x = rows.column(running).clone();
        double c = side.above ? rdd.cutoff() : -rdd.cutoff();
        if (!side.above) {
            for (int i = 0; i < x.length; i++) {
                x[i] = -x[i];
            }
        }
        List<Covariate> covs = new ArrayList<>();
        for (String col : covariates) {
            covs.add(new Covariate(col, rows.column(col)));
        }
        List<CovariateContinuity.Result> res = CovariateContinuity.check(estimator, x, c, covs, alpha);
        List<Map<String, Object>> list = new ArrayList<>();
        List<String> jumped = new ArrayList<>();
        for (CovariateContinuity.Result x1 : res) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("covariate", x1.name());
            m.put("jump", x1.estimate().robust().estimate());
            m.put("ci_low", x1.estimate().robust().ciLow());
            m.put("ci_high", x1.estimate().robust().ciHigh());
            m.put("p_holm", x1.pHolm());
            m.put("passes", x1.passes());
            list.add(m);
            if (!x1.passes()) {
                jumped.add(x1.name());
            }
        }
        String summary = jumped.isEmpty() ? "No covariate jumps at the cutoff (" + res.size() + " checked, Holm-adjusted "
                + "at alpha " + fmt(alpha) + ")." : "Covariates jump at the cutoff: " + String.join(", ", jumped)
                + "; requests on the two sides differ in more than treatment.";
        return QuasiSupport.check(COVARIATE_CONTINUITY, jumped.isEmpty() ? CheckStatus.PASS : CheckStatus.FAIL, summary,
                CheckResult.evidenceBuilder().put("rows", rows.size()).put("covariates", list));
    }

    /**
     * WARN when the decision metric's robust interval changes its verdict (excludes zero or not) or the estimate its
     * sign anywhere from 0.5x to 2x the chosen bandwidth; the table is the evidence.
     */
    private CheckResult sensitivity(RdReport rep, double alpha) {
        Estimate main = rep.estimate().robust();
        boolean sig = main.ciLow() > 0 || main.ciHigh() < 0;
        List<Map<String, Object>> table = new ArrayList<>();
        List<String> unstable = new ArrayList<>();
        for (BandwidthSensitivity.Row row : rep.sensitivity()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("factor", row.factor());
            m.put("h", row.bandwidths().hLeft());
            m.put("estimate", row.robust().estimate());
            m.put("ci_low", row.robust().ciLow());
            m.put("ci_high", row.robust().ciHigh());
            m.put("rows_within_h", row.nhLeft() + row.nhRight());
            table.add(m);
            boolean s = row.robust().ciLow() > 0 || row.robust().ciHigh() < 0;
            if (s != sig || Math.signum(row.robust().estimate()) != Math.signum(main.estimate())) {
                unstable.add(fmt(row.factor()) + "x");
            }
        }
        String summary = unstable.isEmpty() ? "The estimate keeps its sign and significance from 0.5x to 2x the "
                + "bandwidth." : "The conclusion changes with the bandwidth (at " + String.join(", ", unstable)
                + " the sign or significance differs): the estimate leans on the bandwidth choice.";
        return QuasiSupport.check(BANDWIDTH_SENSITIVITY, unstable.isEmpty() ? CheckStatus.PASS : CheckStatus.WARN,
                summary, CheckResult.evidenceBuilder().put("table", table));
    }

    /** FAIL when the take-up jump's robust interval includes zero: the fuzzy ratio is not identified. */
    private CheckResult firstStage(RdEstimate est, double alpha) {
        Estimate fs = est.firstStage().robust();
        boolean ok = fs.ciLow() > 0 || fs.ciHigh() < 0;
        String summary = String.format(Locale.ROOT, "Take-up of '%s' jumps by %.3f at the cutoff [%.3f, %.3f]%s",
                spec.arms().treatment(), fs.estimate(), fs.ciLow(), fs.ciHigh(), ok ? "." : ": not distinguishable "
                        + "from zero, so the fuzzy ratio is not identified (weak first stage).");
        return QuasiSupport.check(FIRST_STAGE, ok ? CheckStatus.PASS : CheckStatus.FAIL, summary,
                CheckResult.evidenceBuilder().put("jump", fs.estimate()).put("ci_low", fs.ciLow())
                        .put("ci_high", fs.ciHigh()).put("p_value", fs.pValue()));
    }

    /** The bandwidths on the log's scale (left and right swap when the running variable was mirrored). */
    private static Map<String, Object> bandwidths(Bandwidths b, Side side) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", b.rule());
        m.put("h_below", side.above ? b.hLeft() : b.hRight());
        m.put("h_above", side.above ? b.hRight() : b.hLeft());
        m.put("b_below", side.above ? b.bLeft() : b.bRight());
        m.put("b_above", side.above ? b.bRight() : b.bLeft());
        return m;
    }

    private static Map<String, Object> estimate(Estimate e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("estimate", e.estimate());
        m.put("se", e.se());
        m.put("ci_low", e.ciLow());
        m.put("ci_high", e.ciHigh());
        m.put("p_value", e.pValue());
        return m;
    }

    /** Binned means and local fits on the log's own scale (mirrored back when treated is below). */
    private static Map<String, Object> plot(RdPlotData p, Side side) {
        double sgn = side.above ? 1 : -1;
        List<Map<String, Object>> bins = new ArrayList<>();
        for (List<RdPlotData.Bin> list : List.of(p.binsLeft(), p.binsRight())) {
            for (RdPlotData.Bin b : list) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("x", sgn * b.meanX());
                m.put("mean", b.meanY());
                m.put("count", b.count());
                bins.add(m);
            }
        }
        List<Map<String, Object>> fit = new ArrayList<>();
        for (List<RdPlotData.FitPoint> list : List.of(p.fitLeft(), p.fitRight())) {
            for (RdPlotData.FitPoint f : list) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("x", sgn * f.x());
                m.put("fitted", f.fitted());
                fit.add(m);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bins", bins);
        out.put("fit", fit);
        return out;
    }

    /**
     * The density test's plot on the log's own scale (mirrored back when treated is below): the grid ascending in x,
     * "below" then "above" the cutoff, and the histogram's edges ascending with one density per bin ({@code + 0.0}
     * writes a mirrored zero as 0 rather than -0).
     */
    private static Map<String, Object> densityPlot(DensityPlotData p, Side side) {
        double sgn = side.above ? 1 : -1;
        List<DensityPlotData.Point> below = new ArrayList<>(side.above ? p.left() : p.right());
        List<DensityPlotData.Point> above = new ArrayList<>(side.above ? p.right() : p.left());
        List<DensityPlotData.Bin> bins = new ArrayList<>(p.histogram());
        if (!side.above) {
            java.util.Collections.reverse(below);
            java.util.Collections.reverse(above);
            java.util.Collections.reverse(bins);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("estimator", "cattaneo_jansson_ma_local_polynomial_density");
        out.put("order", p.order());
        out.put("kernel", p.kernel().name().toLowerCase(Locale.ROOT));
        out.put("h_below", side.above ? p.hLeft() : p.hRight());
        out.put("h_above", side.above ? p.hRight() : p.hLeft());
        out.put("level", p.level());
        out.put("interval", "robust_bias_corrected_pointwise");
        out.put("rows", p.n());
        List<Map<String, Object>> grid = new ArrayList<>();
        for (List<DensityPlotData.Point> list : List.of(below, above)) {
            String name = list == below ? "below" : "above";
            for (DensityPlotData.Point q : list) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("x", sgn * q.x() + 0.0);
                m.put("side", name);
                m.put("density", q.density());
                m.put("se", q.se());
                m.put("ci_low", q.ciLow());
                m.put("ci_high", q.ciHigh());
                grid.add(m);
            }
        }
        out.put("grid", grid);
        List<Double> edges = new ArrayList<>();
        List<Double> density = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (DensityPlotData.Bin b : bins) {
            if (edges.isEmpty()) {
                edges.add(sgn * (side.above ? b.lower() : b.upper()) + 0.0);
            }
            edges.add(sgn * (side.above ? b.upper() : b.lower()) + 0.0);
            density.add(b.density());
            counts.add(b.count());
        }
        Map<String, Object> hist = new LinkedHashMap<>();
        hist.put("bin_edges", edges);
        hist.put("density", density);
        hist.put("count", counts);
        out.put("histogram", hist);
        return out;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }
}

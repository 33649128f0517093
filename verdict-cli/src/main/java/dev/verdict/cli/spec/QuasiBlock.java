package dev.verdict.cli.spec;

import dev.verdict.spec.CanonicalColumns;
import dev.verdict.spec.ExperimentSpec.Design;
import dev.verdict.spec.QuasiDesign;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The design blocks of the quasi-experimental designs, each under the design's own name: {@code did},
 * {@code synthetic_control}, {@code propensity} and {@code rdd}. A block for another design than the spec's is an error;
 * {@code did} and {@code synthetic_control} may be left out (defaults), {@code propensity} and {@code rdd} may not.
 */
final class QuasiBlock {
    static final List<String> NAMES = List.of("did", "synthetic_control", "propensity", "rdd");
    static final List<String> DID_KEYS = List.of("period", "estimator", "control_group");
    static final List<String> SC_KEYS = List.of("period", "method", "prefit_ratio");
    static final List<String> PS_KEYS = List.of("covariates", "estimand", "estimator", "trim", "bootstrap");
    static final List<String> RDD_KEYS = List.of("running", "cutoff", "kernel", "order", "bandwidth", "covariates");
    /** Default placebo exclusion: pre-period MSPE above 5 times the treated unit's (Abadie et al. 2010). */
    static final double DEFAULT_PREFIT_RATIO = 5;
    /** Default bootstrap replicates of the propensity procedure. */
    static final int DEFAULT_BOOTSTRAP = 1000;

    private QuasiBlock() {
    }

    static Optional<QuasiDesign> parse(Section top, Design design, Function<Value, String> column) {
        for (String name : NAMES) {
            Optional<Value> v = top.get(name);
            if (v.isPresent() && !name.equals(wire(design))) {
                throw v.get().bad("a " + name + " block belongs to design: " + name + " (design here is " + wire(design)
                        + "); remove it or change the design");
            }
        }
        return switch (design) {
            case DID -> Optional.of(did(top.get("did")));
            case SYNTHETIC_CONTROL -> Optional.of(syntheticControl(top.get("synthetic_control")));
            case PROPENSITY -> Optional.of(propensity(top.get("propensity").orElseThrow(() -> top.missing("propensity",
                    "propensity weighting needs its covariates, e.g. propensity: {covariates: [context_tokens, tier]}")),
                    column));
            case RDD -> Optional.of(rdd(top.get("rdd").orElseThrow(() -> top.missing("rdd", "a regression "
                    + "discontinuity needs its running variable and cutoff, e.g. rdd: {running: queue_depth, cutoff: 32}")),
                    column));
            default -> Optional.empty();
        };
    }

    static String wire(Design d) {
        return d.name().toLowerCase(Locale.ROOT);
    }

    private static QuasiDesign.Did did(Optional<Value> block) {
        if (block.isEmpty()) {
            return new QuasiDesign.Did(QuasiDesign.Period.DAY, QuasiDesign.DidEstimator.AUTO,
                    QuasiDesign.ControlGroup.NEVER_TREATED);
        }
        Section s = block.get().section(DID_KEYS, "{period: day}");
        return new QuasiDesign.Did(period(s),
                s.get("estimator").map(v -> v.oneOf(QuasiDesign.DidEstimator.class,
                        EnumSet.allOf(QuasiDesign.DidEstimator.class))).orElse(QuasiDesign.DidEstimator.AUTO),
                s.get("control_group").map(v -> v.oneOf(QuasiDesign.ControlGroup.class,
                        EnumSet.allOf(QuasiDesign.ControlGroup.class))).orElse(QuasiDesign.ControlGroup.NEVER_TREATED));
    }

    private static QuasiDesign.Period period(Section s) {
        return s.get("period").map(v -> v.oneOf(QuasiDesign.Period.class, EnumSet.allOf(QuasiDesign.Period.class)))
                .orElse(QuasiDesign.Period.DAY);
    }

    private static QuasiDesign.SyntheticControl syntheticControl(Optional<Value> block) {
        if (block.isEmpty()) {
            return new QuasiDesign.SyntheticControl(QuasiDesign.Period.DAY, QuasiDesign.ScMethod.SYNTHDID,
                    DEFAULT_PREFIT_RATIO);
        }
        Section s = block.get().section(SC_KEYS, "{period: day, method: synthdid}");
        double ratio = DEFAULT_PREFIT_RATIO;
        Optional<Value> r = s.get("prefit_ratio");
        if (r.isPresent()) {
            ratio = r.get().number("a multiple of the treated unit's pre-period MSPE, e.g. prefit_ratio: 5");
            if (!(ratio >= 1)) {
                throw r.get().bad("a placebo is kept when its pre-period MSPE is at most this multiple of the treated "
                        + "unit's; give a number of at least 1, e.g. prefit_ratio: 5");
            }
        }
        return new QuasiDesign.SyntheticControl(period(s), s.get("method").map(v -> v.oneOf(QuasiDesign.ScMethod.class,
                EnumSet.allOf(QuasiDesign.ScMethod.class))).orElse(QuasiDesign.ScMethod.SYNTHDID), ratio);
    }

    private static QuasiDesign.Propensity propensity(Value block, Function<Value, String> column) {
        Section s = block.section(PS_KEYS, "{covariates: [context_tokens, tier]}");
        Value cv = s.require("covariates", "name the confounders the assignment depended on, e.g. covariates: "
                + "[context_tokens, tier]");
        List<String> covariates = columns(cv, column, "covariates: [context_tokens, tier]");
        QuasiDesign.Trim trim = new QuasiDesign.Trim(QuasiDesign.TrimRule.NONE, 0);
        Optional<Value> tv = s.get("trim");
        if (tv.isPresent()) {
            Value t = tv.get();
            if (t.isNumber()) {
                double low = t.number("the lower end a of the kept interval [a, 1 - a], e.g. trim: 0.1");
                if (!(low > 0 && low < 0.5)) {
                    throw t.bad("a fixed trim keeps propensities in [a, 1 - a]; give a in (0, 0.5), e.g. trim: 0.1");
                }
                trim = new QuasiDesign.Trim(QuasiDesign.TrimRule.FIXED, low);
            } else {
                QuasiDesign.TrimRule rule = t.oneOf(QuasiDesign.TrimRule.class, EnumSet.of(QuasiDesign.TrimRule.NONE,
                        QuasiDesign.TrimRule.CRUMP));
                trim = new QuasiDesign.Trim(rule, 0);
            }
        }
        int bootstrap = DEFAULT_BOOTSTRAP;
        Optional<Value> bv = s.get("bootstrap");
        if (bv.isPresent()) {
            long b = bv.get().integer("replicates of the whole two-step procedure, e.g. bootstrap: 1000");
            if (b < 100 || b > 100_000) {
                throw bv.get().bad("expected a whole number of replicates in [100, 100000], e.g. bootstrap: 1000");
            }
            bootstrap = (int) b;
        }
        return new QuasiDesign.Propensity(covariates,
                s.get("estimand").map(v -> v.oneOf(QuasiDesign.Estimand.class, EnumSet.allOf(QuasiDesign.Estimand.class)))
                        .orElse(QuasiDesign.Estimand.ATT),
                s.get("estimator").map(v -> v.oneOf(QuasiDesign.PsEstimator.class,
                        EnumSet.allOf(QuasiDesign.PsEstimator.class))).orElse(QuasiDesign.PsEstimator.IPW),
                trim, bootstrap);
    }

    private static QuasiDesign.Rdd rdd(Value block, Function<Value, String> column) {
        Section s = block.section(RDD_KEYS, "{running: queue_depth, cutoff: 32}");
        Value rv = s.require("running", "name the running variable, e.g. running: queue_depth");
        String running = column.apply(rv);
        forbid(rv, running);
        double cutoff = s.require("cutoff", "give the cutoff of the running variable, e.g. cutoff: 32")
                .number("the running variable's value at which treatment switches on, e.g. cutoff: 32");
        int order = 1;
        Optional<Value> ov = s.get("order");
        if (ov.isPresent()) {
            long p = ov.get().integer("the local polynomial order, e.g. order: 1");
            if (p < 0 || p > 3) {
                throw ov.get().bad("expected a local polynomial order in [0, 3] (1, local linear, is the default and "
                        + "the usual choice), e.g. order: 1");
            }
            order = (int) p;
        }
        Optional<Double> bandwidth = Optional.empty();
        Optional<Value> hv = s.get("bandwidth");
        if (hv.isPresent() && !(hv.get().isText() && hv.get().raw().equals("mserd"))) {
            double h = hv.get().number("a positive bandwidth in the running variable's unit, or mserd (the "
                    + "MSE-optimal one, the default)");
            if (!(h > 0)) {
                throw hv.get().bad("a bandwidth is a positive distance from the cutoff in the running variable's unit, "
                        + "or mserd; e.g. bandwidth: 10");
            }
            bandwidth = Optional.of(h);
        }
        List<String> covariates = s.get("covariates").map(v -> columns(v, column, "covariates: [context_tokens]"))
                .orElse(List.of());
        if (covariates.contains(running)) {
            throw s.get("covariates").orElseThrow().bad("the running variable '" + running + "' cannot also be a "
                    + "covariate checked for continuity at its own cutoff; remove it");
        }
        return new QuasiDesign.Rdd(running, cutoff, s.get("kernel").map(v -> v.oneOf(QuasiDesign.Kernel.class,
                EnumSet.allOf(QuasiDesign.Kernel.class))).orElse(QuasiDesign.Kernel.TRIANGULAR), order, bandwidth,
                covariates);
    }

    private static List<String> columns(Value v, Function<Value, String> column, String example) {
        List<String> out = new ArrayList<>();
        List<Value> items = v.items(example);
        if (items.isEmpty()) {
            throw v.bad("give at least one column, e.g. " + example);
        }
        for (Value item : items) {
            String c = column.apply(item);
            forbid(item, c);
            if (out.contains(c)) {
                throw item.bad("'" + c + "' is listed twice; list each column once");
            }
            out.add(c);
        }
        return out;
    }

    private static void forbid(Value v, String c) {
        if (List.of(CanonicalColumns.ARM, CanonicalColumns.EXECUTED_ARM, CanonicalColumns.REQUEST_ID, CanonicalColumns.TS)
                .contains(c)) {
            throw v.bad("'" + c + "' is the arm, an id or the time, not a covariate or running variable; name a "
                    + "measured column");
        }
    }
}

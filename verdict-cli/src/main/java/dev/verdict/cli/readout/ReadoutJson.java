package dev.verdict.cli.readout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.check.CheckResult;
import dev.verdict.readout.Effect;
import dev.verdict.readout.SegmentEffects;
import dev.verdict.spec.ExperimentSpec;
import dev.verdict.spec.Guardrail;
import dev.verdict.spec.MetricSpec;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes readout.json: the public, schema-described form of a readout (docs/readout.schema.json).
 * Keys are written in a fixed order and non-finite numbers as {@code null}, so the same readout always
 * gives the same bytes.
 */
public final class ReadoutJson {
    /** Version of the readout.json format; bumped on any incompatible change. */
    public static final String SCHEMA_VERSION = "1";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReadoutJson() {
    }

    /** The readout as pretty-printed JSON text ending in a newline. */
    public static String write(Readout r) {
        try {
            return MAPPER.writeValueAsString(tree(r)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode tree(Readout r) {
        ObjectNode root = F.objectNode();
        root.put("schema_version", SCHEMA_VERSION);
        root.put("name", r.spec().name());
        root.put("recommendation", r.decision().recommendation().wireName());
        ObjectNode decision = root.putObject("decision");
        decision.put("rule", r.decision().rule());
        decision.put("reason", r.decision().reason());
        ArrayNode trail = decision.putArray("trail");
        r.decision().trail().forEach(step -> {
            ObjectNode s = trail.addObject();
            s.put("rule", step.rule());
            s.put("outcome", step.outcome());
        });
        decision.put("contingency", r.decision().contingency());
        ArrayNode change = decision.putArray("what_would_change");
        r.decision().whatWouldChange().forEach(change::add);
        ArrayNode checks = root.putArray("checks");
        r.checks().forEach(c -> checks.add(check(c)));
        ArrayNode effects = root.putArray("effects");
        for (Effect e : r.analysis().effects()) {
            ObjectNode o = effect(e, Double.NaN);
            ReadoutCharts.threshold(r.spec(), e).filter(Double::isFinite).ifPresent(t -> o.put("threshold", t));
            effects.add(o);
        }
        ArrayNode segments = root.putArray("segments");
        for (SegmentEffects s : r.analysis().segments()) {
            ObjectNode seg = segments.addObject();
            seg.put("column", s.column());
            number(seg, "heterogeneity_statistic", s.heterogeneityStatistic());
            seg.put("heterogeneity_df", s.heterogeneityDf());
            number(seg, "heterogeneity_p_value", s.heterogeneityPValue());
            ArrayNode list = seg.putArray("effects");
            for (int i = 0; i < s.effects().size(); i++) {
                list.add(effect(s.effects().get(i), s.adjustedP().get(i)));
            }
        }
        ObjectNode design = root.putObject("design");
        design.put("name", r.analysis().design());
        design.put("unit", r.analysis().unit());
        ArrayNode notes = design.putArray("notes");
        r.analysis().notes().forEach(notes::add);
        if (!r.analysis().details().isEmpty()) {
            design.set("details", value(r.analysis().details()));
        }
        ObjectNode ideal = root.putObject("ideal_experiment");
        ideal.put("description", r.ideal().description());
        ArrayNode gaps = ideal.putArray("gaps");
        r.ideal().gaps().forEach(gaps::add);
        root.set("spec", spec(r.spec()));
        ObjectNode prov = root.putObject("provenance");
        prov.put("tool", r.provenance().tool());
        prov.put("engine", r.provenance().engine());
        prov.put("engine_version", r.provenance().engineVersion());
        prov.put("seed", r.provenance().seed());
        ArrayNode files = prov.putArray("data");
        r.provenance().files().forEach(f -> {
            ObjectNode o = files.addObject();
            o.put("path", f.path());
            o.put("bytes", f.bytes());
            o.put("fingerprint", f.fingerprint());
        });
        return root;
    }

    static ObjectNode check(CheckResult c) {
        ObjectNode o = F.objectNode();
        o.put("name", c.name());
        o.put("category", c.category().wireName());
        o.put("status", c.status().wireName());
        o.put("summary", c.summary());
        o.set("evidence", value(c.evidence()));
        return o;
    }

    static ObjectNode effect(Effect e, double adjustedP) {
        ObjectNode o = F.objectNode();
        o.put("metric", e.metric());
        o.put("kind", e.kind());
        o.put("role", e.role());
        if (e.segment().isPresent()) {
            ObjectNode s = o.putObject("segment");
            s.put("column", e.segment().get().column());
            s.put("value", e.segment().get().value());
        } else {
            o.putNull("segment");
        }
        number(o, "control", e.control());
        number(o, "treatment", e.treatment());
        number(o, "estimate", e.estimate());
        number(o, "ci_low", e.ciLow());
        number(o, "ci_high", e.ciHigh());
        number(o, "se", e.se());
        number(o, "df", e.df());
        number(o, "p_value", e.pValue());
        if (!Double.isNaN(adjustedP)) {
            number(o, "p_value_adjusted", adjustedP);
        }
        number(o, "relative", e.relative());
        o.put("n_control", e.nControl());
        o.put("n_treatment", e.nTreatment());
        o.put("method", e.method());
        return o;
    }

    private static void number(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    @SuppressWarnings("unchecked")
    private static com.fasterxml.jackson.databind.JsonNode value(Object v) {
        if (v == null) {
            return F.nullNode();
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = F.objectNode();
            ((Map<Object, Object>) m).forEach((k, x) -> o.set(String.valueOf(k), value(x)));
            return o;
        }
        if (v instanceof List<?> l) {
            ArrayNode a = F.arrayNode();
            l.forEach(x -> a.add(value(x)));
            return a;
        }
        if (v instanceof Double d) {
            return Double.isFinite(d) ? F.numberNode(d) : F.nullNode();
        }
        if (v instanceof Float d) {
            return Float.isFinite(d) ? F.numberNode(d.doubleValue()) : F.nullNode();
        }
        if (v instanceof Integer i) {
            return F.numberNode(i);
        }
        if (v instanceof Long l) {
            return F.numberNode(l);
        }
        if (v instanceof Boolean b) {
            return F.booleanNode(b);
        }
        if (v instanceof Enum<?> e) {
            return F.textNode(e.name().toLowerCase(Locale.ROOT));
        }
        return F.textNode(String.valueOf(v));
    }

    /** The spec echoed back in its YAML key names, with resolved defaults. */
    static ObjectNode spec(ExperimentSpec s) {
        ObjectNode o = F.objectNode();
        o.put("name", s.name());
        o.put("decision", s.decision().name().toLowerCase(Locale.ROOT));
        o.put("design", s.design().name().toLowerCase(Locale.ROOT));
        ArrayNode data = o.putArray("data");
        Provenance.relative(s.data(), s.specFile()).forEach(data::add);
        o.put("format", s.format().name().toLowerCase(Locale.ROOT));
        ObjectNode cols = o.putObject("columns");
        new java.util.TreeMap<>(s.columns()).forEach(cols::put);
        if (s.design() != ExperimentSpec.Design.SWITCHBACK) { // a switchback's unit is its time block, not a key
            o.put("unit", s.unit());
        }
        ObjectNode arms = o.putObject("arms");
        arms.put("control", s.arms().control());
        arms.put("treatment", s.arms().treatment());
        ObjectNode alloc = o.putObject("allocation");
        alloc.put("control", s.allocation().control());
        alloc.put("treatment", s.allocation().treatment());
        s.start().ifPresent(v -> o.put("start", v));
        s.switchback().ifPresent(b -> {
            ObjectNode sb = o.putObject("switchback");
            sb.put("block_minutes", b.blockSeconds() / 60);
            sb.put("washout_minutes", b.washoutSeconds() / 60);
            sb.put("origin", b.origin());
            b.by().ifPresent(v -> sb.put("by", v));
            sb.put("schedule", b.schedule());
            sb.put("carryover_order", b.carryoverOrder());
        });
        o.set("success", metric(s.success()));
        ArrayNode guardrails = o.putArray("guardrails");
        for (Guardrail g : s.guardrails()) {
            ObjectNode m = metric(g.metric());
            threshold(m, "max_harm", g.maxHarm());
            guardrails.add(m);
        }
        s.economics().ifPresent(e -> {
            ObjectNode eco = o.putObject("economics");
            e.cost().ifPresent(v -> eco.put("cost", v));
            e.gpu().ifPresent(v -> eco.put("gpu", v));
            e.value().ifPresent(v -> eco.put("value", v));
            eco.put("success", e.success());
            eco.put("min_net_gain", e.minNetGain());
        });
        ArrayNode segments = o.putArray("segments");
        s.segments().forEach(segments::add);
        ObjectNode rb = o.putObject("rollback");
        s.rollback().errorRateAbove().ifPresent(v -> rb.put("error_rate_above", v));
        s.rollback().p99LatencyMsAbove().ifPresent(v -> rb.put("p99_latency_ms_above", v));
        s.rollback().costPerSuccessAbove().ifPresent(v -> rb.put("cost_per_success_above", v));
        s.rollback().fallbackRateAbove().ifPresent(v -> rb.put("fallback_rate_above", v));
        s.contingency().ifPresent(v -> o.put("contingency", v));
        o.put("alpha", s.alpha());
        ArrayNode shared = o.putArray("shared_state");
        s.sharedState().forEach(x -> shared.add(x.name().toLowerCase(Locale.ROOT)));
        ObjectNode dq = o.putObject("data_quality");
        dq.put("max_missing_share", s.dataQuality().maxMissingShare());
        dq.put("max_unknown_arm_share", s.dataQuality().maxUnknownArmShare());
        s.longRun().ifPresent(l -> {
            ObjectNode lr = o.putObject("long_run");
            lr.put("metric", l.metric());
            lr.put("observed", l.observed());
        });
        o.put("seed", s.seed());
        s.strata().ifPresent(v -> o.put("strata", v));
        if (s.prePeriod()) {
            o.put("pre_period", true);
        }
        s.saturation().ifPresent(x -> {
            ObjectNode sat = o.putObject("saturation");
            ArrayNode levels = sat.putArray("levels");
            x.levels().forEach(levels::add);
            x.shares().ifPresent(sh -> {
                ArrayNode shares = sat.putArray("shares");
                sh.forEach(shares::add);
            });
        });
        s.quasi().ifPresent(q -> quasi(o, q));
        s.rerandomization().ifPresent(x -> {
            ObjectNode rr = o.putObject("rerandomization");
            ArrayNode cov = rr.putArray("covariates");
            x.covariates().forEach(cov::add);
            rr.put("criterion", x.criterion().wireName());
            rr.put("threshold", x.threshold());
        });
        return o;
    }

    /** A quasi-experimental design's block under its design's key, with resolved defaults. */
    private static void quasi(ObjectNode o, dev.verdict.spec.QuasiDesign q) {
        if (q instanceof dev.verdict.spec.QuasiDesign.Did d) {
            ObjectNode b = o.putObject("did");
            b.put("period", lower(d.period()));
            b.put("estimator", lower(d.estimator()));
            b.put("control_group", lower(d.controlGroup()));
        } else if (q instanceof dev.verdict.spec.QuasiDesign.SyntheticControl sc) {
            ObjectNode b = o.putObject("synthetic_control");
            b.put("period", lower(sc.period()));
            b.put("method", lower(sc.method()));
            b.put("prefit_ratio", sc.prefitRatio());
        } else if (q instanceof dev.verdict.spec.QuasiDesign.Propensity ps) {
            ObjectNode b = o.putObject("propensity");
            ArrayNode cov = b.putArray("covariates");
            ps.covariates().forEach(cov::add);
            b.put("estimand", lower(ps.estimand()));
            b.put("estimator", lower(ps.estimator()));
            switch (ps.trim().rule()) {
                case NONE -> b.put("trim", "none");
                case CRUMP -> b.put("trim", "crump");
                case FIXED -> b.put("trim", ps.trim().low());
            }
            b.put("bootstrap", ps.bootstrap());
        } else if (q instanceof dev.verdict.spec.QuasiDesign.Rdd rd) {
            ObjectNode b = o.putObject("rdd");
            b.put("running", rd.running());
            b.put("cutoff", rd.cutoff());
            b.put("kernel", lower(rd.kernel()));
            b.put("order", rd.order());
            if (rd.bandwidth().isPresent()) {
                b.put("bandwidth", rd.bandwidth().get());
            } else {
                b.put("bandwidth", "mserd");
            }
            ArrayNode cov = b.putArray("covariates");
            rd.covariates().forEach(cov::add);
        }
    }

    /** A threshold as the spec writes it: a number in the metric's unit, or text such as "5%" when relative. */
    private static void threshold(ObjectNode o, String key, dev.verdict.spec.Threshold t) {
        if (t.relative()) {
            o.put(key, t.toString());
        } else {
            o.put(key, t.value());
        }
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static ObjectNode metric(MetricSpec m) {
        ObjectNode o = F.objectNode();
        o.put("metric", m.metric());
        o.put("kind", m.kind().wireName());
        o.put("direction", m.direction().wireName());
        m.minEffect().ifPresent(t -> threshold(o, "min_effect", t));
        m.denominator().ifPresent(d -> o.put("denominator", d));
        m.covariate().ifPresent(c -> o.put("covariate", c));
        return o;
    }
}

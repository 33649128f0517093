package dev.verdict.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.verdict.InputException;
import dev.verdict.sim.policy.Policies;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a scenario file (YAML). Every key has a default (the reference system of docs/simulator.md), so a scenario
 * states only what it changes. A bad value or an unknown key fails with one line naming the key, the value and the
 * fix, as {@link InputException#spec}.
 */
public final class ScenarioReader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ScenarioReader() {
    }

    /** Reads a scenario file. */
    public static Scenario read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw InputException.spec("scenario file " + file + " does not exist; pass a scenario YAML (bundled ones: "
                    + String.join(", ", Scenarios.BUNDLED) + ")");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return parse(YAML.readTree(in));
        } catch (IOException e) {
            throw InputException.spec("scenario file " + file + " is not valid YAML: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** Reads a scenario from YAML text. */
    public static Scenario parse(String yaml) {
        try {
            return parse(YAML.readTree(yaml));
        } catch (IOException e) {
            throw InputException.spec("scenario is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    static Scenario parse(JsonNode root) {
        Node r = new Node("", root == null ? MissingNode.getInstance() : root);
        r.allow("name", "seed", "start", "hours", "demand", "supply", "control", "treatment", "design", "faults",
                "incidents");
        String name = r.text("name", null);
        if (name == null || name.isBlank()) {
            throw InputException.spec("scenario key 'name' is missing; add a line such as name: cost-aware eviction");
        }
        long seed = r.integer("seed", 1, Long.MIN_VALUE, Long.MAX_VALUE);
        Instant start = r.instant("start", Instant.parse("2026-11-02T00:00:00Z"));
        double hours = r.number("hours", 6, 0.01, 24 * 366);

        Node d = r.child("demand");
        d.allow("sessions_per_second", "diurnal_amplitude", "peak_hour_utc", "weekend_factor", "bursts_per_day",
                "burst_multiplier", "burst_minutes", "tenants", "tenant_zipf", "users_per_tenant", "tiers", "workloads");
        Node tiers = d.child("tiers");
        tiers.allow("free", "pro", "enterprise");
        double[] tierShares = {tiers.number("free", 0.6, 0, 1), tiers.number("pro", 0.3, 0, 1),
                tiers.number("enterprise", 0.1, 0, 1)};
        if (tierShares[0] + tierShares[1] + tierShares[2] <= 0) {
            throw InputException.spec("scenario key 'demand.tiers': all shares are 0; give at least one tier a positive share");
        }
        List<Scenario.Workload> workloads = new ArrayList<>();
        JsonNode wl = d.raw("workloads");
        if (wl.isMissingNode()) {
            workloads.addAll(DEFAULT_WORKLOADS);
        } else {
            if (!wl.isArray() || wl.isEmpty()) {
                throw InputException.spec("scenario key 'demand.workloads' must be a non-empty list of workloads");
            }
            for (int i = 0; i < wl.size(); i++) {
                Node w = new Node("demand.workloads[" + i + "].", wl.get(i));
                w.allow("name", "share", "model", "turns", "think_seconds", "prompt_tokens", "output_tokens",
                        "token_sigma", "system_prompt_tokens", "real_time");
                Scenario.Workload base = DEFAULT_WORKLOADS.get(Math.min(i, DEFAULT_WORKLOADS.size() - 1));
                workloads.add(new Scenario.Workload(w.text("name", base.name()), w.number("share", base.share(), 0, 1e9),
                        w.text("model", base.model()), w.number("turns", base.meanTurns(), 1, 64),
                        w.number("think_seconds", base.thinkSeconds(), 0, 86400),
                        w.number("prompt_tokens", base.promptTokens(), 1, 1e6),
                        w.number("output_tokens", base.outputTokens(), 1, 1e6),
                        w.number("token_sigma", base.tokenSigma(), 0, 3),
                        (int) w.integer("system_prompt_tokens", base.systemPromptTokens(), 0, 1_000_000),
                        w.bool("real_time", base.realTime())));
            }
        }
        Scenario.Demand demand = new Scenario.Demand(d.number("sessions_per_second", 12, 0, 1e6),
                d.number("diurnal_amplitude", 0.35, 0, 0.99), d.number("peak_hour_utc", 15, 0, 24),
                d.number("weekend_factor", 0.7, 0, 10), d.number("bursts_per_day", 3, 0, 1000),
                d.number("burst_multiplier", 1.8, 1, 100), d.number("burst_minutes", 10, 0, 1440),
                (int) d.integer("tenants", 200, 1, 10_000_000), d.number("tenant_zipf", 1.0, 0, 5),
                (int) d.integer("users_per_tenant", 25, 1, 1_000_000), tierShares, workloads);

        Node s = r.child("supply");
        s.allow("regions", "clusters_per_region", "gpus", "models", "replicas", "timeout_seconds", "max_retries",
                "backoff_seconds", "rate_limits", "burst_seconds");
        List<String> regions = s.strings("regions", List.of("us-east", "eu-west"));
        List<Scenario.Gpu> gpus = new ArrayList<>();
        JsonNode g = s.raw("gpus");
        if (g.isMissingNode()) {
            gpus.addAll(DEFAULT_GPUS);
        } else {
            for (int i = 0; i < g.size(); i++) {
                Node n = new Node("supply.gpus[" + i + "].", g.get(i));
                n.allow("name", "speed", "dollars_per_hour");
                gpus.add(new Scenario.Gpu(n.text("name", "gpu" + i), n.number("speed", 1, 0.01, 100),
                        n.number("dollars_per_hour", 3, 0, 1000)));
            }
        }
        List<Scenario.Model> models = new ArrayList<>();
        JsonNode m = s.raw("models");
        if (m.isMissingNode()) {
            models.addAll(DEFAULT_MODELS);
        } else {
            for (int i = 0; i < m.size(); i++) {
                Node n = new Node("supply.models[" + i + "].", m.get(i));
                n.allow("name", "gpus", "overhead_ms", "prefill_ms_per_ktok", "decode_ms_per_seq", "max_sequences",
                        "kv_tokens", "cache_tokens", "max_context", "token_budget");
                Scenario.Model b = DEFAULT_MODELS.get(Math.min(i, DEFAULT_MODELS.size() - 1));
                models.add(new Scenario.Model(n.text("name", b.name()), (int) n.integer("gpus", b.gpus(), 1, 1024),
                        n.number("overhead_ms", b.overheadMs(), 0, 1e6),
                        n.number("prefill_ms_per_ktok", b.prefillMsPerKiloToken(), 0, 1e6),
                        n.number("decode_ms_per_seq", b.decodeMsPerSequence(), 0, 1e6),
                        (int) n.integer("max_sequences", b.maxSequences(), 1, 100_000),
                        (int) n.integer("kv_tokens", b.kvTokens(), 1, Integer.MAX_VALUE),
                        (int) n.integer("cache_tokens", b.cacheTokens(), 0, Integer.MAX_VALUE),
                        (int) n.integer("max_context", b.maxContext(), 1, Integer.MAX_VALUE),
                        (int) n.integer("token_budget", b.tokenBudget(), 1, Integer.MAX_VALUE)));
            }
        }
        for (int i = 0; i < models.size(); i++) {
            Scenario.Model mi = models.get(i);
            if (mi.overheadMs() + mi.decodeMsPerSequence() <= 0) {
                throw InputException.spec("scenario key 'supply.models[" + i + "]': overhead_ms and decode_ms_per_seq are "
                        + "both 0, so decoding takes no time; give one a positive value");
            }
        }
        Node rep = s.child("replicas");
        int[] replicas = new int[models.size()];
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < models.size(); i++) {
            names.add(models.get(i).name());
            replicas[i] = (int) rep.integer(models.get(i).name(), i == 0 ? 3 : 2, 0, 100_000);
        }
        rep.allow(names.toArray(String[]::new));
        for (Scenario.Workload w : workloads) {
            int mi = -1;
            for (int i = 0; i < models.size(); i++) {
                if (models.get(i).name().equals(w.model())) {
                    mi = i;
                }
            }
            if (mi < 0) {
                throw InputException.spec("scenario key 'demand.workloads' (" + w.name() + "): model '" + w.model()
                        + "' is not among supply.models (" + String.join(", ", names) + ")");
            }
            if (replicas[mi] == 0) {
                throw InputException.spec("scenario key 'supply.replicas." + w.model() + "' is 0 but workload "
                        + w.name() + " needs that model; give it at least one replica");
            }
        }
        Node rl = s.child("rate_limits");
        rl.allow("free", "pro", "enterprise");
        double[] rateLimits = {rl.number("free", 4000, 0, 1e12), rl.number("pro", 40000, 0, 1e12),
                rl.number("enterprise", 400000, 0, 1e12)};
        Scenario.Supply supply = new Scenario.Supply(regions,
                (int) s.integer("clusters_per_region", 4, 1, 100_000), gpus, models, replicas,
                s.number("timeout_seconds", 30, 0.001, 86400), (int) s.integer("max_retries", 2, 0, 100),
                s.number("backoff_seconds", 1, 0, 3600), rateLimits, s.number("burst_seconds", 10, 0, 86400));

        Scenario.PolicySpec control = policy(r.child("control"), "control", DEFAULT_POLICY);
        Scenario.PolicySpec treatment = policy(r.child("treatment"), "treatment", control);
        if (control.label().equals(treatment.label())) {
            throw InputException.spec("scenario keys 'control.label' and 'treatment.label' are both '" + control.label()
                    + "'; give the arms different labels");
        }

        Node ds = r.child("design");
        ds.allow("type", "treated_share", "block_minutes", "washout_minutes");
        String type = ds.text("type", "request");
        double share = ds.number("treated_share", 0.5, 0, 1);
        double block = ds.number("block_minutes", 30, 1, 1440);
        double washout = ds.number("washout_minutes", 5, 0, 1439);
        if (washout >= block) {
            throw InputException.spec("scenario key 'design.washout_minutes' is " + fmt(washout)
                    + ", not below block_minutes (" + fmt(block) + "); use a shorter washout");
        }
        SimDesign design;
        try {
            design = SimDesign.parse(type, share, block, washout);
        } catch (IllegalArgumentException e) {
            throw InputException.spec("scenario key 'design.type' is '" + type
                    + "'; use request, user, workspace, cluster or switchback");
        }

        Node f = r.child("faults");
        f.allow("drop_rate", "drop_arm", "fallback_rate");
        String dropArm = f.text("drop_arm", "");
        if (!dropArm.isEmpty() && !dropArm.equals(control.label()) && !dropArm.equals(treatment.label())) {
            throw InputException.spec("scenario key 'faults.drop_arm' is '" + dropArm + "'; use '" + control.label()
                    + "', '" + treatment.label() + "' or leave it out for both");
        }
        Scenario.Faults faults = new Scenario.Faults(f.number("drop_rate", 0, 0, 1), dropArm,
                f.number("fallback_rate", 0, 0, 1));

        List<Scenario.Incident> incidents = new ArrayList<>();
        JsonNode inc = r.raw("incidents");
        if (!inc.isMissingNode()) {
            if (!inc.isArray()) {
                throw InputException.spec("scenario key 'incidents' must be a list of {cluster, start_hour, hours, capacity_loss}");
            }
            for (int i = 0; i < inc.size(); i++) {
                Node n = new Node("incidents[" + i + "].", inc.get(i));
                n.allow("cluster", "start_hour", "hours", "capacity_loss");
                int cluster = (int) n.integer("cluster", 0, 0, supply.clusters() - 1);
                incidents.add(new Scenario.Incident(cluster, n.number("start_hour", 1, 0, 1e6),
                        n.number("hours", 1, 0, 1e6), n.number("capacity_loss", 0.5, 0.0001, 1)));
            }
        }
        return new Scenario(name, seed, start, hours, demand, supply, control, treatment, design, faults, incidents);
    }

    private static Scenario.PolicySpec policy(Node n, String defaultLabel, Scenario.PolicySpec base) {
        n.allow("label", "router", "eviction", "eviction_bonus_seconds", "token_budget_scale", "rate_limit_scale",
                "priority_tier");
        String router = n.text("router", base.router());
        String eviction = n.text("eviction", base.eviction());
        String prefix = n.prefix;
        if (!Policies.routers().contains(router)) {
            throw InputException.spec("scenario key '" + prefix + "router' is '" + router + "'; use one of "
                    + String.join(", ", new java.util.TreeSet<>(Policies.routers())));
        }
        if (!Policies.evictions().contains(eviction)) {
            throw InputException.spec("scenario key '" + prefix + "eviction' is '" + eviction + "'; use one of "
                    + String.join(", ", new java.util.TreeSet<>(Policies.evictions())));
        }
        String tier = n.text("priority_tier", base.priorityTier());
        if (!tier.isEmpty() && !List.of("free", "pro", "enterprise").contains(tier)) {
            throw InputException.spec("scenario key '" + prefix + "priority_tier' is '" + tier
                    + "'; use free, pro or enterprise (or leave it out)");
        }
        return new Scenario.PolicySpec(n.text("label", defaultLabel), router, eviction,
                n.number("eviction_bonus_seconds", base.evictionBonusSeconds(), 0, 1e9),
                n.number("token_budget_scale", base.tokenBudgetScale(), 0.001, 1000),
                n.number("rate_limit_scale", base.rateLimitScale(), 0.001, 1000), tier);
    }

    static final Scenario.PolicySpec DEFAULT_POLICY =
            new Scenario.PolicySpec("control", "prefix_affinity", "lru", 60, 1, 1, "");

    static final List<Scenario.Workload> DEFAULT_WORKLOADS = List.of(
            new Scenario.Workload("chat", 0.5, "small", 4, 20, 250, 220, 0.6, 900, true),
            new Scenario.Workload("agentic", 0.3, "large", 8, 3, 500, 160, 0.7, 2500, true),
            new Scenario.Workload("batch", 0.2, "small", 1, 0, 1500, 350, 0.5, 400, false));

    static final List<Scenario.Gpu> DEFAULT_GPUS = List.of(new Scenario.Gpu("h100", 1.0, 4.0),
            new Scenario.Gpu("a100", 0.6, 2.2));

    static final List<Scenario.Model> DEFAULT_MODELS = List.of(
            new Scenario.Model("small", 1, 8, 40, 0.25, 64, 250_000, 60_000, 32_000, 2048),
            new Scenario.Model("large", 8, 14, 90, 0.5, 48, 400_000, 120_000, 64_000, 4096));

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** A YAML mapping with its key path, for messages. */
    private static final class Node {
        final String prefix;
        final JsonNode node;

        Node(String prefix, JsonNode node) {
            this.prefix = prefix;
            this.node = node;
            if (!node.isMissingNode() && !node.isNull() && !node.isObject()) {
                throw InputException.spec("scenario key '" + (prefix.isEmpty() ? "(top level)" : prefix.substring(0,
                        prefix.length() - 1)) + "' must be a mapping of keys to values, not '" + node.asText() + "'");
            }
        }

        Node child(String key) {
            return new Node(prefix + key + ".", raw(key));
        }

        JsonNode raw(String key) {
            JsonNode v = node.get(key);
            return v == null || v.isNull() ? MissingNode.getInstance() : v;
        }

        void allow(String... keys) {
            if (!node.isObject()) {
                return;
            }
            Set<String> ok = Set.of(keys);
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!ok.contains(k)) {
                    throw InputException.spec("scenario key '" + prefix + k + "' is not known; known keys here: "
                            + String.join(", ", keys));
                }
            }
        }

        String text(String key, String dflt) {
            JsonNode v = raw(key);
            if (v.isMissingNode()) {
                return dflt;
            }
            if (!v.isValueNode()) {
                throw InputException.spec("scenario key '" + prefix + key + "' must be a single value");
            }
            return v.asText();
        }

        double number(String key, double dflt, double min, double max) {
            JsonNode v = raw(key);
            if (v.isMissingNode()) {
                return dflt;
            }
            if (!v.isNumber()) {
                throw InputException.spec("scenario key '" + prefix + key + "' is '" + v.asText()
                        + "', not a number; give a number between " + fmt(min) + " and " + fmt(max));
            }
            double x = v.asDouble();
            if (!(x >= min && x <= max)) {
                throw InputException.spec("scenario key '" + prefix + key + "' is " + v.asText()
                        + "; give a number between " + fmt(min) + " and " + fmt(max));
            }
            return x;
        }

        long integer(String key, long dflt, long min, long max) {
            JsonNode v = raw(key);
            if (v.isMissingNode()) {
                return dflt;
            }
            if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
                throw InputException.spec("scenario key '" + prefix + key + "' is '" + v.asText()
                        + "'; give a whole number between " + min + " and " + max);
            }
            return v.asLong();
        }

        boolean bool(String key, boolean dflt) {
            JsonNode v = raw(key);
            if (v.isMissingNode()) {
                return dflt;
            }
            if (!v.isBoolean()) {
                throw InputException.spec("scenario key '" + prefix + key + "' is '" + v.asText() + "'; use true or false");
            }
            return v.asBoolean();
        }

        Instant instant(String key, Instant dflt) {
            String t = text(key, null);
            if (t == null) {
                return dflt;
            }
            try {
                return Instant.parse(t);
            } catch (DateTimeParseException e) {
                throw InputException.spec("scenario key '" + prefix + key + "' is '" + t
                        + "'; give an ISO-8601 UTC instant such as 2026-11-02T00:00:00Z");
            }
        }

        List<String> strings(String key, List<String> dflt) {
            JsonNode v = raw(key);
            if (v.isMissingNode()) {
                return dflt;
            }
            if (!v.isArray() || v.isEmpty()) {
                throw InputException.spec("scenario key '" + prefix + key + "' must be a non-empty list");
            }
            List<String> out = new ArrayList<>();
            v.forEach(e -> out.add(e.asText()));
            return out;
        }
    }
}

package dev.verdict.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The ideal experiment: the same scenario run twice with the same random streams, once with every request under the
 * control policy and once with every request under the treatment, so the difference is the global effect of shipping
 * the policy, with no sampling error in the assignment and no interference. Against it, a design run gives the direct
 * effect (treated minus control requests in the mixed world) and the spillover on untreated traffic (control requests
 * in the mixed world minus the all-control world).
 */
public final class IdealExperiment {
    private IdealExperiment() {
    }

    /** The two pure worlds. */
    public record Worlds(ArmSummary allControl, ArmSummary allTreatment, Simulation.RunStats controlStats,
                         Simulation.RunStats treatmentStats) { }

    /** Runs both pure worlds of {@code scenario}. */
    public static Worlds worlds(Scenario scenario) {
        ArmSummary c = new ArmSummary();
        Simulation.RunStats cs = new Simulation(scenario, new SimDesign.Pure(false), c).run();
        ArmSummary t = new ArmSummary();
        Simulation.RunStats ts = new Simulation(scenario, new SimDesign.Pure(true), t).run();
        return new Worlds(c, t, cs, ts);
    }

    /** Sends each row to both sinks. */
    public static RequestSink tee(RequestSink a, RequestSink b) {
        return new RequestSink() {
            public void accept(LoggedRequest r) {
                a.accept(r);
                b.accept(r);
            }

            public void finish() {
                a.finish();
                b.finish();
            }
        };
    }

    /** The pure-world statistic of a metric: a mean, or a latency/TTFT quantile when {@code p > 0}. */
    static double stat(ArmSummary s, int arm, Metric m, double p) {
        return p > 0 ? s.quantile(arm, m, p) : (arm < 0 ? s.mean(m) : s.mean(arm, m));
    }

    /**
     * truth.json: for every metric (means, and p50/p99 of latency and TTFT) the all-control and all-treatment values,
     * the global effect, and, for the design run, the treated and control values in the mixed world, the direct effect
     * and the spillover on untreated traffic (pooled over every cluster); for a saturation design also the same per
     * saturation level ({@code saturation_levels}).
     */
    public static ObjectNode truth(Scenario sc, SimDesign design, Worlds w, ArmSummary mixed) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("scenario", sc.name());
        root.put("seed", sc.seed());
        root.put("start", sc.start().toString());
        root.put("hours", sc.hours());
        root.put("control", sc.control().label());
        root.put("treatment", sc.treatment().label());
        ObjectNode d = root.putObject("design");
        d.put("name", design.name());
        d.put("unit", design.unit());
        d.put("treated_share", design.treatedShare());
        if (design instanceof SimDesign.Switchback sb) {
            d.put("block_minutes", sb.blockMinutes());
            d.put("washout_minutes", sb.washoutMinutes());
        }
        ObjectNode n = root.putObject("requests");
        n.put("all_control", w.allControl().count());
        n.put("all_treatment", w.allTreatment().count());
        if (mixed != null) {
            n.put("design_control", mixed.count(0));
            n.put("design_treatment", mixed.count(1));
        }
        ObjectNode effects = root.putObject("effects");
        for (Metric m : Metric.values()) {
            put(effects, m.column(), "mean", m, 0, w, mixed);
            if (m.hasQuantiles()) {
                put(effects, m.column() + "_p50", "p50", m, 0.5, w, mixed);
                put(effects, m.column() + "_p99", "p99", m, 0.99, w, mixed);
            }
        }
        if (design instanceof SimDesign.Saturation sat && mixed != null) {
            saturationLevels(root.putArray("saturation_levels"), sc, sat, w, mixed);
        }
        return root;
    }

    /**
     * Per saturation level, over the clusters drawn at that level only: the untreated and treated requests' means in
     * the design run, the same clusters' mean in the all-control world, the spillover on untreated requests (untreated
     * mean minus the all-control world's, same clusters) and the direct effect (treated minus untreated, same
     * clusters). At level 0 the spillover is the interference that crosses clusters, zero when clusters share nothing.
     * These are the estimands of a saturation design's spillover and direct effects (Hudgens and Halloran 2008), which
     * the pooled {@code spillover_on_untreated} (over every cluster) mixes with the pure-control clusters.
     */
    private static void saturationLevels(com.fasterxml.jackson.databind.node.ArrayNode out, Scenario sc,
                                         SimDesign.Saturation sat, Worlds w, ArmSummary mixed) {
        java.util.List<String> names = sc.supply().clusterNames();
        Designs.saturation(sc, sat).clustersByLevel().forEach((level, clusters) -> {
            java.util.List<Integer> idx = clusters.stream().map(names::indexOf).sorted().toList();
            ObjectNode l = out.addObject();
            l.put("level", level);
            com.fasterxml.jackson.databind.node.ArrayNode cn = l.putArray("clusters");
            clusters.forEach(cn::add);
            l.put("requests_untreated", mixed.count(0, idx));
            l.put("requests_treated", mixed.count(1, idx));
            ObjectNode effects = l.putObject("effects");
            for (Metric m : Metric.values()) {
                ObjectNode e = effects.putObject(m.column());
                double c = w.allControl().mean(-1, idx, m);
                double u = mixed.mean(0, idx, m);
                double t = mixed.mean(1, idx, m);
                e.put("all_control_same_clusters", c);
                e.put("design_untreated", u);
                if (!Double.isNaN(t)) {
                    e.put("design_treated", t);
                    e.put("direct_effect", t - u);
                }
                if (!Double.isNaN(u)) {
                    e.put("spillover_on_untreated", u - c);
                }
            }
        });
    }

    private static void put(ObjectNode effects, String key, String statistic, Metric m, double p, Worlds w,
                            ArmSummary mixed) {
        ObjectNode e = effects.putObject(key);
        e.put("column", m.column());
        e.put("statistic", statistic);
        double c = stat(w.allControl(), -1, m, p);
        double t = stat(w.allTreatment(), -1, m, p);
        e.put("all_control", c);
        e.put("all_treatment", t);
        e.put("global_effect", t - c);
        e.put("relative_global_effect", c == 0 ? Double.NaN : (t - c) / c);
        if (mixed != null) {
            double mt = stat(mixed, 1, m, p);
            double mc = stat(mixed, 0, m, p);
            e.put("design_treated", mt);
            e.put("design_control", mc);
            e.put("direct_effect", mt - mc);
            e.put("spillover_on_untreated", mc - c);
        }
    }
}

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
     * and the spillover on untreated traffic.
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
        return root;
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

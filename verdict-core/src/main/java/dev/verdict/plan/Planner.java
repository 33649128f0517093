package dev.verdict.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * For each candidate randomized design, the minimum detectable effect after a given number of days and the days
 * needed for a target effect ({@link PowerMath}), and the recommended design: the smallest MDE among the designs
 * that are valid for the change. A change that touches shared state (cache, batching, queues ...) makes request- and
 * user-level contrasts biased (treated and control share the state: spillover), so only cluster RCTs and
 * switchbacks are valid for it; a cluster RCT needs at least 4 clusters (2 per arm).
 */
public final class Planner {
    /** Fewest clusters a cluster RCT is planned with. */
    public static final int MIN_CLUSTERS = 4;

    private Planner() {
    }

    /**
     * What the plan knows about the outcome; NaN for unknown.
     *
     * @param mean           mean of the outcome per request
     * @param sd             SD of the outcome per request
     * @param requestsPerDay requests a day (all arms)
     * @param users          users (units of a user RCT) over the horizon
     * @param iccUser        intraclass correlation of the outcome within users
     * @param clusters       clusters
     * @param iccCluster     intraclass correlation within clusters
     * @param blockMinutes   switchback block length
     * @param blockSd        SD of system-wide block means
     * @param blockRho       lag-1 autocorrelation of block means
     */
    public record Inputs(double mean, double sd, double requestsPerDay, double users, double iccUser, double clusters,
                         double iccCluster, double blockMinutes, double blockSd, double blockRho) { }

    /**
     * One design's plan.
     *
     * @param design          request_rct, user_rct, cluster_rct or switchback
     * @param unit            the randomization unit
     * @param units           units available over the horizon (blocks for a switchback); NaN when unknown
     * @param mde             minimum detectable effect after the horizon; NaN when an input is missing
     * @param daysNeeded      days to reach the min effect; NaN without one, +Infinity when unreachable
     * @param designEffect    {@code 1 + (m - 1) ICC} (user, cluster) or {@code (1 + rho) / (1 - rho)} (switchback),
     *                        1 for requests
     * @param validForChange  whether the design is valid for this change (shared state, enough clusters)
     * @param note            why not valid, or which input is missing; empty otherwise
     */
    public record DesignPlan(String design, String unit, double units, double mde, double daysNeeded,
                             double designEffect, boolean validForChange, String note) { }

    /**
     * The plan.
     *
     * @param designs     the four designs in the order request_rct, user_rct, cluster_rct, switchback
     * @param recommended the recommended design, if any design is valid and computable
     * @param reason      why, in one paragraph
     */
    public record Plan(List<DesignPlan> designs, Optional<String> recommended, String reason) { }

    /**
     * Plans the four designs.
     *
     * @param alpha       two-sided significance level
     * @param power       power, in (0, 1)
     * @param share       treated share in (0, 1)
     * @param days        the horizon the MDE is computed for
     * @param minEffect   the effect to detect, in the metric's unit; NaN when not declared
     * @param sharedState the shared state the change touches (empty when state-neutral)
     * @param decision    the spec's decision pattern (ship_broadly, explain_treated, target_segment, change_rule), for
     *                    the reason
     */
    public static Plan plan(Inputs in, double alpha, double power, double share, double days, double minEffect,
                            List<String> sharedState, String decision) {
        double z = PowerMath.zSum(alpha, power);
        boolean shared = !sharedState.isEmpty();
        String sharedNote = shared ? "biased for a change to shared state (" + String.join(", ", sharedState)
                + "): treated and control share it" : "";
        List<DesignPlan> out = new ArrayList<>();

        // request RCT
        {
            double mde = PowerMath.requestMde(z, in.sd(), share, in.requestsPerDay(), days);
            double need = Double.isNaN(minEffect) ? Double.NaN
                    : PowerMath.requestDays(z, in.sd(), share, in.requestsPerDay(), minEffect);
            String missing = missing(in.sd(), "sd", in.requestsPerDay(), "requests_per_day");
            out.add(new DesignPlan("request_rct", "request_id", in.requestsPerDay() * days, mde, need, 1, !shared,
                    join(sharedNote, missing)));
        }
        // user RCT
        {
            double mde = PowerMath.clusteredMde(z, in.sd(), share, in.requestsPerDay(), days, in.users(), in.iccUser());
            double need = Double.isNaN(minEffect) ? Double.NaN : PowerMath.clusteredDays(z, in.sd(), share,
                    in.requestsPerDay(), in.users(), in.iccUser(), minEffect);
            double de = PowerMath.designEffect(in.requestsPerDay() * days / in.users(), in.iccUser());
            String missing = missing(in.sd(), "sd", in.requestsPerDay(), "requests_per_day", in.users(), "users",
                    in.iccUser(), "icc_user");
            out.add(new DesignPlan("user_rct", "user_id", in.users(), mde, need, de, !shared, join(sharedNote, missing)));
        }
        // cluster RCT: Student t on K - 2 degrees of freedom
        {
            double k = in.clusters();
            boolean enough = k >= MIN_CLUSTERS;
            double t = enough ? PowerMath.tSum(alpha, power, k - 2) : Double.NaN;
            double mde = PowerMath.clusteredMde(t, in.sd(), share, in.requestsPerDay(), days, k, in.iccCluster());
            double need = Double.isNaN(minEffect) ? Double.NaN : PowerMath.clusteredDays(t, in.sd(), share,
                    in.requestsPerDay(), k, in.iccCluster(), minEffect);
            double de = PowerMath.designEffect(in.requestsPerDay() * days / k, in.iccCluster());
            String missing = missing(in.sd(), "sd", in.requestsPerDay(), "requests_per_day", k, "clusters",
                    in.iccCluster(), "icc_cluster");
            String few = !Double.isNaN(k) && !enough ? "only " + fmt(k) + (k == 1 ? " cluster" : " clusters") + ": a cluster RCT needs at least "
                    + MIN_CLUSTERS + " (2 per arm)" : "";
            out.add(new DesignPlan("cluster_rct", "cluster", k, mde, need, de, enough || Double.isNaN(k),
                    join(few, missing)));
        }
        // switchback
        {
            double perDay = 1440.0 / in.blockMinutes();
            double mde = PowerMath.switchbackMde(z, in.blockSd(), in.blockRho(), share, perDay, days);
            double need = Double.isNaN(minEffect) ? Double.NaN
                    : PowerMath.switchbackDays(z, in.blockSd(), in.blockRho(), share, perDay, minEffect);
            String missing = missing(in.blockSd(), "block_sd", in.blockRho(), "block_rho");
            out.add(new DesignPlan("switchback", "time block (" + fmt(in.blockMinutes()) + " min)", perDay * days, mde,
                    need, PowerMath.autocorrelationInflation(in.blockRho()), true, missing));
        }

        DesignPlan best = null;
        for (DesignPlan d : out) {
            if (d.validForChange() && Double.isFinite(d.mde()) && (best == null || d.mde() < best.mde())) {
                best = d;
            }
        }
        StringBuilder why = new StringBuilder();
        if (best == null) {
            why.append("no design is both valid for this change and computable from the inputs; give history "
                    + "(--history) or the missing inputs (--variance KEY=VALUE)");
        } else {
            why.append(String.format(Locale.ROOT, "%s has the smallest MDE after %s days (%s)", best.design(), fmt(days),
                    fmt(best.mde())));
            List<String> others = new ArrayList<>();
            List<String> excluded = new ArrayList<>();
            List<String> otherExcluded = new ArrayList<>();
            for (DesignPlan d : out) {
                if (d == best) {
                    continue;
                }
                String label = d.design() + (Double.isFinite(d.mde()) ? " (MDE " + fmt(d.mde()) + ")" : "");
                if (!d.validForChange() && shared && !d.design().equals("cluster_rct")) {
                    excluded.add(label);
                } else if (!d.validForChange()) {
                    otherExcluded.add(label + ": " + d.note());
                } else if (Double.isFinite(d.mde())) {
                    others.add(d.design() + " " + fmt(d.mde()));
                } else {
                    otherExcluded.add(d.design() + ": " + d.note());
                }
            }
            if (!others.isEmpty()) {
                why.append(" among the valid designs (").append(String.join(", ", others)).append(")");
            }
            why.append('.');
            if (!excluded.isEmpty()) {
                why.append(" Excluded: ").append(String.join(", ", excluded)).append(": the change touches shared "
                        + "state (").append(String.join(", ", sharedState)).append("), so treated and control requests "
                        + "or users share it and their contrast is biased by spillover; randomize whole clusters or "
                        + "whole time blocks.");
            }
            if (!otherExcluded.isEmpty()) {
                why.append(" Not compared: ").append(String.join("; ", otherExcluded)).append('.');
            }
            if (!Double.isNaN(minEffect)) {
                why.append(Double.isFinite(best.daysNeeded())
                        ? String.format(Locale.ROOT, " It reaches the min effect %s in %s days.", fmt(minEffect),
                        fmt(best.daysNeeded()))
                        : String.format(Locale.ROOT, " It never reaches the min effect %s: between-unit variance sets "
                        + "a floor; add units or stratify.", fmt(minEffect)));
            }
        }
        why.append(' ').append(switch (decision) {
            case "ship_broadly" -> "Decision ship_broadly needs the global effect (all on vs all off)" + (shared
                    ? ", which only cluster or time-block randomization estimates when state is shared."
                    : "; with no shared state declared, a unit-level contrast estimates it.");
            case "explain_treated" -> "Decision explain_treated asks for the effect on the treated units" + (shared
                    ? "; with shared state, untreated units of the same cluster or block are not a clean control."
                    : ".");
            case "target_segment" -> "Decision target_segment estimates effects per segment: a segment holding a share"
                    + " w of the units has an MDE about 1/sqrt(w) times the table's.";
            case "change_rule" -> "Decision change_rule compares decision rules over the same traffic; the MDE is the"
                    + " smallest rule-to-rule difference detectable.";
            default -> "";
        });
        return new Plan(List.copyOf(out), Optional.ofNullable(best).map(DesignPlan::design), why.toString().strip());
    }

    private static String missing(Object... pairs) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (Double.isNaN((Double) pairs[i])) {
                names.add((String) pairs[i + 1]);
            }
        }
        return names.isEmpty() ? "" : "needs " + String.join(", ", names) + " (from --history or --variance)";
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + "; " + b;
    }

    /** Four significant digits. */
    public static String fmt(double v) {
        if (Double.isInfinite(v)) {
            return v > 0 ? "never" : "-inf";
        }
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }
}

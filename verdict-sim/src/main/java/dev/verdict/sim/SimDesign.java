package dev.verdict.sim;

import java.util.Locale;

/**
 * The experimental design applied inside a simulation: which unit is randomized and at what treated share. The two
 * pure designs are the arms of the ideal experiment (everything under one policy, same random streams).
 */
public sealed interface SimDesign {

    /** Share of randomized units that are treated. */
    double treatedShare();

    /** The design's name as the spec's {@code design} key spells it (or {@code all_control}/{@code all_treatment}). */
    String name();

    /** The unit of randomization as a log column ({@code request_id}, {@code user_id}, ...), or a description. */
    String unit();

    /** Each request independently, by a salted hash of its id. */
    record Request(double treatedShare) implements SimDesign {
        public String name() {
            return "request_rct";
        }

        public String unit() {
            return "request_id";
        }
    }

    /** Each user, by a salted hash of the user id. */
    record User(double treatedShare) implements SimDesign {
        public String name() {
            return "user_rct";
        }

        public String unit() {
            return "user_id";
        }
    }

    /** Each workspace (tenant), by a salted hash of the workspace id. */
    record Workspace(double treatedShare) implements SimDesign {
        public String name() {
            return "workspace_rct";
        }

        public String unit() {
            return "workspace_id";
        }
    }

    /** Whole clusters, by complete randomization within regions. */
    record Cluster(double treatedShare) implements SimDesign {
        public String name() {
            return "cluster_rct";
        }

        public String unit() {
            return "cluster";
        }
    }

    /** Time blocks of the whole system, randomized within day; the first washout minutes of a block are excluded. */
    record Switchback(double treatedShare, double blockMinutes, double washoutMinutes) implements SimDesign {
        public String name() {
            return "switchback";
        }

        public String unit() {
            return "time block";
        }
    }

    /**
     * Two-stage (saturation) design: clusters are drawn to a treated share among {@code levels} (saturation to share of
     * clusters, stratified by region), then requests inside each cluster are hashed into arms at its saturation.
     * Pure-control clusters identify the spillover on untreated requests in mixed clusters.
     */
    record Saturation(java.util.SortedMap<Double, Double> levels) implements SimDesign {
        public Saturation {
            levels = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(levels));
        }

        public double treatedShare() {
            double s = 0;
            for (var e : levels.entrySet()) {
                s += e.getKey() * e.getValue();
            }
            return s;
        }

        public String name() {
            return "saturation";
        }

        public String unit() {
            return "cluster, then request";
        }
    }

    /** Everything under one policy: an arm of the ideal experiment. */
    record Pure(boolean treated) implements SimDesign {
        public double treatedShare() {
            return treated ? 1 : 0;
        }

        public String name() {
            return treated ? "all_treatment" : "all_control";
        }

        public String unit() {
            return "system";
        }
    }

    /**
     * The command line's saturation design: a third of the clusters pure control, a third at {@code share}, a third
     * fully treated, so that spillover, the direct effect and the effect of shipping (total effect) are all identified;
     * with a share of 0 or 1, half pure control and half fully treated.
     */
    static Saturation saturationInThirds(double share) {
        java.util.TreeMap<Double, Double> levels = new java.util.TreeMap<>();
        if (share > 0 && share < 1) {
            levels.put(0.0, 1.0 / 3);
            levels.put(share, 1.0 / 3);
            levels.put(1.0, 1.0 / 3);
        } else {
            levels.put(0.0, 0.5);
            levels.put(1.0, 0.5);
        }
        return new Saturation(levels);
    }

    /** Parses a design name as written on the command line ({@code request}, {@code switchback}, ...). */
    static SimDesign parse(String text, double share, double blockMinutes, double washoutMinutes) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace("_rct", "");
        return switch (t) {
            case "request" -> new Request(share);
            case "user" -> new User(share);
            case "workspace" -> new Workspace(share);
            case "cluster" -> new Cluster(share);
            case "switchback" -> new Switchback(share, blockMinutes, washoutMinutes);
            case "saturation" -> saturationInThirds(share);
            case "all_control" -> new Pure(false);
            case "all_treatment" -> new Pure(true);
            default -> throw new IllegalArgumentException(text);
        };
    }
}

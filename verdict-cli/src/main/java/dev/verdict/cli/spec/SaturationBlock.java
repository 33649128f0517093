package dev.verdict.cli.spec;

import dev.verdict.spec.ExperimentSpec.Design;
import dev.verdict.spec.Saturation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code saturation} block of a cluster RCT run as a saturation (two-stage) design:
 * {@code saturation: {levels: [0, 0.5, 1], shares: [0.4, 0.3, 0.3]}}. Levels are treated shares in [0, 1], strictly
 * increasing, with 0 (pure-control clusters) and at least one positive level; {@code shares} (optional) is the declared
 * share of clusters per level, one per level, each in (0, 1], summing to 1.
 */
final class SaturationBlock {
    static final List<String> KEYS = List.of("levels", "shares");
    private static final String EXAMPLE = "saturation: {levels: [0, 0.5, 1]}";
    private static final double TOLERANCE = 1e-6;

    private SaturationBlock() {
    }

    static Optional<Saturation> parse(Section top, Design design) {
        Optional<Value> v = top.get("saturation");
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (design != Design.CLUSTER_RCT) {
            throw v.get().bad("a saturation block declares the second stage of a cluster RCT (design here is "
                    + design.name().toLowerCase(java.util.Locale.ROOT) + "); set design: cluster_rct or remove it");
        }
        Section s = v.get().section(KEYS, "{levels: [0, 0.5, 1]}");
        Value lv = s.require("levels", "give the declared treated shares per cluster, e.g. " + EXAMPLE);
        List<Double> levels = new ArrayList<>();
        for (Value item : lv.items("levels: [0, 0.5, 1]")) {
            double l = item.number("a treated share in [0, 1], e.g. 0.5");
            if (l < 0 || l > 1) {
                throw item.bad("a level is the share of a cluster's requests treated, in [0, 1]; e.g. levels: [0, 0.5, 1]");
            }
            if (!levels.isEmpty() && l <= levels.get(levels.size() - 1)) {
                throw item.bad("levels must be distinct and increasing (previous level " + fmt(levels.get(levels.size() - 1))
                        + "); e.g. levels: [0, 0.5, 1]");
            }
            levels.add(l);
        }
        if (levels.isEmpty() || levels.get(0) != 0.0) {
            throw lv.bad("a saturation design needs pure-control clusters: start the levels with 0, e.g. levels: [0, 0.5, 1]");
        }
        if (levels.size() < 2) {
            throw lv.bad("besides 0, give at least one positive level (treated share), e.g. levels: [0, 0.5, 1]");
        }
        Optional<List<Double>> shares = Optional.empty();
        Optional<Value> sv = s.get("shares");
        if (sv.isPresent()) {
            List<Value> items = sv.get().items("shares: [0.4, 0.3, 0.3]");
            if (items.size() != levels.size()) {
                throw sv.get().bad("one share of clusters per level: " + levels.size() + " levels need "
                        + levels.size() + " shares summing to 1");
            }
            List<Double> out = new ArrayList<>();
            double sum = 0;
            for (Value item : items) {
                double x = item.number("a share of clusters in (0, 1], e.g. 0.3");
                if (!(x > 0 && x <= 1)) {
                    throw item.bad("a share of clusters in (0, 1]; drop a level that no cluster was drawn to");
                }
                out.add(x);
                sum += x;
            }
            if (Math.abs(sum - 1) > TOLERANCE) {
                throw sv.get().bad("the shares of clusters per level must sum to 1 (they sum to " + fmt(sum) + ")");
            }
            shares = Optional.of(out);
        }
        return Optional.of(new Saturation(levels, shares));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(Math.round(v * 1e9) / 1e9);
    }
}

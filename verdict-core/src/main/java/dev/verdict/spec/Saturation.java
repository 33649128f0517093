package dev.verdict.spec;

import java.util.List;
import java.util.Optional;

/**
 * The second stage of a saturation (two-stage) design declared on a cluster RCT: clusters were randomized to one of
 * the {@code levels} (the share of the cluster's requests treated), then requests were randomized within each cluster
 * at its level. Level 0 clusters are pure control; level 1 clusters are fully treated.
 *
 * @param levels the declared treated shares, increasing, in [0, 1], with 0 and at least one positive level
 * @param shares the declared share of clusters at each level (same order, summing to 1), if declared; the sample-ratio
 *               check counts clusters per level against them
 */
public record Saturation(List<Double> levels, Optional<List<Double>> shares) {
    public Saturation {
        levels = List.copyOf(levels);
        shares = shares.map(List::copyOf);
        if (levels.size() < 2 || levels.get(0) != 0.0) {
            throw new IllegalArgumentException("levels need 0 and at least one positive level, got " + levels);
        }
        for (int i = 0; i < levels.size(); i++) {
            double l = levels.get(i);
            if (!(l >= 0 && l <= 1) || (i > 0 && l <= levels.get(i - 1))) {
                throw new IllegalArgumentException("levels must increase within [0, 1], got " + levels);
            }
        }
        if (shares.isPresent() && shares.get().size() != levels.size()) {
            throw new IllegalArgumentException("one share per level, got " + shares.get() + " for " + levels);
        }
    }

    /** Whether fully treated clusters (level 1) are declared: the effect of shipping is then identified. */
    public boolean hasFullyTreated() {
        return levels.get(levels.size() - 1) == 1.0;
    }

    /** The declared level nearest to an observed treated share (the lower one on a tie). */
    public double nearest(double share) {
        double best = levels.get(0);
        for (double l : levels) {
            if (Math.abs(l - share) < Math.abs(best - share)) {
                best = l;
            }
        }
        return best;
    }
}

package dev.verdict.assign;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Mutually exclusive layers: experiments in the same layer never share a unit.
 *
 * <p>A unit hashes to a slot, its {@link HashBucketing} bucket under the layer's salt, in
 * {@code [0, HashBucketing.BUCKETS)}. Each experiment of the layer owns one slot range {@code [from, to)};
 * ranges of different experiments may not overlap, so a unit belongs to at most one experiment of the layer.
 * Slots that no range covers are free (the unit is in no experiment of this layer). Within its range an
 * experiment assigns arms with a second, independent hash: {@link #arm(String, String, double[])} buckets the
 * unit under the salt {@code layerSalt + "/" + experiment}, so the arm split is the same in every part of the
 * range and independent of the slot. Experiments in different layers (different salts) overlap independently.
 *
 * <p>Immutable: {@link #with(String, int, int)} and {@link #without(String)} return new layers, and refuse an
 * overlap, a duplicate experiment name or an empty range with an {@link IllegalArgumentException} naming both
 * ranges. Hand-written; thread-safe.
 */
public final class Layer {
    /**
     * One experiment's slot range.
     *
     * @param experiment the experiment name
     * @param from       first slot, inclusive
     * @param to         end slot, exclusive
     */
    public record Range(String experiment, int from, int to) {
        /** Whether {@code slot} is in {@code [from, to)}. */
        public boolean containsSlot(int slot) {
            return slot >= from && slot < to;
        }

        /** Number of slots, {@code to - from}. */
        public int size() {
            return to - from;
        }

        @Override
        public String toString() {
            return experiment + " [" + from + ", " + to + ")";
        }
    }

    private final HashBucketing slots;
    private final List<Range> ranges;
    private final List<HashBucketing> armHashes;

    /**
     * An empty layer with hash version 1.
     *
     * @param layerSalt non-empty salt naming the layer
     * @throws IllegalArgumentException when the salt is null or empty
     */
    public Layer(String layerSalt) {
        this(new HashBucketing(layerSalt), List.of(), List.of());
    }

    private Layer(HashBucketing slots, List<Range> ranges, List<HashBucketing> armHashes) {
        this.slots = slots;
        this.ranges = ranges;
        this.armHashes = armHashes;
    }

    /** The layer's salt. */
    public String salt() {
        return slots.salt();
    }

    /** The experiments' ranges, in the order they were added. */
    public List<Range> ranges() {
        return ranges;
    }

    /**
     * This layer plus an experiment owning slots {@code [from, to)}.
     *
     * @throws IllegalArgumentException when the name is empty or already used, the range is not within
     *                                  {@code [0, BUCKETS]} with {@code from < to}, or it overlaps another
     *                                  experiment's range
     */
    public Layer with(String experiment, int from, int to) {
        Arguments.salt("experiment name", experiment);
        if (!(from >= 0 && from < to && to <= HashBucketing.BUCKETS)) {
            throw new IllegalArgumentException("slot range of experiment '" + experiment + "' must satisfy 0 <= from < to <= "
                    + HashBucketing.BUCKETS + ", got [" + from + ", " + to + ")");
        }
        for (Range r : ranges) {
            if (r.experiment.equals(experiment)) {
                throw new IllegalArgumentException("experiment '" + experiment + "' is already in layer '" + salt()
                        + "' with slots " + r + "; remove it with without() first");
            }
            if (from < r.to && r.from < to) {
                throw new IllegalArgumentException("slot range [" + from + ", " + to + ") of experiment '" + experiment
                        + "' overlaps " + r + " in layer '" + salt() + "': experiments of one layer must not share slots");
            }
        }
        List<Range> nextRanges = new ArrayList<>(ranges);
        nextRanges.add(new Range(experiment, from, to));
        List<HashBucketing> nextHashes = new ArrayList<>(armHashes);
        nextHashes.add(new HashBucketing(salt() + "/" + experiment));
        return new Layer(slots, Collections.unmodifiableList(nextRanges), Collections.unmodifiableList(nextHashes));
    }

    /**
     * This layer without {@code experiment}; its slots become free.
     *
     * @throws IllegalArgumentException when the experiment is not in the layer
     */
    public Layer without(String experiment) {
        int i = indexOf(experiment);
        List<Range> nextRanges = new ArrayList<>(ranges);
        nextRanges.remove(i);
        List<HashBucketing> nextHashes = new ArrayList<>(armHashes);
        nextHashes.remove(i);
        return new Layer(slots, Collections.unmodifiableList(nextRanges), Collections.unmodifiableList(nextHashes));
    }

    /** The unit's slot: its bucket under the layer's salt. */
    public int slot(String unitId) {
        return slots.bucket(unitId);
    }

    /** The slot of a numeric unit id, equal to {@code slot(Long.toString(unitId))}. */
    public int slot(long unitId) {
        return slots.bucket(unitId);
    }

    /**
     * Whether the unit falls in the experiment's slot range.
     *
     * @throws IllegalArgumentException when the experiment is not in the layer
     */
    public boolean contains(String experiment, String unitId) {
        return ranges.get(indexOf(experiment)).containsSlot(slot(unitId));
    }

    /** {@link #contains(String, String)} for a numeric unit id. */
    public boolean contains(String experiment, long unitId) {
        return ranges.get(indexOf(experiment)).containsSlot(slot(unitId));
    }

    /** The experiment of this layer that owns the unit, or empty when its slot is free. */
    public Optional<String> experimentOf(String unitId) {
        int slot = slot(unitId);
        for (Range r : ranges) {
            if (r.containsSlot(slot)) {
                return Optional.of(r.experiment);
            }
        }
        return Optional.empty();
    }

    /**
     * The unit's arm in the experiment (0 control, {@code j >= 1} treatment {@code j}, by
     * {@link HashBucketing#arm(String, double[])} under salt {@code layerSalt + "/" + experiment}), or -1 when
     * the unit is not in the experiment's slot range.
     *
     * @throws IllegalArgumentException when the experiment is not in the layer or the shares are invalid
     */
    public int arm(String experiment, String unitId, double[] shares) {
        int i = indexOf(experiment);
        Arguments.shares(shares);
        return ranges.get(i).containsSlot(slot(unitId)) ? armHashes.get(i).arm(unitId, shares) : -1;
    }

    /** {@link #arm(String, String, double[])} for a numeric unit id. */
    public int arm(String experiment, long unitId, double[] shares) {
        int i = indexOf(experiment);
        Arguments.shares(shares);
        return ranges.get(i).containsSlot(slot(unitId)) ? armHashes.get(i).arm(unitId, shares) : -1;
    }

    private int indexOf(String experiment) {
        for (int i = 0; i < ranges.size(); i++) {
            if (ranges.get(i).experiment.equals(experiment)) {
                return i;
            }
        }
        throw new IllegalArgumentException("experiment '" + experiment + "' is not in layer '" + salt() + "'; it has "
                + ranges);
    }

    @Override
    public String toString() {
        return "Layer[salt=" + salt() + ", ranges=" + ranges + "]";
    }
}

package dev.verdict.sim;

import dev.verdict.sim.policy.EvictionPolicy;

import java.util.Arrays;

/**
 * A replica's prefix (KV) cache: entries keyed by a prefix id, sized in tokens, with a finite capacity. On every
 * insertion and hit the entry is scored by an {@link EvictionPolicy}; when room is needed the lowest score goes first
 * (ties: the older score first). Scores on one recency scale let entries scored by two policies share one cache.
 *
 * <p>Hand-written because it sits on the simulator's hot path: an open-addressing {@code long -> entry} table plus an
 * indexed binary min-heap, so lookups, rescoring and eviction are O(1)/O(log n) without boxing.
 */
public final class PrefixCache {
    private final long capacity;
    private long used;
    private long hits;
    private long misses;
    private long seq;

    // indexed binary min-heap on (score, order), the keys kept beside the entries so sifts compare without dereferencing
    private Entry[] heap = new Entry[64];
    private double[] heapScore = new double[64];
    private long[] heapOrder = new long[64];
    private int size;

    private long[] keys = new long[128];
    private Entry[] slots = new Entry[128];
    private int occupied;

    /** A cached prefix. */
    public static final class Entry implements EvictionPolicy.CacheEntry {
        final long key;
        int sizeTokens;
        final int tenant;
        final double insertedAt;
        long hits;
        int heapIndex;
        boolean treated;

        Entry(long key, int sizeTokens, int tenant, double insertedAt) {
            this.key = key;
            this.sizeTokens = sizeTokens;
            this.tenant = tenant;
            this.insertedAt = insertedAt;
        }

        public int sizeTokens() {
            return sizeTokens;
        }

        public long hits() {
            return hits;
        }

        public double insertedAt() {
            return insertedAt;
        }

        public int tenant() {
            return tenant;
        }

        /** Whether the last request to touch this entry was treated (its policy scored the entry). */
        public boolean treated() {
            return treated;
        }
    }

    public PrefixCache(long capacityTokens) {
        this.capacity = capacityTokens;
    }

    public long capacity() {
        return capacity;
    }

    public long used() {
        return used;
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    public int entries() {
        return size;
    }

    /**
     * Looks {@code key} up; on a hit the entry is rescored by {@code policy} for the accessing arm and returned, on a
     * miss {@code null}. Counts hits and misses.
     */
    public Entry access(long key, double now, EvictionPolicy policy, boolean treated) {
        Entry e = find(key);
        if (e == null) {
            misses++;
            return null;
        }
        hits++;
        e.hits++;
        rescore(e, policy.retention(e, now), treated);
        return e;
    }

    /** Whether {@code key} is cached, without touching it. */
    public boolean contains(long key) {
        return find(key) != null;
    }

    /**
     * Inserts {@code key} with {@code sizeTokens}, or grows and rescores it if present, evicting the lowest scores
     * until it fits. An entry larger than the whole cache is not kept.
     */
    public void put(long key, int sizeTokens, int tenant, double now, EvictionPolicy policy, boolean treated) {
        Entry e = find(key);
        if (e != null) {
            remove(e);
            e.sizeTokens = sizeTokens;
        } else {
            e = new Entry(key, sizeTokens, tenant, now);
        }
        if (sizeTokens > capacity) {
            return;
        }
        while (used + sizeTokens > capacity) {
            remove(heap[0]);
        }
        e.treated = treated;
        insertHeap(e, policy.retention(e, now), seq++);
        insertTable(e);
        used += sizeTokens;
    }

    private void rescore(Entry e, double score, boolean treated) {
        e.treated = treated;
        int i = e.heapIndex;
        long order = seq++;
        if (!siftDown(i, e, score, order)) {
            siftUp(i, e, score, order);
        }
    }

    private void remove(Entry e) {
        used -= e.sizeTokens;
        int i = e.heapIndex;
        int n = --size;
        Entry last = heap[n];
        double lastScore = heapScore[n];
        long lastOrder = heapOrder[n];
        heap[n] = null;
        if (i < n) {
            if (!siftDown(i, last, lastScore, lastOrder)) {
                siftUp(i, last, lastScore, lastOrder);
            }
        }
        deleteTable(e.key);
    }

    private void insertHeap(Entry e, double score, long order) {
        if (size == heap.length) {
            int n = size * 2;
            heap = Arrays.copyOf(heap, n);
            heapScore = Arrays.copyOf(heapScore, n);
            heapOrder = Arrays.copyOf(heapOrder, n);
        }
        siftUp(size++, e, score, order);
    }

    private void place(int i, Entry e, double score, long order) {
        heap[i] = e;
        heapScore[i] = score;
        heapOrder[i] = order;
        e.heapIndex = i;
    }

    /** Places (e, score, order) at or above hole {@code i}. */
    private void siftUp(int i, Entry e, double score, long order) {
        double[] hs = heapScore;
        long[] ho = heapOrder;
        Entry[] h = heap;
        while (i > 0) {
            int p = (i - 1) >>> 1;
            double ps = hs[p];
            if (!(score < ps || (score == ps && order < ho[p]))) {
                break;
            }
            Entry pe = h[p];
            h[i] = pe;
            hs[i] = ps;
            ho[i] = ho[p];
            pe.heapIndex = i;
            i = p;
        }
        place(i, e, score, order);
    }

    /**
     * Places (e, score, order) at or below hole {@code i}; returns whether it moved down (if not, nothing was
     * written and the caller sifts up instead).
     */
    private boolean siftDown(int i, Entry e, double score, long order) {
        double[] hs = heapScore;
        long[] ho = heapOrder;
        Entry[] h = heap;
        int n = size;
        int start = i;
        while (true) {
            int l = 2 * i + 1;
            if (l >= n) {
                break;
            }
            int c = l;
            double cs = hs[l];
            if (l + 1 < n) {
                double rs = hs[l + 1];
                if (rs < cs || (rs == cs && ho[l + 1] < ho[l])) {
                    c = l + 1;
                    cs = rs;
                }
            }
            if (!(cs < score || (cs == score && ho[c] < order))) {
                break;
            }
            Entry ce = h[c];
            h[i] = ce;
            hs[i] = cs;
            ho[i] = ho[c];
            ce.heapIndex = i;
            i = c;
        }
        if (i == start) {
            return false;
        }
        place(i, e, score, order);
        return true;
    }

    // open addressing with linear probing and backward-shift deletion

    private static int mix(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private Entry find(long key) {
        int mask = slots.length - 1;
        for (int i = mix(key, mask); ; i = (i + 1) & mask) {
            Entry s = slots[i];
            if (s == null) {
                return null;
            }
            if (keys[i] == key) {
                return s;
            }
        }
    }

    private void insertTable(Entry e) {
        if ((occupied + 1) * 2 > slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        int i = mix(e.key, mask);
        while (slots[i] != null) {
            if (keys[i] == e.key) {
                slots[i] = e;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = e.key;
        slots[i] = e;
        occupied++;
    }

    private void grow() {
        long[] oldKeys = keys;
        Entry[] oldSlots = slots;
        keys = new long[oldKeys.length * 2];
        slots = new Entry[oldSlots.length * 2];
        occupied = 0;
        for (int i = 0; i < oldSlots.length; i++) {
            if (oldSlots[i] != null) {
                insertTable(oldSlots[i]);
            }
        }
    }

    private void deleteTable(long key) {
        int mask = slots.length - 1;
        int i = mix(key, mask);
        while (slots[i] != null && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (slots[i] == null) {
            return;
        }
        slots[i] = null;
        occupied--;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (slots[j] == null) {
                return;
            }
            int home = mix(keys[j], mask);
            boolean between = (i <= j) ? (i < home && home <= j) : (i < home || home <= j);
            if (!between) {
                slots[i] = slots[j];
                keys[i] = keys[j];
                slots[j] = null;
                i = j;
            }
        }
    }
}

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

    private Entry[] heap = new Entry[64];
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
        double score;
        long order;
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
        e.score = policy.retention(e, now);
        e.treated = treated;
        e.order = seq++;
        insertHeap(e);
        insertTable(e);
        used += sizeTokens;
    }

    private void rescore(Entry e, double score, boolean treated) {
        e.score = score;
        e.treated = treated;
        e.order = seq++;
        int i = e.heapIndex;
        siftDown(i);
        if (heap[i] == e) {
            siftUp(i);
        }
    }

    private void remove(Entry e) {
        used -= e.sizeTokens;
        int i = e.heapIndex;
        Entry last = heap[--size];
        heap[size] = null;
        if (i < size) {
            heap[i] = last;
            last.heapIndex = i;
            siftDown(i);
            if (heap[i] == last) {
                siftUp(i);
            }
        }
        deleteTable(e.key);
    }

    private static boolean less(Entry a, Entry b) {
        return a.score < b.score || (a.score == b.score && a.order < b.order);
    }

    private void insertHeap(Entry e) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = e;
        e.heapIndex = size;
        siftUp(size++);
    }

    private void siftUp(int i) {
        Entry e = heap[i];
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!less(e, heap[p])) {
                break;
            }
            heap[i] = heap[p];
            heap[i].heapIndex = i;
            i = p;
        }
        heap[i] = e;
        e.heapIndex = i;
    }

    private void siftDown(int i) {
        Entry e = heap[i];
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                break;
            }
            int c = (l + 1 < size && less(heap[l + 1], heap[l])) ? l + 1 : l;
            if (!less(heap[c], e)) {
                break;
            }
            heap[i] = heap[c];
            heap[i].heapIndex = i;
            i = c;
        }
        heap[i] = e;
        e.heapIndex = i;
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

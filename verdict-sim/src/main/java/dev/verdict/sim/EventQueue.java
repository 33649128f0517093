package dev.verdict.sim;

import java.util.Arrays;

/**
 * The discrete-event calendar: a binary min-heap on (time, insertion sequence), so equal times pop in insertion order
 * (the source of byte-identical runs) and no event object is allocated. Hand-written for the hot path;
 * {@code java.util.PriorityQueue} would box every event.
 *
 * <p>Layout: the heap holds only two primitive arrays, the time and a packed long {@code seq << SLOT_BITS | slot}
 * (sequence numbers are unique, so comparing the packed long compares sequences); an event's kind, auxiliary value and
 * payload sit in a slot (recycled through a free list) that never moves while the event waits. A sift therefore moves
 * two words per level instead of five.
 */
final class EventQueue {
    private static final int SLOT_BITS = 24;
    private static final long SLOT_MASK = (1L << SLOT_BITS) - 1;
    /** Sequence numbers must stay below 2^39 so that the packed key stays positive (5.5e11 events, ~1e11 requests). */
    private static final long MAX_SEQ = (1L << (63 - SLOT_BITS)) - 1;

    private double[] time = new double[1024];
    private long[] key = new long[1024];
    private int size;
    private long next;

    // payload slots
    private int[] kind = new int[1024];
    private long[] aux = new long[1024];
    private Object[] obj = new Object[1024];
    private int[] free = new int[1024];
    private int freeCount;
    private int slotsUsed;

    // the popped event
    double t;
    int k;
    long a;
    Object o;

    int size() {
        return size;
    }

    private int allocSlot() {
        if (freeCount > 0) {
            return free[--freeCount];
        }
        int s = slotsUsed++;
        if (s > SLOT_MASK) {
            throw new IllegalStateException("more than " + SLOT_MASK + " pending events");
        }
        if (s == kind.length) {
            int n = s * 2;
            kind = Arrays.copyOf(kind, n);
            aux = Arrays.copyOf(aux, n);
            obj = Arrays.copyOf(obj, n);
            free = Arrays.copyOf(free, n);
        }
        return s;
    }

    void push(double when, int eventKind, Object payload, long auxiliary) {
        if (size == time.length) {
            int n = size * 2;
            time = Arrays.copyOf(time, n);
            key = Arrays.copyOf(key, n);
        }
        int slot = allocSlot();
        kind[slot] = eventKind;
        aux[slot] = auxiliary;
        obj[slot] = payload;
        if (next > MAX_SEQ) {
            throw new IllegalStateException("more than " + MAX_SEQ + " events in one run");
        }
        long kk = ((next++) << SLOT_BITS) | slot;
        double[] tm = time;
        long[] ky = key;
        int i = size++;
        while (i > 0) {
            int p = (i - 1) >>> 1;
            double tp = tm[p];
            if (tp < when || (tp == when && ky[p] < kk)) {
                break;
            }
            tm[i] = tp;
            ky[i] = ky[p];
            i = p;
        }
        tm[i] = when;
        ky[i] = kk;
    }

    /** Pops the earliest event into {@link #t}, {@link #k}, {@link #a}, {@link #o}. */
    void pop() {
        double[] tm = time;
        long[] ky = key;
        t = tm[0];
        int slot = (int) (ky[0] & SLOT_MASK);
        k = kind[slot];
        a = aux[slot];
        o = obj[slot];
        obj[slot] = null;
        free[freeCount++] = slot;
        int n = --size;
        double lt = tm[n];
        long lk = ky[n];
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            if (l >= n) {
                break;
            }
            int c = l;
            double tc = tm[l];
            if (l + 1 < n) {
                double tr = tm[l + 1];
                if (tr < tc || (tr == tc && ky[l + 1] < ky[l])) {
                    c = l + 1;
                    tc = tr;
                }
            }
            if (lt < tc || (lt == tc && lk < ky[c])) {
                break;
            }
            tm[i] = tc;
            ky[i] = ky[c];
            i = c;
        }
        if (n > 0) {
            tm[i] = lt;
            ky[i] = lk;
        }
    }
}

package dev.verdict.sim;

import java.util.Arrays;

/**
 * The discrete-event calendar: a binary min-heap on (time, insertion sequence) over parallel primitive arrays, so
 * equal times pop in insertion order (the source of byte-identical runs) and no event object is allocated.
 * Hand-written for the hot path; {@code java.util.PriorityQueue} would box every event.
 */
final class EventQueue {
    private double[] time = new double[1024];
    private long[] seq = new long[1024];
    private int[] kind = new int[1024];
    private long[] aux = new long[1024];
    private Object[] obj = new Object[1024];
    private int size;
    private long next;

    // the popped event
    double t;
    int k;
    long a;
    Object o;

    int size() {
        return size;
    }

    void push(double when, int eventKind, Object payload, long auxiliary) {
        if (size == time.length) {
            int n = size * 2;
            time = Arrays.copyOf(time, n);
            seq = Arrays.copyOf(seq, n);
            kind = Arrays.copyOf(kind, n);
            aux = Arrays.copyOf(aux, n);
            obj = Arrays.copyOf(obj, n);
        }
        long s = next++;
        int i = size++;
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (time[p] < when || (time[p] == when && seq[p] < s)) {
                break;
            }
            move(p, i);
            i = p;
        }
        time[i] = when;
        seq[i] = s;
        kind[i] = eventKind;
        aux[i] = auxiliary;
        obj[i] = payload;
    }

    /** Pops the earliest event into {@link #t}, {@link #k}, {@link #a}, {@link #o}. */
    void pop() {
        t = time[0];
        k = kind[0];
        a = aux[0];
        o = obj[0];
        int last = --size;
        double lt = time[last];
        long ls = seq[last];
        int lk = kind[last];
        long la = aux[last];
        Object lo = obj[last];
        obj[last] = null;
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                break;
            }
            int c = l;
            if (l + 1 < size && (time[l + 1] < time[l] || (time[l + 1] == time[l] && seq[l + 1] < seq[l]))) {
                c = l + 1;
            }
            if (lt < time[c] || (lt == time[c] && ls < seq[c])) {
                break;
            }
            move(c, i);
            i = c;
        }
        if (size > 0) {
            time[i] = lt;
            seq[i] = ls;
            kind[i] = lk;
            aux[i] = la;
            obj[i] = lo;
        }
    }

    private void move(int from, int to) {
        time[to] = time[from];
        seq[to] = seq[from];
        kind[to] = kind[from];
        aux[to] = aux[from];
        obj[to] = obj[from];
    }
}

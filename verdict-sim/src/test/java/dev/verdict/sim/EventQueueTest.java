package dev.verdict.sim;

import org.junit.jupiter.api.Test;

import java.util.PriorityQueue;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The calendar pops by (time, insertion order), against java.util.PriorityQueue, with slots recycled. */
class EventQueueTest {
    private record Ev(double t, long seq, int kind, long aux, Object payload) { }

    @Test
    void popsInTimeThenInsertionOrderLikeAReferenceQueue() {
        EventQueue q = new EventQueue();
        PriorityQueue<Ev> ref = new PriorityQueue<>((x, y) -> x.t != y.t ? Double.compare(x.t, y.t)
                : Long.compare(x.seq, y.seq));
        SplittableRandom rng = new SplittableRandom(7);
        long seq = 0;
        double now = 0;
        for (int step = 0; step < 200_000; step++) {
            // grow to a few thousand pending events, then drain; many equal times
            boolean push = ref.isEmpty() || rng.nextInt(100) < (step < 100_000 ? 60 : 40);
            if (push) {
                double t = now + rng.nextInt(50) * 0.25;
                Object payload = new Object();
                int kind = rng.nextInt(5);
                long aux = rng.nextLong();
                q.push(t, kind, payload, aux);
                ref.add(new Ev(t, seq++, kind, aux, payload));
            } else {
                Ev e = ref.poll();
                q.pop();
                assertEquals(e.t, q.t);
                assertEquals(e.kind, q.k);
                assertEquals(e.aux, q.a);
                assertSame(e.payload, q.o);
                now = e.t;
            }
            assertEquals(ref.size(), q.size());
        }
    }
}

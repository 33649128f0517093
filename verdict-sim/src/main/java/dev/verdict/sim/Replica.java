package dev.verdict.sim;

import dev.verdict.sim.policy.RoutingPolicy;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * One model replica: a priority queue of waiting requests, continuous batching with a token budget per iteration
 * (chunked prefill beside decode, as in vLLM/Sarathi), KV memory reserved at admission, and a prefix cache.
 *
 * <p>An iteration takes {@code t0 + cp * prefillTokens + cd * decoders}. While no prefill work is pending the batch
 * does not change until a sequence finishes, so the replica jumps over whole runs of identical decode iterations in
 * one event ("fast-forward"); an arrival in the middle cuts the run at the next iteration boundary. Each decoding
 * sequence's finish is kept as an iteration number in a min-heap, so a run of k iterations costs O(1) plus O(log n)
 * per finishing sequence. This is what makes the simulator fast without approximating the schedule.
 */
final class Replica implements RoutingPolicy.ReplicaView {
    private static final int IDLE = 0;
    private static final int PREFILL = 1;
    private static final int DECODE = 2;

    final Simulation sim;
    final int cluster;
    final int model;
    final double t0;
    final double cp;
    final double cd;
    final int maxSeqs;
    final long kvCap;
    final int budget;
    final PrefixCache cache;
    boolean up = true;

    @SuppressWarnings("unchecked")
    private final ArrayDeque<Req>[] queues = new ArrayDeque[] {new ArrayDeque<>(), new ArrayDeque<>(), new ArrayDeque<>()};
    private int queued;
    private final ArrayDeque<Req> prefilling = new ArrayDeque<>();
    private Req[] heap = new Req[64];
    private int decoders;

    private long iter;
    private double gpuPerSlot;
    private long kvUsed;
    private long admitted;

    private int mode = IDLE;
    private double actionStart;
    private double iterTime;
    private long spanIters;
    private int prefillSeqs;
    long version;

    // time-integrated statistics
    private int inSystem;
    private double lastChange;
    double area;
    double busy;

    Replica(Simulation sim, int cluster, int model, Scenario.Model m, Scenario.Gpu gpu, long cacheTokens) {
        this.sim = sim;
        this.cluster = cluster;
        this.model = model;
        this.t0 = m.overheadMs() / 1000.0 / gpu.speed();
        this.cp = m.prefillMsPerKiloToken() / 1e6 / gpu.speed();
        this.cd = m.decodeMsPerSequence() / 1000.0 / gpu.speed();
        this.maxSeqs = m.maxSequences();
        this.kvCap = m.kvTokens();
        this.budget = m.tokenBudget();
        this.cache = new PrefixCache(cacheTokens);
    }

    @Override
    public boolean up() {
        return up;
    }

    @Override
    public int outstanding() {
        return queued + prefilling.size() + decoders;
    }

    @Override
    public int queueDepth() {
        return queued;
    }

    int running() {
        return prefilling.size() + decoders;
    }

    double kvUtil() {
        return (double) kvUsed / kvCap;
    }

    private void count(double now, int delta) {
        area += inSystem * (now - lastChange);
        lastChange = now;
        inSystem += delta;
    }

    /** A request joins the queue at {@code now}. */
    void enqueue(Req r, double now) {
        r.enqueueTime = now;
        r.replica = this;
        queues[r.priorityClass].addLast(r);
        queued++;
        count(now, +1);
        if (mode == IDLE) {
            mode = PREFILL; // a zero-length action: step at once
            actionStart = now;
            iterTime = 0;
            prefillSeqs = 0;
            schedule(now);
        } else if (mode == DECODE) {
            long done = (long) Math.floor((now - actionStart) / iterTime);
            long cut = Math.min(spanIters, done + 1);
            if (cut < spanIters) {
                spanIters = cut;
                schedule(actionStart + cut * iterTime);
            }
        }
    }

    private void schedule(double when) {
        version++;
        sim.scheduleStep(this, when, version);
    }

    /** An iteration boundary: finish the action that just ended, then plan the next one. */
    void step(double now) {
        finishAction(now);
        while (decoders > 0 && heap[0].finishIter <= iter) {
            Req r = popDecoder();
            kvUsed -= r.promptTokens + r.outputTokens;
            r.replicaSeconds += gpuPerSlot - r.slotStart;
            count(now, -1);
            sim.complete(r, now);
        }
        expireTimeouts(now);
        admit(now);
        plan(now);
    }

    private void finishAction(double now) {
        double duration = now - actionStart;
        if (mode == PREFILL) {
            busy += duration;
            int seqs = decoders + prefillSeqs;
            if (seqs > 0) {
                double overheadShare = t0 / seqs;
                if (decoders > 0) {
                    iter++;
                    gpuPerSlot += overheadShare + cd;
                }
                int n = prefilling.size();
                for (int i = 0; i < n; i++) {
                    Req r = prefilling.pollFirst();
                    if (r.chunk > 0) {
                        r.replicaSeconds += overheadShare + cp * r.chunk;
                        r.prefillRemaining -= r.chunk;
                        r.chunk = 0;
                    }
                    if (r.prefillRemaining == 0) {
                        r.ttft = now;
                        sim.prefilled(r, now);
                        r.slotStart = gpuPerSlot;
                        r.finishIter = iter + r.outputTokens - 1;
                        pushDecoder(r);
                    } else {
                        prefilling.addLast(r);
                    }
                }
            }
        } else if (mode == DECODE) {
            busy += spanIters * iterTime;
            iter += spanIters;
            gpuPerSlot += spanIters * (t0 / decoders + cd);
        }
        mode = IDLE;
    }

    private void expireTimeouts(double now) {
        for (int c = 0; c < queues.length; c++) {
            ArrayDeque<Req> q = queues[c];
            double limit = sim.timeout(c);
            while (!q.isEmpty() && now - q.peekFirst().enqueueTime > limit) {
                Req r = q.pollFirst();
                queued--;
                count(now, -1);
                sim.timedOut(r, now, r.enqueueTime + limit);
            }
        }
    }

    private void admit(double now) {
        while (queued > 0 && running() < maxSeqs) {
            ArrayDeque<Req> q = queues[0].isEmpty() ? (queues[1].isEmpty() ? queues[2] : queues[1]) : queues[0];
            Req r = q.peekFirst();
            long need = (long) r.promptTokens + r.outputTokens;
            if (kvUsed + need > kvCap && running() > 0) {
                break;
            }
            q.pollFirst();
            queued--;
            kvUsed += need;
            r.admitOrder = admitted++;
            sim.admitted(r, this, now);
            r.prefillRemaining = Math.max(1, r.promptTokens - r.hitTokens);
            prefilling.addLast(r);
        }
    }

    private void plan(double now) {
        actionStart = now;
        if (!prefilling.isEmpty()) {
            Req head = prefilling.peekFirst();
            int allowance = Math.max(64, (int) (budget * sim.budgetScale(head.executedArm)) - decoders);
            prefillSeqs = 0;
            int tokens = 0;
            for (Req r : prefilling) {
                if (allowance == 0) {
                    break;
                }
                int c = Math.min(allowance, r.prefillRemaining);
                r.chunk = c;
                allowance -= c;
                tokens += c;
                prefillSeqs++;
            }
            mode = PREFILL;
            iterTime = t0 + cp * tokens + cd * decoders;
            schedule(now + iterTime);
        } else if (decoders > 0) {
            mode = DECODE;
            iterTime = t0 + cd * decoders;
            spanIters = Math.max(1, heap[0].finishIter - iter);
            schedule(now + spanIters * iterTime);
        } else {
            mode = IDLE;
        }
    }

    // min-heap of decoding sequences by finish iteration (ties: admission order)

    private static boolean before(Req a, Req b) {
        return a.finishIter < b.finishIter || (a.finishIter == b.finishIter && a.admitOrder < b.admitOrder);
    }

    private void pushDecoder(Req r) {
        if (decoders == heap.length) {
            heap = Arrays.copyOf(heap, decoders * 2);
        }
        int i = decoders++;
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!before(r, heap[p])) {
                break;
            }
            heap[i] = heap[p];
            i = p;
        }
        heap[i] = r;
    }

    private Req popDecoder() {
        Req top = heap[0];
        Req last = heap[--decoders];
        heap[decoders] = null;
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            if (l >= decoders) {
                break;
            }
            int c = (l + 1 < decoders && before(heap[l + 1], heap[l])) ? l + 1 : l;
            if (!before(heap[c], last)) {
                break;
            }
            heap[i] = heap[c];
            i = c;
        }
        if (decoders > 0) {
            heap[i] = last;
        }
        return top;
    }

    /** Closes the time integrals at the end of the run. */
    void close(double now) {
        count(now, 0);
    }
}

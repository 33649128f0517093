package dev.verdict.sim.policy;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.DoubleFunction;
import java.util.function.Supplier;

/**
 * The one registry of simulator policies (the Caffeine simulator's pattern: policies behind a tiny interface, looked
 * up by name from scenario files). The bundled policies are ordinary implementations of the public interfaces;
 * {@link #registerRouter} and {@link #registerEviction} add a user's own before a scenario names them.
 */
public final class Policies {
    private static final Map<String, Supplier<RoutingPolicy>> ROUTERS = new TreeMap<>();
    private static final Map<String, DoubleFunction<EvictionPolicy>> EVICTIONS = new TreeMap<>();

    static {
        registerRouter("round_robin", RoundRobin::new);
        registerRouter("least_outstanding", LeastOutstanding::new);
        registerRouter("prefix_affinity", PrefixAffinity::new);
        registerRouter("priority", PriorityRouter::new);
        registerEviction("lru", bonus -> new Lru());
        registerEviction("fifo", bonus -> new Fifo());
        registerEviction("cost_aware", CostAware::new);
        registerEviction("frequency_aware", FrequencyAware::new);
    }

    private Policies() {
    }

    /** Adds a routing policy under {@code name}; the supplier is called once per pool and arm. */
    public static synchronized void registerRouter(String name, Supplier<RoutingPolicy> factory) {
        ROUTERS.put(name, factory);
    }

    /** Adds an eviction policy under {@code name}; the function receives the scenario's bonus parameter. */
    public static synchronized void registerEviction(String name, DoubleFunction<EvictionPolicy> factory) {
        EVICTIONS.put(name, factory);
    }

    public static synchronized Set<String> routers() {
        return Set.copyOf(ROUTERS.keySet());
    }

    public static synchronized Set<String> evictions() {
        return Set.copyOf(EVICTIONS.keySet());
    }

    /** A new router instance, or {@code IllegalArgumentException} naming the known ones. */
    public static synchronized RoutingPolicy router(String name) {
        Supplier<RoutingPolicy> f = ROUTERS.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown router '" + name + "'; known: " + String.join(", ", ROUTERS.keySet()));
        }
        return f.get();
    }

    /** An eviction policy, or {@code IllegalArgumentException} naming the known ones. */
    public static synchronized EvictionPolicy eviction(String name, double bonusSeconds) {
        DoubleFunction<EvictionPolicy> f = EVICTIONS.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown eviction policy '" + name + "'; known: "
                    + String.join(", ", EVICTIONS.keySet()));
        }
        return f.apply(bonusSeconds);
    }

    /** Least recently used: the score is the time of the last access. */
    static final class Lru implements EvictionPolicy {
        public String name() {
            return "lru";
        }

        public double retention(CacheEntry entry, double now) {
            return now;
        }
    }

    /** First in, first out: the score is the insertion time and hits do not refresh it. */
    static final class Fifo implements EvictionPolicy {
        public String name() {
            return "fifo";
        }

        public double retention(CacheEntry entry, double now) {
            return entry.insertedAt();
        }
    }

    /**
     * Cost-aware (GreedyDual-Size flavoured, on the recency scale): last access plus a bonus that grows with the
     * prefill work a hit saves, {@code bonus * log2(1 + size/1000)} seconds, so long shared prefixes outlive short ones.
     */
    static final class CostAware implements EvictionPolicy {
        private final double bonus;

        CostAware(double bonus) {
            this.bonus = bonus;
        }

        public String name() {
            return "cost_aware";
        }

        public double retention(CacheEntry entry, double now) {
            return now + bonus * Math.log1p(entry.sizeTokens() / 1000.0) / Math.log(2);
        }
    }

    /**
     * Frequency-aware (LRU with a frequency bonus, in the spirit of LRFU/GDSF): last access plus
     * {@code bonus * log2(1 + hits)} seconds, so prefixes that have been reused often (tenant system prompts, long
     * multi-turn histories) outlive one-shot entries. It keeps entries of finished sessions that were hit often, which
     * is what can make it worse than LRU.
     */
    static final class FrequencyAware implements EvictionPolicy {
        private final double bonus;

        FrequencyAware(double bonus) {
            this.bonus = bonus;
        }

        public String name() {
            return "frequency_aware";
        }

        public double retention(CacheEntry entry, double now) {
            long h = entry.hits();
            double l = h < LOG1P_HITS.length ? LOG1P_HITS[(int) h] : Math.log1p(h);
            return now + bonus * l / LN2;
        }

        /** {@code Math.log1p(h)} for small hit counts, tabulated (the same values, computed once). */
        private static final double[] LOG1P_HITS = new double[4096];
        private static final double LN2 = Math.log(2);

        static {
            for (int h = 0; h < LOG1P_HITS.length; h++) {
                LOG1P_HITS[h] = Math.log1p(h);
            }
        }
    }

    /** Round robin over the replicas that are up. */
    static final class RoundRobin implements RoutingPolicy {
        private int next;

        public String name() {
            return "round_robin";
        }

        public int route(long session, boolean highPriority, ReplicaView[] pool) {
            for (int k = 0; k < pool.length; k++) {
                int i = (next + k) % pool.length;
                if (pool[i].up()) {
                    next = (i + 1) % pool.length;
                    return i;
                }
            }
            return 0;
        }
    }

    /** The replica with the fewest outstanding requests (lowest index on ties). */
    static final class LeastOutstanding implements RoutingPolicy {
        public String name() {
            return "least_outstanding";
        }

        public int route(long session, boolean highPriority, ReplicaView[] pool) {
            return least(pool);
        }
    }

    static int least(RoutingPolicy.ReplicaView[] pool) {
        int best = -1;
        for (int i = 0; i < pool.length; i++) {
            if (pool[i].up() && (best < 0 || pool[i].outstanding() < pool[best].outstanding())) {
                best = i;
            }
        }
        return Math.max(best, 0);
    }

    /**
     * Prefix affinity: a session always goes to the replica its id hashes to, so its growing prefix stays cached
     * there, unless that replica is down or its queue is more than 8 deeper than the least loaded one's.
     */
    static final class PrefixAffinity implements RoutingPolicy {
        public String name() {
            return "prefix_affinity";
        }

        public int route(long session, boolean highPriority, ReplicaView[] pool) {
            long h = session * 0x9E3779B97F4A7C15L;
            int home = (int) Long.remainderUnsigned(h ^ (h >>> 29), pool.length);
            int least = least(pool);
            if (!pool[home].up() || pool[home].queueDepth() > pool[least].queueDepth() + 8) {
                return least;
            }
            return home;
        }
    }

    /** Priority: requests of the priority class go to the least loaded replica, the rest keep prefix affinity. */
    static final class PriorityRouter implements RoutingPolicy {
        private final PrefixAffinity affinity = new PrefixAffinity();

        public String name() {
            return "priority";
        }

        public int route(long session, boolean highPriority, ReplicaView[] pool) {
            return highPriority ? least(pool) : affinity.route(session, false, pool);
        }
    }
}

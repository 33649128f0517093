package dev.verdict.sim.policy;

/**
 * A prefix-cache eviction policy: it scores an entry each time the entry is inserted or hit, and the cache evicts the
 * entry with the lowest score. Scores are in seconds of simulated time ("recency-equivalent"): LRU scores an entry
 * with its last access time, and any other policy adds or subtracts seconds from that. This common scale is what lets
 * entries scored by different policies compete in one cache, as they do when requests of both arms share a replica:
 * each entry is scored by the policy of the arm of the request that last touched it.
 */
public interface EvictionPolicy {

    /** The registry name. */
    String name();

    /** Retention score of {@code entry} at time {@code now} (seconds); lower is evicted first. */
    double retention(CacheEntry entry, double now);

    /** What a policy may look at. */
    interface CacheEntry {
        /** Size in tokens. */
        int sizeTokens();

        /** Hits so far (0 at insertion). */
        long hits();

        /** Simulated time of insertion. */
        double insertedAt();

        /** Tenant that owns the prefix. */
        int tenant();
    }
}

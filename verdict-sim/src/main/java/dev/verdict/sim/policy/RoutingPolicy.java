package dev.verdict.sim.policy;

/**
 * A router: picks the replica of a cluster's model pool that serves a request. One instance serves one pool and one
 * arm, so a policy may keep state (a round-robin cursor). Replicas that are down must not be chosen; when all are down
 * the caller drops the request as an error before asking.
 */
public interface RoutingPolicy {

    /** The registry name. */
    String name();

    /**
     * The index in {@code pool} of the replica for a request.
     *
     * @param session      the request's session id (a stable key for affinity)
     * @param highPriority whether the request belongs to the priority class
     * @param pool         the replicas of the cluster that serve the request's model
     */
    int route(long session, boolean highPriority, ReplicaView[] pool);

    /** What a router may look at. */
    interface ReplicaView {
        /** Whether the replica takes new work (false during a capacity-loss incident). */
        boolean up();

        /** Requests queued or running. */
        int outstanding();

        /** Requests waiting for admission to the batch. */
        int queueDepth();
    }
}

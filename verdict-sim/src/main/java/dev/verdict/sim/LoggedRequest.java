package dev.verdict.sim;

/**
 * One finished request as the log sees it, in the canonical schema (PRODUCT.md). The simulator hands the same object
 * to every {@link RequestSink} for one row only: copy what you keep.
 */
public interface LoggedRequest {
    long requestId();

    /** Decision time: seconds after the scenario start. */
    double ts();

    long userId();

    long workspaceId();

    int cluster();

    int region();

    /** Assigned arm: 0 control, 1 treatment. */
    int arm();

    /** Arm whose policy really ran. */
    int executedArm();

    boolean timedOut();

    int retries();

    double latencyMs();

    double ttftMs();

    boolean error();

    boolean completed();

    int tokensIn();

    int tokensOut();

    double gpuSeconds();

    double costUsd();

    double valueUsd();

    int queueDepth();

    boolean cacheHit();

    double kvUtil();

    double utilization();

    int workload();

    int tier();

    int model();

    int contextTokens();

    /** Probability of the assigned arm under the design. */
    double propensity();

    /** Seconds after the scenario start at which the request left the system (for queueing checks). */
    double departure();

    /** Seconds spent in the replica (queue + service) on the last attempt. */
    double sojourn();
}

package dev.verdict.sim;

/** One request's state through the simulation, and its log row when it ends. */
final class Req implements LoggedRequest {
    long id;
    Session session;
    int turn;
    int arm;
    int executedArm;
    double propensity;
    double firstArrival;
    double enqueueTime;
    int retries;
    boolean timedOut;
    int promptTokens;
    int outputTokens;
    int systemTokens;
    int historyTokens;
    int hitTokens;
    int prefillRemaining;
    int chunk;
    int priorityClass;
    long finishIter;
    long admitOrder;
    double slotStart;
    double replicaSeconds;
    double ttft = Double.NaN;
    double end;
    boolean error;
    boolean completed;
    int queueDepth;
    double kvUtil;
    double utilization;
    Replica replica;
    int heapIndex;

    // LoggedRequest, for sinks
    double gpuSeconds;
    double costUsd;
    double valueUsd;

    public long requestId() {
        return id;
    }

    public double ts() {
        return firstArrival;
    }

    public long userId() {
        return session.user;
    }

    public long workspaceId() {
        return session.tenant;
    }

    public int cluster() {
        return session.cluster;
    }

    public int region() {
        return session.region;
    }

    public int arm() {
        return arm;
    }

    public int executedArm() {
        return executedArm;
    }

    public boolean timedOut() {
        return timedOut;
    }

    public int retries() {
        return retries;
    }

    public double latencyMs() {
        return (end - firstArrival) * 1000.0;
    }

    public double ttftMs() {
        return (Double.isNaN(ttft) ? end - firstArrival : ttft - firstArrival) * 1000.0;
    }

    public boolean error() {
        return error;
    }

    public boolean completed() {
        return completed;
    }

    public int tokensIn() {
        return promptTokens;
    }

    public int tokensOut() {
        return completed ? outputTokens : 0;
    }

    public double gpuSeconds() {
        return gpuSeconds;
    }

    public double costUsd() {
        return costUsd;
    }

    public double valueUsd() {
        return valueUsd;
    }

    public int queueDepth() {
        return queueDepth;
    }

    public boolean cacheHit() {
        return hitTokens > 0;
    }

    public double kvUtil() {
        return kvUtil;
    }

    public double utilization() {
        return utilization;
    }

    public int workload() {
        return session.workload;
    }

    public int tier() {
        return session.tier;
    }

    public int model() {
        return session.model;
    }

    public int contextTokens() {
        return systemTokens + historyTokens;
    }

    public double propensity() {
        return propensity;
    }

    public double departure() {
        return end;
    }

    public double sojourn() {
        return end - enqueueTime;
    }
}

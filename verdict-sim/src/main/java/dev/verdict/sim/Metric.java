package dev.verdict.sim;

import java.util.function.ToDoubleFunction;

/** The outcome columns of the log whose true effects truth.json reports, and how to read them from a request. */
public enum Metric {
    LATENCY_MS("latency_ms", LoggedRequest::latencyMs),
    TTFT_MS("ttft_ms", LoggedRequest::ttftMs),
    ERROR("error", r -> r.error() ? 1 : 0),
    COMPLETED("completed", r -> r.completed() ? 1 : 0),
    TIMED_OUT("timed_out", r -> r.timedOut() ? 1 : 0),
    RETRIES("retries", LoggedRequest::retries),
    TOKENS_OUT("tokens_out", LoggedRequest::tokensOut),
    GPU_SECONDS("gpu_seconds", LoggedRequest::gpuSeconds),
    COST_USD("cost_usd", LoggedRequest::costUsd),
    VALUE_USD("value_usd", LoggedRequest::valueUsd),
    CACHE_HIT("cache_hit", r -> r.cacheHit() ? 1 : 0),
    QUEUE_DEPTH("queue_depth", LoggedRequest::queueDepth),
    KV_UTIL("kv_util", LoggedRequest::kvUtil),
    UTILIZATION("utilization", LoggedRequest::utilization);

    private final String column;
    private final ToDoubleFunction<LoggedRequest> read;

    Metric(String column, ToDoubleFunction<LoggedRequest> read) {
        this.column = column;
        this.read = read;
    }

    /** The log column. */
    public String column() {
        return column;
    }

    public double of(LoggedRequest r) {
        return read.applyAsDouble(r);
    }

    /** Metrics whose quantiles truth.json also reports (p50, p99). */
    public boolean hasQuantiles() {
        return this == LATENCY_MS || this == TTFT_MS;
    }
}

package dev.verdict.spec;

import java.util.List;

/** The canonical request-log column names of PRODUCT.md; every one can be remapped in the spec. */
public final class CanonicalColumns {
    public static final String REQUEST_ID = "request_id";
    public static final String TS = "ts";
    public static final String USER_ID = "user_id";
    public static final String WORKSPACE_ID = "workspace_id";
    public static final String CLUSTER = "cluster";
    public static final String REGION = "region";
    public static final String ARM = "arm";
    public static final String EXECUTED_ARM = "executed_arm";
    public static final String FALLBACK_REASON = "fallback_reason";
    public static final String TIMED_OUT = "timed_out";
    public static final String RETRIES = "retries";
    public static final String LATENCY_MS = "latency_ms";
    public static final String TTFT_MS = "ttft_ms";
    public static final String ERROR = "error";
    public static final String COMPLETED = "completed";
    public static final String TOKENS_IN = "tokens_in";
    public static final String TOKENS_OUT = "tokens_out";
    public static final String GPU_SECONDS = "gpu_seconds";
    public static final String COST_USD = "cost_usd";
    public static final String VALUE_USD = "value_usd";
    public static final String QUEUE_DEPTH = "queue_depth";
    public static final String CACHE_HIT = "cache_hit";
    public static final String KV_UTIL = "kv_util";
    public static final String UTILIZATION = "utilization";
    public static final String WORKLOAD = "workload";
    public static final String TIER = "tier";
    public static final String MODEL_FAMILY = "model_family";
    public static final String CONTEXT_TOKENS = "context_tokens";
    public static final String PROPENSITY = "propensity";

    /** Every canonical name, in PRODUCT.md's order. */
    public static final List<String> ALL = List.of(REQUEST_ID, TS, USER_ID, WORKSPACE_ID, CLUSTER, REGION, ARM,
            EXECUTED_ARM, FALLBACK_REASON, TIMED_OUT, RETRIES, LATENCY_MS, TTFT_MS, ERROR, COMPLETED, TOKENS_IN,
            TOKENS_OUT, GPU_SECONDS, COST_USD, VALUE_USD, QUEUE_DEPTH, CACHE_HIT, KV_UTIL, UTILIZATION, WORKLOAD,
            TIER, MODEL_FAMILY, CONTEXT_TOKENS, PROPENSITY);

    /** Decision-time system-state columns used for boundary coverage, in order of preference. */
    public static final List<String> STATE = List.of(UTILIZATION, QUEUE_DEPTH, KV_UTIL);

    private CanonicalColumns() {
    }
}

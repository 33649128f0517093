package dev.verdict.design;

/** Display labels of the unit-economics effects, shared by the analysis, the checks and the readout. */
public final class EconomicsLabels {
    /** Net value per request, value minus cost, in the log's currency. */
    public static final String NET_VALUE = "net_value_per_request";
    /** Cost per successful request. */
    public static final String COST_PER_SUCCESS = "cost_per_success";
    /** Value per GPU-hour. */
    public static final String VALUE_PER_GPU_HOUR = "value_per_gpu_hour";

    private EconomicsLabels() {
    }
}

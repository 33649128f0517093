package dev.verdict.sim;

import java.util.Arrays;

/**
 * Per-arm means of every {@link Metric} and quantiles of latency and TTFT of one simulated world, accumulated as the
 * rows stream by (memory does not grow with the run). Quantiles come from a log-spaced histogram with 0.1%-wide
 * buckets, so they are within 0.05% (relative) of the exact order statistic: far inside any sampling error.
 */
public final class ArmSummary implements RequestSink {
    private static final int METRICS = Metric.values().length;
    private static final double LOG_STEP = Math.log1p(0.001);
    private static final int BUCKETS = 24_000; // covers 1e-3 .. ~2.6e7 ms

    private final long[] n = new long[2];
    private final double[][] sum = new double[2][METRICS];
    private final double[][] sumSq = new double[2][METRICS];
    private final long[][][] hist = new long[2][2][BUCKETS];
    /** Per arm and cluster index: requests, and the sum of every metric (grown as clusters appear). */
    private long[][] clusterN = new long[2][0];
    private double[][][] clusterSum = new double[2][0][];

    @Override
    public void accept(LoggedRequest r) {
        int a = r.arm();
        n[a]++;
        double[] s = sum[a];
        double[] q = sumSq[a];
        // the Metric order, unrolled: each value read once, without the lambdas of Metric.of
        double latency = r.latencyMs();
        double ttft = r.ttftMs();
        add(s, q, 0, latency);
        add(s, q, 1, ttft);
        add(s, q, 2, r.error() ? 1 : 0);
        add(s, q, 3, r.completed() ? 1 : 0);
        add(s, q, 4, r.timedOut() ? 1 : 0);
        add(s, q, 5, r.retries());
        add(s, q, 6, r.tokensOut());
        add(s, q, 7, r.gpuSeconds());
        add(s, q, 8, r.costUsd());
        add(s, q, 9, r.valueUsd());
        add(s, q, 10, r.cacheHit() ? 1 : 0);
        add(s, q, 11, r.queueDepth());
        add(s, q, 12, r.kvUtil());
        add(s, q, 13, r.utilization());
        hist[a][0][bucket(latency)]++;
        hist[a][1][bucket(ttft)]++;
        int c = r.cluster();
        if (c >= clusterN[a].length) {
            grow(c + 1);
        }
        clusterN[a][c]++;
        double[] cs = clusterSum[a][c];
        cs[0] += latency;
        cs[1] += ttft;
        cs[2] += r.error() ? 1 : 0;
        cs[3] += r.completed() ? 1 : 0;
        cs[4] += r.timedOut() ? 1 : 0;
        cs[5] += r.retries();
        cs[6] += r.tokensOut();
        cs[7] += r.gpuSeconds();
        cs[8] += r.costUsd();
        cs[9] += r.valueUsd();
        cs[10] += r.cacheHit() ? 1 : 0;
        cs[11] += r.queueDepth();
        cs[12] += r.kvUtil();
        cs[13] += r.utilization();
    }

    private void grow(int clusters) {
        for (int a = 0; a < 2; a++) {
            int old = clusterN[a].length;
            clusterN[a] = Arrays.copyOf(clusterN[a], clusters);
            clusterSum[a] = Arrays.copyOf(clusterSum[a], clusters);
            for (int c = old; c < clusters; c++) {
                clusterSum[a][c] = new double[METRICS];
            }
        }
    }

    /**
     * Requests in {@code arm} (0 control, 1 treatment, -1 both) logged by the given clusters (indices into the
     * scenario's cluster list).
     */
    public long count(int arm, java.util.Collection<Integer> clusters) {
        long k = 0;
        for (int a = 0; a < 2; a++) {
            if (arm < 0 || arm == a) {
                for (int c : clusters) {
                    k += c < clusterN[a].length ? clusterN[a][c] : 0;
                }
            }
        }
        return k;
    }

    /** Mean of {@code m} over the requests of {@code arm} (-1: both) in the given clusters; NaN when there are none. */
    public double mean(int arm, java.util.Collection<Integer> clusters, Metric m) {
        long k = 0;
        double sumOf = 0;
        for (int a = 0; a < 2; a++) {
            if (arm < 0 || arm == a) {
                for (int c : clusters) {
                    if (c < clusterN[a].length) {
                        k += clusterN[a][c];
                        sumOf += clusterSum[a][c][m.ordinal()];
                    }
                }
            }
        }
        return k == 0 ? Double.NaN : sumOf / k;
    }

    private static void add(double[] s, double[] q, int i, double v) {
        s[i] += v;
        q[i] += v * v;
    }

    static {
        // the unrolled accept above follows this order
        Metric[] ms = Metric.values();
        if (ms.length != 14 || ms[0] != Metric.LATENCY_MS || ms[1] != Metric.TTFT_MS || ms[2] != Metric.ERROR
                || ms[3] != Metric.COMPLETED || ms[4] != Metric.TIMED_OUT || ms[5] != Metric.RETRIES
                || ms[6] != Metric.TOKENS_OUT || ms[7] != Metric.GPU_SECONDS || ms[8] != Metric.COST_USD
                || ms[9] != Metric.VALUE_USD || ms[10] != Metric.CACHE_HIT || ms[11] != Metric.QUEUE_DEPTH
                || ms[12] != Metric.KV_UTIL || ms[13] != Metric.UTILIZATION) {
            throw new AssertionError("ArmSummary.accept is out of step with Metric");
        }
    }

    private static int bucket(double v) {
        if (!(v > 1e-3)) {
            return 0;
        }
        int b = (int) (Math.log(v / 1e-3) / LOG_STEP) + 1;
        return Math.min(b, BUCKETS - 1);
    }

    private static double value(int bucket) {
        return bucket == 0 ? 0 : 1e-3 * Math.exp((bucket - 0.5) * LOG_STEP);
    }

    /** Requests logged in arm {@code arm} (0 control, 1 treatment). */
    public long count(int arm) {
        return n[arm];
    }

    /** Requests logged in both arms. */
    public long count() {
        return n[0] + n[1];
    }

    /** Mean of {@code m} in {@code arm}, or NaN when the arm is empty. */
    public double mean(int arm, Metric m) {
        return n[arm] == 0 ? Double.NaN : sum[arm][m.ordinal()] / n[arm];
    }

    /** Sample variance of {@code m} in {@code arm} (n - 1 denominator). */
    public double variance(int arm, Metric m) {
        long k = n[arm];
        if (k < 2) {
            return Double.NaN;
        }
        double mean = sum[arm][m.ordinal()] / k;
        return Math.max(0, (sumSq[arm][m.ordinal()] - k * mean * mean) / (k - 1));
    }

    /** Treated minus control mean of {@code m}. */
    public double contrast(Metric m) {
        return mean(1, m) - mean(0, m);
    }

    /** Standard error of {@link #contrast} treating requests as independent (Welch). */
    public double contrastStandardError(Metric m) {
        return Math.sqrt(variance(1, m) / n[1] + variance(0, m) / n[0]);
    }

    /** Mean of {@code m} over both arms. */
    public double mean(Metric m) {
        long total = n[0] + n[1];
        return total == 0 ? Double.NaN : (sum[0][m.ordinal()] + sum[1][m.ordinal()]) / total;
    }

    /** Quantile {@code p} of latency ({@code which = LATENCY_MS}) or TTFT in {@code arm}; arm -1 pools both. */
    public double quantile(int arm, Metric which, double p) {
        int h = which == Metric.LATENCY_MS ? 0 : 1;
        long[] counts = new long[BUCKETS];
        for (int a = 0; a < 2; a++) {
            if (arm < 0 || arm == a) {
                for (int b = 0; b < BUCKETS; b++) {
                    counts[b] += hist[a][h][b];
                }
            }
        }
        long total = Arrays.stream(counts).sum();
        if (total == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(p * total);
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            seen += counts[b];
            if (seen >= Math.max(1, rank)) {
                return value(b);
            }
        }
        return value(BUCKETS - 1);
    }
}

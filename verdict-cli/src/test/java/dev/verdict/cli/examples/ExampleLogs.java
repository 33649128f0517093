package dev.verdict.cli.examples;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes the example request logs shipped under {@code examples/}: small synthetic logs in the
 * canonical schema, each built so that one recommendation is the right answer. Deterministic for a given seed;
 * regenerate with {@code ExampleLogs.main(new String[] {"examples"})} from the repository root.
 *
 * <p>The scenarios (known truth in the comments):
 * <ul>
 *   <li>{@code clean-win}: request RCT of a state-neutral change; completion +2.5 points, latency -15 ms,
 *       errors and cost flat: ship.</li>
 *   <li>{@code srm}: the same change, but the treatment's logging drops 6% of its rows: sample ratio
 *       mismatch, instrument more.</li>
 *   <li>{@code guardrail-regression}: completion +2 points but errors rise from 1% to 3%: roll back.</li>
 *   <li>{@code mixed-segments}: user RCT; agentic workloads gain 8 points of completion, chat and batch
 *       nothing: target.</li>
 *   <li>{@code cluster-rct}: 40 clusters, 20 per arm, each with its own completion and speed (cluster random
 *       effects); a cache policy gains 3 points of completion and 20 ms of latency in treated clusters.</li>
 *   <li>{@code switchback}: 14 days of hourly blocks, each block's arm by a coin flip, with a diurnal cycle and a
 *       random shock per block shared by its requests; the policy gains 3 points of completion once it has taken
 *       hold; in the first 10 minutes of a block the previous block's policy still acts (carryover, removed by a
 *       10-minute washout).</li>
 * </ul>
 */
public final class ExampleLogs {
    private static final String[] WORKLOADS = {"chat", "batch", "agentic"};
    private static final String[] TIERS = {"free", "pro", "enterprise"};
    private static final String[] CLUSTERS = {"us-east-a", "us-east-b", "eu-west-a", "ap-south-a"};
    private static final Instant START = Instant.parse("2026-11-02T00:00:00Z");

    private ExampleLogs() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "examples");
        write(root.resolve("clean-win/requests.parquet"), Scenario.CLEAN_WIN, 100_000, 11);
        write(root.resolve("srm/requests.parquet"), Scenario.SRM, 100_000, 12);
        write(root.resolve("guardrail-regression/requests.parquet"), Scenario.GUARDRAIL, 20_000, 13);
        write(root.resolve("mixed-segments/requests.parquet"), Scenario.MIXED_SEGMENTS, 3_000, 14);
        writeClusterRct(root.resolve("cluster-rct/requests.parquet"), 40, 500, 0.03, 15);
        writeSwitchback(root.resolve("switchback/requests.parquet"), 14, 60, 10, 60, 0.03, 0.08, 16);
    }

    /** What a generated unit-level log holds, for tests: blocks or clusters per arm and rows by kind. */
    public record Truth(long controlUnits, long treatmentUnits, long rows, long washoutRows, double completionEffect) { }

    private static final String UNIT_HEADER = "request_id,ts,user_id,cluster,region,arm,executed_arm,latency_ms,error,"
            + "completed,gpu_seconds,cost_usd,value_usd,utilization,queue_depth,workload,tier";

    /**
     * A cluster RCT: {@code clusters} clusters, half of them (shuffled) treated, {@code perCluster} requests each over
     * 14 days; each cluster has its own completion level (normal, sd {@code clusterSd}) and speed; treatment adds 3
     * points of completion and takes 20 ms off latency. Parquet or CSV by the file's extension.
     */
    public static Truth writeClusterRct(Path file, int clusters, int perCluster, double clusterSd, long seed)
            throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        boolean[] treated = new boolean[clusters];
        for (int c = 0; c < clusters / 2; c++) {
            treated[c] = true;
        }
        for (int i = clusters - 1; i > 0; i--) { // Fisher-Yates: exactly half treated
            int j = rnd.nextInt(i + 1);
            boolean t = treated[i];
            treated[i] = treated[j];
            treated[j] = t;
        }
        Path csv = Files.createTempFile("verdict-example", ".csv");
        long rows = 0;
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
            out.println(UNIT_HEADER);
            for (int c = 0; c < clusters; c++) {
                String cluster = String.format(Locale.ROOT, "pool-%02d", c);
                String region = REGIONS[c % REGIONS.length];
                double level = clusterSd * gaussian(rnd);
                double speed = Math.exp(0.04 * gaussian(rnd));
                double load = 0.4 + 0.4 * rnd.nextDouble();
                for (int r = 0; r < perCluster; r++) {
                    Instant ts = START.plusSeconds((long) (rnd.nextDouble() * 14 * 86400));
                    double utilization = clamp(load + 0.15 * gaussian(rnd), 0.05, 0.99);
                    double pComplete = 0.85 + level - 0.05 * (utilization - 0.6) + (treated[c] ? 0.03 : 0);
                    double latency = 350 * speed * (1 + 0.8 * utilization * utilization) * Math.exp(0.3 * gaussian(rnd))
                            - (treated[c] ? 20 : 0);
                    row(out, rows++, ts, rnd, cluster, region, treated[c], pComplete, latency, utilization);
                }
            }
        }
        convert(csv, file);
        long t = java.util.stream.IntStream.range(0, clusters).filter(c -> treated[c]).count();
        return new Truth(clusters - t, t, rows, 0, 0.03);
    }

    /**
     * A switchback: {@code days} days of blocks of {@code blockMinutes} from START, each block's arm by a coin flip,
     * {@code perBlock} requests per block at uniform times. Completion has a diurnal cycle (amplitude 0.05) and a
     * per-block shock (normal, sd {@code blockSd}) shared by the block's requests; latency a per-block factor. The
     * treatment adds {@code effect} to completion and takes 20 ms off latency, but in the first
     * {@code washoutMinutes} of a block the previous block's arm still acts (carryover). Parquet or CSV by extension.
     */
    public static Truth writeSwitchback(Path file, int days, int blockMinutes, int washoutMinutes, int perBlock,
                                        double effect, double blockSd, long seed) throws Exception {
        return writeSwitchback(file, days, blockMinutes, washoutMinutes, washoutMinutes, perBlock, effect, blockSd, seed);
    }

    /**
     * As {@link #writeSwitchback(Path, int, int, int, int, double, double, long)}, but the previous block's policy acts
     * for the first {@code carryoverMinutes} of a block (the washout still drops only {@code washoutMinutes}): with
     * {@code carryoverMinutes > washoutMinutes} carryover outlasts the washout.
     */
    public static Truth writeSwitchback(Path file, int days, int blockMinutes, int washoutMinutes, int carryoverMinutes,
                                        int perBlock, double effect, double blockSd, long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        long blocks = days * 1440L / blockMinutes;
        long block = blockMinutes * 60L;
        Path csv = Files.createTempFile("verdict-example", ".csv");
        long rows = 0;
        long washout = 0;
        long treatedBlocks = 0;
        boolean previous = false;
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
            out.println(UNIT_HEADER);
            for (long b = 0; b < blocks; b++) {
                boolean treated = rnd.nextBoolean();
                treatedBlocks += treated ? 1 : 0;
                double shock = blockSd * gaussian(rnd);
                double slow = Math.exp(0.03 * gaussian(rnd));
                long[] offsets = new long[perBlock];
                for (int r = 0; r < perBlock; r++) {
                    offsets[r] = (long) (rnd.nextDouble() * block);
                }
                java.util.Arrays.sort(offsets);
                for (int r = 0; r < perBlock; r++) {
                    Instant ts = START.plusSeconds(b * block + offsets[r]);
                    boolean inWashout = offsets[r] < washoutMinutes * 60L;
                    washout += inWashout ? 1 : 0;
                    boolean carried = offsets[r] < carryoverMinutes * 60L;
                    boolean acting = carried ? previous : treated; // carryover of the previous block's policy
                    double hour = (ts.getEpochSecond() % 86400) / 3600.0;
                    double cycle = Math.sin(2 * Math.PI * (hour - 8) / 24);
                    double utilization = clamp(0.55 + 0.3 * cycle + 0.05 * gaussian(rnd), 0.05, 0.99);
                    double pComplete = 0.85 + 0.05 * cycle + shock + (acting ? effect : 0);
                    double latency = 350 * slow * (1 + 0.8 * utilization * utilization) * Math.exp(0.3 * gaussian(rnd))
                            - (acting ? 20 : 0);
                    row(out, rows++, ts, rnd, "pool-00", "us-east", treated, pComplete, latency, utilization);
                }
                previous = treated;
            }
        }
        convert(csv, file);
        return new Truth(blocks - treatedBlocks, treatedBlocks, rows, washout, effect);
    }

    private static final String[] REGIONS = {"us-east", "eu-west", "ap-south"};

    private static void row(PrintWriter out, long id, Instant ts, SplittableRandom rnd, String cluster, String region,
                            boolean treated, double pComplete, double latency, double utilization) {
        String arm = treated ? "treatment" : "control";
        boolean error = rnd.nextDouble() < 0.01;
        boolean completed = !error && rnd.nextDouble() < clamp(pComplete, 0, 1);
        String workload = WORKLOADS[rnd.nextInt(3)];
        double gpu = (0.05 + 0.2 * rnd.nextDouble());
        double cost = gpu * 0.0011;
        double value = completed ? 0.004 : 0;
        out.printf(Locale.ROOT, "r%07d,%s,u%05d,%s,%s,%s,%s,%.3f,%d,%d,%.6f,%.8f,%.6f,%.4f,%d,%s,%s%n", id, ts,
                rnd.nextInt(5000), cluster, region, arm, arm, Math.max(20, latency), error ? 1 : 0, completed ? 1 : 0,
                gpu, cost, value, utilization, poisson(rnd, 1 + 12 * utilization * utilization), workload,
                TIERS[rnd.nextInt(3)]);
    }

    /** Moves the CSV to {@code file}, as Parquet (sorted by request id, zstd) when its name ends in .parquet. */
    static void convert(Path csv, Path file) throws Exception {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            if (!file.toString().endsWith(".parquet")) {
                Files.copy(csv, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return;
            }
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
                Files.deleteIfExists(file);
                s.execute("COPY (SELECT * FROM read_csv('" + csv + "', header = true) ORDER BY request_id) TO '" + file
                        + "' (FORMAT parquet, COMPRESSION zstd)");
            }
        } finally {
            Files.deleteIfExists(csv);
        }
    }

    enum Scenario { CLEAN_WIN, SRM, GUARDRAIL, MIXED_SEGMENTS }

    static void write(Path parquet, Scenario scenario, int units, long seed) throws Exception {
        Files.createDirectories(parquet.getParent());
        Path csv = Files.createTempFile("verdict-example", ".csv");
        SplittableRandom rnd = new SplittableRandom(seed);
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
            out.println("request_id,ts,user_id,workspace_id,cluster,region,arm,executed_arm,fallback_reason,timed_out,"
                    + "retries,latency_ms,ttft_ms,error,completed,tokens_in,tokens_out,gpu_seconds,cost_usd,value_usd,"
                    + "queue_depth,cache_hit,kv_util,utilization,workload,tier,model_family,context_tokens,pre_latency_ms");
            long requestId = 0;
            boolean userLevel = scenario == Scenario.MIXED_SEGMENTS;
            for (int u = 0; u < units; u++) {
                String tier = TIERS[rnd.nextInt(10) < 5 ? 0 : rnd.nextInt(10) < 7 ? 1 : 2];
                String userArm = rnd.nextBoolean() ? "treatment" : "control";
                double userSpeed = Math.exp(0.25 * gaussian(rnd));
                double preLatency = 400 * userSpeed * Math.exp(0.1 * gaussian(rnd));
                String userWorkload = WORKLOADS[rnd.nextInt(3)];
                int requests = userLevel ? 1 + poisson(rnd, 7) : 1;
                for (int r = 0; r < requests; r++) {
                    String arm = userLevel ? userArm : (rnd.nextBoolean() ? "treatment" : "control");
                    boolean treated = arm.equals("treatment");
                    if (scenario == Scenario.SRM && treated && rnd.nextDouble() < 0.06) {
                        continue; // the treatment's logger drops rows
                    }
                    String workload = userLevel ? userWorkload : WORKLOADS[rnd.nextInt(3)];
                    String cluster = CLUSTERS[rnd.nextInt(CLUSTERS.length)];
                    double utilization = clamp(0.35 + 0.5 * rnd.nextDouble() + 0.08 * gaussian(rnd), 0.05, 0.99);
                    int queue = poisson(rnd, 1 + 12 * utilization * utilization);
                    double pComplete = 0.88 + (workload.equals("batch") ? 0.04 : 0) - 0.05 * (utilization - 0.6);
                    double pError = 0.01 + 0.01 * Math.max(0, utilization - 0.8);
                    double latency = preLatency * (workload.equals("agentic") ? 2.2 : workload.equals("batch") ? 1.6 : 1.0)
                            * (1 + 0.8 * utilization * utilization) * Math.exp(0.35 * gaussian(rnd)) + 5 * queue;
                    switch (scenario) {
                        case CLEAN_WIN, SRM -> {
                            if (treated) {
                                pComplete += 0.025;
                                latency -= 15;
                            }
                        }
                        case GUARDRAIL -> {
                            if (treated) {
                                pComplete += 0.02;
                                pError += 0.02;
                            }
                        }
                        case MIXED_SEGMENTS -> {
                            if (treated && workload.equals("agentic")) {
                                pComplete += 0.08;
                            }
                        }
                    }
                    boolean error = rnd.nextDouble() < pError;
                    boolean completed = !error && rnd.nextDouble() < pComplete;
                    boolean timedOut = !completed && !error && rnd.nextDouble() < 0.1;
                    int tokensIn = 200 + rnd.nextInt(workload.equals("agentic") ? 6000 : 1500);
                    int tokensOut = 50 + rnd.nextInt(600);
                    boolean cacheHit = rnd.nextDouble() < (workload.equals("agentic") ? 0.6 : 0.3);
                    double gpu = (tokensIn * (cacheHit ? 0.2 : 1.0) * 0.00002 + tokensOut * 0.0004) * (0.9 + 0.2 * rnd.nextDouble());
                    double cost = gpu * 0.0011 * 1000 / 1000;
                    double value = completed ? 0.004 + 0.000002 * tokensOut : 0;
                    String fallback = rnd.nextDouble() < 0.004 ? "capacity" : "";
                    Instant ts = START.plusSeconds((long) (rnd.nextDouble() * 14 * 86400));
                    out.printf(Locale.ROOT, "r%07d,%s,u%05d,w%04d,%s,%s,%s,%s,%s,%s,%d,%.3f,%.3f,%d,%d,%d,%d,%.6f,%.8f,%.6f,%d,%d,%.4f,%.4f,%s,%s,%s,%d,%.3f%n",
                            requestId++, ts, u, u / 5, cluster, cluster.substring(0, cluster.lastIndexOf('-')), arm,
                            arm, fallback, timedOut, timedOut ? 1 : rnd.nextInt(10) == 0 ? 1 : 0, Math.max(20, latency),
                            Math.max(5, latency * 0.25), error ? 1 : 0, completed ? 1 : 0, tokensIn, tokensOut, gpu, cost,
                            value, queue, cacheHit ? 1 : 0, clamp(utilization + 0.05 * gaussian(rnd), 0, 1), utilization,
                            workload, tier, tokensIn > 3000 ? "large" : "small", tokensIn, preLatency);
                }
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            Files.deleteIfExists(parquet);
            s.execute("COPY (SELECT * FROM read_csv('" + csv + "', header = true) ORDER BY request_id) TO '" + parquet
                    + "' (FORMAT parquet, COMPRESSION zstd)");
        } finally {
            Files.deleteIfExists(csv);
        }
    }

    private static double gaussian(SplittableRandom rnd) {
        double u1 = rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static int poisson(SplittableRandom rnd, double mean) {
        double l = Math.exp(-mean);
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= rnd.nextDouble();
        } while (p > l);
        return k - 1;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

}

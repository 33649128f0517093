package dev.verdict.cli.examples;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes the example logs of the quasi-experimental designs under {@code examples/} (regenerate with
 * {@code QuasiExampleLogs.main(new String[] {"examples"})} from the repository root). Known truth:
 * <ul>
 *   <li>{@code did-rollout}: a routing policy rolled out to 18 of 30 clusters in three waves (days 10, 14 and 18 of
 *       28); cluster levels differ, every cluster shares a daily cycle and a slow drift; the policy takes 25 ms off
 *       mean latency from the day it lands; errors are flat.</li>
 *   <li>{@code synthetic-control}: one region (us-east) switched to a new batching budget on day 21 of 35; 24 donor
 *       regions whose mixtures track it; the policy takes 40 ms off latency.</li>
 *   <li>{@code rdd}: requests with a prompt of 8,000 tokens or more are routed to the long-context pool; latency
 *       rises smoothly with prompt length and the pool takes 60 ms off; prompt lengths are not manipulated.</li>
 *   <li>{@code propensity}: a speculative-decoding path that operators enabled mostly for enterprise traffic and
 *       short prompts (treatment probability logistic in tier and prompt length); both also drive latency, so the
 *       naive difference is confounded; the path takes 30 ms off every request it serves.</li>
 * </ul>
 */
public final class QuasiExampleLogs {
    private static final Instant START = Instant.parse("2026-10-05T00:00:00Z");

    private QuasiExampleLogs() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "examples");
        writeDid(root.resolve("did-rollout/requests.parquet"), 21);
        writeSyntheticControl(root.resolve("synthetic-control/requests.parquet"), 22);
        writeRdd(root.resolve("rdd/requests.parquet"), 23);
        writePropensity(root.resolve("propensity/requests.parquet"), 24);
    }

    private static double gaussian(SplittableRandom rnd) {
        return rnd.nextGaussian();
    }

    public static void writeDid(Path file, long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        Path csv = Files.createTempFile("verdict-example", ".csv");
        long id = 0;
        double[] day = new double[28];
        for (int d = 0; d < 28; d++) {
            day[d] = 1.5 * d + 6 * gaussian(rnd);
        }
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
            out.println("request_id,ts,cluster,region,arm,latency_ms,error");
            for (int c = 0; c < 30; c++) {
                int adopt = c < 6 ? 10 : c < 12 ? 14 : c < 18 ? 18 : Integer.MAX_VALUE;
                double level = 420 + 40 * gaussian(rnd);
                String cluster = String.format(Locale.ROOT, "pool-%02d", c);
                for (int d = 0; d < 28; d++) {
                    boolean treated = d >= adopt;
                    double cell = 4 * gaussian(rnd);
                    for (int k = 0; k < 40; k++) {
                        Instant ts = START.plusSeconds(d * 86_400L + (long) (rnd.nextDouble() * 86_400));
                        double latency = level + day[d] + cell + (treated ? -25 : 0) + 60 * gaussian(rnd);
                        out.printf(Locale.ROOT, "d%07d,%s,%s,r%d,%s,%.2f,%d%n", id++, ts, cluster, c % 3,
                                treated ? "treatment" : "control", latency, rnd.nextDouble() < 0.01 ? 1 : 0);
                    }
                }
            }
        }
        ExampleLogs.convert(csv, file);
    }

    public static void writeSyntheticControl(Path file, long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        Path csv = Files.createTempFile("verdict-example", ".csv");
        long id = 0;
        int days = 35;
        double[][] factors = new double[2][days];
        for (int d = 0; d < days; d++) {
            factors[0][d] = 60 * Math.sin(d / 5.0) + 8 * gaussian(rnd);
            factors[1][d] = 3 * d + 8 * gaussian(rnd);
        }
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
            out.println("request_id,ts,region,arm,latency_ms,error");
            for (int u = 0; u <= 24; u++) {
                boolean treatedUnit = u == 0;
                String region = treatedUnit ? "us-east" : String.format(Locale.ROOT, "donor-%02d", u);
                double a = treatedUnit ? 0.5 : rnd.nextDouble();
                double level = treatedUnit ? 500 : 470 + 60 * rnd.nextDouble();
                for (int d = 0; d < days; d++) {
                    boolean treated = treatedUnit && d >= 21;
                    double cell = level + a * factors[0][d] + (1 - a) * factors[1][d] + 3 * gaussian(rnd);
                    for (int k = 0; k < 100; k++) {
                        Instant ts = START.plusSeconds(d * 86_400L + (long) (rnd.nextDouble() * 86_400));
                        double latency = cell + (treated ? -40 : 0) + 50 * gaussian(rnd);
                        out.printf(Locale.ROOT, "s%07d,%s,%s,%s,%.2f,%d%n", id++, ts, region,
                                treated ? "treatment" : "control", latency, rnd.nextDouble() < 0.01 ? 1 : 0);
                    }
                }
            }
        }
        ExampleLogs.convert(csv, file);
    }

    public static void writeRdd(Path file, long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        Path csv = Files.createTempFile("verdict-example", ".csv");
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
            out.println("request_id,ts,arm,context_tokens,latency_ms,error,tier_rank");
            for (int i = 0; i < 20_000; i++) {
                Instant ts = START.plusSeconds((long) (rnd.nextDouble() * 7 * 86_400));
                int tokens = (int) (2_000 + 12_000 * rnd.nextDouble());
                boolean longPool = tokens >= 8_000;
                double latency = 300 + 0.05 * tokens + 2e-6 * tokens * (double) tokens + (longPool ? -60 : 0)
                        + 80 * gaussian(rnd);
                int tierRank = rnd.nextInt(3);
                out.printf(Locale.ROOT, "q%07d,%s,%s,%d,%.2f,%d,%d%n", i, ts, longPool ? "treatment" : "control", tokens,
                        latency, rnd.nextDouble() < 0.01 ? 1 : 0, tierRank);
            }
        }
        ExampleLogs.convert(csv, file);
    }

    public static void writePropensity(Path file, long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        Path csv = Files.createTempFile("verdict-example", ".csv");
        String[] tiers = {"enterprise", "free", "pro"};
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
            out.println("request_id,ts,arm,tier,context_tokens,latency_ms,error");
            for (int i = 0; i < 20_000; i++) {
                Instant ts = START.plusSeconds((long) (rnd.nextDouble() * 7 * 86_400));
                int tier = rnd.nextInt(3);
                double tokens = Math.exp(7.5 + 0.8 * gaussian(rnd));
                double z = -0.5 + (tier == 0 ? 1.5 : tier == 2 ? 0.5 : -0.5) - 0.4 * (Math.log(tokens) - 7.5);
                boolean treated = rnd.nextDouble() < 1 / (1 + Math.exp(-z));
                double latency = 400 + 0.04 * tokens + (tier == 0 ? -60 : tier == 2 ? -20 : 0) + (treated ? -30 : 0)
                        + 60 * gaussian(rnd);
                out.printf(Locale.ROOT, "p%07d,%s,%s,%s,%.0f,%.2f,%d%n", i, ts, treated ? "treatment" : "control",
                        tiers[tier], tokens, latency, rnd.nextDouble() < 0.01 ? 1 : 0);
            }
        }
        ExampleLogs.convert(csv, file);
    }
}

package dev.verdict.cli;

import dev.verdict.assign.SwitchbackSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AssignCliTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void hashWorkedExample() throws IOException {
        Path ids = write("ids.txt", "user-42\n1234567\n");
        CliRun r = CliRun.of("assign", "hash", "--salt", "verdict-demo", "--shares", "control=0.9,treatment=0.1",
                ids.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("id,bucket,arm\nuser-42,5701,control\n1234567,4275,control\n", r.out());
        CliRun sixty = CliRun.of("assign", "hash", "--salt", "verdict-demo", "--shares", "control=0.4,treatment=0.6",
                ids.toString());
        assertEquals("id,bucket,arm\nuser-42,5701,treatment\n1234567,4275,treatment\n", sixty.out());
        // a column of a CSV, to a file
        Path csv = write("users.csv", "n,user_id\n1,user-42\n2,\"1234567\"\n");
        Path out = dir.resolve("a.csv");
        CliRun c = CliRun.of("assign", "hash", "--salt", "verdict-demo", "--shares", "control=0.9,treatment=0.1",
                "--column", "user_id", csv.toString(), "--out", out.toString());
        assertEquals(0, c.exit(), c.err());
        assertEquals(r.out(), Files.readString(out));
    }

    @Test
    void hashInLayerMatchesTheDocumentedExample() throws IOException {
        Path ids = write("ids.txt", "user-42\n");
        CliRun in = CliRun.of("assign", "hash", "--layer", "cache-layer", "--salt", "eviction", "--range", "3000-5000",
                "--shares", "control=0.5,treatment=0.5", ids.toString());
        assertEquals(0, in.exit(), in.err());
        assertTrue(in.out().startsWith("id,slot,bucket,arm\nuser-42,3046,"), in.out());
        assertTrue(in.out().endsWith(",control\n"), in.out()); // docs/assignment.md: control of eviction
        CliRun outside = CliRun.of("assign", "hash", "--layer", "cache-layer", "--salt", "ttl", "--range", "0-3000",
                "--shares", "control=0.5,treatment=0.5", ids.toString());
        assertTrue(outside.out().endsWith(",\n"), outside.out()); // not in ttl's slots: empty arm
    }

    @Test
    void hashBadInputIsOneLine() throws IOException {
        Path ids = write("ids.txt", "user-42\n");
        CliRun sum = CliRun.of("assign", "hash", "--salt", "s", "--shares", "control=0.9,treatment=0.2", ids.toString());
        assertEquals(2, sum.exit());
        assertTrue(sum.err().startsWith("verdict: error: option --shares: arm shares must sum to 1"), sum.err());
        assertEquals(1, sum.err().lines().count());
        CliRun missing = CliRun.of("assign", "hash", "--salt", "s", "--shares", "a=0.5,b=0.5", dir.resolve("no.txt").toString());
        assertEquals(3, missing.exit());
        assertTrue(missing.err().contains("file not found"), missing.err());
        CliRun noSalt = CliRun.of("assign", "hash", "--shares", "a=0.5,b=0.5", ids.toString());
        assertEquals(2, noSalt.exit());
        CliRun col = CliRun.of("assign", "hash", "--salt", "s", "--shares", "a=0.5,b=0.5", "--column", "uid",
                write("u.csv", "user_id\nx\n").toString());
        assertEquals(2, col.exit());
        assertEquals("verdict: error: option --column: column 'uid' is not in " + dir.resolve("u.csv")
                + "; its columns are user_id\n", col.err());
    }

    /** 48 clusters: 2 regions x 2 GPU generations x 12, with two pre-period covariates. */
    private Path clusters(Map<String, double[]> x) throws IOException {
        StringBuilder b = new StringBuilder("cluster,region,gpu,queue_depth,latency_p99\n");
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 48; i++) {
            String id = "pool-" + i;
            double q = 5 + 10 * r.nextDouble();
            double l = 900 + 300 * r.nextDouble();
            x.put(id, new double[] {q, l});
            b.append(id).append(',').append(i % 2 == 0 ? "us" : "eu").append(',').append((i / 2) % 2 == 0 ? "h100" : "a100")
                    .append(',').append(q).append(',').append(l).append('\n');
        }
        return write("clusters.csv", b.toString());
    }

    @Test
    void clustersRerandomizedWithBalanceTable() throws IOException {
        Map<String, double[]> x = new HashMap<>();
        Path csv = clusters(x);
        String[] args = {"assign", "clusters", csv.toString(), "--unit", "cluster", "--strata", "region,gpu",
                "--share", "0.5", "--seed", "42", "--balance", "queue_depth,latency_p99", "--max-std-diff", "0.05",
                "--max-draws", "10000", "--out", dir.resolve("o").toString()};
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exit(), r.err());
        List<String> rows = Files.readAllLines(dir.resolve("o/assignment.csv"));
        assertEquals("cluster,stratum,arm", rows.get(0));
        assertEquals(49, rows.size());
        Map<String, Integer> treatedPerStratum = new HashMap<>();
        List<double[]> t = new ArrayList<>();
        List<double[]> c = new ArrayList<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            boolean treated = f[2].equals("treatment");
            treatedPerStratum.merge(f[1], treated ? 1 : 0, Integer::sum);
            (treated ? t : c).add(x.get(f[0]));
        }
        // 12 clusters per stratum, 6 treated in each
        assertEquals(Map.of("us|h100", 6, "eu|h100", 6, "us|a100", 6, "eu|a100", 6), treatedPerStratum);
        List<String> balance = Files.readAllLines(dir.resolve("o/balance.csv"));
        assertEquals("covariate,treated_mean,control_mean,pooled_sd,std_diff", balance.get(0));
        for (int j = 0; j < 2; j++) {
            String[] f = balance.get(j + 1).split(",");
            double[] mt = meanVar(t, j);
            double[] mc = meanVar(c, j);
            double pooled = Math.sqrt((mt[1] + mc[1]) / 2);
            assertEquals(mt[0], Double.parseDouble(f[1]), 1e-9 * Math.abs(mt[0]));
            assertEquals(mc[0], Double.parseDouble(f[2]), 1e-9 * Math.abs(mc[0]));
            assertEquals(pooled, Double.parseDouble(f[3]), 1e-9 * pooled);
            double std = (mt[0] - mc[0]) / pooled;
            assertEquals(std, Double.parseDouble(f[4]), 1e-9);
            assertTrue(Math.abs(std) <= 0.05, "std diff " + std);
        }
        assertTrue(r.out().contains("| us|h100 | 12 | 6 |"), r.out());
        // same seed, same files; stdout mode prints the CSV then the markdown balance table
        CliRun again = CliRun.of(java.util.Arrays.copyOf(args, args.length - 2));
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().startsWith(String.join("\n", rows) + "\n\n"), again.out());
        assertTrue(again.out().contains("| covariate | treated mean | control mean | pooled SD | std diff |"));
    }

    private static double[] meanVar(List<double[]> rows, int j) {
        double m = rows.stream().mapToDouble(r -> r[j]).average().orElseThrow();
        double v = rows.stream().mapToDouble(r -> (r[j] - m) * (r[j] - m)).sum() / (rows.size() - 1);
        return new double[] {m, v};
    }

    @Test
    void clustersImpossibleCriterionAndBadCovariate() throws IOException {
        Path csv = clusters(new HashMap<>());
        CliRun r = CliRun.of("assign", "clusters", csv.toString(), "--strata", "region,gpu", "--seed", "1",
                "--balance", "queue_depth,latency_p99", "--max-std-diff", "0.0001", "--max-draws", "50");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("verdict: error: option --max-std-diff/--max-draws: no draw met the balance "
                + "criterion max |std diff| <= 1.0E-4 in 50 draws"), r.err());
        Path bad = write("bad.csv", "cluster,region,q\na,us,1\nb,us,x\n");
        CliRun b = CliRun.of("assign", "clusters", bad.toString(), "--seed", "1", "--balance", "q");
        assertEquals(3, b.exit());
        assertTrue(b.err().contains("bad.csv:3: column 'q' (option --balance): the value 'x' is not a finite number"), b.err());
        Path dup = write("dup.csv", "cluster\na\na\n");
        assertEquals(3, CliRun.of("assign", "clusters", dup.toString(), "--seed", "1").exit());
    }

    @Test
    void saturationLevels() throws IOException {
        Path csv = clusters(new HashMap<>());
        CliRun r = CliRun.of("assign", "saturation", csv.toString(), "--strata", "region", "--levels",
                "0=0.5,0.5=0.25,1=0.25", "--seed", "9", "--salt", "sat-demo");
        assertEquals(0, r.exit(), r.err());
        Map<String, Integer> perLevel = new HashMap<>();
        r.out().lines().skip(1).forEach(l -> perLevel.merge(l.split(",")[1] + ":" + l.split(",")[2], 1, Integer::sum));
        assertEquals(Map.of("us:0.0", 12, "us:0.5", 6, "us:1.0", 6, "eu:0.0", 12, "eu:0.5", 6, "eu:1.0", 6), perLevel);
    }

    @Test
    void switchbackScheduleMatchesTheLibrary() {
        long monday = LocalDate.of(2026, 1, 5).toEpochDay() * 86_400;
        CliRun r = CliRun.of("assign", "switchback", "--start", "2026-01-05T00:00:00Z", "--block-minutes", "60",
                "--washout-minutes", "10", "--blocks", "48", "--share", "0.5", "--seed", "7");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("region,block,start,washout_end,arm", lines.get(0));
        assertEquals("global,1,2026-01-05T01:00:00Z,2026-01-05T01:10:00Z,treatment", lines.get(2)); // docs example
        SwitchbackSchedule s = SwitchbackSchedule.randomizedWithinDay(monday, 3600, 600, 48, 0.5, 7);
        int day1 = 0;
        for (int b = 0; b < 48; b++) {
            assertEquals(s.treated(b) ? "treatment" : "control", lines.get(b + 1).split(",")[4]);
            day1 += b < 24 && s.treated(b) ? 1 : 0;
        }
        assertEquals(12, day1);
        CliRun regions = CliRun.of("assign", "switchback", "--start", "2026-01-05", "--block-minutes", "60",
                "--blocks", "24", "--seed", "7", "--regions", "us,eu", "--mode", "complete");
        assertEquals(0, regions.exit(), regions.err());
        assertEquals(49, regions.out().lines().count());
        SwitchbackSchedule eu = SwitchbackSchedule.complete(monday, 3600, 0, 24, 0.5, SwitchbackSchedule.regionSeed(7, "eu"));
        assertEquals("eu,5,2026-01-05T05:00:00Z,2026-01-05T05:00:00Z," + (eu.treated(5) ? "treatment" : "control"),
                regions.out().lines().toList().get(24 + 6));
        CliRun bad = CliRun.of("assign", "switchback", "--start", "2026-01-05T00:30:00Z", "--block-minutes", "60",
                "--blocks", "24", "--seed", "7");
        assertEquals(2, bad.exit());
        assertEquals(1, bad.err().lines().count(), bad.err());
        CliRun mode = CliRun.of("assign", "switchback", "--start", "2026-01-05", "--block-minutes", "60",
                "--blocks", "24", "--seed", "7", "--mode", "weekly");
        assertEquals("verdict: error: option --mode: got 'weekly'; use within_day, complete or bernoulli\n", mode.err());
    }

    @Test
    void helpOnEachSubcommand() {
        for (String sub : List.of("hash", "clusters", "saturation", "switchback")) {
            CliRun r = CliRun.of("assign", sub, "--help");
            assertEquals(0, r.exit());
            assertTrue(r.out().startsWith("Usage: verdict assign " + sub), r.out());
        }
        assertEquals(2, CliRun.of("assign").exit());
    }
}

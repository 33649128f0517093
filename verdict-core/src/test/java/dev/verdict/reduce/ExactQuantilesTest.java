package dev.verdict.reduce;

import dev.verdict.reduce.ReductionPlan.QuantileRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exact quantiles by bucket refinement equal the type-7 quantile of the sorted values to the bit, on an in-memory
 * {@link BucketScan} that evaluates the bucket functions as their javadoc defines them.
 */
class ExactQuantilesTest {
    private static final LogSource SOURCE = new LogSource(List.of("/mem"), LogSource.Format.PARQUET);
    private static final List<Double> PS = List.of(0.0, 0.01, 0.1, 0.333, 0.5, 0.85, 0.9, 0.95, 0.985, 0.99, 0.995, 1.0);

    /** Values per column per arm label, kept in memory; counts the scans it is asked for. */
    static class MemoryScan implements BucketScan {
        final Map<String, Map<String, double[]>> data = new TreeMap<>();
        int histogramScans;
        int extractScans;

        @Override
        public List<Map<String, List<Bucket>>> histograms(LogSource source, String armColumn, List<String> labels,
                                                          List<HistogramRequest> requests) {
            histogramScans++;
            List<Map<String, List<Bucket>>> out = new ArrayList<>();
            for (HistogramRequest r : requests) {
                Map<String, List<Bucket>> byLabel = new TreeMap<>();
                for (String label : labels) {
                    TreeMap<Long, Bucket> buckets = new TreeMap<>();
                    for (double x : data.get(r.column()).getOrDefault(label, new double[0])) {
                        Long b = bucket(x, r.function());
                        if (b != null) {
                            buckets.merge(b, new Bucket(b, 1, x, x), (p, q) -> new Bucket(b, p.count() + 1,
                                    Math.min(p.min(), x), Math.max(p.max(), x)));
                        }
                    }
                    byLabel.put(label, List.copyOf(buckets.values()));
                }
                out.add(byLabel);
            }
            return out;
        }

        static Long bucket(double x, BucketFunction f) {
            if (f instanceof Log) {
                if (x > 0) {
                    return 2_000_000L + (long) Math.floor(Math.log(x) * Log.SCALE);
                }
                return x == 0 ? 1_000_000L : -(long) Math.floor(Math.log(-x) * Log.SCALE);
            }
            Linear l = (Linear) f;
            if (x < l.low() || x > l.high()) {
                return null;
            }
            return Math.min((long) Math.floor((x / 2 - l.low() / 2) / (l.high() / 2 - l.low() / 2) * l.buckets()),
                    l.buckets() - 1L);
        }

        @Override
        public List<Extracted> extract(LogSource source, String armColumn, List<Extraction> extractions) {
            extractScans++;
            List<Extracted> out = new ArrayList<>();
            for (Extraction e : extractions) {
                List<Double> in = new ArrayList<>();
                for (String label : e.labels()) {
                    for (double x : data.get(e.column()).getOrDefault(label, new double[0])) {
                        if (x >= e.low() && x <= e.high()) {
                            in.add(x);
                        }
                    }
                }
                in.sort(Double::compare);
                out.add(new Extracted(in.size(), e.positions().stream().mapToDouble(in::get).toArray()));
            }
            return out;
        }
    }

    /** Type 7 on sorted values, in DuckDB's floating-point form. */
    static double naive(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = (int) Math.ceil(h);
        double d = h - lo;
        return lo == hi ? sorted[lo] : sorted[lo] * (1 - d) + sorted[hi] * d;
    }

    private static void assertExact(MemoryScan scan, String column) {
        List<String> labels = List.of("control", "treatment");
        Map<String, Map<String, double[]>> q = ExactQuantiles.compute(scan, SOURCE, "arm", labels,
                List.of(new QuantileRequest(column, PS, true)));
        Map<String, double[]> byArm = scan.data.get(column);
        double[] pooled = new double[0];
        for (String label : labels) {
            double[] x = byArm.get(label).clone();
            Arrays.sort(x);
            pooled = concat(pooled, x);
            for (int i = 0; i < PS.size(); i++) {
                assertEquals(naive(x, PS.get(i)), q.get(column).get(label)[i], 0.0, label + " p=" + PS.get(i));
            }
        }
        Arrays.sort(pooled);
        for (int i = 0; i < PS.size(); i++) {
            assertEquals(naive(pooled, PS.get(i)), q.get(column).get(Reduction.POOLED)[i], 0.0, "pooled p=" + PS.get(i));
        }
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void equalsTheSortedTypeSevenQuantileToTheBit(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        MemoryScan scan = new MemoryScan();
        Map<String, double[]> arms = new TreeMap<>();
        for (String label : List.of("control", "treatment")) {
            int n = 1 + rnd.nextInt(5000);
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = switch ((int) (seed % 4)) {
                    case 0 -> Math.exp(6 + 0.5 * rnd.nextGaussian());           // latency-like
                    case 1 -> rnd.nextInt(1000) / 1000.0;                        // heavy ties
                    case 2 -> rnd.nextGaussian() * 1e-3 + (rnd.nextBoolean() ? 0 : -5); // negatives and zeros nearby
                    default -> rnd.nextInt(3) == 0 ? 0.0 : rnd.nextGaussian() * 1e6;
                };
            }
            arms.put(label, x);
        }
        scan.data.put("v", arms);
        assertExact(scan, "v");
        assertEquals(1, scan.histogramScans, "one histogram scan on ordinary data");
        assertTrue(scan.extractScans <= 1);
    }

    @Test
    void crowdedBucketsAreRefinedUntilTheyCanBeExtracted() {
        // 1.2 million distinct values inside one 0.1% logarithmic bucket: more than an extraction may sort
        int n = 1_200_000;
        double[] c = new double[n];
        double[] t = new double[n / 2];
        for (int i = 0; i < n; i++) {
            c[i] = 1000.0 + i * 1e-7;
        }
        for (int i = 0; i < t.length; i++) {
            t[i] = 1000.0 + i * 3e-7;
        }
        MemoryScan scan = new MemoryScan();
        scan.data.put("v", new TreeMap<>(Map.of("control", c, "treatment", t)));
        assertExact(scan, "v");
        assertTrue(scan.histogramScans >= 2, "a refinement round ran: " + scan.histogramScans);
    }

    @Test
    void equalValuesNeedNoExtractionAndAnEmptyArmIsNaN() {
        double[] c = new double[1000];
        Arrays.fill(c, 42.5);
        MemoryScan scan = new MemoryScan();
        scan.data.put("v", new TreeMap<>(Map.of("control", c, "treatment", new double[0])));
        Map<String, Map<String, double[]>> q = ExactQuantiles.compute(scan, SOURCE, "arm",
                List.of("control", "treatment"), List.of(new QuantileRequest("v", PS, true)));
        for (int i = 0; i < PS.size(); i++) {
            assertEquals(42.5, q.get("v").get("control")[i], 0.0);
            assertTrue(Double.isNaN(q.get("v").get("treatment")[i]));
            assertEquals(42.5, q.get("v").get(Reduction.POOLED)[i], 0.0);
        }
        assertEquals(0, scan.extractScans);
    }

    @Test
    void aBucketFunctionThatIsNotMonotoneIsCaughtNotAnsweredWrongly() {
        // positive control for the consistency check: an engine whose extraction disagrees with its histogram
        MemoryScan broken = new MemoryScan() {
            @Override
            public List<Extracted> extract(LogSource source, String armColumn, List<Extraction> extractions) {
                List<Extracted> real = super.extract(source, armColumn, extractions);
                return real.stream().map(e -> new Extracted(e.count() + 1, e.values())).toList();
            }
        };
        double[] x = new double[500];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1000 + i * 1e-6; // one bucket, distinct values: the answer needs an extraction
        }
        broken.data.put("v", new TreeMap<>(Map.of("control", x, "treatment", x)));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> ExactQuantiles.compute(broken, SOURCE, "arm", List.of("control", "treatment"),
                        List.of(new QuantileRequest("v", PS, false))));
        assertTrue(e.getMessage().contains("not monotone"), e.getMessage());
    }
}

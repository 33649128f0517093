package dev.verdict.reduce;

import dev.verdict.reduce.BucketScan.Bucket;
import dev.verdict.reduce.BucketScan.Extracted;
import dev.verdict.reduce.BucketScan.Extraction;
import dev.verdict.reduce.BucketScan.HistogramRequest;
import dev.verdict.reduce.ReductionPlan.QuantileRequest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exact quantiles of a column per arm (and pooled over the declared arms) by bucket refinement, on any engine that
 * implements {@link BucketScan}: no sort of the column and no rows in the JVM.
 *
 * <p>The quantile at probability {@code p} of {@code n} values is R's type 7 (DuckDB's {@code quantile_cont}, Spark's
 * {@code percentile}): with {@code h = (n - 1) p}, the order statistics {@code x[floor h]} and {@code x[ceil h]}
 * (0-based) interpolated as {@code lo (1 - d) + hi d} with {@code d = h - floor h}, in that floating-point form, which is
 * DuckDB's (so the two agree to the bit). Order statistics are found in rounds:
 * <ol>
 *   <li>one scan builds, per arm, a histogram of the column on logarithmic buckets of 0.1% relative width (count,
 *       smallest and largest value per bucket); the pooled histogram is the sum of the arms';</li>
 *   <li>the bucket holding each needed rank is known from the cumulative counts. If its smallest and largest values
 *       are equal, that is the order statistic. If it holds at most {@link #EXTRACT_LIMIT} values, one final scan
 *       sorts the values in that interval inside the engine and returns only the ones at the needed positions.
 *       Otherwise another scan splits the interval into {@link #REFINE_BUCKETS} equal parts, and so on: each round
 *       narrows the interval 65536-fold, and an interval that cannot be split holds equal values.</li>
 * </ol>
 * On ordinary data that is two scans of the quantile columns alone, far cheaper than sorting them, and the answer is
 * the exact order statistic whatever the engine, so that engines agree bit for bit.
 *
 * <p>Written by hand: neither engine offers exact quantiles that scale past memory, and a mergeable sketch (KLL,
 * t-digest) would not reproduce the reference numbers exactly.
 */
public final class ExactQuantiles {
    /** Largest number of values an extraction may sort inside the engine. */
    public static final long EXTRACT_LIMIT = 1L << 20;
    /** Number of equal-width buckets a refinement round splits an interval into. */
    public static final int REFINE_BUCKETS = 1 << 16;

    private ExactQuantiles() {
    }

    /**
     * The quantiles a plan requests, per column, per declared arm and (when requested) {@link Reduction#POOLED}, in the
     * order of each request's probabilities; {@code NaN} where an arm has no values of the column.
     */
    public static Map<String, Map<String, double[]>> compute(BucketScan scan, LogSource source, String armColumn,
                                                             List<String> labels, List<QuantileRequest> requests) {
        if (requests.isEmpty()) {
            return Map.of();
        }
        List<HistogramRequest> first = new ArrayList<>();
        for (QuantileRequest q : requests) {
            first.add(new HistogramRequest(q.column(), new BucketScan.Log()));
        }
        List<Map<String, List<Bucket>>> histograms = scan.histograms(source, armColumn, labels, first);
        // every order statistic that is needed, per (column, group)
        List<Target> targets = new ArrayList<>();
        Map<String, Map<String, double[]>> out = new TreeMap<>();
        Map<String, Long> sizes = new java.util.HashMap<>();
        for (int r = 0; r < requests.size(); r++) {
            QuantileRequest q = requests.get(r);
            Map<String, List<String>> groups = new LinkedHashMap<>();
            for (String label : labels) {
                groups.put(label, List.of(label));
            }
            if (q.pooled()) {
                groups.put(Reduction.POOLED, labels);
            }
            for (var g : groups.entrySet()) {
                List<Bucket> buckets = merged(histograms.get(r), g.getValue());
                long n = buckets.stream().mapToLong(Bucket::count).sum();
                sizes.put(q.column() + '\u0000' + g.getKey(), n);
                for (long rank : n == 0 ? new long[0] : neededRanks(n, q.probabilities())) {
                    targets.add(new Target(q.column(), g.getKey(), g.getValue(), rank, 0, buckets));
                }
            }
        }
        Map<String, Double> found = resolve(scan, source, armColumn, labels, targets);
        for (QuantileRequest q : requests) {
            Map<String, double[]> byGroup = out.computeIfAbsent(q.column(), k -> new TreeMap<>());
            for (String group : q.pooled() ? concat(labels, Reduction.POOLED) : labels) {
                long n = sizes.get(q.column() + '\u0000' + group);
                double[] values = new double[q.probabilities().size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = n == 0 ? Double.NaN
                            : type7(n, q.probabilities().get(i), rank -> found.get(key(q.column(), group, rank)));
                }
                byGroup.put(group, values);
            }
        }
        return out;
    }

    private static List<String> concat(List<String> labels, String extra) {
        List<String> all = new ArrayList<>(labels);
        all.add(extra);
        return all;
    }

    /** The type-7 quantile of {@code n} sorted values at {@code p}, given the order statistic at each 0-based rank. */
    public static double type7(long n, double p, java.util.function.LongFunction<Double> orderStatistic) {
        double h = (n - 1) * p;
        double lo = Math.floor(h);
        double hi = Math.ceil(h);
        double x = orderStatistic.apply((long) lo);
        if (lo == hi) {
            return x;
        }
        double y = orderStatistic.apply((long) hi);
        double d = h - lo;
        return x * (1 - d) + y * d;
    }

    /** The 0-based ranks whose values the type-7 quantiles at {@code probabilities} need, sorted and distinct. */
    static long[] neededRanks(long n, List<Double> probabilities) {
        java.util.TreeSet<Long> ranks = new java.util.TreeSet<>();
        for (double p : probabilities) {
            double h = (n - 1) * p;
            ranks.add((long) Math.floor(h));
            ranks.add((long) Math.ceil(h));
        }
        return ranks.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * One order statistic still to find: rank {@code rank} (0-based, in the whole group) lies among the values
     * described by {@code buckets}, which start after {@code below} smaller values.
     */
    private record Target(String column, String group, List<String> labels, long rank, long below,
                          List<Bucket> buckets) { }

    private static String key(String column, String group, long rank) {
        return column + '\u0000' + group + '\u0000' + rank;
    }

    private static Map<String, Double> resolve(BucketScan scan, LogSource source, String armColumn, List<String> labels,
                                               List<Target> start) {
        Map<String, Double> found = new java.util.HashMap<>();
        Map<String, Extraction> extractions = new LinkedHashMap<>();
        Map<String, List<String>> extractionKeys = new LinkedHashMap<>();
        Map<String, Long> expected = new java.util.HashMap<>();
        List<Target> pending = start;
        while (!pending.isEmpty()) {
            Map<String, Target> refine = new LinkedHashMap<>();
            Map<String, List<Target>> refineTargets = new LinkedHashMap<>();
            for (Target t : pending) {
                long before = t.below();
                Bucket hit = null;
                for (Bucket b : t.buckets()) {
                    if (t.rank() < before + b.count()) {
                        hit = b;
                        break;
                    }
                    before += b.count();
                }
                if (hit == null) {
                    throw new IllegalStateException("rank " + t.rank() + " of column " + t.column()
                            + " lies beyond its histogram; the engine's bucket counts are inconsistent");
                }
                String k = key(t.column(), t.group(), t.rank());
                if (hit.min() == hit.max()) {
                    found.put(k, hit.min());
                } else if (hit.count() <= EXTRACT_LIMIT) {
                    String ek = t.column() + '\u0000' + t.group() + '\u0000' + hit.min() + '\u0000' + hit.max();
                    Extraction prev = extractions.get(ek);
                    List<Integer> positions = new ArrayList<>(prev == null ? List.of() : prev.positions());
                    positions.add(Math.toIntExact(t.rank() - before));
                    extractions.put(ek, new Extraction(t.column(), t.labels(), hit.min(), hit.max(), positions));
                    extractionKeys.computeIfAbsent(ek, x -> new ArrayList<>()).add(k);
                    expected.put(ek, hit.count());
                } else {
                    String rk = t.column() + '\u0000' + t.group() + '\u0000' + hit.min() + '\u0000' + hit.max();
                    refine.putIfAbsent(rk, new Target(t.column(), t.group(), t.labels(), -1, before,
                            List.of(hit)));
                    refineTargets.computeIfAbsent(rk, x -> new ArrayList<>()).add(new Target(t.column(), t.group(),
                            t.labels(), t.rank(), before, List.of(hit)));
                }
            }
            if (refine.isEmpty()) {
                break;
            }
            List<HistogramRequest> requests = new ArrayList<>();
            List<String> order = new ArrayList<>(refine.keySet());
            for (String rk : order) {
                Bucket b = refine.get(rk).buckets().get(0);
                requests.add(new HistogramRequest(refine.get(rk).column(),
                        new BucketScan.Linear(b.min(), b.max(), REFINE_BUCKETS)));
            }
            List<Map<String, List<Bucket>>> histograms = scan.histograms(source, armColumn, labels, requests);
            List<Target> next = new ArrayList<>();
            for (int i = 0; i < order.size(); i++) {
                Target region = refine.get(order.get(i));
                List<Bucket> buckets = merged(histograms.get(i), region.labels());
                long inside = buckets.stream().mapToLong(Bucket::count).sum();
                if (inside != region.buckets().get(0).count()) {
                    throw new IllegalStateException("column " + region.column() + ": " + inside + " values in ["
                            + region.buckets().get(0).min() + ", " + region.buckets().get(0).max() + "] but "
                            + region.buckets().get(0).count() + " in its bucket; the engine's bucket function is not monotone");
                }
                for (Target t : refineTargets.get(order.get(i))) {
                    next.add(new Target(t.column(), t.group(), t.labels(), t.rank(), t.below(), buckets));
                }
            }
            pending = next;
        }
        if (!extractions.isEmpty()) {
            List<String> order = new ArrayList<>(extractions.keySet());
            List<Extraction> list = order.stream().map(extractions::get).toList();
            List<Extracted> got = scan.extract(source, armColumn, list);
            for (int i = 0; i < order.size(); i++) {
                double[] values = got.get(i).values();
                List<String> keys = extractionKeys.get(order.get(i));
                for (int j = 0; j < keys.size(); j++) {
                    found.put(keys.get(j), values[j]);
                }
            }
            for (int i = 0; i < order.size(); i++) {
                if (got.get(i).count() != expected.get(order.get(i))) {
                    throw new IllegalStateException("column " + list.get(i).column() + ": " + got.get(i).count()
                            + " values in [" + list.get(i).low() + ", " + list.get(i).high() + "] but "
                            + expected.get(order.get(i)) + " in its bucket; the engine's bucket function is not monotone");
                }
            }
        }
        return found;
    }

    /** The histogram of a group of labels: buckets with the same number merged (counts added, extremes kept). */
    static List<Bucket> merged(Map<String, List<Bucket>> byLabel, List<String> labels) {
        TreeMap<Long, Bucket> out = new TreeMap<>();
        for (String label : labels) {
            for (Bucket b : byLabel.getOrDefault(label, List.of())) {
                out.merge(b.id(), b, (x, y) -> new Bucket(x.id(), x.count() + y.count(), Math.min(x.min(), y.min()),
                        Math.max(x.max(), y.max())));
            }
        }
        return List.copyOf(out.values());
    }
}

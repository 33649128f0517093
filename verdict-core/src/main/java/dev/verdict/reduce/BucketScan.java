package dev.verdict.reduce;

import java.util.List;
import java.util.Map;

/**
 * The two scans an engine runs so that {@link ExactQuantiles} can find exact order statistics of a column without
 * sorting it: a histogram of the column's values on a monotone bucket function, and the extraction of a few order
 * statistics among the values that fall in one narrow interval. Both return only aggregates.
 *
 * <p>Every engine implements both the same way, so exact quantiles (R's type 7, DuckDB's {@code quantile_cont})
 * agree across engines bit for bit: the answer depends only on the multiset of values, never on the bucket
 * arithmetic, which only decides how many values the second scan has to look at.
 */
public interface BucketScan {

    /**
     * One histogram request: the values of {@code column} among rows whose arm label is a declared label, bucketed by
     * {@code function} (see {@link BucketFunction}), restricted to {@code [low, high]} when the function is linear.
     *
     * @param column   the log's column, read as a number; missing values are ignored
     * @param function how values map to bucket numbers
     */
    record HistogramRequest(String column, BucketFunction function) { }

    /** One bucket of a histogram: its number, how many values fell in it and the smallest and largest of them. */
    record Bucket(long id, long count, double min, double max) { }

    /**
     * The answer of {@link #histograms} from what an engine gathered: per request, per label, buckets by number;
     * labels and buckets come out sorted.
     */
    static List<Map<String, List<Bucket>>> answer(List<Map<String, java.util.TreeMap<Long, Bucket>>> gathered) {
        List<Map<String, List<Bucket>>> out = new java.util.ArrayList<>();
        for (Map<String, java.util.TreeMap<Long, Bucket>> m : gathered) {
            Map<String, List<Bucket>> byLabel = new java.util.TreeMap<>();
            m.forEach((label, buckets) -> byLabel.put(label, List.copyOf(buckets.values())));
            out.add(byLabel);
        }
        return out;
    }

    /**
     * Histograms of the requested columns, per arm label, in one scan where the engine can.
     *
     * @param source    the log
     * @param armColumn the arm column
     * @param labels    the declared arm labels; rows of other labels are ignored
     * @param requests  the histograms to compute
     * @return per request (same order), per label, the non-empty buckets in increasing bucket number
     */
    List<Map<String, List<Bucket>>> histograms(LogSource source, String armColumn, List<String> labels,
                                               List<HistogramRequest> requests);

    /**
     * One extraction: among the rows whose arm label is in {@code labels} and whose value of {@code column} lies in
     * {@code [low, high]}, sort the values and return those at the 0-based {@code positions}.
     *
     * @param column    the log's column
     * @param labels    arm labels whose rows count
     * @param low       smallest value included
     * @param high      largest value included
     * @param positions 0-based positions in the sorted values of the interval
     */
    record Extraction(String column, List<String> labels, double low, double high, List<Integer> positions) {
        public Extraction {
            labels = List.copyOf(labels);
            positions = List.copyOf(positions);
        }
    }

    /**
     * The values at the requested positions, in one scan where the engine can.
     *
     * @return per extraction (same order), the number of values in the interval and the values at the positions
     */
    List<Extracted> extract(LogSource source, String armColumn, List<Extraction> extractions);

    /** What an extraction found: how many values lay in the interval, and the requested order statistics. */
    record Extracted(long count, double[] values) { }

    /**
     * A monotone (non-decreasing) map from values to bucket numbers that both engines can evaluate in SQL.
     *
     * <ul>
     *   <li>{@link Log}: over the whole real line, about {@code 1/RESOLUTION} relative width:
     *       {@code x > 0: 2000000 + floor(ln(x) * 1000)}; {@code x = 0: 1000000};
     *       {@code x < 0: -floor(ln(-x) * 1000)}. Numbers for finite doubles stay in (-710000, 2710000).</li>
     *   <li>{@link Linear}: {@code floor((x / 2 - low / 2) / (high / 2 - low / 2) * buckets)}, capped at
     *       {@code buckets - 1}, for {@code low <= x <= high} only (halves keep the width finite).</li>
     * </ul>
     */
    sealed interface BucketFunction permits Log, Linear { }

    /** Logarithmic buckets over the real line. */
    record Log() implements BucketFunction {
        /** Multiplier of the natural logarithm. */
        public static final int SCALE = 1000;
    }

    /** Equal-width buckets over a closed interval; values outside are ignored. */
    record Linear(double low, double high, int buckets) implements BucketFunction { }
}

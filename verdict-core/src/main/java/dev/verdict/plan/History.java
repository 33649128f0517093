package dev.verdict.plan;

import dev.verdict.reduce.Panel;
import dev.verdict.stats.Moments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Planning inputs estimated from history panels (the engines' unit x period moments, {@link Panel}): the
 * request-level mean and SD, requests a day, the one-way ANOVA ICC over clusters and over users, and the SD and
 * lag-1 autocorrelation of system-wide block means.
 */
public final class History {
    private History() {
    }

    /** Per-unit moments over all periods of a panel, units in panel order. */
    public static Map<String, Moments> perUnit(Panel p) {
        Map<String, Moments> out = new LinkedHashMap<>();
        for (Panel.Row r : p.rows()) {
            out.merge(r.unit(), r.moments().select(0), Moments::merge);
        }
        return out;
    }

    /** Per-period moments over all units, periods increasing. */
    public static TreeMap<Long, Moments> perPeriod(Panel p) {
        TreeMap<Long, Moments> out = new TreeMap<>();
        for (Panel.Row r : p.rows()) {
            out.merge(r.periodStart(), r.moments().select(0), Moments::merge);
        }
        return out;
    }

    /** Days the panel covers: (last period start - first period start) / 86400 plus one period. */
    public static double days(Panel p, Panel.Period period) {
        TreeMap<Long, Moments> t = perPeriod(p);
        if (t.isEmpty()) {
            return Double.NaN;
        }
        return (t.lastKey() - t.firstKey() + period.seconds()) / 86_400.0;
    }

    /**
     * SD and lag-1 autocorrelation of block means, blocks of {@code hoursPerBlock} hourly periods counted from the first
     * hour; the block mean pools the block's requests.
     *
     * @return {@code {sd, rho, blocks}}; NaN entries with fewer than 3 blocks
     */
    public static double[] blockSeries(Panel hourly, int hoursPerBlock) {
        TreeMap<Long, Moments> hours = perPeriod(hourly);
        TreeMap<Long, Moments> blocks = new TreeMap<>();
        if (hours.isEmpty()) {
            return new double[] {Double.NaN, Double.NaN, 0};
        }
        long first = hours.firstKey();
        long len = hoursPerBlock * 3600L;
        hours.forEach((start, m) -> blocks.merge(Math.floorDiv(start - first, len), m, Moments::merge));
        List<Long> idx = new ArrayList<>(blocks.keySet());
        double[] x = blocks.values().stream().mapToDouble(m -> m.mean(0)).toArray();
        int b = x.length;
        if (b < 3) {
            return new double[] {Double.NaN, Double.NaN, b};
        }
        double mean = 0;
        for (double v : x) {
            mean += v / b;
        }
        double ss = 0;
        for (double v : x) {
            ss += (v - mean) * (v - mean);
        }
        double lag = 0;
        for (int i = 0; i + 1 < b; i++) {
            if (idx.get(i + 1) == idx.get(i) + 1) {
                lag += (x[i] - mean) * (x[i + 1] - mean);
            }
        }
        double sd = Math.sqrt(ss / (b - 1));
        double rho = ss > 0 ? lag / ss : 0;
        return new double[] {sd, rho, b};
    }
}

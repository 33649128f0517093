package dev.verdict.reduce;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a request log lives: one or more absolute file paths or globs, all in one format.
 *
 * <p>A source may keep only the rows at or after an instant ({@link #since}): a log that carries a pre-period
 * (spec key {@code pre_period}) is analyzed from the start on, and every engine applies the filter before anything
 * else, so every reduction of the source sees the same rows. Rows whose time is missing are kept (the data-quality
 * check counts them). {@link #whole()} is the same log with every row, for the pre-period covariates.
 *
 * @param paths  absolute paths or globs
 * @param format CSV or Parquet (never auto: resolve it with {@link #inferFormat} first)
 * @param since  the rows kept: time column at or after an instant; empty keeps every row
 */
public record LogSource(List<String> paths, Format format, Optional<Since> since) {

    public LogSource {
        paths = List.copyOf(paths);
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("a log source needs at least one path");
        }
    }

    /** Every row of the files. */
    public LogSource(List<String> paths, Format format) {
        this(paths, format, Optional.empty());
    }

    /** The same files keeping only the rows whose {@code timeColumn} is at or after {@code from} (or missing). */
    public LogSource since(String timeColumn, Instant from) {
        return new LogSource(paths, format, Optional.of(new Since(timeColumn, from)));
    }

    /** The same files with every row. */
    public LogSource whole() {
        return since.isEmpty() ? this : new LogSource(paths, format);
    }

    /**
     * A row filter on time.
     *
     * @param timeColumn the log's time column (a plain identifier)
     * @param from       the first instant kept
     */
    public record Since(String timeColumn, Instant from) { }

    /** File formats the engines read, and {@code TABLE}: a table of the engine's catalog, named in {@code paths}. */
    public enum Format { CSV, PARQUET, TABLE }

    /** The format implied by the first path's extension, or empty-handed CSV when it says nothing. */
    public static Format inferFormat(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        if (p.endsWith(".parquet") || p.endsWith(".pq") || p.endsWith(".parquet/") || p.endsWith("*.parquet")) {
            return Format.PARQUET;
        }
        return Format.CSV;
    }
}

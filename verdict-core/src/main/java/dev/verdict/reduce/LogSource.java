package dev.verdict.reduce;

import java.util.List;
import java.util.Locale;

/**
 * Where a request log lives: one or more absolute file paths or globs, all in one format.
 *
 * @param paths  absolute paths or globs
 * @param format CSV or Parquet (never auto: resolve it with {@link #inferFormat} first)
 */
public record LogSource(List<String> paths, Format format) {

    public LogSource {
        paths = List.copyOf(paths);
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("a log source needs at least one path");
        }
    }

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

package dev.verdict.engine.duckdb;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** SQL text building for DuckDB: identifier and literal quoting, the only way spec text reaches SQL. */
final class Sql {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private Sql() {
    }

    /**
     * A quoted identifier. Names are validated as plain identifiers by the spec parser; this rejects
     * anything else again (defence in depth) and quotes what passes.
     */
    static String id(String name) {
        if (name == null || !PLAIN.matcher(name).matches()) {
            throw new IllegalArgumentException("column name '" + name + "' is not a plain identifier");
        }
        return '"' + name + '"';
    }

    /** A single-quoted string literal with embedded quotes doubled. */
    static String str(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** A list literal of string literals. */
    static String strList(List<String> values) {
        return values.stream().map(Sql::str).collect(Collectors.joining(", ", "[", "]"));
    }

    /** A list literal of doubles, printed exactly. */
    static String doubleList(List<Double> values) {
        return values.stream().map(Sql::dbl).collect(Collectors.joining(", ", "[", "]"));
    }

    /** A DOUBLE literal that parses back to exactly {@code v} (a bare decimal literal would be a DECIMAL). */
    static String exact(double v) {
        return "CAST('" + dbl(v) + "' AS DOUBLE)";
    }

    static String dbl(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("non-finite literal " + v);
        }
        return Double.toString(v);
    }
}

package dev.verdict.reduce;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The columns of a log and the kind of value each holds, as the engine sees them before any scan.
 *
 * @param columns column name (as in the file) to its kind, in file order
 */
public record LogSchema(Map<String, ColumnKind> columns) {

    public LogSchema {
        columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    public boolean has(String column) {
        return columns.containsKey(column);
    }

    public Optional<ColumnKind> kind(String column) {
        return Optional.ofNullable(columns.get(column));
    }

    /** What a column holds, coarsely: enough to say whether a metric can be averaged. */
    public enum ColumnKind {
        NUMERIC, BOOLEAN, TEXT, TIMESTAMP, OTHER;

        /** True for kinds that can be summed as numbers (booleans count as 0/1). */
        public boolean isNumeric() {
            return this == NUMERIC || this == BOOLEAN;
        }
    }
}

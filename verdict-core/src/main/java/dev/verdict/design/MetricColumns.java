package dev.verdict.design;

import dev.verdict.InputException;
import dev.verdict.reduce.LogSchema;
import dev.verdict.spec.ExperimentSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The log columns a spec refers to, each with the spec key that named it, checked against the log's schema
 * before any scan: a missing column or a text column where a number is needed is an input error naming both
 * the column and the key, with the fix.
 */
final class MetricColumns {
    private final ExperimentSpec spec;
    private final LogSchema schema;
    private final Map<String, String> numericKeys = new LinkedHashMap<>();

    MetricColumns(ExperimentSpec spec, LogSchema schema) {
        this.spec = spec;
        this.schema = schema;
    }

    /** The log's name of a column the spec requires, failing when the log lacks it. */
    String require(String canonical, String key) {
        String column = spec.column(canonical);
        if (!schema.has(column)) {
            String remap = spec.columns().containsKey(canonical) && !spec.columns().get(canonical).equals(canonical)
                    ? "" : " or map it to the log's own name in spec key 'columns'";
            throw InputException.data("column '" + column + "' (spec key '" + key + "') is not in the log; the log has "
                    + abbreviate(new ArrayList<>(schema.columns().keySet())) + "; fix the name" + remap);
        }
        return column;
    }

    /** A column that must hold numbers; remembered so that {@link #numericColumns()} can check its values. */
    String requireNumeric(String canonical, String key) {
        String column = require(canonical, key);
        LogSchema.ColumnKind kind = schema.kind(column).orElseThrow();
        if (!kind.isNumeric() && kind != LogSchema.ColumnKind.TEXT) {
            throw InputException.data("column '" + column + "' (spec key '" + key + "') holds " + kind.name().toLowerCase(
                    java.util.Locale.ROOT) + " values, not numbers; point the key at a numeric column");
        }
        numericKeys.putIfAbsent(column, key);
        return column;
    }

    /** The log's name of a column that may be absent (fidelity, state and time columns). */
    Optional<String> optional(String canonical) {
        String column = spec.column(canonical);
        return schema.has(column) ? Optional.of(column) : Optional.empty();
    }

    /** Columns that must be numeric but that the engine read as text, with the spec key naming each. */
    Map<String, String> textColumnsToCheck() {
        Map<String, String> out = new LinkedHashMap<>();
        numericKeys.forEach((c, k) -> {
            if (schema.kind(c).orElseThrow() == LogSchema.ColumnKind.TEXT) {
                out.put(c, k);
            }
        });
        return out;
    }

    private static String abbreviate(List<String> names) {
        if (names.size() <= 12) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, 12)) + " ... (" + names.size() + " columns)";
    }
}

package dev.verdict.check;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The typed result of one check: its status and the evidence behind it, for the decision engine
 * and the readout.
 *
 * @param name     stable machine name, e.g. {@code sample_ratio}
 * @param category where the check sits in the framework
 * @param status   pass, warn, fail or not evaluated
 * @param summary  one sentence a reviewer can read, with the numbers that matter
 * @param evidence named values (numbers, strings, booleans, nested maps or lists), in insertion order
 */
public record CheckResult(String name, CheckCategory category, CheckStatus status, String summary,
                          Map<String, Object> evidence) {

    public CheckResult {
        Objects.requireNonNull(name);
        Objects.requireNonNull(category);
        Objects.requireNonNull(status);
        Objects.requireNonNull(summary);
        evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }

    public boolean failed() {
        return status == CheckStatus.FAIL;
    }

    public boolean passed() {
        return status == CheckStatus.PASS;
    }

    /** Starts an evidence map that keeps insertion order. */
    public static Evidence evidenceBuilder() {
        return new Evidence();
    }

    /** Small ordered builder for evidence maps. */
    public static final class Evidence {
        private final LinkedHashMap<String, Object> values = new LinkedHashMap<>();

        public Evidence put(String key, Object value) {
            values.put(key, value);
            return this;
        }

        public Map<String, Object> map() {
            return values;
        }
    }
}

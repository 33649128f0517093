package dev.verdict.spec;

import java.util.Locale;

/** Which direction of change is good for a metric. */
public enum Direction {
    INCREASE, DECREASE;

    /** +1 when an increase is good, -1 when a decrease is good. */
    public int sign() {
        return this == INCREASE ? 1 : -1;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package dev.verdict.check;

import java.util.Locale;

/** Outcome of a check. {@link #NOT_EVALUATED} means the data needed was absent; it is never a pass. */
public enum CheckStatus {
    PASS, WARN, FAIL, NOT_EVALUATED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

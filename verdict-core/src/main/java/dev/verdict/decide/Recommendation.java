package dev.verdict.decide;

import java.util.Locale;

/**
 * The one recommendation a readout ends with (FRAMEWORK.md section 8), and the exit status of
 * {@code verdict analyze} for it, so the readout can gate a CI/CD pipeline.
 */
public enum Recommendation {
    SHIP(0),
    RAMP(0),
    TARGET(10),
    HOLDOUT(11),
    PAUSE(12),
    ROLL_BACK(13),
    INSTRUMENT_MORE(14);

    private final int exitCode;

    Recommendation(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The name used in readout.json, e.g. {@code roll_back}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

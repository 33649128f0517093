package dev.verdict.decide;

import java.util.Locale;

/** Locale-independent number formatting for decision reasons, so the same inputs give the same bytes. */
final class DecisionText {
    private DecisionText() {
    }

    /** Four significant digits. */
    static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}

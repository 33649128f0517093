package dev.verdict.check;

import java.util.Locale;

/** Locale-independent number formatting for check summaries, so the same inputs give the same bytes. */
final class CheckText {
    private CheckText() {
    }

    /** Four significant digits, e.g. {@code 0.4366}, {@code 1.234e-05}. */
    static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** A share as a percentage with three significant digits, e.g. {@code 0.123%}. */
    static String pct(double share) {
        return String.format(Locale.ROOT, "%.3g%%", share * 100);
    }
}

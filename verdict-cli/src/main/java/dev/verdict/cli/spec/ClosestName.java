package dev.verdict.cli.spec;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * The allowed name closest to a mistyped one, for "did you mean" hints.
 *
 * <p>Distance is the Levenshtein edit distance (insertions, deletions, substitutions, each cost 1;
 * V. I. Levenshtein, Soviet Physics Doklady 10(8), 1966) between the lower-cased names with
 * {@code -} read as {@code _}. A candidate qualifies when its distance is at most
 * {@code max(1, min(3, length / 3))} of the typed name, or when one name is a prefix of the other
 * (at least 3 characters); ties go to the first candidate in the given order. Hand-written: it is a
 * dozen lines and the only alternative is a new dependency (commons-text).
 */
final class ClosestName {
    private ClosestName() {
    }

    /** The closest allowed name, or empty when none is close enough. */
    static Optional<String> among(String typed, Collection<String> allowed) {
        String t = norm(typed);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String a : allowed) {
            String n = norm(a);
            int d = distance(t, n);
            boolean prefix = t.length() >= 3 && (n.startsWith(t) || t.startsWith(n));
            int limit = Math.max(1, Math.min(3, t.length() / 3));
            if ((d <= limit || prefix) && d < bestDistance) {
                best = a;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best).filter(b -> !b.equals(typed));
    }

    private static String norm(String s) {
        return s.toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
    }

    /** Levenshtein distance with two rolling rows. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] swap = prev;
            prev = cur;
            cur = swap;
        }
        return prev[b.length()];
    }
}

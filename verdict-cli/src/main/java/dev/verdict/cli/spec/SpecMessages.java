package dev.verdict.cli.spec;

import dev.verdict.InputException;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one-line spec error messages: {@code FILE:LINE: spec key 'PATH': got VALUE; WHAT IS ALLOWED}.
 *
 * <p>Values are quoted as written in the YAML file (text in double quotes, numbers and booleans
 * bare, maps and lists abbreviated); control characters are escaped so a message never spans lines.
 */
final class SpecMessages {
    private static final int MAX_RENDER = 80;

    private SpecMessages() {
    }

    /** A spec error at {@code where} about key {@code path}: {@code problem} is the rest of the line. */
    static InputException at(String label, YamlTree.Node where, String path, String problem) {
        String line = where == null ? "" : ":" + where.line();
        return InputException.spec(label + line + ": spec key '" + oneLine(path) + "': " + problem);
    }

    /** A spec error about a bad value: names the value as written and what is allowed. */
    static InputException bad(String label, YamlTree.Node value, String path, String allowed) {
        return at(label, value, path, "got " + render(value) + "; " + allowed);
    }

    /** The value as written, for a message. */
    static String render(YamlTree.Node node) {
        String s;
        if (node instanceof YamlTree.ScalarNode sc) {
            s = switch (sc.kind()) {
                case TEXT -> "\"" + sc.text() + "\"";
                case NULL -> "no value";
                default -> sc.text();
            };
        } else if (node instanceof YamlTree.ListNode) {
            s = "a list " + compact(node);
        } else {
            s = "a map " + compact(node);
        }
        return oneLine(s);
    }

    private static String compact(YamlTree.Node node) {
        String s;
        if (node instanceof YamlTree.ScalarNode sc) {
            s = sc.kind() == YamlTree.ScalarKind.TEXT ? "\"" + sc.text() + "\"" : sc.text();
        } else if (node instanceof YamlTree.ListNode l) {
            s = l.items().stream().map(SpecMessages::compact).collect(Collectors.joining(", ", "[", "]"));
        } else {
            s = ((YamlTree.MapNode) node).entries().stream().map(e -> e.key() + ": " + compact(e.value()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        return s.length() > MAX_RENDER ? s.substring(0, MAX_RENDER) + "..." : s;
    }

    /** The text with control characters (newline, tab ...) escaped, so it fits on one line. */
    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** {@code a | b | c}. */
    static String choices(Collection<String> allowed) {
        return String.join(" | ", allowed);
    }

    /** {@code "; did you mean 'x'?"} when a close name exists, else empty. */
    static String didYouMean(String typed, Collection<String> allowed) {
        Optional<String> c = ClosestName.among(typed, allowed);
        return c.map(x -> "; did you mean '" + x + "'?").orElse("");
    }
}

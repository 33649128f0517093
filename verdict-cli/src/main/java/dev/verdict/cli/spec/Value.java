package dev.verdict.cli.spec;

import dev.verdict.InputException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A spec value at a key path (such as {@code guardrails[1].max_harm}), with conversions that
 * throw a one-line {@link InputException#spec} naming the path, the value as written and what is
 * allowed when the YAML type or the value is wrong.
 */
final class Value {
    /** A plain identifier: the only form a column name may take, so no spec text ever reaches SQL as code. */
    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[-+]?(0|[1-9]\\d*)");

    private final String label;
    private final String path;
    private final YamlTree.Node node;

    Value(String label, String path, YamlTree.Node node) {
        this.label = label;
        this.path = path;
        this.node = node;
    }

    String path() {
        return path;
    }

    YamlTree.Node node() {
        return node;
    }

    /** An error about this value: {@code got VALUE; allowed}. */
    InputException bad(String allowed) {
        return SpecMessages.bad(label, node, path, allowed);
    }

    /** An error about this key that is not about the value's form (e.g. a missing partner key). */
    InputException problem(String problem) {
        return SpecMessages.at(label, node, path, problem);
    }

    boolean isText() {
        return node instanceof YamlTree.ScalarNode s && s.kind() == YamlTree.ScalarKind.TEXT;
    }

    boolean isList() {
        return node instanceof YamlTree.ListNode;
    }

    boolean isNumber() {
        return node instanceof YamlTree.ScalarNode s
                && (s.kind() == YamlTree.ScalarKind.INTEGER || s.kind() == YamlTree.ScalarKind.FLOAT);
    }

    /** The raw text of a scalar (as written). */
    String raw() {
        return node instanceof YamlTree.ScalarNode s ? s.text() : "";
    }

    /** Text; {@code what} describes the expected value for the message. */
    String text(String what) {
        if (!isText()) {
            throw bad("expected text: " + what + typeHint(true));
        }
        return ((YamlTree.ScalarNode) node).text();
    }

    /** Text on one line with no surrounding blanks and no control characters. */
    String singleLine(String what, int maxLength) {
        String s = text(what);
        if (s.isBlank()) {
            throw bad("must not be blank: " + what);
        }
        if (!s.equals(s.strip())) {
            throw bad("has leading or trailing blanks; remove them (" + what + ")");
        }
        if (s.chars().anyMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) {
            throw bad("must be one line without control characters (" + what + ")");
        }
        if (s.length() > maxLength) {
            throw bad("is longer than " + maxLength + " characters (" + what + ")");
        }
        return s;
    }

    /** A column name: a plain identifier {@code [A-Za-z_][A-Za-z0-9_]{0,127}}. */
    String identifier() {
        String s = text("a column name such as latency_ms");
        if (!IDENTIFIER.matcher(s).matches()) {
            throw bad("a column name must be a plain identifier: letters, digits and '_', not starting with a digit,"
                    + " at most 128 characters (rename the column in the log or map it under 'columns')");
        }
        return s;
    }

    /** A finite number (a YAML int or float written in plain decimal). */
    double number(String allowed) {
        if (!isNumber()) {
            throw bad("expected a number: " + allowed + typeHint(false));
        }
        String t = raw();
        if (!DECIMAL.matcher(t).matches()) {
            throw bad("expected a finite number written in plain decimal: " + allowed);
        }
        double v = Double.parseDouble(t);
        if (!Double.isFinite(v)) {
            throw bad("the number is out of range: " + allowed);
        }
        return v;
    }

    /** A whole number that fits a Java long. */
    long integer(String allowed) {
        if (!(node instanceof YamlTree.ScalarNode s && s.kind() == YamlTree.ScalarKind.INTEGER)
                || !INTEGER.matcher(raw()).matches()) {
            throw bad("expected a whole number written in plain decimal, " + allowed + typeHint(false));
        }
        try {
            return Long.parseLong(raw());
        } catch (NumberFormatException e) {
            throw bad("the number does not fit a 64-bit integer, " + allowed);
        }
    }

    /** {@code true} or {@code false}. */
    boolean bool() {
        if (!(node instanceof YamlTree.ScalarNode s && s.kind() == YamlTree.ScalarKind.BOOLEAN)) {
            throw bad("expected true or false" + typeHint(false));
        }
        return raw().toLowerCase(Locale.ROOT).matches("true|yes|on|y");
    }

    /** One of the wire names of an enum (lower case), with a suggestion when the text is close to one. */
    <E extends Enum<E>> E oneOf(Class<E> type, Collection<E> accepted) {
        List<String> names = accepted.stream().map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        String s = isText() ? raw() : null;
        if (s == null) {
            throw bad("allowed: " + SpecMessages.choices(names) + typeHint(true));
        }
        for (E e : accepted) {
            if (e.name().toLowerCase(Locale.ROOT).equals(s)) {
                return e;
            }
        }
        throw bad("allowed: " + SpecMessages.choices(names) + SpecMessages.didYouMean(s, names));
    }

    /** The items of a list. */
    List<Value> items(String example) {
        if (!(node instanceof YamlTree.ListNode l)) {
            throw bad("expected a list, e.g. " + example);
        }
        List<Value> out = new ArrayList<>();
        for (int i = 0; i < l.items().size(); i++) {
            out.add(new Value(label, path + "[" + i + "]", l.items().get(i)));
        }
        return out;
    }

    /** The value as a map whose keys must all be in {@code allowed}. */
    Section section(Collection<String> allowed, String example) {
        return section(allowed, Map.of(), example);
    }

    /** As {@link #section(Collection, String)}, with extra "did you mean" hints for known confusions. */
    Section section(Collection<String> allowed, Map<String, String> hints, String example) {
        if (!(node instanceof YamlTree.MapNode m)) {
            throw bad("expected a map of keys, e.g. " + example);
        }
        return new Section(label, path, m, allowed, hints);
    }

    /** A hint about YAML typing; {@code wantText} says whether text was expected. */
    private String typeHint(boolean wantText) {
        if (node instanceof YamlTree.ScalarNode s) {
            return switch (s.kind()) {
                case TEXT -> !wantText && isNumberLike(s.text()) ? "; remove the quotes to write a number" : "";
                case BOOLEAN -> wantText ? "; YAML reads " + s.text() + " as a boolean: quote it to mean the text \""
                        + s.text() + "\"" : "";
                case INTEGER, FLOAT -> wantText ? "; quote it to mean the text \"" + s.text() + "\"" : "";
                case NULL -> "";
            };
        }
        return "";
    }

    private static boolean isNumberLike(String s) {
        return DECIMAL.matcher(s.strip()).matches();
    }
}

package dev.verdict.cli.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.verdict.InputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A YAML document read with Jackson's streaming YAML parser into a small tree that keeps, for every
 * value, the text as written and its line, so that spec errors can quote the value and point at it.
 *
 * <p>Hand-written on top of the token stream rather than Jackson's {@code JsonNode} because the node
 * tree loses what an error message needs: {@code .inf} fails number decoding before any key is
 * known, {@code 0.60} becomes {@code 0.6}, an alias {@code *x} silently becomes the text
 * {@code "x"}, and locations are gone. Duplicate keys, aliases, binary values and a second document
 * in the stream are rejected here.
 */
final class YamlTree {

    /** A YAML value with the 1-based line and column where it starts. */
    sealed interface Node permits MapNode, ListNode, ScalarNode {
        int line();

        int column();
    }

    /** One {@code key: value} pair of a map, with the line of its key. */
    record Entry(String key, int line, Node value) { }

    /** A YAML mapping, in document order. */
    record MapNode(List<Entry> entries, int line, int column) implements Node {
        MapNode {
            entries = List.copyOf(entries);
        }

        Optional<Entry> entry(String key) {
            return entries.stream().filter(e -> e.key().equals(key)).findFirst();
        }
    }

    /** A YAML sequence. */
    record ListNode(List<Node> items, int line, int column) implements Node {
        ListNode {
            items = List.copyOf(items);
        }
    }

    /** What YAML resolved a scalar to. */
    enum ScalarKind { TEXT, INTEGER, FLOAT, BOOLEAN, NULL }

    /**
     * A scalar.
     *
     * @param kind what YAML resolved it to (quoted scalars are always {@link ScalarKind#TEXT})
     * @param text the scalar as written, without quotes ({@code .inf}, {@code 0.60}, {@code yes})
     */
    record ScalarNode(ScalarKind kind, String text, int line, int column) implements Node { }

    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    private YamlTree() {
    }

    /**
     * Reads one YAML document.
     *
     * @param yaml  the document text
     * @param label how to name the file in messages
     * @return the root, or empty for an empty document (or one holding only comments)
     * @throws InputException (exit 2) naming line and column when the text is not YAML this parser accepts
     */
    static Optional<Node> read(String yaml, String label) {
        try (YAMLParser p = (YAMLParser) FACTORY.createParser(yaml)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return Optional.empty();
            }
            Node root = value(p, first, label);
            if (p.nextToken() != null) {
                throw InputException.spec(label + ":" + line(p) + ": the spec file holds more than one YAML document"
                        + " ('---' separator); keep one experiment per file");
            }
            return Optional.of(root);
        } catch (JsonProcessingException e) {
            throw notYaml(e, label);
        } catch (IOException e) {
            throw InputException.spec(label + ": cannot read the spec: " + SpecMessages.oneLine(e.getMessage()));
        }
    }

    private static Node value(YAMLParser p, JsonToken t, String label) throws IOException {
        int line = line(p);
        int col = p.currentTokenLocation().getColumnNr();
        if (p.isCurrentAlias()) {
            throw InputException.spec(label + ":" + line + ": YAML alias '*" + SpecMessages.oneLine(p.getText())
                    + "' is not supported in a spec; write the value out in full");
        }
        return switch (t) {
            case START_OBJECT -> map(p, label, line, col);
            case START_ARRAY -> list(p, label, line, col);
            case VALUE_STRING -> new ScalarNode(ScalarKind.TEXT, p.getText(), line, col);
            case VALUE_NUMBER_INT -> new ScalarNode(ScalarKind.INTEGER, p.getText(), line, col);
            case VALUE_NUMBER_FLOAT -> new ScalarNode(ScalarKind.FLOAT, p.getText(), line, col);
            case VALUE_TRUE, VALUE_FALSE -> new ScalarNode(ScalarKind.BOOLEAN, p.getText(), line, col);
            case VALUE_NULL -> new ScalarNode(ScalarKind.NULL, p.getText(), line, col);
            default -> throw InputException.spec(label + ":" + line + ": unsupported YAML value '"
                    + SpecMessages.oneLine(p.getText()) + "' (binary or tagged); write it as plain text or a number");
        };
    }

    private static MapNode map(YAMLParser p, String label, int line, int col) throws IOException {
        List<Entry> entries = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
            if (t != JsonToken.FIELD_NAME) {
                throw InputException.spec(label + ":" + line(p) + ": unexpected YAML structure; expected a 'key: value'");
            }
            String key = p.currentName();
            int keyLine = line(p);
            for (Entry e : entries) {
                if (e.key().equals(key)) {
                    throw InputException.spec(label + ":" + keyLine + ": key '" + SpecMessages.oneLine(key)
                            + "' appears twice in the same map (first at line " + e.line() + "); keep one");
                }
            }
            Node v = value(p, p.nextToken(), label);
            entries.add(new Entry(key, keyLine, v));
        }
        return new MapNode(entries, line, col);
    }

    private static ListNode list(YAMLParser p, String label, int line, int col) throws IOException {
        List<Node> items = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            items.add(value(p, t, label));
        }
        return new ListNode(items, line, col);
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }

    private static InputException notYaml(JsonProcessingException e, String label) {
        int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
        int col = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
        String problem = e.getOriginalMessage();
        String context = "";
        if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m) {
            if (m.getProblem() != null) {
                problem = m.getProblem();
            }
            if (m.getProblemMark() != null) {
                line = m.getProblemMark().getLine() + 1;
                col = m.getProblemMark().getColumn() + 1;
            }
            if (m.getContext() != null && m.getContextMark() != null) {
                context = " (" + m.getContext() + " that starts at line " + (m.getContextMark().getLine() + 1)
                        + ", column " + (m.getContextMark().getColumn() + 1) + ")";
            }
        }
        String where = line > 0 ? ":" + line + ":" + col : "";
        String at = line > 0 ? " at line " + line + ", column " + col : "";
        return InputException.spec(label + where + ": not valid YAML" + at + ": " + SpecMessages.oneLine(problem)
                + SpecMessages.oneLine(context) + "; check indentation (spaces, not tabs), colons and quotes there");
    }
}

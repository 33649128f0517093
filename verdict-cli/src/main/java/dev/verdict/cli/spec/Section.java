package dev.verdict.cli.spec;

import dev.verdict.InputException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A YAML map of the spec at a key path, read key by key. Construction rejects keys that are not
 * allowed at this path, with a "did you mean" suggestion; a key given with no value is an error
 * (remove the key to get the default).
 */
final class Section {
    private final String label;
    private final String path;
    private final YamlTree.MapNode node;

    Section(String label, String path, YamlTree.MapNode node, Collection<String> allowed, Map<String, String> hints) {
        this.label = label;
        this.path = path;
        this.node = node;
        for (YamlTree.Entry e : node.entries()) {
            if (!allowed.contains(e.key())) {
                String hint = hints.containsKey(e.key())
                        ? "; did you mean '" + hints.get(e.key()) + "'?"
                        : SpecMessages.didYouMean(e.key(), allowed);
                throw SpecMessages.at(label, e.value(), child(e.key()), "unknown key" + hint
                        + " (allowed here: " + String.join(", ", allowed) + ")");
            }
        }
    }

    String path() {
        return path;
    }

    /** The path of a key in this map, e.g. {@code guardrails[1].max_harm}. */
    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return node.entry(key).isPresent();
    }

    /** The value of a key, empty when absent; a key with no value is an error. */
    Optional<Value> get(String key) {
        Optional<YamlTree.Entry> e = node.entry(key);
        if (e.isEmpty()) {
            return Optional.empty();
        }
        YamlTree.Node v = e.get().value();
        if (v instanceof YamlTree.ScalarNode s && (s.kind() == YamlTree.ScalarKind.NULL
                || s.kind() == YamlTree.ScalarKind.TEXT && s.text().isEmpty())) {
            throw SpecMessages.at(label, v, child(key), "has no value; give one or remove the key to use the default");
        }
        return Optional.of(new Value(label, child(key), v));
    }

    /** The value of a required key. */
    Value require(String key, String example) {
        return get(key).orElseThrow(() -> missing(key, example));
    }

    /** An error for a required key that is absent. */
    InputException missing(String key, String example) {
        return SpecMessages.at(label, node, child(key), "is missing; " + example);
    }

    /** An error about this whole map (e.g. two keys that disagree). */
    InputException problem(String problem) {
        return SpecMessages.at(label, node, path, problem);
    }

    /** Keys present, in document order. */
    List<String> keys() {
        return node.entries().stream().map(YamlTree.Entry::key).toList();
    }
}

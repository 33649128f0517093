package dev.verdict.cli.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.verdict.spec.CanonicalColumns;
import dev.verdict.spec.ExperimentSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** docs/spec.schema.json: the examples validate, and it declares exactly the parser's keys and defaults. */
class SpecSchemaTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();
    static JsonNode schemaNode;
    static JsonSchema schema;

    @BeforeAll
    static void load() throws IOException {
        schemaNode = JSON.readTree(Files.readString(SpecFiles.SCHEMA));
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaNode);
    }

    static List<Path> examples() {
        return SpecFiles.exampleSpecs();
    }

    static Set<ValidationMessage> validate(String yaml) throws IOException {
        return schema.validate(YAML.readTree(yaml));
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleValidatesAgainstTheSchemaAndParses(Path spec) throws IOException {
        assertEquals(Set.of(), validate(Files.readString(spec)), spec.toString());
        SpecParser.parse(spec);
    }

    @Test
    void theDocumentedExampleValidates() throws IOException {
        assertEquals(Set.of(), validate(SpecFiles.firstYamlBlock(SpecFiles.DOC)));
    }

    @Test
    void schemaDeclaresExactlyTheParsersKeys() {
        Map<String, Set<String>> fromSchema = new TreeMap<>();
        collect(schemaNode, "", fromSchema);
        Map<String, Set<String>> fromParser = new TreeMap<>();
        SpecParser.ALLOWED_KEYS.forEach((k, v) -> fromParser.put(k, new TreeSet<>(v)));
        assertEquals(fromParser, fromSchema);
    }

    @Test
    void everyObjectInTheSchemaIsClosed() {
        List<String> open = new ArrayList<>();
        walkObjects(schemaNode, "#", open);
        assertEquals(List.of(), open, "objects without additionalProperties: false");
    }

    @Test
    void schemaEnumsMatchTheParser() {
        JsonNode props = schemaNode.get("properties");
        assertEquals(wire(ExperimentSpec.DecisionPattern.values()), strings(props.get("decision").get("enum")));
        assertEquals(SpecParser.SUPPORTED_DESIGNS.stream().map(d -> d.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet()), Set.copyOf(strings(props.get("design").get("enum"))));
        assertEquals(wire(ExperimentSpec.DataFormat.values()), strings(props.get("format").get("enum")));
        assertEquals(wire(ExperimentSpec.SharedState.values()),
                strings(props.get("shared_state").get("items").get("enum")));
        assertEquals(wire(dev.verdict.spec.MetricKind.values()),
                strings(resolve(schemaNode.get("$defs").get("success")).get("properties").get("kind").get("enum")));
        assertEquals(CanonicalColumns.ALL, iterable(props.get("columns").get("properties").fieldNames()));
    }

    @Test
    void schemaDefaultsMatchTheParser() {
        JsonNode props = schemaNode.get("properties");
        assertEquals(SpecParser.DEFAULT_ALPHA, props.get("alpha").get("default").asDouble(), 0.0);
        assertEquals(SpecParser.MAX_ALPHA, props.get("alpha").get("maximum").asDouble(), 0.0);
        assertEquals(SpecParser.DEFAULT_SEED, props.get("seed").get("default").asLong());
        assertEquals(ExperimentSpec.DataQuality.DEFAULT.maxMissingShare(),
                props.get("data_quality").get("properties").get("max_missing_share").get("default").asDouble(), 0.0);
        assertEquals(ExperimentSpec.DataQuality.DEFAULT.maxUnknownArmShare(),
                props.get("data_quality").get("properties").get("max_unknown_arm_share").get("default").asDouble(),
                0.0);
        JsonNode defs = schemaNode.get("$defs");
        assertEquals("increase", defs.get("success").get("properties").get("direction").get("default").asText());
        assertEquals("decrease", defs.get("guardrail").get("properties").get("direction").get("default").asText());
        assertEquals("mean", defs.get("success").get("properties").get("kind").get("default").asText());
        assertEquals(Value.IDENTIFIER.pattern(), stripAnchors(defs.get("column").get("pattern").asText()));
    }

    static Stream<Arguments> schemaCatches() {
        String base = "name: t\ndesign: request_rct\ndata: requests.parquet\nsuccess: {metric: completed}\n";
        return Stream.of(
                Arguments.of(base + "alpha: 0\n"),
                Arguments.of(base + "alpha: 0.6\n"),
                Arguments.of(base + "alpha: abc\n"),
                Arguments.of(base + "sucess: {metric: completed}\n"),
                Arguments.of(base + "columns: {arm: 'x\"; DROP TABLE t; --'}\n"),
                Arguments.of(base.replace("{metric: completed}", "{metric: completed, kind: ratio}")),
                Arguments.of(base.replace("{metric: completed}", "{metric: completed, min_effect: five%}")),
                Arguments.of(base.replace("request_rct", "switchback")),
                Arguments.of(base.replace("request_rct", "switchback") + "start: 2026-11-02\n"
                        + "switchback: {block_minutes: 60, schedule: daily}\n"),
                Arguments.of(base.replace("request_rct", "switchback") + "start: 2026-11-02\n"
                        + "switchback: {block_minutes: 60, carryover_order: -1}\n"),
                Arguments.of(base + "segments: [workload, workload]\n"),
                Arguments.of(base + "unit: user_id\n"),
                Arguments.of(base + "guardrails: [{metric: error}]\n"),
                Arguments.of(base + "start: 2026-11-02\npre_period: true\n" + BadSpecTest.RERAND + "\n"),
                Arguments.of(base.replace("request_rct", "cluster_rct") + "start: 2026-11-02\n" + BadSpecTest.RERAND
                        + "\n"),
                Arguments.of(base.replace("request_rct", "cluster_rct") + "start: 2026-11-02\npre_period: true\n"
                        + BadSpecTest.RERAND.replace("max_std_diff", "mahalanobis").replace("0.25", "1.5") + "\n"));
    }

    /** A valid re-randomization block passes both the schema and the parser (the schema is not stricter). */
    @Test
    void aValidRerandomizationBlockValidates() throws IOException {
        String yaml = "name: t\ndesign: cluster_rct\ndata: requests.csv\nstart: 2026-11-02\npre_period: true\n"
                + "success: {metric: completed}\n" + BadSpecTest.RERAND + "\n";
        assertEquals(Set.of(), validate(yaml));
        SpecParser.parse(yaml, BadSpecTest.SPEC);
        String mahalanobis = yaml.replace("max_std_diff", "mahalanobis").replace("0.25", "0.1");
        assertEquals(Set.of(), validate(mahalanobis));
        SpecParser.parse(mahalanobis, BadSpecTest.SPEC);
    }

    /** Rules JSON Schema can state are stated: each bad spec is refused by the schema too (positive control). */
    @ParameterizedTest
    @MethodSource("schemaCatches")
    void theSchemaRefusesWhatItCanExpress(String yaml) throws IOException {
        assertFalse(validate(yaml).isEmpty(), yaml);
    }

    /** Key sets by location, as in {@link SpecParser#ALLOWED_KEYS}: nested maps by name, list items as name[]. */
    private static void collect(JsonNode node, String path, Map<String, Set<String>> out) {
        JsonNode n = resolve(node);
        if (n.has("properties")) {
            Set<String> keys = new TreeSet<>(iterable(n.get("properties").fieldNames()));
            out.merge(path, keys, (a, b) -> {
                a.addAll(b);
                return a;
            });
            n.get("properties").fields().forEachRemaining(e -> collect(e.getValue(),
                    path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out));
        }
        if (n.has("items") && n.get("items").isObject()) {
            collect(n.get("items"), path + "[]", out);
        }
    }

    private static void walkObjects(JsonNode node, String where, List<String> open) {
        if (node.isObject()) {
            if (node.has("properties") && !(node.has("additionalProperties")
                    && !node.get("additionalProperties").asBoolean(true))) {
                open.add(where);
            }
            // if/then/else/not hold conditions on an enclosing object, not objects of their own
            node.fields().forEachRemaining(e -> {
                if (!Set.of("if", "then", "else", "not").contains(e.getKey())) {
                    walkObjects(e.getValue(), where + "/" + e.getKey(), open);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walkObjects(node.get(i), where + "/" + i, open);
            }
        }
    }

    private static JsonNode resolve(JsonNode n) {
        JsonNode cur = n;
        while (cur.has("$ref")) {
            String ref = cur.get("$ref").asText();
            if (!ref.startsWith("#/$defs/")) {
                throw new IllegalStateException("only local $defs references are expected: " + ref);
            }
            cur = schemaNode.get("$defs").get(ref.substring("#/$defs/".length()));
        }
        return cur;
    }

    private static String stripAnchors(String p) {
        return p.substring(p.startsWith("^") ? 1 : 0, p.endsWith("$") ? p.length() - 1 : p.length());
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static List<String> wire(Enum<?>[] values) {
        return Stream.of(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toList();
    }
}

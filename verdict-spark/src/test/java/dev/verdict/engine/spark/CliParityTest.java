package dev.verdict.engine.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.cli.VerdictCli;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The command line on both engines: {@code verdict analyze} on every shipped example writes the same readout.json on
 * DuckDB and on Spark ({@code local[2]}): the same recommendation, rule, checks and texts, every number within 1e-9
 * relative (absolute 1e-12 near zero), provenance aside; and Spark's readout is byte-identical run to run.
 */
class CliParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double RELATIVE = 1e-9;

    @TempDir
    Path tmp;

    static int analyze(Path spec, Path out, String... engine) {
        String[] base = {"analyze", spec.toString(), "--out", out.toString()};
        String[] args = new String[base.length + engine.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(engine, 0, args, base.length, engine.length);
        StringWriter err = new StringWriter();
        int code = VerdictCli.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertTrue(code != 1 && code != 2 && code != 3, "analyze failed (" + code + "): " + err);
        return code;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"clean-win", "srm", "guardrail-regression", "mixed-segments", "switchback", "cluster-rct"})
    void sameReadoutOnDuckDbAndSpark(String example) throws IOException {
        SharedSpark.session();
        Path spec = Path.of("..").toAbsolutePath().normalize().resolve("examples").resolve(example).resolve("spec.yaml");
        int duck = analyze(spec, tmp.resolve("duckdb"));
        int spark = analyze(spec, tmp.resolve("spark"), "--engine", "spark", "--master", "local[2]");
        assertEquals(duck, spark, "exit status");
        JsonNode a = JSON.readTree(tmp.resolve("duckdb/readout.json").toFile());
        JsonNode b = JSON.readTree(tmp.resolve("spark/readout.json").toFile());
        assertEquals("duckdb", a.get("provenance").get("engine").asText());
        assertEquals("spark", b.get("provenance").get("engine").asText());
        assertEquals(a.get("recommendation"), b.get("recommendation"));
        assertEquals(a.get("provenance").get("data"), b.get("provenance").get("data"),
                "the same files, sizes and fingerprints, read through each engine");
        compare("", a, b);
        analyze(spec, tmp.resolve("spark2"), "--engine", "spark", "--master", "local[2]");
        assertArrayEquals(Files.readAllBytes(tmp.resolve("spark/readout.json")),
                Files.readAllBytes(tmp.resolve("spark2/readout.json")), "Spark readout byte-identical run to run");
    }

    @org.junit.jupiter.api.Test
    void aFileSystemUriInTheSpecIsReadBySpark() throws IOException {
        SharedSpark.session();
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Path log = repo.resolve("examples/clean-win/requests.parquet");
        String spec = Files.readString(repo.resolve("examples/clean-win/spec.yaml"))
                .replace("data: requests.parquet", "data: " + log.toUri());
        assertTrue(spec.contains("data: file:/"), spec);
        Path specFile = tmp.resolve("uri-spec.yaml");
        Files.writeString(specFile, spec);
        assertEquals(0, analyze(specFile, tmp.resolve("uri"), "--engine", "spark", "--master", "local[2]"));
        JsonNode r = JSON.readTree(tmp.resolve("uri/readout.json").toFile());
        assertEquals("ship", r.get("recommendation").asText());
        assertEquals(log.toFile().length(), r.get("provenance").get("data").get(0).get("bytes").asLong());
    }

    @org.junit.jupiter.api.Test
    void aCatalogTableReadsAsItsFiles() throws IOException {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Path folder = Files.createDirectories(tmp.resolve("warehouse/requests_clean"));
        Path log = folder.resolve("part-0.parquet");
        Files.copy(repo.resolve("examples/clean-win/requests.parquet"), log);
        SharedSpark.session().sql("CREATE TABLE verdict_clean_win USING parquet LOCATION '" + folder.toUri() + "'");
        try {
            String spec = Files.readString(repo.resolve("examples/clean-win/spec.yaml"))
                    .replace("data: requests.parquet", "data: verdict_clean_win\nformat: table");
            Path specFile = tmp.resolve("table-spec.yaml");
            Files.writeString(specFile, spec);
            assertEquals(0, analyze(specFile, tmp.resolve("table"), "--engine", "spark", "--master", "local[2]"));
            analyze(repo.resolve("examples/clean-win/spec.yaml"), tmp.resolve("files"), "--engine", "spark", "--master",
                    "local[2]");
            JsonNode a = JSON.readTree(tmp.resolve("files/readout.json").toFile());
            JsonNode b = JSON.readTree(tmp.resolve("table/readout.json").toFile());
            assertEquals("ship", b.get("recommendation").asText());
            assertEquals(a.get("effects"), b.get("effects"), "the table's numbers are its file's");
            JsonNode data = b.get("provenance").get("data");
            assertEquals(1, data.size());
            assertEquals(a.get("provenance").get("data").get(0).get("fingerprint"), data.get(0).get("fingerprint"));
        } finally {
            SharedSpark.session().sql("DROP TABLE IF EXISTS verdict_clean_win");
        }
    }

    /** Every field equal, numbers to the tolerance; the provenance block is the engines' own. */
    static void compare(String path, JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            double x = a.asDouble();
            double y = b.asDouble();
            if (Math.abs(x - y) > Math.max(RELATIVE * Math.max(Math.abs(x), Math.abs(y)), 1e-12)) {
                fail(path + ": " + x + " on DuckDB, " + y + " on Spark");
            }
            return;
        }
        if (a.isObject() && b.isObject()) {
            assertEquals(iterable(a.fieldNames()), iterable(b.fieldNames()), path + ": fields");
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (path.isEmpty() && e.getKey().equals("provenance")) {
                    continue;
                }
                compare(path + "/" + e.getKey(), e.getValue(), b.get(e.getKey()));
            }
            return;
        }
        if (a.isArray() && b.isArray()) {
            assertEquals(a.size(), b.size(), path + ": length");
            for (int i = 0; i < a.size(); i++) {
                compare(path + "[" + i + "]", a.get(i), b.get(i));
            }
            return;
        }
        if (a.isTextual() && b.isTextual() && !a.equals(b)) {
            // texts quote numbers (4 significant digits): equal unless a number sits on a rounding edge
            assertEquals(a.asText(), b.asText(), path);
        }
        assertEquals(a, b, path);
    }

    private static java.util.List<String> iterable(Iterator<String> it) {
        java.util.List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}

package dev.verdict.cli.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verdict.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/spec.md stays true: its example parses as the file it copies, it documents every key, its errors are real. */
class SpecDocTest {

    @Test
    void theExampleBlockReadsExactlyAsTheCleanWinSpec() throws IOException {
        String block = SpecFiles.firstYamlBlock(SpecFiles.DOC);
        assertEquals(SpecParser.parse(SpecFiles.CLEAN_WIN), SpecParser.parse(block, SpecFiles.CLEAN_WIN));
    }

    @Test
    void everyKeyIsDocumented() throws IOException {
        String doc = Files.readString(SpecFiles.DOC);
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : SpecParser.ALLOWED_KEYS.entrySet()) {
            if (e.getKey().equals("columns") || e.getKey().equals("arms") || e.getKey().equals("allocation")) {
                continue; // documented as whole maps: canonical names are listed, arms keys are control/treatment
            }
            for (String k : e.getValue()) {
                String path = e.getKey().isEmpty() ? k : e.getKey() + "." + k;
                if (!doc.contains("| `" + path + "` |")) {
                    missing.add(path);
                }
            }
        }
        assertEquals(List.of(), missing, "keys without a row in docs/spec.md");
        for (String c : SpecParser.ALLOWED_KEYS.get("columns")) {
            assertTrue(doc.contains("`" + c + "`"), c);
        }
    }

    @Test
    void everyDocumentedErrorIsProducedByABadSpec() throws IOException {
        String doc = Files.readString(SpecFiles.DOC);
        int open = doc.indexOf("```text\n");
        int close = doc.indexOf("\n```", open + 8);
        List<String> documented = doc.substring(open + 8, close).lines().filter(l -> !l.isBlank()).toList();
        assertFalse(documented.isEmpty());
        Set<String> produced = new HashSet<>();
        BadSpecTest.cases().forEach(a -> {
            BadSpecTest.Case c = (BadSpecTest.Case) a.get()[0];
            produced.add(assertThrows(InputException.class, () -> SpecParser.parse(c.yaml(), BadSpecTest.SPEC))
                    .getMessage());
        });
        List<String> stale = documented.stream().filter(l -> !produced.contains(l)).toList();
        assertEquals(List.of(), stale, "documented errors no bad spec produces");
    }
}

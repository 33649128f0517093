package dev.verdict.engine.duckdb;

import dev.verdict.InputException;
import dev.verdict.reduce.LogSource;
import dev.verdict.stats.ClusterBlock;
import dev.verdict.stats.ClusterBlockReduction;
import dev.verdict.stats.CoefficientTable;
import dev.verdict.stats.OlsFit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DuckDB reduces Petersen's panel to per-cluster blocks in one GROUP BY; the regression on those blocks
 * matches clubSandwich 0.5.8 / sandwich 3.0-2 on R 4.2.2 (shared reference.json cases
 * petersen_cluster_firm, petersen_cluster_year_few) to the reference tolerance, 1e-8 relative.
 */
class DuckDbClusterBlocksTest {
    private static final double REL = 1e-8;
    @TempDir
    static Path dir;
    static DuckDbEngine engine;
    static LogSource petersen;

    @BeforeAll
    static void setUp() throws IOException {
        engine = DuckDbEngine.inMemory();
        // the resource starts with a '#' line naming its source; DuckDB reads the rest
        String text;
        try (InputStream in = DuckDbClusterBlocksTest.class.getResourceAsStream("/reference/petersen_cl.csv")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String body = text.lines().filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n", "", "\n"));
        Path csv = dir.resolve("petersen_cl.csv");
        Files.writeString(csv, body);
        petersen = new LogSource(List.of(csv.toString()), LogSource.Format.CSV);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static void rel(double expected, double actual, String source) {
        assertTrue(Math.abs(actual - expected) <= REL * Math.abs(expected),
                source + ": expected " + expected + ", got " + actual);
    }

    @Test
    void firmBlocksGiveTheReferenceCr2() {
        ClusterBlockReduction r = engine.clusterBlocks(petersen, "firm", List.of("x"), "y");
        assertEquals(500, r.blocks().size());
        assertEquals(5000, r.rowsUsed());
        assertEquals(0, r.rowsDropped());
        assertEquals(List.of("(Intercept)", "x"), r.names());
        OlsFit fit = r.fit();
        // lm(y ~ x, PetersenCL) coefficient of x, R 4.2.2
        rel(1.03483343946169, fit.coefficient(1), "lm coef x");
        CoefficientTable cr2 = fit.cr2();
        // clubSandwich 0.5.8: coef_test(m, vcov = vcovCR(m, cluster = d$firm, type = 'CR2'), test = 'Satterthwaite')
        rel(0.0506777667403126, cr2.se(1), "CR2 se x, firm");
        rel(308.75638131895, cr2.df(1), "CR2 Satterthwaite df x, firm");
        rel(3.00221062677759e-59, cr2.p(1), "CR2 p x, firm");
        rel(0.0670409371731422, cr2.se(0), "CR2 se (Intercept), firm");
        // sandwich 3.0-2: vcovCL(m, cluster = ~firm, type = 'HC1')
        rel(0.0505957258840296, fit.cr1().se(1), "CR1 (Stata) se x, firm");
    }

    @Test
    void yearBlocksGiveTheReferenceCr2WithFewClusters() {
        OlsFit fit = engine.clusterBlocks(petersen, "year", List.of("x"), "y").fit();
        assertEquals(10, fit.clusters());
        CoefficientTable cr2 = fit.cr2();
        // clubSandwich 0.5.8: coef_test(m, vcov = vcovCR(m, cluster = d$year, type = 'CR2'), test = 'Satterthwaite')
        rel(0.0333960820160146, cr2.se(1), "CR2 se x, year");
        rel(8.98943607815992, cr2.df(1), "CR2 Satterthwaite df x, year");
        rel(9.00000665230778, cr2.df(0), "CR2 Satterthwaite df (Intercept), year");
    }

    @Test
    void incompleteRowsAreDroppedAndCounted() throws IOException {
        Path csv = dir.resolve("gaps.csv");
        Files.writeString(csv, "c,a,b,y\n"
                + "g1,1,2,3\n"
                + "g1,2,,4\n"       // missing b: dropped
                + "g1,0.5,1,2\n"
                + "g2,3,1,\n"       // missing y: dropped
                + "g2,1,1,1\n"
                + ",1,1,1\n"        // missing cluster: dropped
                + "g3,,1,1\n");     // only row of g3 dropped: g3 is omitted
        ClusterBlockReduction r = engine.clusterBlocks(new LogSource(List.of(csv.toString()), LogSource.Format.CSV),
                "c", List.of("a", "b"), "y");
        assertEquals(4, r.rowsDropped());
        assertEquals(3, r.rowsUsed());
        assertEquals(2, r.blocks().size());
        // known truth: the same sums formed in the JVM from the complete rows
        ClusterBlock g1 = ClusterBlock.ofRows(new double[][] {{1, 1, 2}, {1, 0.5, 1}}, new double[] {3, 2});
        ClusterBlock g2 = ClusterBlock.ofRows(new double[][] {{1, 1, 1}}, new double[] {1});
        assertSameBlock(g1, r.blocks().get(0));
        assertSameBlock(g2, r.blocks().get(1));
    }

    private static void assertSameBlock(ClusterBlock expected, ClusterBlock actual) {
        assertEquals(expected.n(), actual.n());
        for (int i = 0; i < expected.k(); i++) {
            for (int j = 0; j < expected.k(); j++) {
                assertEquals(expected.xtx(i, j), actual.xtx(i, j), 1e-12);
            }
            assertEquals(expected.xty(i), actual.xty(i), 1e-12);
        }
        assertEquals(expected.yty(), actual.yty(), 1e-12);
    }

    @Test
    void textInANumericColumnIsAnInputErrorNamingIt() throws IOException {
        Path csv = dir.resolve("text.csv");
        StringBuilder sb = new StringBuilder("c,x,y\n");
        for (int i = 0; i < 50; i++) {
            sb.append("g").append(i % 3).append(',').append(i).append(',').append(i * 0.5).append('\n');
        }
        sb.append("g1,oops,1\n");
        Files.writeString(csv, sb.toString());
        InputException e = assertThrows(InputException.class, () -> engine.clusterBlocks(
                new LogSource(List.of(csv.toString()), LogSource.Format.CSV), "c", List.of("x"), "y"));
        assertTrue(e.getMessage().contains("a value cannot be read as a number"), e.getMessage());
    }
}

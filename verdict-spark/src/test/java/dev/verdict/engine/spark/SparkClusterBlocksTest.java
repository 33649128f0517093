package dev.verdict.engine.spark;

import dev.verdict.engine.duckdb.DuckDbEngine;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spark reduces Petersen's panel (the resource verdict-duckdb's DuckDbClusterBlocksTest uses, with its source line)
 * to the same per-cluster blocks as DuckDB, to 1e-9 relative, in the same cluster order; and the regression on them
 * matches clubSandwich 0.5.8 on R 4.2.2 to the reference tolerance, 1e-8 relative.
 */
class SparkClusterBlocksTest {
    @TempDir
    static Path dir;
    static DuckDbEngine duck;
    static SparkEngine spark;
    static LogSource petersen;

    @BeforeAll
    static void setUp() throws IOException {
        duck = DuckDbEngine.inMemory();
        spark = SharedSpark.engine();
        // the resource starts with a '#' line naming its source; the engines read the rest
        String text;
        try (InputStream in = SparkClusterBlocksTest.class.getResourceAsStream("/reference/petersen_cl.csv")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path csv = dir.resolve("petersen_cl.csv");
        Files.writeString(csv, text.lines().filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n", "", "\n")));
        petersen = new LogSource(List.of(csv.toString()), LogSource.Format.CSV);
    }

    @AfterAll
    static void close() {
        duck.close();
        spark.close();
    }

    @Test
    void blocksEqualDuckDbsAndGiveTheReferenceCr2() {
        for (String cluster : List.of("firm", "year")) {
            ClusterBlockReduction want = duck.clusterBlocks(petersen, cluster, List.of("x"), "y");
            ClusterBlockReduction got = spark.clusterBlocks(petersen, cluster, List.of("x"), "y");
            assertSameBlocks(want, got, cluster);
        }
        OlsFit fit = spark.clusterBlocks(petersen, "firm", List.of("x"), "y").fit();
        CoefficientTable cr2 = fit.cr2();
        // lm(y ~ x, PetersenCL) and clubSandwich 0.5.8 vcovCR(type = 'CR2'), cluster = firm, R 4.2.2
        rel(1.03483343946169, fit.coefficient(1));
        rel(0.0506777667403126, cr2.se(1));
        rel(308.75638131895, cr2.df(1));
    }

    @Test
    void incompleteRowsAreDroppedAndCountedAsDuckDbDoes() throws IOException {
        Path csv = dir.resolve("gaps.csv");
        Files.writeString(csv, "c,a,b,y\ng1,1,2,3\ng1,2,,4\ng1,0.5,1,2\ng2,3,1,\ng2,1,1,1\n,1,1,1\ng3,,1,1\n");
        LogSource src = new LogSource(List.of(csv.toString()), LogSource.Format.CSV);
        ClusterBlockReduction got = spark.clusterBlocks(src, "c", List.of("a", "b"), "y");
        assertEquals(4, got.rowsDropped());
        assertEquals(3, got.rowsUsed());
        assertSameBlocks(duck.clusterBlocks(src, "c", List.of("a", "b"), "y"), got, "gaps");
    }

    private static void assertSameBlocks(ClusterBlockReduction want, ClusterBlockReduction got, String what) {
        assertEquals(want.names(), got.names(), what);
        assertEquals(want.rowsUsed(), got.rowsUsed(), what);
        assertEquals(want.rowsDropped(), got.rowsDropped(), what);
        assertEquals(want.blocks().size(), got.blocks().size(), what);
        for (int b = 0; b < want.blocks().size(); b++) {
            ClusterBlock x = want.blocks().get(b);
            ClusterBlock y = got.blocks().get(b);
            String where = what + " block " + b;
            assertEquals(x.n(), y.n(), where);
            for (int i = 0; i < x.k(); i++) {
                for (int j = 0; j < x.k(); j++) {
                    assertTrue(SameReduction.close(x.xtx(i, j), y.xtx(i, j)), where + " xtx " + x.xtx(i, j) + " vs "
                            + y.xtx(i, j));
                }
                assertTrue(SameReduction.close(x.xty(i), y.xty(i)), where + " xty " + x.xty(i) + " vs " + y.xty(i));
            }
            assertTrue(SameReduction.close(x.yty(), y.yty()), where + " yty");
        }
    }

    private static void rel(double expected, double actual) {
        assertTrue(Math.abs(actual - expected) <= 1e-8 * Math.abs(expected), "expected " + expected + ", got " + actual);
    }
}

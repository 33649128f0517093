package dev.verdict.engine.duckdb;

import dev.verdict.reduce.BlockSums;
import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.ReductionPlan;
import dev.verdict.reduce.UnitKey;
import dev.verdict.reduce.VariableGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Per-block half-window sums on a log small enough to add up by hand. */
class DuckDbBlockSumsTest {
    @TempDir
    Path dir;

    private static final Instant ORIGIN = Instant.parse("2026-11-02T00:00:00Z");

    private static String row(long offset, String arm, String y, String d) {
        return ORIGIN.plusSeconds(offset) + "," + arm + "," + y + "," + d + "\n";
    }

    static ReductionPlan plan(Path csv, UnitKey key) {
        return new ReductionPlan(new LogSource(List.of(csv.toString()), LogSource.Format.CSV), "arm",
                List.of("control", "treatment"), Optional.of(key),
                List.of(new VariableGroup("g", List.of("y", "d"), Optional.empty())), List.of(), List.of(),
                ReductionPlan.Fidelity.NONE, Optional.empty());
    }

    @Test
    void halvesOfThePostWashoutWindowAddUpByHand() throws Exception {
        // hour blocks, 10-minute washout: halves [600, 2100) and [2100, 3600) seconds into the block
        String csv = "ts,arm,y,d\n"
                + row(-5, "control", "100", "1")           // before the origin
                + row(100, "control", "100", "1")          // washout of block 0
                + row(700, "control", "1", "1")            // block 0, first half
                + row(2099, "control", "3", "2")           // block 0, first half (last second)
                + row(2100, "control", "5", "1")           // block 0, second half (first second)
                + row(3599, "control", "", "1")            // y missing: not in the group
                + row(3600 + 650, "treatment", "2", "1")   // block 1, first half
                + row(3600 + 3000, "treatment", "4", "3")  // block 1, second half
                + row(3600 + 3100, "other", "9", "9")      // undeclared label: left out
                + row(7200 + 700, "treatment", "1", "1")   // block 2 carries both arms
                + row(7200 + 800, "control", "2", "1");
        Path file = dir.resolve("blocks.csv");
        Files.writeString(file, csv);
        UnitKey.TimeBlocks key = new UnitKey.TimeBlocks("ts", ORIGIN, 3600, 600, Optional.empty());
        assertEquals(2100, BlockSums.halfStart(key));
        BlockSums s;
        try (DuckDbEngine duck = DuckDbEngine.inMemory()) {
            s = duck.blockSums(plan(file, key), new VariableGroup("g", List.of("y", "d"), Optional.empty()));
            assertThrows(IllegalArgumentException.class, () -> duck.blockSums(plan(file, key).unit().map(u -> plan(file,
                    key)).map(p -> new ReductionPlan(p.source(), p.armColumn(), p.armLabels(), Optional.empty(), p.groups(),
                    p.segments(), p.quantiles(), p.fidelity(), p.exposure())).orElseThrow(), p(file)));
        }
        assertEquals(List.of("y", "d"), s.columns());
        assertEquals(3, s.blocks().size());
        BlockSums.Block b0 = s.blocks().get(0);
        assertEquals(0, b0.block());
        assertEquals("control", b0.arm());
        assertEquals(1, b0.armCount());
        assertEquals(2, b0.first().rows());
        assertArrayEquals(new double[] {4, 3}, b0.first().sums(), 0.0);
        assertEquals(1, b0.second().rows());
        assertArrayEquals(new double[] {5, 1}, b0.second().sums(), 0.0);
        assertEquals(3, b0.whole().rows());
        BlockSums.Block b1 = s.blocks().get(1);
        assertEquals("treatment", b1.arm());
        assertArrayEquals(new double[] {2, 1}, b1.first().sums(), 0.0);
        assertArrayEquals(new double[] {4, 3}, b1.second().sums(), 0.0);
        BlockSums.Block b2 = s.blocks().get(2);
        assertEquals(2, b2.armCount());
        assertEquals("control", b2.arm()); // the smaller label
        assertEquals(0, b2.second().rows());
        assertArrayEquals(new double[] {0, 0}, b2.second().sums(), 0.0);
    }

    private static VariableGroup p(Path ignored) {
        return new VariableGroup("g", List.of("y"), Optional.empty());
    }
}

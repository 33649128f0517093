package dev.verdict.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Petersen's simulated panel (sandwich 3.0-2 {@code PetersenCL}) as per-cluster blocks of y ~ 1 + x. */
final class PetersenData {
    static final List<double[]> ROWS = load(); // firm, year, x, y

    private PetersenData() {
    }

    private static List<double[]> load() {
        List<double[]> rows = new ArrayList<>();
        for (String[] f : ReferenceCases.csv("/reference/stats/petersen_cl.csv")) {
            rows.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3])});
        }
        return List.copyOf(rows);
    }

    /** One block per distinct value of column {@code clusterColumn} (0 = firm, 1 = year), in key order. */
    static List<ClusterBlock> blocksBy(int clusterColumn) {
        Map<Double, ClusterBlock.Accumulator> acc = new TreeMap<>();
        for (double[] r : ROWS) {
            acc.computeIfAbsent(r[clusterColumn], c -> new ClusterBlock.Accumulator(2)).add(new double[] {1, r[2]}, r[3]);
        }
        List<ClusterBlock> blocks = new ArrayList<>();
        acc.values().forEach(a -> blocks.add(a.toBlock()));
        return blocks;
    }

    /** One block per row (heteroskedasticity-robust, unclustered). */
    static List<ClusterBlock> blocksPerRow() {
        List<ClusterBlock> blocks = new ArrayList<>();
        for (double[] r : ROWS) {
            blocks.add(ClusterBlock.ofRows(new double[][] {{1, r[2]}}, new double[] {r[3]}));
        }
        return blocks;
    }

    static final List<String> NAMES = List.of("(Intercept)", "x");
}

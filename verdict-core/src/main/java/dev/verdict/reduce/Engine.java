package dev.verdict.reduce;

import dev.verdict.stats.ClusterBlockReduction;
import dev.verdict.stats.Moments;

import java.util.List;
import java.util.Map;

/**
 * An execution engine that reduces request logs where they live to sufficient statistics. Engines are
 * adapters: DuckDB in-process by default, Spark when logs outgrow a machine. Every method keeps raw rows
 * out of the JVM heap.
 *
 * <p>Quantiles are exact on every engine: engines answer the two scans of {@link BucketScan} and
 * {@link ExactQuantiles} finds the order statistics, so that all engines agree bit for bit.
 *
 * <p>Errors in the data (missing file, missing column, text in a numeric column) are reported as
 * {@link dev.verdict.InputException} with one line naming the column or path.
 */
public interface Engine extends AutoCloseable, BucketScan {

    /** Short engine name for provenance, e.g. {@code duckdb}. */
    String name();

    /** Engine version for provenance. */
    String version();

    /** The files a source resolves to (globs expanded), sorted; an input error if none. */
    List<String> files(LogSource source);

    /** The log's columns and their kinds, read from metadata or a sample, without a full scan. */
    LogSchema describe(LogSource source);

    /**
     * The first value of a column that does not read as a number, to quote in an error message; empty
     * when every value converts.
     */
    java.util.Optional<String> firstNonNumeric(LogSource source, String column);

    /** Runs the plan's reductions; one pass over the log where the design allows it. */
    Reduction reduce(ReductionPlan plan);

    /**
     * For unit-level designs: per declared arm, moments over units of the pair
     * {@code (count of the unit's rows with column <= threshold of its arm, count of the unit's rows
     * with the column present)}: what the clustered delta method for quantiles needs.
     */
    Map<String, Moments> unitCountsBelow(ReductionPlan plan, String column, Map<String, Double> thresholdByArm);

    /**
     * For a plan whose unit is a time block: the rows its key leaves out of every reduction (missing time, before
     * the origin, in a washout), in one cheap aggregation; {@link UnitKey.Exclusions#NONE} for any other plan.
     */
    UnitKey.Exclusions exclusions(ReductionPlan plan);

    /**
     * The complete rows of a few columns, sorted (see {@link Rows}); an input error when more than the request's limit
     * remain.
     */
    default Rows rows(Rows.Request request) {
        throw new UnsupportedOperationException("engine " + name() + " does not read individual rows");
    }

    /**
     * For a plan whose unit is a time block (a switchback): per (by value, block) the block's arm and, for each half of
     * its post-washout window, the rows with every column of {@code group} present and the sums of those columns
     * ({@link BlockSums}), in one aggregation. Engines that do not implement it throw
     * {@link UnsupportedOperationException}; the switchback analysis then reports its block-level inference as not
     * evaluated.
     *
     * @throws IllegalArgumentException when the plan has no time-block key
     */
    default BlockSums blockSums(ReductionPlan plan, VariableGroup group) {
        throw new UnsupportedOperationException("engine " + name() + " does not compute per-block sums");
    }

    /**
     * For a plan whose unit is a time block (a unit x period panel: the unit as {@code by}, periods as blocks): per
     * (by value, block, declared arm) the rows with {@code column} present and the column's exact type-7 quantile at
     * {@code probability} over them ({@link CellQuantiles}), with the same kept rows as {@link #blockSums} (source
     * filters, origin, washout). A block with rows of two declared arms yields one cell per arm; the caller decides
     * what a mixed block means. Engines that do not implement it throw {@link UnsupportedOperationException}.
     *
     * @throws IllegalArgumentException when the plan has no time-block key or the probability is outside [0, 1]
     */
    default CellQuantiles cellQuantiles(ReductionPlan plan, String column, double probability) {
        throw new UnsupportedOperationException("engine " + name() + " does not compute per-cell quantiles");
    }

    /**
     * Per-cluster least-squares blocks for {@code y ~ 1 + x_1 + ... + x_p}, in one aggregation grouped by the
     * cluster column: per cluster the row count, {@code sum x_i x_j}, {@code sum x_i y} and {@code sum y^2},
     * with the constant 1 added by the engine as the first regressor ({@code xColumns} exclude it). Rows
     * with any of the x columns, y or the cluster missing are dropped and counted; clusters left with no
     * rows are omitted. Sums are raw (uncentred): see {@link dev.verdict.stats.ClusterBlock} on precision.
     *
     * @param clusterColumn the column whose values define clusters (read as text)
     * @param xColumns      regressor columns without the intercept, read as numbers
     * @param yColumn       outcome column, read as a number
     */
    ClusterBlockReduction clusterBlocks(LogSource source, String clusterColumn, List<String> xColumns, String yColumn);

    /**
     * A panel: per (unit, period) the moments of the outcome columns over the cell's requests, in one aggregation,
     * with exact sums so that engines agree to the bit (see {@link Panel}).
     */
    Panel panel(Panel.Request request);

    /**
     * The files behind a source, for the readout's data fingerprint: for a catalog table the files the table reads;
     * for files, {@link #files} (which the pipeline already has, so it asks this only of tables).
     */
    default List<String> dataFiles(LogSource source) {
        return files(source);
    }

    /**
     * The size in bytes of one of the files {@link #files} returned, for the readout's data fingerprint. Local files by
     * default; an engine that reads other file systems (HDFS, object stores) answers for them.
     */
    default long fileSize(String file) {
        try {
            return java.nio.file.Files.size(java.nio.file.Path.of(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Up to {@code length} bytes of a file from {@code offset}, for the readout's data fingerprint. */
    default byte[] readFile(String file, long offset, int length) {
        try (var ch = java.nio.file.Files.newByteChannel(java.nio.file.Path.of(file))) {
            ch.position(offset);
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(length);
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // read until the range is in or the file ends
            }
            return java.util.Arrays.copyOf(buf.array(), buf.position());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    void close();
}

package dev.verdict.quasi.did;

/**
 * Raw mean outcome per period of the ever-treated and the never-treated units (cell-weighted): the
 * difference-in-differences plot before any model.
 *
 * @param period       the period
 * @param treatedMean  mean of ever-treated units' cells in this period; NaN when none is observed
 * @param controlMean  mean of never-treated units' cells; NaN when none is observed
 * @param treatedCells ever-treated cells in this period
 * @param controlCells never-treated cells in this period
 * @param treatedShare share of the ever-treated units observed this period that are already treated
 */
public record TrendPoint(long period, double treatedMean, double controlMean, int treatedCells, int controlCells,
                         double treatedShare) {
}

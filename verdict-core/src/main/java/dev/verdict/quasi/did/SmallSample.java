package dev.verdict.quasi.did;

/**
 * When unit-clustered standard errors cannot be reported: the cases FRAMEWORK.md section 3 names for
 * aggregated data. With one treated unit, a variance clustered by unit has one treated cluster whose score is
 * fitted exactly: software prints a number but it measures only the comparison units' noise (Conley and Taber
 * 2011, REStat 93:113-125; MacKinnon and Webb 2017, J. Appl. Econometrics 32:233-254). With two units in
 * total (one row per unit and period, no within-cell variation), nothing is left to estimate the sampling
 * variance from.
 */
final class SmallSample {
    private SmallSample() {
    }

    /** Why unit-clustered standard errors are not available for this panel, or null when they are. */
    static String reason(Panel p) {
        int units = p.unitCount();
        int treated = p.treatedUnits();
        if (units == 2) {
            return "aggregated data with only 2 units (one row per unit and period, no within-cell variation):"
                    + " the difference-in-differences uses every cell, so there is no variation between units"
                    + " left to estimate a sampling variance from";
        }
        if (treated == 1) {
            return "a single treated unit: a standard error clustered by unit is meaningless with one treated"
                    + " cluster (it reflects only the comparison units' noise) and is not reported;"
                    + " inference is by placebo in space instead (PlaceboInSpace)";
        }
        if (p.neverTreatedUnits() == 1 && p.cohortIndices().length == 1) {
            return "a single comparison unit: a standard error clustered by unit is meaningless with one"
                    + " comparison cluster and is not reported";
        }
        return null;
    }
}

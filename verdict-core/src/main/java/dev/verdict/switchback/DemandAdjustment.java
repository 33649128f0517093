package dev.verdict.switchback;

import dev.verdict.stats.CoefficientTable;
import dev.verdict.stats.Estimate;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Demand-cycle adjustment: OLS of block values on the arm plus indicators of the block's hour of day (UTC, of its
 * start; only when blocks are shorter than a day) and of weekend days (Saturday, Sunday UTC), and of its schedule
 * when there are several, with HC2 standard errors; every block weighted equally. The coefficient on the arm is the
 * adjusted effect. It is identified only when the schedule put both arms into the demand cells enough for the design
 * to be non-singular with residual degrees of freedom left; otherwise the result says so and carries no estimate.
 */
public final class DemandAdjustment {
    private DemandAdjustment() {
    }

    /**
     * The result.
     *
     * @param estimate         the adjusted effect (empty when not identified)
     * @param hours            hour-of-day levels present (0 when hour of day is not adjusted for)
     * @param hoursBothArms    hour-of-day levels with blocks of both arms
     * @param weekend          whether a weekend indicator entered
     * @param reason           why it is not identified, or empty
     */
    public record Result(Optional<Estimate> estimate, int hours, int hoursBothArms, boolean weekend,
                         Optional<String> reason) { }

    /** Hour of day (UTC) of an epoch second. */
    static int hour(long epochSecond) {
        return (int) (Math.floorMod(epochSecond, 86_400L) / 3600);
    }

    static boolean weekend(long epochSecond) {
        DayOfWeek d = LocalDate.ofEpochDay(Math.floorDiv(epochSecond, 86_400L)).getDayOfWeek();
        return d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY;
    }

    public static Result run(BlockSeries s, double alpha) {
        int n = s.size();
        boolean byHour = s.blockSeconds() < 86_400L;
        TreeSet<Integer> hours = new TreeSet<>();
        boolean[][] armsByHour = new boolean[24][2];
        boolean anyWeekend = false;
        boolean anyWeekday = false;
        for (int i = 0; i < n; i++) {
            int h = hour(s.start(i));
            hours.add(h);
            armsByHour[h][s.treated(i) ? 1 : 0] = true;
            boolean we = weekend(s.start(i));
            anyWeekend |= we;
            anyWeekday |= !we;
        }
        int both = 0;
        for (int h : hours) {
            both += armsByHour[h][0] && armsByHour[h][1] ? 1 : 0;
        }
        boolean weekendTerm = anyWeekend && anyWeekday;
        List<String> names = new ArrayList<>(List.of("intercept", "arm"));
        List<Integer> levels = new ArrayList<>();
        if (byHour) {
            for (int h : hours) {
                if (h != hours.first()) {
                    levels.add(h);
                    names.add("hour_" + h);
                }
            }
        }
        if (weekendTerm) {
            names.add("weekend");
        }
        int strata = s.strata().size();
        for (int g = 1; g < strata; g++) {
            names.add("schedule_" + g);
        }
        if (!byHour && !weekendTerm) {
            return new Result(Optional.empty(), 0, 0, false, Optional.of("blocks of a day or longer within one kind of "
                    + "day: no hour-of-day or weekday variation to adjust for"));
        }
        List<double[]> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] row = new double[names.size()];
            row[0] = 1;
            row[1] = s.treated(i) ? 1 : 0;
            int c = 2;
            if (byHour) {
                int at = levels.indexOf(hour(s.start(i)));
                if (at >= 0) {
                    row[c + at] = 1;
                }
                c += levels.size();
            }
            if (weekendTerm) {
                row[c++] = weekend(s.start(i)) ? 1 : 0;
            }
            if (s.stratum(i) > 0) {
                row[c + s.stratum(i) - 1] = 1;
            }
            x.add(row);
            y.add(s.y(i));
        }
        int hourCount = byHour ? hours.size() : 0;
        int bothCount = byHour ? both : 0;
        if (byHour && both == 0) {
            return new Result(Optional.empty(), hourCount, bothCount, weekendTerm, Optional.of("no hour of day has blocks of "
                    + "both arms: the schedule did not balance hour of day, so the effect is confounded with it"));
        }
        Optional<CoefficientTable> t = BlockRegression.fit(x, y, names);
        if (t.isEmpty()) {
            return new Result(Optional.empty(), hourCount, bothCount, weekendTerm, Optional.of("the arm is collinear with "
                    + "the hour-of-day and weekday indicators (or too few blocks): the schedule did not balance them"));
        }
        Estimate e = t.get().estimate(1, alpha);
        return new Result(Optional.of(new Estimate(e.estimate(), e.se(), e.df(), e.ciLow(), e.ciHigh(), e.pValue(),
                "ols_demand_adjusted_hc2")), hourCount, bothCount, weekendTerm, Optional.empty());
    }
}

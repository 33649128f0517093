package dev.verdict.quasi.did;

/**
 * Options of the difference-in-differences estimators; {@link #withDefaults()} gives the defaults and each
 * {@code with...} method returns a copy with one option changed.
 *
 * <ul>
 *   <li>{@code alpha} 0.05: two-sided level of every interval.</li>
 *   <li>{@code preTrendAlpha} 0.05: the joint pre-trend test fails when its p-value is below this.</li>
 *   <li>{@code minPreTrendLeads} 2: fewer testable pre-period coefficients than this and parallel trends is
 *       called untestable (one pre-period difference is not "several pre-periods").</li>
 *   <li>{@code leads}, {@code lags} -1 (all available): the event-study window {@code [-leads, lags]} in
 *       periods; relative periods outside it are binned into the end points ({@code <= -leads},
 *       {@code >= lags}).</li>
 *   <li>{@code controlGroup} {@link ControlGroup#NEVER_TREATED}: comparison units of Callaway-Sant'Anna.</li>
 *   <li>{@code bootstrapDraws} 0: analytic influence-function standard errors; a positive number switches
 *       Callaway-Sant'Anna to the multiplier bootstrap with that many draws and seed {@code seed}.</li>
 * </ul>
 *
 * @param alpha            interval level, in (0, 1)
 * @param preTrendAlpha    level of the pre-trend test, in (0, 1)
 * @param minPreTrendLeads least number of pre-period coefficients for a pre-trend test, &gt;= 1
 * @param leads            event-study leads (&gt;= 2), or -1 for all
 * @param lags             event-study lags (&gt;= 0), or -1 for all
 * @param controlGroup     Callaway-Sant'Anna comparison group
 * @param bootstrapDraws   0 for analytic SEs, else multiplier-bootstrap draws (&gt;= 99)
 * @param seed             seed of the multiplier bootstrap
 */
public record DidOptions(double alpha, double preTrendAlpha, int minPreTrendLeads, int leads, int lags,
                         ControlGroup controlGroup, int bootstrapDraws, long seed) {

    /** Which units serve as comparisons for a treated cohort in Callaway-Sant'Anna. */
    public enum ControlGroup {
        /** Units never treated within the panel (the {@code did} package's default). */
        NEVER_TREATED,
        /** Never-treated units and units not yet treated by the period being estimated. */
        NOT_YET_TREATED
    }

    public DidOptions {
        DidArguments.level("alpha", alpha);
        DidArguments.level("preTrendAlpha", preTrendAlpha);
        if (minPreTrendLeads < 1) {
            throw new IllegalArgumentException("minPreTrendLeads must be >= 1, got " + minPreTrendLeads);
        }
        if (leads != -1 && leads < 2) {
            throw new IllegalArgumentException("leads must be >= 2 (period -1 is the reference) or -1 for all, got "
                    + leads);
        }
        if (lags < -1) {
            throw new IllegalArgumentException("lags must be >= 0, or -1 for all, got " + lags);
        }
        if (controlGroup == null) {
            throw new IllegalArgumentException("controlGroup must be NEVER_TREATED or NOT_YET_TREATED, got null");
        }
        if (bootstrapDraws != 0 && bootstrapDraws < 99) {
            throw new IllegalArgumentException("bootstrapDraws must be 0 (analytic) or >= 99, got " + bootstrapDraws);
        }
    }

    /** The defaults listed above. */
    public static DidOptions withDefaults() {
        return new DidOptions(0.05, 0.05, 2, -1, -1, ControlGroup.NEVER_TREATED, 0, 1L);
    }

    public DidOptions withAlpha(double value) {
        return new DidOptions(value, preTrendAlpha, minPreTrendLeads, leads, lags, controlGroup, bootstrapDraws, seed);
    }

    public DidOptions withPreTrendAlpha(double value) {
        return new DidOptions(alpha, value, minPreTrendLeads, leads, lags, controlGroup, bootstrapDraws, seed);
    }

    public DidOptions withMinPreTrendLeads(int value) {
        return new DidOptions(alpha, preTrendAlpha, value, leads, lags, controlGroup, bootstrapDraws, seed);
    }

    /** The event window {@code [-leads, lags]}; -1 for all available. */
    public DidOptions withWindow(int leadCount, int lagCount) {
        return new DidOptions(alpha, preTrendAlpha, minPreTrendLeads, leadCount, lagCount, controlGroup,
                bootstrapDraws, seed);
    }

    public DidOptions withControlGroup(ControlGroup value) {
        return new DidOptions(alpha, preTrendAlpha, minPreTrendLeads, leads, lags, value, bootstrapDraws, seed);
    }

    /** Multiplier bootstrap with {@code draws} draws and the given seed (0 draws: analytic SEs). */
    public DidOptions withBootstrap(int draws, long seedValue) {
        return new DidOptions(alpha, preTrendAlpha, minPreTrendLeads, leads, lags, controlGroup, draws, seedValue);
    }
}

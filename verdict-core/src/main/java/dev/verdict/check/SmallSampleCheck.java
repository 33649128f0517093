package dev.verdict.check;

import java.util.Locale;

/**
 * The small-sample check of designs with few units (cluster RCT, switchback): the variance is the delta method over
 * units, whose normal / Welch reference is a large-sample approximation. With fewer than {@link #MIN_UNITS} units in
 * all it WARNs (FRAMEWORK.md section 2 asks for small-sample-valid inference for cluster RCTs): the intervals and
 * p-values may be too narrow, and the small-sample corrections (CR2, wild cluster bootstrap, randomization inference)
 * are not applied by this version. With at least that many it PASSes and says the inference is large-sample.
 */
public final class SmallSampleCheck {
    /** Check name in the readout. */
    public static final String NAME = "small_sample_inference";
    /** Units (over both arms) below which the large-sample inference is flagged. */
    public static final long MIN_UNITS = 30;

    private SmallSampleCheck() {
    }

    /**
     * The check.
     *
     * @param unit      the unit's name, e.g. {@code cluster} or {@code block}
     * @param control   units in the control arm
     * @param treatment units in the treatment arm
     */
    public static CheckResult of(String unit, long control, long treatment) {
        long units = control + treatment;
        CheckResult.Evidence ev = CheckResult.evidenceBuilder().put("unit", unit).put("units", units)
                .put("units_control", control).put("units_treatment", treatment).put("min_units", MIN_UNITS)
                .put("inference", "large_sample_delta_method_over_" + unit);
        String counts = String.format(Locale.ROOT, "%d %s units (%d control, %d treatment)", units, unit, control,
                treatment);
        if (units < MIN_UNITS) {
            return new CheckResult(NAME, CheckCategory.IDENTIFICATION, CheckStatus.WARN,
                    "Only " + counts + ", fewer than " + MIN_UNITS + ": the inference is large-sample (delta method "
                            + "across " + unit + " units) and may be too optimistic; small-sample corrections (CR2, wild "
                            + "cluster bootstrap, randomization inference) are not yet applied.", ev.map());
        }
        return new CheckResult(NAME, CheckCategory.IDENTIFICATION, CheckStatus.PASS,
                counts + ": enough units for the large-sample inference (delta method across " + unit
                        + " units); small-sample corrections are not applied.", ev.map());
    }
}

package dev.verdict.check;

import java.util.Locale;

/**
 * The small-sample check of designs with few units (cluster RCT, switchback): the variance is the delta method over
 * units, whose normal / Welch reference is a large-sample approximation. With fewer than {@link #MIN_UNITS} units in
 * all it WARNs (FRAMEWORK.md section 2 asks for small-sample-valid inference for cluster RCTs): the intervals and
 * p-values may be too narrow, and the small-sample corrections (CR2, wild cluster bootstrap, randomization inference)
 * are not applied by this version. With at least that many it PASSes and says the inference is large-sample.
 *
 * <p>A cluster RCT whose mean and proportion metrics got cluster-level inference reports through
 * {@link #ofCluster}: which inference was used and why, and per metric the CR2, wild-bootstrap and randomization
 * p-values. It PASSes when the small-sample methods were applied, and WARNs with one cluster in an arm (randomization
 * inference only) or when the randomization distribution cannot reach a p-value below alpha.
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
                            + "across " + unit + " units) and may be too optimistic; " + (unit.equals("block")
                            ? "randomization inference under the declared schedule (switchback_inference) must agree "
                            + "before an effect counts as significant."
                            : "small-sample corrections (CR2, wild cluster bootstrap, randomization inference) are not "
                            + "applied to this metric."), ev.map());
        }
        return new CheckResult(NAME, CheckCategory.IDENTIFICATION, CheckStatus.PASS,
                counts + ": enough units for the large-sample inference (delta method across " + unit
                        + " units); small-sample corrections are not applied.", ev.map());
    }

    /**
     * The check of a cluster RCT with cluster-level inference.
     *
     * @param unit       the unit's name
     * @param control    units in the control arm
     * @param treatment  units in the treatment arm
     * @param inference  the inference used: {@code cr2_satterthwaite}, {@code most_conservative_of_cr2_wcr_ri} or
     *                   {@code randomization_inference}
     * @param why        why that inference, one clause
     * @param metrics    per metric, its numbers (method, p-values, df ...)
     * @param oneInArm   one cluster in an arm: clustered standard errors are meaningless
     * @param smallestP  the smallest p-value randomization inference can reach (NaN when not run)
     * @param alpha      the spec's alpha
     */
    public static CheckResult ofCluster(String unit, long control, long treatment, String inference, String why,
                                        java.util.List<java.util.Map<String, Object>> metrics, boolean oneInArm,
                                        double smallestP, double alpha) {
        long units = control + treatment;
        CheckResult.Evidence ev = CheckResult.evidenceBuilder().put("unit", unit).put("units", units)
                .put("units_control", control).put("units_treatment", treatment).put("min_units", MIN_UNITS)
                .put("inference", inference).put("metrics", metrics);
        String counts = String.format(Locale.ROOT, "%d %s units (%d control, %d treatment)", units, unit, control,
                treatment);
        StringBuilder ps = new StringBuilder();
        for (java.util.Map<String, Object> m : metrics) {
            ps.append(ps.length() == 0 ? " " : "; ").append(m.get("metric")).append(": ");
            java.util.List<String> parts = new java.util.ArrayList<>();
            for (String k : new String[] {"cr2_p_value", "wcr_p_value", "ri_p_value"}) {
                if (m.containsKey(k)) {
                    parts.add(k.replace("_p_value", "").toUpperCase(Locale.ROOT) + " p = "
                            + CheckText.num(((Number) m.get(k)).doubleValue()));
                }
            }
            ps.append(String.join(", ", parts));
        }
        String text = counts + ": " + why + "." + ps + ".";
        if (oneInArm) {
            return new CheckResult(NAME, CheckCategory.IDENTIFICATION, CheckStatus.WARN, "Only one " + unit
                    + " in an arm. " + text + " The smallest attainable p-value is " + CheckText.num(smallestP) + ".",
                    ev.map());
        }
        if (Double.isFinite(smallestP) && smallestP >= alpha) {
            return new CheckResult(NAME, CheckCategory.IDENTIFICATION, CheckStatus.WARN, text
                    + " Randomization inference cannot go below p = " + CheckText.num(smallestP) + " >= alpha "
                    + CheckText.num(alpha) + ": no effect can be significant with this design.", ev.map());
        }
        return new CheckResult(NAME, CheckCategory.IDENTIFICATION, CheckStatus.PASS, text, ev.map());
    }
}

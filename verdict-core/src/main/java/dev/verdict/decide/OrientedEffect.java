package dev.verdict.decide;

import dev.verdict.readout.Effect;
import dev.verdict.spec.Direction;
import dev.verdict.spec.MetricSpec;

/**
 * An effect turned so that positive is good: {@code s * estimate} and its interval, with
 * {@code s = +1} when an increase is good and {@code -1} when a decrease is good, plus the metric's
 * min_effect in its own unit (absolute, or relative to the effect's control value; 0 when not declared).
 */
record OrientedEffect(double estimate, double low, double high, double minEffect) {

    static OrientedEffect of(Effect e, MetricSpec metric) {
        Direction d = metric.direction();
        double s = d.sign();
        double low = s > 0 ? e.ciLow() : -e.ciHigh();
        double high = s > 0 ? e.ciHigh() : -e.ciLow();
        double min = metric.minEffect().map(t -> t.absolute(e.control())).orElse(0.0);
        return new OrientedEffect(s * e.estimate(), low, high, min);
    }

    boolean finite() {
        return Double.isFinite(estimate) && Double.isFinite(low) && Double.isFinite(high) && Double.isFinite(minEffect);
    }

    /** The interval excludes 0 on the good side. */
    boolean significantlyGood() {
        return low > 0;
    }

    /** The interval excludes 0 on the harmful side. */
    boolean significantlyHarmful() {
        return high < 0;
    }

    /** The point estimate reaches min_effect. */
    boolean practical() {
        return estimate >= minEffect;
    }

    /** Interval as text, e.g. {@code 0.012 [0.004, 0.020]}. */
    String text() {
        return DecisionText.num(estimate) + " [" + DecisionText.num(low) + ", " + DecisionText.num(high) + "]";
    }
}

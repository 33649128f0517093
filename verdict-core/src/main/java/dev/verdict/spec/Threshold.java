package dev.verdict.spec;

/**
 * An effect-size threshold, either absolute (in the metric's unit) or relative to the control
 * value ({@code 5%} in YAML is {@code relative = true, value = 0.05}). Always non-negative; the
 * metric's direction says which way it applies.
 */
public record Threshold(double value, boolean relative) {

    /** The threshold in the metric's own unit, given the control arm's value. */
    public double absolute(double controlValue) {
        return relative ? value * Math.abs(controlValue) : value;
    }

    @Override
    public String toString() {
        return relative ? trim(value * 100) + "%" : trim(value);
    }

    private static String trim(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}

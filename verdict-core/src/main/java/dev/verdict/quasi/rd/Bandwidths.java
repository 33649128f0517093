package dev.verdict.quasi.rd;

/**
 * The bandwidths of an RD fit: h for the local polynomial of order p that estimates the jump, and b for the local
 * polynomial of order q = p + 1 that estimates its leading bias, each on the left and on the right of the cutoff.
 *
 * @param hLeft  estimation bandwidth below the cutoff
 * @param hRight estimation bandwidth at and above the cutoff
 * @param bLeft  bias bandwidth below the cutoff
 * @param bRight bias bandwidth at and above the cutoff
 * @param rule   how they were chosen: a {@link BandwidthRule} label (e.g. {@code "mserd"}) or {@code "manual"}
 */
public record Bandwidths(double hLeft, double hRight, double bLeft, double bRight, String rule) {

    public Bandwidths {
        RdArguments.positive("bandwidth hLeft", hLeft);
        RdArguments.positive("bandwidth hRight", hRight);
        RdArguments.positive("bandwidth bLeft", bLeft);
        RdArguments.positive("bandwidth bRight", bRight);
        if (rule == null || rule.isBlank()) {
            throw new IllegalArgumentException("bandwidths need a rule name (a BandwidthRule label or \"manual\")");
        }
    }

    /** Manual bandwidths h on both sides with b = h (rdrobust's default when only h is given). */
    public static Bandwidths manual(double h) {
        return new Bandwidths(h, h, h, h, "manual");
    }

    /** Manual bandwidths h and b, the same on both sides. */
    public static Bandwidths manual(double h, double b) {
        return new Bandwidths(h, h, b, b, "manual");
    }

    /** These bandwidths with h and b multiplied by {@code factor} on both sides (rule becomes "manual"). */
    public Bandwidths scaled(double factor) {
        return new Bandwidths(hLeft * factor, hRight * factor, bLeft * factor, bRight * factor, "manual");
    }
}

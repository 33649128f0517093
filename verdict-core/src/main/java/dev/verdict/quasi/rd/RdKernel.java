package dev.verdict.quasi.rd;

/**
 * The kernel that weights observations by their distance to the cutoff in a local polynomial fit.
 *
 * <p>With {@code u = (x - c) / h} the weight is {@code K(u) / h}, where {@code K} is
 * <ul>
 *   <li>{@link #TRIANGULAR}: {@code (1 - |u|) 1{|u| <= 1}} (the default; MSE-optimal at a boundary point,
 *       Cheng, Fan and Marron 1997),</li>
 *   <li>{@link #EPANECHNIKOV}: {@code 0.75 (1 - u^2) 1{|u| <= 1}},</li>
 *   <li>{@link #UNIFORM}: {@code 0.5 1{|u| <= 1}}.</li>
 * </ul>
 * Observations with zero weight are outside the window: for the triangular and Epanechnikov kernels a point
 * exactly at distance h is excluded, for the uniform kernel it is included (as in rdrobust).
 */
public enum RdKernel {
    /** {@code K(u) = (1 - |u|) 1{|u| <= 1}}. */
    TRIANGULAR(2.576),
    /** {@code K(u) = 0.75 (1 - u^2) 1{|u| <= 1}}. */
    EPANECHNIKOV(2.34),
    /** {@code K(u) = 0.5 1{|u| <= 1}}. */
    UNIFORM(1.843);

    private final double pilotConstant;

    RdKernel(double pilotConstant) {
        this.pilotConstant = pilotConstant;
    }

    /** The weight {@code K((x - c) / h) / h} of an observation at distance {@code dx = x - c}; 0 outside the window. */
    double weight(double dx, double h) {
        double u = dx / h;
        double a = Math.abs(u);
        return switch (this) {
            case TRIANGULAR -> a <= 1 ? (1 - a) / h : 0.0;
            case EPANECHNIKOV -> a <= 1 ? (0.75 * (1 - u * u)) / h : 0.0;
            case UNIFORM -> a <= 1 ? 0.5 / h : 0.0;
        };
    }

    /** {@code K(u)} without the {@code 1/h} factor, for {@code u} in [0, 1]. */
    double k(double u) {
        return weight(u, 1.0);
    }

    /** {@code int_0^1 u^j K(u) du} in closed form. */
    double moment(int j) {
        return switch (this) {
            case TRIANGULAR -> 1.0 / (j + 1) - 1.0 / (j + 2);
            case EPANECHNIKOV -> 0.75 * (1.0 / (j + 1) - 1.0 / (j + 3));
            case UNIFORM -> 0.5 / (j + 1);
        };
    }

    /**
     * The constant of the rule-of-thumb pilot bandwidth {@code C_K min(sd, IQR/1.349) n^(-1/5)} that starts the
     * bandwidth selector (the values rdrobust uses).
     */
    double pilotConstant() {
        return pilotConstant;
    }

    /** The name as rdrobust prints it ("Triangular", "Epanechnikov", "Uniform"). */
    public String label() {
        String s = name().toLowerCase(java.util.Locale.ROOT);
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}

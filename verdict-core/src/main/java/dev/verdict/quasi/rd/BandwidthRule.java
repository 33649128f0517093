package dev.verdict.quasi.rd;

/**
 * The data-driven bandwidth rules of Calonico, Cattaneo and Titiunik (2014) and Calonico, Cattaneo and Farrell
 * (2020), with rdrobust's names.
 *
 * <p>The MSE rules minimise the asymptotic mean squared error of the estimated jump ({@link #MSERD}: one common h
 * from the MSE of the difference of the two boundary fits), of each side's fit separately ({@link #MSETWO}: two
 * bandwidths), or of the sum of the two fits ({@link #MSESUM}); {@link #MSECOMB1} is {@code min(mserd, msesum)}
 * and {@link #MSECOMB2} the per-side median of {@code (mserd, msesum, msetwo)}. Each CER rule shrinks the estimation
 * bandwidth h of its MSE counterpart by {@code n^(-p / ((3 + p)(3 + 2p)))}, the rate that makes the coverage
 * error of the robust interval optimal, and keeps the bias bandwidth b.
 */
public enum BandwidthRule {
    /** One MSE-optimal bandwidth for the RD jump (the default). */
    MSERD,
    /** MSE-optimal bandwidth per side. */
    MSETWO,
    /** One MSE-optimal bandwidth for the sum of the two boundary estimates. */
    MSESUM,
    /** {@code min(mserd, msesum)}. */
    MSECOMB1,
    /** Per side, the median of mserd, msesum and msetwo. */
    MSECOMB2,
    /** mserd shrunk to the coverage-error-optimal rate. */
    CERRD,
    /** msetwo shrunk to the coverage-error-optimal rate. */
    CERTWO,
    /** msesum shrunk to the coverage-error-optimal rate. */
    CERSUM,
    /** msecomb1 shrunk to the coverage-error-optimal rate. */
    CERCOMB1,
    /** msecomb2 shrunk to the coverage-error-optimal rate. */
    CERCOMB2;

    /** rdrobust's spelling, e.g. {@code "mserd"}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    boolean coverageErrorRate() {
        return name().startsWith("CER");
    }

    /** The MSE rule this rule derives from. */
    BandwidthRule mseBase() {
        return switch (this) {
            case CERRD -> MSERD;
            case CERTWO -> MSETWO;
            case CERSUM -> MSESUM;
            case CERCOMB1 -> MSECOMB1;
            case CERCOMB2 -> MSECOMB2;
            default -> this;
        };
    }
}

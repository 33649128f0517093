package dev.verdict.stats;

/**
 * A Wald test of q linear restrictions {@code R b = r}.
 *
 * @param chiSquare     {@code W = (R b - r)' (R V R')^-1 (R b - r)}
 * @param restrictions  q, the chi-square degrees of freedom and the F numerator degrees of freedom
 * @param pChiSquare    {@code P(chi2_q > W)}, the large-sample p-value
 * @param f             {@code W / q}
 * @param dfDenominator F denominator degrees of freedom (infinite: the F test is the chi-square test)
 * @param pF            {@code P(F_{q, dfDenominator} > W / q)}; NaN when dfDenominator is NaN
 */
public record WaldResult(double chiSquare, int restrictions, double pChiSquare, double f, double dfDenominator,
                         double pF) {
}

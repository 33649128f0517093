package dev.verdict.quasi.did;

import java.util.List;

/**
 * The joint test that every pre-period (lead) coefficient is zero, the identification check of
 * difference-in-differences: parallel trends cannot be verified, but diverging pre-treatment trends refute it.
 *
 * <p>{@code W = b_L' V_L^{-1} b_L} over the q leads; {@code statistic = W / q} referred to
 * {@code F(q, df2)} ({@code df2 = G - 1} with a CR2 covariance) or, when {@code df2} is infinite, {@code W}
 * to chi-square(q). A pass is weak evidence (Roth 2022, AER: Insights 4:305-322: pre-trend tests have low
 * power, and conditioning on passing distorts the estimate); a failure is strong evidence against a causal
 * reading.
 *
 * @param status    PASS, FAIL or UNTESTABLE
 * @param eventTimes the event times tested (lead bins included)
 * @param chiSquare {@code W}; NaN when untestable
 * @param statistic {@code W / q}; NaN when untestable
 * @param df1       q
 * @param df2       denominator df, infinite for the chi-square reference
 * @param pValue    the p-value; NaN when untestable
 * @param alpha     the level the p-value is compared to
 * @param method    the covariance and reference distribution used
 * @param reason    one sentence for the readout: why it passed, failed or could not be run
 */
public record PreTrendTest(Status status, List<Integer> eventTimes, double chiSquare, double statistic, int df1,
                           double df2, double pValue, double alpha, String method, String reason) {

    /** Outcome of the check. */
    public enum Status {
        /** No evidence against parallel pre-trends at the stated level. */
        PASS,
        /** Pre-trends diverge: no causal claim. */
        FAIL,
        /** Too few pre-periods, or no valid standard errors: parallel trends cannot be checked. */
        UNTESTABLE
    }

    public PreTrendTest {
        eventTimes = List.copyOf(eventTimes);
    }

    static PreTrendTest untestable(List<Integer> eventTimes, double alpha, String method, String reason) {
        return new PreTrendTest(Status.UNTESTABLE, eventTimes, Double.NaN, Double.NaN, eventTimes.size(), Double.NaN,
                Double.NaN, alpha, method, reason);
    }

    static PreTrendTest of(List<Integer> eventTimes, double chiSquare, double statistic, double df2, double p,
                           double alpha, String method) {
        boolean pass = p >= alpha;
        String reason = (pass ? "pre-trends are jointly consistent with zero" : "pre-trends diverge")
                + " (joint test of " + eventTimes.size() + " pre-period coefficients, p = " + DidArguments.format(p)
                + (pass ? " >= " : " < ") + DidArguments.format(alpha) + ")"
                + (pass ? "; a pre-trend test has low power, so this supports but does not prove parallel trends"
                : "; parallel trends is refuted, so the estimate is descriptive, not causal");
        return new PreTrendTest(pass ? Status.PASS : Status.FAIL, eventTimes, chiSquare, statistic, eventTimes.size(),
                df2, p, alpha, method, reason);
    }

    /** True when the test ran and did not reject. */
    public boolean passed() {
        return status == Status.PASS;
    }
}

package dev.verdict.check;

import dev.verdict.reduce.Reduction.ArmCounters;
import dev.verdict.spec.ExperimentSpec.Arms;
import org.apache.commons.statistics.distribution.NormalDistribution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The execution-fidelity check: did each arm run the action it was assigned, and did the fallback and
 * timeout paths fire equally often in both arms?
 *
 * <ul>
 *   <li>Executed vs assigned: per arm, {@code executedMismatch / executedKnown}. Above
 *       {@link #MISMATCH_FAIL} (1%) FAILs: the outcome cannot be attributed to the policy as designed;
 *       above {@link #MISMATCH_WARN} (0.1%) WARNs.</li>
 *   <li>Fallback rate and timeout rate ({@code fallbacks / rows}, {@code timeouts / rows}) compared
 *       between arms with the pooled two-proportion z test,
 *       {@code z = (p_t - p_c) / sqrt(p (1 - p) (1/n_t + 1/n_c))}, {@code p} the pooled rate; two-sided
 *       p-value from the standard normal. A difference is significant at {@code p < }{@link #ALPHA} and
 *       material from {@link #MATERIAL_DIFF} (0.5 percentage points). Higher in treatment: WARN, and FAIL
 *       from {@link #SEVERE_DIFF} (2 points): the treatment often did not run. Lower in treatment: WARN
 *       only (fewer fallbacks can be the policy working, but the comparison then mixes the policy with
 *       the fallback path).</li>
 * </ul>
 * The z test is a few lines written here rather than a library call because Commons Statistics 1.2
 * has distributions but no two-proportion test. It treats rows as independent; in unit-randomized
 * designs rows of a unit are correlated, so its p-values are then optimistic (a screen, not an estimate).
 * A part whose counter is -1 (column absent) is not evaluated; with no part evaluable the check is
 * NOT_EVALUATED.
 */
public final class ExecutionFidelityCheck {
    /** Check name in the readout. */
    public static final String NAME = "execution_fidelity";
    /** Executed-vs-assigned mismatch share above which the check fails. */
    public static final double MISMATCH_FAIL = 0.01;
    /** Executed-vs-assigned mismatch share above which the check warns. */
    public static final double MISMATCH_WARN = 0.001;
    /** Significance level of the rate comparisons. */
    public static final double ALPHA = 0.01;
    /** Absolute rate difference from which a significant difference is material. */
    public static final double MATERIAL_DIFF = 0.005;
    /** Absolute rate difference (treatment higher) from which a significant difference fails. */
    public static final double SEVERE_DIFF = 0.02;

    private ExecutionFidelityCheck() {
    }

    /**
     * The check.
     *
     * @param counters the engine's counters per declared arm
     * @param arms     the declared labels
     */
    public static CheckResult of(Map<String, ArmCounters> counters, Arms arms) {
        ArmCounters c = counters.get(arms.control());
        ArmCounters t = counters.get(arms.treatment());
        CheckResult.Evidence ev = CheckResult.evidenceBuilder();
        List<String> failed = new ArrayList<>();
        List<String> warned = new ArrayList<>();
        List<String> fine = new ArrayList<>();
        List<String> notEvaluated = new ArrayList<>();
        if (c == null || t == null) {
            return new CheckResult(NAME, CheckCategory.EXECUTION_FIDELITY, CheckStatus.NOT_EVALUATED,
                    "Execution fidelity not evaluated: no counters for the declared arms.", ev.map());
        }

        if (c.executedKnown() > 0 && t.executedKnown() > 0 && c.executedMismatch() >= 0 && t.executedMismatch() >= 0) {
            Map<String, Object> shares = new LinkedHashMap<>();
            for (String arm : List.of(arms.control(), arms.treatment())) {
                ArmCounters a = counters.get(arm);
                double share = (double) a.executedMismatch() / a.executedKnown();
                shares.put(arm, share);
                String text = arm + ": " + a.executedMismatch() + " of " + a.executedKnown() + " rows ("
                        + CheckText.pct(share) + ") executed another arm";
                if (share > MISMATCH_FAIL) {
                    failed.add(text);
                } else if (share > MISMATCH_WARN) {
                    warned.add(text);
                } else {
                    fine.add(text);
                }
            }
            ev.put("executed_mismatch_share", shares);
        } else {
            notEvaluated.add("executed vs assigned (no executed_arm)");
        }

        rate("fallback", ArmCounters::fallbacks, c, t, arms, ev, failed, warned, fine, notEvaluated);
        rate("timeout", ArmCounters::timeouts, c, t, arms, ev, failed, warned, fine, notEvaluated);
        ev.put("not_evaluated", List.copyOf(notEvaluated));

        String rest = notEvaluated.isEmpty() ? "" : "; not evaluated: " + String.join(", ", notEvaluated);
        if (!failed.isEmpty()) {
            return new CheckResult(NAME, CheckCategory.EXECUTION_FIDELITY, CheckStatus.FAIL,
                    "Execution diverged from assignment: " + String.join("; ", failed) + rest + ".", ev.map());
        }
        if (!warned.isEmpty()) {
            return new CheckResult(NAME, CheckCategory.EXECUTION_FIDELITY, CheckStatus.WARN,
                    "Execution differs between arms: " + String.join("; ", warned) + rest + ".", ev.map());
        }
        if (fine.isEmpty()) {
            return new CheckResult(NAME, CheckCategory.EXECUTION_FIDELITY, CheckStatus.NOT_EVALUATED,
                    "Execution fidelity not evaluated: " + String.join(", ", notEvaluated) + ".", ev.map());
        }
        return new CheckResult(NAME, CheckCategory.EXECUTION_FIDELITY, CheckStatus.PASS,
                "Executed as assigned: " + String.join("; ", fine) + rest + ".", ev.map());
    }

    private static void rate(String what, ToLongFunction<ArmCounters> count, ArmCounters c, ArmCounters t, Arms arms,
                             CheckResult.Evidence ev, List<String> failed, List<String> warned, List<String> fine,
                             List<String> notEvaluated) {
        long xc = count.applyAsLong(c);
        long xt = count.applyAsLong(t);
        if (xc < 0 || xt < 0 || c.rows() <= 0 || t.rows() <= 0) {
            notEvaluated.add(what + " rate (column absent)");
            return;
        }
        TwoProportion z = TwoProportion.of(xt, t.rows(), xc, c.rows());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(arms.control(), z.p2);
        m.put(arms.treatment(), z.p1);
        m.put("difference", z.diff());
        m.put("z", z.z);
        m.put("p_value", z.pValue);
        ev.put(what + "_rate", m);
        String text = what + " rate " + arms.treatment() + " " + CheckText.pct(z.p1) + " vs " + arms.control() + " "
                + CheckText.pct(z.p2) + (Double.isNaN(z.z) ? " (no variation to test)"
                : " (z = " + CheckText.num(z.z) + ", p = " + CheckText.num(z.pValue) + ")");
        boolean significant = z.pValue < ALPHA;
        double diff = z.diff();
        if (significant && diff >= SEVERE_DIFF) {
            failed.add(text);
        } else if (significant && Math.abs(diff) >= MATERIAL_DIFF) {
            warned.add(text);
        } else {
            fine.add(text);
        }
    }

    /**
     * Pooled two-proportion z test (as R's {@code prop.test(correct = FALSE)}, whose chi-square is z^2);
     * NaN z and p when the pooled rate is 0 or 1 (no variation: treated as no difference).
     */
    record TwoProportion(double p1, double p2, double z, double pValue) {
        static TwoProportion of(long x1, long n1, long x2, long n2) {
            double p1 = (double) x1 / n1;
            double p2 = (double) x2 / n2;
            double pooled = (double) (x1 + x2) / (n1 + n2);
            double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
            double z = se > 0 ? (p1 - p2) / se : Double.NaN;
            double p = se > 0 ? 2 * NormalDistribution.of(0, 1).survivalProbability(Math.abs(z)) : Double.NaN;
            return new TwoProportion(p1, p2, z, p);
        }

        double diff() {
            return p1 - p2;
        }
    }
}

package dev.verdict.check;

import dev.verdict.reduce.Reduction.ArmCounters;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.verdict.check.SpecFixture.ARMS;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ExecutionFidelityCheckTest {
    private static final double REL = 1e-8;

    /** rows, mismatch (of rows known), fallbacks, timeouts per arm. */
    private static Map<String, ArmCounters> counters(long rows, long mismatchC, long mismatchT, long fallbackC,
                                                     long fallbackT, long timeoutC, long timeoutT) {
        long known = mismatchC < 0 ? -1 : rows;
        return Map.of("control", new ArmCounters(rows, rows, -1, mismatchC, known, fallbackC, timeoutC, -1),
                "treatment", new ArmCounters(rows, rows, -1, mismatchT, known, fallbackT, timeoutT, -1));
    }

    @Test
    void faithfulExecutionPasses() {
        CheckResult r = ExecutionFidelityCheck.of(counters(100000, 0, 0, 500, 510, 100, 90), ARMS);
        assertEquals(CheckStatus.PASS, r.status());
        assertEquals(CheckCategory.EXECUTION_FIDELITY, r.category());
    }

    @Test
    void rateTestMatchesProportionTest() {
        // treatment 1200/10000 vs control 1300/10000 fallbacks: a 1-point difference, but p > 0.01
        CheckResult r = ExecutionFidelityCheck.of(counters(10000, 0, 0, 1300, 1200, 0, 0), ARMS);
        assertEquals(CheckStatus.PASS, r.status());
        @SuppressWarnings("unchecked")
        Map<String, Object> f = (Map<String, Object>) r.evidence().get("fallback_rate");
        // R 4.2.2: prop.test(c(1200, 1300), c(10000, 10000), correct = FALSE) (reference.json two_prop_1200_vs_1300)
        assertEquals(-2.1380899352994, (Double) f.get("z"), REL * 2.1380899352994);
        assertEquals(0.0325094446457196, (Double) f.get("p_value"), REL * 0.0325094446457196);
    }

    @Test
    void positiveControlMismatchFails() {
        CheckResult r = ExecutionFidelityCheck.of(counters(10000, 0, 200, 0, 0, 0, 0), ARMS); // 2% > 1%
        assertEquals(CheckStatus.FAIL, r.status());
        assertEquals(CheckStatus.WARN, ExecutionFidelityCheck.of(counters(10000, 0, 50, 0, 0, 0, 0), ARMS).status()); // 0.5%
    }

    @Test
    void positiveControlTreatmentFallbacksFail() {
        CheckResult r = ExecutionFidelityCheck.of(counters(10000, 0, 0, 1000, 1500, 0, 0), ARMS); // 15% vs 10%
        assertEquals(CheckStatus.FAIL, r.status());
    }

    @Test
    void materialTimeoutDifferenceWarns() {
        CheckResult r = ExecutionFidelityCheck.of(counters(100000, 0, 0, 0, 0, 5000, 6000), ARMS); // 6% vs 5%
        assertEquals(CheckStatus.WARN, r.status());
    }

    @Test
    void fewerFallbacksInTreatmentOnlyWarns() {
        CheckResult r = ExecutionFidelityCheck.of(counters(10000, 0, 0, 1500, 1000, 0, 0), ARMS);
        assertEquals(CheckStatus.WARN, r.status());
    }

    @Test
    void significantButImmaterialDifferencePasses() {
        // 1.2% vs 1.0% over 10^6 rows each: p far below 0.01, difference 0.2 points < 0.5
        CheckResult r = ExecutionFidelityCheck.of(counters(1000000, 0, 0, 10000, 12000, 0, 0), ARMS);
        assertEquals(CheckStatus.PASS, r.status());
    }

    @Test
    void absentColumnsAreNotEvaluated() {
        assertEquals(CheckStatus.NOT_EVALUATED,
                ExecutionFidelityCheck.of(counters(10000, -1, -1, -1, -1, -1, -1), ARMS).status());
        assertEquals(CheckStatus.NOT_EVALUATED, ExecutionFidelityCheck.of(Map.of(), ARMS).status());
    }
}

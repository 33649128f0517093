package dev.verdict.check;

import dev.verdict.spec.Economics;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static dev.verdict.check.EffectFixture.effect;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EconomicCheckTest {
    private static final Optional<Economics> BAR = Optional.of(
            new Economics(Optional.of("cost_usd"), Optional.empty(), Optional.of("value_usd"), "completed", 0.001));

    private static CheckStatus status(double estimate, double se) {
        return EconomicCheck.of(BAR, Optional.of(effect("net_value_usd", 0.05, estimate, se))).status();
    }

    @Test
    void gainAboveBarPasses() {
        assertEquals(CheckStatus.PASS, status(0.002, 0.0005));
        assertEquals(CheckStatus.PASS, status(0.001, 0.0005)); // estimate equal to the bar clears it
    }

    @Test
    void positiveControlNegativeUnifiedMetricFails() {
        assertEquals(CheckStatus.FAIL, status(-0.002, 0.0005)); // CI [-0.00298, -0.00102] below 0
    }

    @Test
    void belowBarWarns() {
        assertEquals(CheckStatus.WARN, status(0.0005, 0.0005));
        assertEquals(CheckStatus.WARN, status(-0.0005, 0.0005)); // CI covers 0
    }

    @Test
    void absentEconomicsIsNotEvaluated() {
        assertEquals(CheckStatus.NOT_EVALUATED, EconomicCheck.of(Optional.empty(),
                Optional.of(effect("net_value_usd", 0.05, 0.01, 0.001))).status());
        assertEquals(CheckStatus.NOT_EVALUATED, EconomicCheck.of(BAR, Optional.empty()).status());
        assertEquals(CheckStatus.NOT_EVALUATED, status(Double.NaN, 0.001));
    }
}

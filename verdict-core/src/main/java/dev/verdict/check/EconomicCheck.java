package dev.verdict.check;

import dev.verdict.readout.Effect;
import dev.verdict.spec.Economics;

import java.util.Optional;

/**
 * The economic-significance check: is the change worth its cost in one currency, net value per
 * request ({@code value - cost}, treatment minus control)?
 *
 * <p>Statuses, with {@code d} the estimated change in net value per request, {@code [L, U]} its interval
 * and {@code G = min_net_gain}:
 * <ul>
 *   <li>FAIL when {@code U < 0}: the unified metric is negative (the change loses money per request);</li>
 *   <li>PASS when {@code d >= G}: the estimated gain clears the cost bar (a practical bar on the point
 *       estimate, not a significance test: "do not ship on a good p-value" alone);</li>
 *   <li>WARN otherwise: the gain is below the bar, or not distinguishable from a loss;</li>
 *   <li>NOT_EVALUATED when no economics block is declared, the net-value effect could not be estimated
 *       (no value or cost column), or its estimate or interval is not finite.</li>
 * </ul>
 */
public final class EconomicCheck {
    /** Check name in the readout. */
    public static final String NAME = "economic_significance";

    private EconomicCheck() {
    }

    /**
     * The check.
     *
     * @param economics the spec's economics block, if declared
     * @param netValue  the effect on net value per request, if estimable
     */
    public static CheckResult of(Optional<Economics> economics, Optional<Effect> netValue) {
        CheckResult.Evidence ev = CheckResult.evidenceBuilder();
        if (economics.isEmpty()) {
            return new CheckResult(NAME, CheckCategory.ECONOMIC, CheckStatus.NOT_EVALUATED,
                    "Economic significance not evaluated: no economics declared in the spec.", ev.map());
        }
        double bar = economics.get().minNetGain();
        ev.put("min_net_gain", bar);
        if (netValue.isEmpty()) {
            return new CheckResult(NAME, CheckCategory.ECONOMIC, CheckStatus.NOT_EVALUATED,
                    "Economic significance not evaluated: net value per request could not be estimated.", ev.map());
        }
        Effect e = netValue.get();
        ev.put("metric", e.metric()).put("control", e.control()).put("treatment", e.treatment())
                .put("estimate", e.estimate()).put("ci_low", e.ciLow()).put("ci_high", e.ciHigh())
                .put("p_value", e.pValue()).put("method", e.method());
        if (!(Double.isFinite(e.estimate()) && Double.isFinite(e.ciLow()) && Double.isFinite(e.ciHigh()))) {
            return new CheckResult(NAME, CheckCategory.ECONOMIC, CheckStatus.NOT_EVALUATED,
                    "Economic significance not evaluated: the net-value estimate is not finite.", ev.map());
        }
        String numbers = "net value per request " + CheckText.num(e.estimate()) + " [" + CheckText.num(e.ciLow()) + ", "
                + CheckText.num(e.ciHigh()) + "]";
        if (e.ciHigh() < 0) {
            return new CheckResult(NAME, CheckCategory.ECONOMIC, CheckStatus.FAIL,
                    "Negative unified metric: " + numbers + " lies entirely below 0.", ev.map());
        }
        if (e.estimate() >= bar) {
            return new CheckResult(NAME, CheckCategory.ECONOMIC, CheckStatus.PASS,
                    "Economically significant: " + numbers + " clears min_net_gain " + CheckText.num(bar) + ".", ev.map());
        }
        return new CheckResult(NAME, CheckCategory.ECONOMIC, CheckStatus.WARN,
                "Below the cost bar: " + numbers + " < min_net_gain " + CheckText.num(bar) + ".", ev.map());
    }
}

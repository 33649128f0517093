package dev.verdict.quasi.did;

import dev.verdict.stats.Estimate;

/**
 * One Callaway-Sant'Anna group-time average treatment effect ATT(g, t): the cohort first treated at
 * {@code group}, in {@code period}, against its own {@code basePeriod}.
 *
 * @param group         the cohort's first treated period
 * @param period        the period t
 * @param basePeriod    the period differenced against: {@code g - 1} from adoption on, {@code t - 1} before
 * @param eventTime     {@code t - g} in grid periods
 * @param att           the estimate with its standard error
 * @param treatedUnits  cohort units observed in both periods
 * @param controlUnits  comparison units observed in both periods
 */
public record GroupTimeEffect(long group, long period, long basePeriod, int eventTime, Estimate att, int treatedUnits,
                              int controlUnits) {
}

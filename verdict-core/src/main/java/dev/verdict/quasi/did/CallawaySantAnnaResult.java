package dev.verdict.quasi.did;

import dev.verdict.stats.Estimate;

import java.util.List;

/**
 * Callaway-Sant'Anna group-time effects and their aggregations.
 *
 * @param groupTime           every estimable ATT(g, t), ordered by group then period
 * @param overall             the overall ATT: post-adoption ATT(g, t) averaged with weights proportional to
 *                            cohort size (the {@code did} package's "simple" aggregation)
 * @param eventTime           event-time effects {@code theta(e)}: ATT(g, g + e) averaged over cohorts with
 *                            weights proportional to cohort size, in event-time order
 * @param preTrend            joint Wald test that every pre-adoption event-time effect is zero
 * @param controlGroup        the comparison group used
 * @param inference           how standard errors were computed, in words
 * @param seUnavailableReason why standard errors are not reported, or null
 * @param notes               caveats, e.g. group-time cells that could not be estimated
 */
public record CallawaySantAnnaResult(List<GroupTimeEffect> groupTime, Estimate overall, List<EventTimeEffect> eventTime,
                                     PreTrendTest preTrend, DidOptions.ControlGroup controlGroup, String inference,
                                     String seUnavailableReason, List<String> notes) {

    public CallawaySantAnnaResult {
        groupTime = List.copyOf(groupTime);
        eventTime = List.copyOf(eventTime);
        notes = List.copyOf(notes);
    }

    /** ATT(g, t) for a cohort and period (values of the period grid). */
    public GroupTimeEffect att(long group, long period) {
        for (GroupTimeEffect x : groupTime) {
            if (x.group() == group && x.period() == period) {
                return x;
            }
        }
        throw new IllegalArgumentException("no ATT(g, t) for group " + group + " and period " + period);
    }

    /** The event-time effect at e. */
    public EventTimeEffect atEventTime(int e) {
        for (EventTimeEffect x : eventTime) {
            if (x.eventTime() == e) {
                return x;
            }
        }
        throw new IllegalArgumentException("no event-time effect at e = " + e);
    }
}

package dev.verdict.quasi.did;

import java.util.List;

/**
 * A two-way fixed-effects event study: one coefficient per period relative to adoption, reference period -1,
 * with intervals, and the joint pre-trend test over the leads.
 *
 * @param effects              event-time coefficients in event-time order, the reference period included
 *                             (estimate 0); the plot's data
 * @param preTrend             the joint test of the lead coefficients (the identification check)
 * @param seUnavailableReason  why no standard errors are reported, or null
 * @param leads                leads in the window (the most negative event time is {@code -leads})
 * @param lags                 lags in the window
 * @param clusters             units used as clusters
 * @param method               the estimator and variance, in words
 * @param notes                caveats (e.g. contamination under staggered adoption)
 */
public record EventStudyResult(List<EventTimeEffect> effects, PreTrendTest preTrend, String seUnavailableReason,
                               int leads, int lags, int clusters, String method, List<String> notes) {

    public EventStudyResult {
        effects = List.copyOf(effects);
        notes = List.copyOf(notes);
    }

    /** The coefficient at an event time (the bin that holds it, for binned end points). */
    public EventTimeEffect at(int eventTime) {
        int e = Math.max(-leads, Math.min(lags, eventTime));
        for (EventTimeEffect x : effects) {
            if (x.eventTime() == e) {
                return x;
            }
        }
        throw new IllegalArgumentException("no event-time coefficient at " + eventTime + "; the window is [-" + leads
                + ", " + lags + "]");
    }
}

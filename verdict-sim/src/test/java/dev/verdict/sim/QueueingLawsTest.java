package dev.verdict.sim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulator against queueing theory: Little's law on the cache scenario, and the Pollaczek-Khinchine mean wait and
 * utilization of an M/G/1 configuration (one replica, one sequence at a time, Poisson arrivals).
 */
class QueueingLawsTest {

    /** One replica serving one sequence at a time; service = output tokens x 10 ms; Poisson sessions of one turn. */
    static String mg1(double sessionsPerSecond, double hours) {
        return """
                name: m/g/1
                seed: 3
                start: 2026-11-02T00:00:00Z
                hours: %s
                demand:
                  sessions_per_second: %s
                  diurnal_amplitude: 0
                  weekend_factor: 1
                  bursts_per_day: 0
                  tenants: 50
                  workloads:
                    - {name: chat, share: 1, model: small, turns: 1, think_seconds: 0, prompt_tokens: 1, output_tokens: 20, token_sigma: 1.0, system_prompt_tokens: 0, real_time: true}
                supply:
                  regions: [r]
                  clusters_per_region: 1
                  gpus: [{name: g, speed: 1, dollars_per_hour: 1}]
                  models:
                    - {name: small, gpus: 1, overhead_ms: 10, prefill_ms_per_ktok: 0, decode_ms_per_seq: 0, max_sequences: 1, kv_tokens: 1000000, cache_tokens: 0, max_context: 1000000, token_budget: 4096}
                  replicas: {small: 1}
                  timeout_seconds: 86400
                  rate_limits: {free: 1e9, pro: 1e9, enterprise: 1e9}
                """.formatted(hours, sessionsPerSecond);
    }

    /** Collects waits (sojourn minus service) in batches for a batch-means standard error. */
    static final class Waits implements RequestSink {
        final int batches = 50;
        final java.util.List<double[]> rows = new java.util.ArrayList<>();
        double s1;
        double s2;
        long n;

        public void accept(LoggedRequest r) {
            double service = r.tokensOut() * 0.010;
            rows.add(new double[] {r.ts(), r.sojourn() - service});
            s1 += service;
            s2 += service * service;
            n++;
        }
    }

    @Test
    void mg1MeanWaitMatchesPollaczekKhinchineAndUtilizationIsOfferedLoad() {
        double lambda = 2.5;
        Scenario sc = ScenarioReader.parse(mg1(lambda, 24));
        Waits w = new Waits();
        Simulation.RunStats st = new Simulation(sc, new SimDesign.Pure(false), w).run();
        double es = w.s1 / w.n;
        double es2 = w.s2 / w.n;
        double rho = lambda * es;
        double theory = lambda * es2 / (2 * (1 - rho));
        w.rows.sort((a, b) -> Double.compare(a[0], b[0]));
        int per = w.rows.size() / w.batches;
        double[] means = new double[w.batches];
        for (int b = 0; b < w.batches; b++) {
            double s = 0;
            for (int i = b * per; i < (b + 1) * per; i++) {
                s += w.rows.get(i)[1];
            }
            means[b] = s / per;
        }
        double grand = java.util.Arrays.stream(means).average().orElseThrow();
        double var = java.util.Arrays.stream(means).map(m -> (m - grand) * (m - grand)).sum() / (w.batches - 1);
        double se = Math.sqrt(var / w.batches);
        assertTrue(rho > 0.35 && rho < 0.65, "offered load " + rho);
        assertEquals(theory, grand, 4 * se, "M/G/1 mean wait: simulated " + grand + " +- " + se + ", P-K " + theory);
        assertEquals(theory, grand, 0.08 * theory);
        // utilization = offered load below saturation (busy time over the run vs lambda * E[S])
        double utilization = st.busySeconds() / sc.seconds();
        assertEquals(rho, utilization, 0.03, "utilization " + utilization + " vs offered load " + rho);
        // positive control: the same test statistic rejects a wrong theory (M/D/1 wait, half the P-K value for exp.)
        double wrong = lambda * es * es / (2 * (1 - rho));
        assertTrue(Math.abs(wrong - grand) > 4 * se, "a wrong model must be rejected");
    }

    @Test
    void littlesLawHoldsOnTheCacheScenario() {
        Scenario sc = Scenarios.bundled("cache-eviction").withHours(0.5);
        Simulation.RunStats st = new Simulation(sc, sc.design(), r -> { }).run();
        double l = st.areaInSystem() / st.end();
        double lambda = st.departures() / st.end();
        double w = st.sojournSeconds() / st.departures();
        assertTrue(st.departures() > 10_000, "enough traffic: " + st.departures());
        assertEquals(l, lambda * w, 1e-9 * l, "L = lambda W");
        assertEquals(st.requests(), st.logged(), "every request is logged exactly once when no fault is on");
    }
}

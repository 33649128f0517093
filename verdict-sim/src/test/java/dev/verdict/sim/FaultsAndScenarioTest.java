package dev.verdict.sim;

import dev.verdict.InputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Logging faults give the checks something to catch; bad scenario files get one clear line. */
class FaultsAndScenarioTest {

    @Test
    void droppedRowsAndSilentFallbackShowUpInTheLog() {
        Scenario sc = Scenarios.bundled("cache-eviction").withHours(0.5)
                .withFaults(new Scenario.Faults(0.05, "frequency_aware", 0.10));
        long[] rows = new long[2];
        long[] fallback = new long[1];
        Simulation.RunStats st = new Simulation(sc, new SimDesign.Request(0.5), r -> {
            rows[r.arm()]++;
            if (r.arm() == 1 && r.executedArm() == 0) {
                fallback[0]++;
            }
        }).run();
        double treatedShare = (double) rows[1] / (rows[0] + rows[1]);
        assertTrue(treatedShare < 0.49, "5% of treated rows dropped: treated share " + treatedShare);
        assertEquals(st.requests() - st.logged(), st.dropped());
        double fallbackShare = (double) fallback[0] / rows[1];
        assertEquals(0.10, fallbackShare, 0.01, "fallback share among treated rows");
        for (Scenario s : new Scenario[] {Scenarios.bundled("cache-eviction")}) {
            assertEquals(0.0, s.faults().dropRate());
        }
    }

    @Test
    void everyBundledScenarioLoadsAndRuns() {
        for (String name : Scenarios.BUNDLED) {
            Scenario sc = Scenarios.bundled(name).withHours(0.1);
            Simulation.RunStats st = new Simulation(sc, sc.design(), r -> { }).run();
            assertTrue(st.logged() > 1000, name + ": " + st.logged());
        }
    }

    @Test
    void badScenarioKeysAndValuesNameTheKey() {
        InputException unknown = assertThrows(InputException.class,
                () -> ScenarioReader.parse("name: x\ndemand: {sesions_per_second: 3}\n"));
        assertTrue(unknown.getMessage().contains("'demand.sesions_per_second' is not known"), unknown.getMessage());
        InputException range = assertThrows(InputException.class,
                () -> ScenarioReader.parse("name: x\ndemand: {diurnal_amplitude: 2}\n"));
        assertTrue(range.getMessage().contains("'demand.diurnal_amplitude' is 2"), range.getMessage());
        InputException policy = assertThrows(InputException.class,
                () -> ScenarioReader.parse("name: x\ntreatment: {eviction: lfu}\n"));
        assertTrue(policy.getMessage().contains("'treatment.eviction' is 'lfu'"), policy.getMessage());
        InputException washout = assertThrows(InputException.class,
                () -> ScenarioReader.parse("name: x\ndesign: {type: switchback, block_minutes: 10, washout_minutes: 10}\n"));
        assertTrue(washout.getMessage().contains("design.washout_minutes"), washout.getMessage());
        InputException missing = assertThrows(InputException.class, () -> ScenarioReader.parse("seed: 3\n"));
        assertTrue(missing.getMessage().contains("'name' is missing"), missing.getMessage());
    }

    /** Mean TTFT of cluster 0's requests that arrived inside [from, to) hours, and how many timed out. */
    static double[] clusterWindow(Scenario sc, double from, double to) {
        double[] acc = new double[3];
        new Simulation(sc, new SimDesign.Pure(false), r -> {
            if (r.cluster() == 0 && r.ts() >= from * 3600 && r.ts() < to * 3600) {
                acc[0] += r.ttftMs();
                acc[1]++;
            }
        }).run();
        return new double[] {acc[0] / acc[1], acc[1]};
    }

    @Test
    void aCapacityLossIncidentSlowsItsClusterDuringItsWindowOnly() {
        String base = Scenarios.text("cache-eviction").replace("hours: 4", "hours: 1.5");
        Scenario calm = ScenarioReader.parse(base);
        Scenario incident = ScenarioReader.parse(base
                + "incidents: [{cluster: 0, start_hour: 0.5, hours: 0.5, capacity_loss: 0.5}]\n");
        double[] calmIn = clusterWindow(calm, 0.5, 1.0);
        double[] hitIn = clusterWindow(incident, 0.5, 1.0);
        double[] calmBefore = clusterWindow(calm, 0.0, 0.5);
        double[] hitBefore = clusterWindow(incident, 0.0, 0.5);
        assertTrue(hitIn[0] > 1.5 * calmIn[0], "TTFT in the window: " + hitIn[0] + " vs " + calmIn[0]);
        assertEquals(calmBefore[0], hitBefore[0], 0.0, "nothing changes before the incident starts");
    }

    @Test
    void aUserPolicyRegisteredByNameRunsLikeABundledOne() {
        // the example of docs/simulator.md
        dev.verdict.sim.policy.Policies.registerEviction("size_fair", bonus -> new dev.verdict.sim.policy.EvictionPolicy() {
            public String name() {
                return "size_fair";
            }

            public double retention(CacheEntry e, double now) {
                return now - bonus * e.sizeTokens() / 10_000.0;
            }
        });
        Scenario sc = ScenarioReader.parse(Scenarios.text("cache-eviction")
                .replace("treatment: {label: frequency_aware, eviction: frequency_aware, eviction_bonus_seconds: 8}",
                        "treatment: {label: size_fair, eviction: size_fair, eviction_bonus_seconds: 30}")
                .replace("hours: 4", "hours: 0.5"));
        assertEquals("size_fair", sc.treatment().eviction());
        IdealExperiment.Worlds truth = IdealExperiment.worlds(sc);
        assertTrue(truth.allTreatment().count() > 1000);
        assertTrue(truth.allTreatment().mean(Metric.CACHE_HIT) != truth.allControl().mean(Metric.CACHE_HIT),
                "the registered policy changes the cache");
    }

    @Test
    void saturationRunsLogEachRequestsOwnClusterPropensity() {
        Scenario sc = Scenarios.bundled("cache-eviction").withHours(0.25);
        SimDesign.Saturation d = new SimDesign.Saturation(new java.util.TreeMap<>(java.util.Map.of(0.0, 0.5, 0.5, 0.5)));
        var draw = Designs.saturation(sc, d);
        java.util.List<String> names = sc.supply().clusterNames();
        long[] checked = new long[1];
        new Simulation(sc, d, r -> {
            double s = draw.saturation(names.get(r.cluster()));
            assertEquals(r.arm() == 1 ? s : 1 - s, r.propensity(), 0.0);
            checked[0]++;
        }).run();
        assertTrue(checked[0] > 1000);
    }
}

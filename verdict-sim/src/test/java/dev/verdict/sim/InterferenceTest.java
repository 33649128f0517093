package dev.verdict.sim;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interference emerges from the mechanics: in the cache scenario, designs that let both arms share caches do not
 * recover the ideal experiment's global effect, in the direction the mechanism predicts; at 0% and 100% treated the
 * mixed system is exactly the pure system.
 */
class InterferenceTest {
    static Scenario sc;
    static IdealExperiment.Worlds worlds;
    static double global;

    @BeforeAll
    static void worlds() {
        sc = Scenarios.bundled("cache-eviction").withHours(2);
        worlds = IdealExperiment.worlds(sc);
        global = worlds.allTreatment().mean(Metric.TTFT_MS) - worlds.allControl().mean(Metric.TTFT_MS);
    }

    static ArmSummary run(SimDesign design) {
        ArmSummary s = new ArmSummary();
        new Simulation(sc, design, s).run();
        return s;
    }

    @Test
    void theGlobalEffectIsAHarmOnTimeToFirstToken() {
        assertTrue(global > 20, "all-treatment minus all-control TTFT: " + global + " ms");
    }

    @Test
    void requestRctIsDilutedTowardZeroBecauseBothArmsShareTheSameCacheEntries() {
        ArmSummary mixed = run(new SimDesign.Request(0.5));
        double direct = mixed.contrast(Metric.TTFT_MS);
        double se = mixed.contrastStandardError(Metric.TTFT_MS);
        assertTrue(Math.abs(direct - global) > 3 * se,
                "request contrast " + direct + " +- " + se + " vs global " + global);
        assertTrue(Math.abs(direct) < Math.abs(global) / 3, "diluted toward zero: " + direct + " vs " + global);
        // the untreated traffic is not the all-control world: spillover
        double spill = mixed.mean(0, Metric.TTFT_MS) - worlds.allControl().mean(Metric.TTFT_MS);
        assertTrue(spill > 5, "spillover onto control requests: " + spill);
    }

    @Test
    void userRctGetsTheSignWrongBecauseTreatedHistoriesCrowdOutControlHistories() {
        ArmSummary mixed = run(new SimDesign.User(0.5));
        double direct = mixed.contrast(Metric.TTFT_MS);
        double se = mixed.contrastStandardError(Metric.TTFT_MS);
        assertTrue(direct < -2 * se, "treated users look better: " + direct + " +- " + se);
        assertTrue(global > 0, "while the policy harms everyone when shipped: " + global);
    }

    @Test
    void atZeroAndFullShareTheMixedSystemIsThePureSystem() {
        ArmSummary none = run(new SimDesign.Request(0.0));
        ArmSummary all = run(new SimDesign.Request(1.0));
        assertEquals(0, none.count(1));
        assertEquals(0, all.count(0));
        for (Metric m : Metric.values()) {
            assertEquals(worlds.allControl().mean(m), none.mean(0, m), 0.0, m.column());
            assertEquals(worlds.allTreatment().mean(m), all.mean(1, m), 0.0, m.column());
        }
    }
}

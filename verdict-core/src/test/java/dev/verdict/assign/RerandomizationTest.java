package dev.verdict.assign;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RerandomizationTest {
    private static final List<String> NAMES = List.of("queue_depth", "latency_p99");
    private final List<String> units = new ArrayList<>();
    private final List<String> strata = new ArrayList<>();
    private final Map<String, double[]> x = new HashMap<>();

    RerandomizationTest() {
        SplittableRandom r = new SplittableRandom(99);
        for (int i = 0; i < 40; i++) {
            String u = "c" + i;
            units.add(u);
            strata.add(i % 2 == 0 ? "us" : "eu");
            x.put(u, new double[] {10 + 3 * r.nextDouble() + (i % 2) * 2, 800 + 100 * r.nextDouble()});
        }
    }

    @Test
    void acceptedDrawMeetsCriterionAndTableIsRecomputable() {
        Rerandomized rr = ClusterDraw.rerandomized(units, strata, 0.5, 7, NAMES, x::get,
                BalanceCriterion.maxStdDiff(0.05), 10_000);
        assertTrue(rr.balance().maxAbsStdDiff() <= 0.05);
        assertTrue(rr.drawsTried() >= 1);
        // recompute the first covariate's row by hand
        List<Double> t = new ArrayList<>();
        List<Double> c = new ArrayList<>();
        for (String u : units) {
            (rr.draw().treated(u) ? t : c).add(x.get(u)[0]);
        }
        double mt = t.stream().mapToDouble(d -> d).average().orElseThrow();
        double mc = c.stream().mapToDouble(d -> d).average().orElseThrow();
        double vt = t.stream().mapToDouble(d -> (d - mt) * (d - mt)).sum() / (t.size() - 1);
        double vc = c.stream().mapToDouble(d -> (d - mc) * (d - mc)).sum() / (c.size() - 1);
        BalanceTable.Row row = rr.balance().rows().get(0);
        assertEquals(mt, row.treatedMean(), 1e-12);
        assertEquals(mc, row.controlMean(), 1e-12);
        assertEquals(Math.sqrt((vt + vc) / 2), row.pooledSd(), 1e-12);
        assertEquals((mt - mc) / Math.sqrt((vt + vc) / 2), row.stdDiff(), 1e-12);
        // 10 treated per stratum, as the plain draw
        assertEquals(Map.of("us", 10, "eu", 10), rr.draw().treatedPerStratum());
        // the accepted draw's own seed reproduces it
        assertEquals(rr.draw().treatedUnits(),
                ClusterDraw.draw(units, strata, 0.5, rr.draw().seed()).treatedUnits());
    }

    @Test
    void reproducibleFromSeed() {
        Rerandomized a = ClusterDraw.rerandomized(units, strata, 0.5, 11, NAMES, x::get,
                BalanceCriterion.maxStdDiff(0.1), 10_000);
        Rerandomized b = ClusterDraw.rerandomized(units, strata, 0.5, 11, NAMES, x::get,
                BalanceCriterion.maxStdDiff(0.1), 10_000);
        assertEquals(a.draw().treatedUnits(), b.draw().treatedUnits());
        assertEquals(a.drawsTried(), b.drawsTried());
        assertEquals(a.balance(), b.balance());
        Rerandomized c = ClusterDraw.rerandomized(units, strata, 0.5, 12, NAMES, x::get,
                BalanceCriterion.maxStdDiff(0.1), 10_000);
        assertNotEquals(a.draw().treatedUnits(), c.draw().treatedUnits());
    }

    @Test
    void mahalanobisCriterionAcceptsAboutItsQuantile() {
        Rerandomized rr = ClusterDraw.rerandomized(units, strata, 0.5, 3, NAMES, x::get,
                BalanceCriterion.mahalanobisQuantile(0.1), 1000);
        // chi2_2 quantile 0.1 = -2 ln(0.9) = 0.2107
        assertTrue(rr.balance().mahalanobis() <= -2 * Math.log(0.9) + 1e-9, rr.balance().toString());
        // acceptance rate over many attempts is near 10 % (M approx chi2_2 under complete randomization)
        List<ClusterDraw> accepted = Rerandomized.acceptedDraws(units, strata, 0.5, 5, NAMES, x::get,
                BalanceCriterion.mahalanobisQuantile(0.1), 100, 100_000);
        assertEquals(100, accepted.size());
    }

    @Test
    void impossibleCriterionIsRefused() {
        // one unit has a huge covariate value: whichever arm holds it is unbalanced
        Map<String, double[]> skew = new HashMap<>(x);
        skew.put("c0", new double[] {1e6, 800});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterDraw.rerandomized(units,
                strata, 0.5, 1, NAMES, skew::get, BalanceCriterion.maxStdDiff(0.01), 200));
        assertTrue(e.getMessage().startsWith("no draw met the balance criterion max |std diff| <= 0.01 in 200 draws"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BalanceCriterion.maxStdDiff(0));
        assertThrows(IllegalArgumentException.class, () -> BalanceCriterion.mahalanobisQuantile(1));
        assertThrows(IllegalArgumentException.class, () -> ClusterDraw.rerandomized(units, strata, 0.5, 1, NAMES,
                u -> new double[] {1}, BalanceCriterion.maxStdDiff(0.1), 10));
        assertThrows(IllegalArgumentException.class, () -> ClusterDraw.rerandomized(units, strata, 0.5, 1, NAMES,
                u -> new double[] {Double.NaN, 1}, BalanceCriterion.maxStdDiff(0.1), 10));
    }

    @Test
    void acceptedDrawsStayBalancedAcrossUnitsOverSeeds() {
        // share 1/2 with even strata: the criterion is symmetric in the arms, so every unit keeps probability 1/2
        int k = 400;
        List<ClusterDraw> draws = Rerandomized.acceptedDraws(units, strata, 0.5, 2026, NAMES, x::get,
                BalanceCriterion.maxStdDiff(0.1), k, 1_000_000);
        double worst = 0;
        for (String u : units) {
            int treated = 0;
            for (ClusterDraw d : draws) {
                treated += d.treated(u) ? 1 : 0;
            }
            worst = Math.max(worst, Math.abs(treated / (double) k - 0.5));
        }
        // binomial SD 0.025; max over 40 units stays under 4.5 SD
        assertTrue(worst < 0.11, "worst marginal deviation " + worst);
        for (ClusterDraw d : draws) {
            assertTrue(BalanceTable.of(d, NAMES, x::get).maxAbsStdDiff() <= 0.1);
        }
    }

    /** The balance of an assignment given as flags equals the balance of the same draw, and a wrong length is refused. */
    @Test
    void balanceOfAssignmentsEqualsBalanceOfDraws() {
        java.util.function.Function<boolean[], BalanceTable> table = BalanceTable.ofAssignments(units, NAMES, x::get);
        for (long seed = 1; seed <= 20; seed++) {
            ClusterDraw d = ClusterDraw.draw(units, strata, 0.5, seed);
            boolean[] flags = new boolean[units.size()];
            for (int i = 0; i < flags.length; i++) {
                flags[i] = d.treated(units.get(i));
            }
            assertEquals(BalanceTable.of(d, NAMES, x::get), table.apply(flags));
        }
        assertThrows(IllegalArgumentException.class, () -> table.apply(new boolean[3]));
        assertThrows(IllegalArgumentException.class, () -> table.apply(new boolean[units.size()]), "empty arm");
    }

    /** The precomputed form of each criterion accepts exactly the tables the criterion accepts. */
    @Test
    void precomputedCriteriaAgreeWithTheCriteria() {
        int compared = 0;
        int accepted = 0;
        for (BalanceCriterion c : List.of(BalanceCriterion.maxStdDiff(0.2), BalanceCriterion.mahalanobisQuantile(0.3))) {
            java.util.function.Predicate<BalanceTable> fast = c.forCovariates(NAMES.size());
            for (long seed = 1; seed <= 300; seed++) {
                BalanceTable b = BalanceTable.of(ClusterDraw.draw(units, strata, 0.5, seed), NAMES, x::get);
                assertEquals(c.accepts(b), fast.test(b), c.describe() + " seed " + seed);
                accepted += c.accepts(b) ? 1 : 0;
                compared++;
            }
        }
        assertEquals(600, compared);
        assertTrue(accepted > 30 && accepted < 570, "both outcomes occur: " + accepted);
    }
}

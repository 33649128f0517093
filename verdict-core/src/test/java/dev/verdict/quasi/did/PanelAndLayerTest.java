package dev.verdict.quasi.did;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Panel validation, determinism, aggregated request-log panels and the layer's choices. */
class PanelAndLayerTest {
    private static final DidOptions DEFAULTS = DidOptions.withDefaults();

    @Test
    void badInputIsRefusedWithTheValueAndTheFix() {
        String[] u = {"a", "a", "b", "b"};
        long[] t = {1, 2, 1, 2};
        double[] y = {1, 2, 3, 4};
        assertMessage(() -> Panel.withIndicator(u, t, y, new boolean[] {false, true, false}, null),
                "treated must have one value per row (4), got 3 values");
        assertMessage(() -> Panel.withIndicator(u, t, new double[] {1, Double.NaN, 3, 4},
                new boolean[] {false, true, false, false}, null), "outcome of row 1 (unit 'a', period 2) must be finite");
        assertMessage(() -> Panel.withIndicator(u, t, y, new boolean[] {false, true, false, false},
                new double[] {1, 0, 1, 1}), "weight of row 1 (unit 'a', period 2) must be finite and > 0, got 0.0");
        assertMessage(() -> Panel.withIndicator(u, new long[] {1, 1, 1, 2}, y,
                new boolean[] {false, true, false, false}, null), "unit 'a' has two rows for period 1");
        assertMessage(() -> Panel.withIndicator(new String[] {"a", "a", "a", "b", "b", "b"}, new long[] {1, 2, 3, 1, 2, 3},
                new double[6], new boolean[] {false, true, false, false, false, false}, null),
                "unit 'a' is treated from period 2 but untreated again in period 3");
        assertMessage(() -> Panel.withIndicator(u, t, y, new boolean[4], null), "no unit is treated");
        assertMessage(() -> Panel.withIndicator(u, t, y, new boolean[] {false, true, false, true}, null),
                "no comparison unit");
        assertMessage(() -> Panel.withFirstTreated(u, t, y, new long[] {2, 3, Panel.NEVER_TREATED,
                Panel.NEVER_TREATED}, null), "unit 'a' has first-treated period 2 and 3");
        assertMessage(() -> DidOptions.withDefaults().withWindow(1, 3), "leads must be >= 2");
        assertMessage(() -> DidOptions.withDefaults().withBootstrap(10, 1), "bootstrapDraws must be 0 (analytic) or >= 99");
    }

    @Test
    void alwaysTreatedUnitsAreDroppedAndLateAdoptersAreNeverTreatedWithNotes() {
        Panel p = Panel.withFirstTreated(new String[] {"a", "a", "b", "b", "c", "c", "d", "d"},
                new long[] {1, 2, 1, 2, 1, 2, 1, 2}, new double[] {1, 2, 3, 4, 5, 6, 7, 8},
                new long[] {1, 1, 2, 2, 9, 9, Panel.NEVER_TREATED, Panel.NEVER_TREATED}, null);
        assertEquals(List.of("b", "c", "d"), p.units());
        assertEquals(Panel.NEVER_TREATED, p.firstTreated(1));
        assertEquals(2, p.notes().size());
        assertTrue(p.notes().get(0).contains("treated in or before the first period 1 were dropped"), p.notes().get(0));
    }

    @Test
    void rowOrderDoesNotChangeAnyResult() {
        Panel p = WithinVersusDummyTest.staggered(new SplittableRandom(9), true, true);
        int n = p.rows();
        String[] unit = new String[n];
        long[] period = new long[n];
        double[] y = new double[n];
        long[] first = new long[n];
        double[] w = new double[n];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new java.util.Random(5));
        int i = 0;
        for (int u = 0; u < p.unitCount(); u++) {
            for (int r = p.start(u); r < p.end(u); r++) {
                int k = order.get(i++);
                unit[k] = p.units().get(u);
                period[k] = p.periods()[p.periodIndex(r)];
                y[k] = p.outcome(r);
                first[k] = p.firstTreated(u);
                w[k] = p.weight(r);
            }
        }
        Panel shuffled = Panel.withFirstTreated(unit, period, y, first, w);
        DidOptions o = DEFAULTS.withWindow(3, 3).withBootstrap(199, 3);
        assertEquals(DidAnalysis.analyze(p, o), DidAnalysis.analyze(shuffled, o));
    }

    /** Cluster x day mean latency with request counts; one treated cluster among twelve. */
    @Test
    void requestLogPanelWithOneTreatedClusterReportsNoStandardErrors() {
        List<String> unit = new ArrayList<>();
        List<Long> day = new ArrayList<>();
        List<Double> mean = new ArrayList<>();
        List<Double> count = new ArrayList<>();
        List<Boolean> treated = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(4);
        for (int c = 0; c < 12; c++) {
            for (int d = 0; d < 14; d++) {
                unit.add("cluster-" + c);
                day.add((long) d);
                boolean on = c == 0 && d >= 7;
                mean.add(150 + 5 * c + rnd.nextGaussian() + (on ? -10 : 0));
                count.add(1000.0 + rnd.nextInt(5000));
                treated.add(on);
            }
        }
        boolean[] tr = new boolean[treated.size()];
        for (int i = 0; i < tr.length; i++) {
            tr[i] = treated.get(i);
        }
        Panel p = Panel.withIndicator(unit.toArray(String[]::new), day.stream().mapToLong(Long::longValue).toArray(),
                mean.stream().mapToDouble(Double::doubleValue).toArray(), tr,
                count.stream().mapToDouble(Double::doubleValue).toArray());
        DidResult r = DidAnalysis.analyze(p, DEFAULTS);
        assertTrue(Math.abs(r.headline().estimate() + 10) < 2, "estimate " + r.headline().estimate());
        for (String reason : List.of(r.twfe().seUnavailableReason(), r.twoByTwo().seUnavailableReason(),
                r.eventStudy().seUnavailableReason(), r.callawaySantAnna().seUnavailableReason())) {
            assertTrue(reason.startsWith("a single treated unit: a standard error clustered by unit is meaningless"),
                    reason);
        }
        // inference by placebo in space over 11 comparison clusters: p >= 1/12, so no finite 95% interval and an
        // untestable pre-trend check
        assertTrue(Double.isNaN(r.twfe().effect().se()) && Double.isNaN(r.twfe().effect().ciLow()));
        assertTrue(Double.isNaN(r.headline().se()));
        assertEquals(Double.NEGATIVE_INFINITY, r.headline().ciLow());
        assertTrue(r.headline().pValue() >= 1.0 / 12, "p " + r.headline().pValue());
        assertEquals(11, r.placebo().placebos().size());
        for (EventTimeEffect e : r.eventStudy().effects()) {
            assertTrue(e.reference() || Double.isNaN(e.estimate().se()));
        }
        assertEquals(PreTrendTest.Status.UNTESTABLE, r.preTrend().status());
        assertTrue(r.preTrend().reason().contains("smallest attainable permutation p-value is 0.0833333"),
                r.preTrend().reason());
        assertEquals(DidResult.Claim.DESCRIPTIVE, r.claim());
        // the plot's raw trend is request-weighted
        TrendPoint first = r.trends().get(0);
        assertEquals(1, first.treatedCells());
        assertEquals(11, first.controlCells());
        assertEquals(0.0, first.treatedShare(), 0);
        assertEquals(1.0, r.trends().get(13).treatedShare(), 0);
    }

    @Test
    void withTwoTreatedClustersStandardErrorsAreReported() {
        int[] cohort = SimulatedPanels.cohorts(new int[] {4, -1}, new int[] {2, 10});
        Panel p = SimulatedPanels.balanced(cohort, 8, (g, e) -> 1, 0, 1, new SplittableRandom(6));
        DidResult r = DidAnalysis.analyze(p, DEFAULTS);
        assertNull(r.twfe().seUnavailableReason());
        assertTrue(r.twfe().effect().se() > 0);
        assertFalse(r.twfe().staggered());
    }

    @Test
    void withoutNeverTreatedUnitsTheLayerUsesNotYetTreatedComparisons() {
        int[] cohort = SimulatedPanels.cohorts(new int[] {3, 6}, new int[] {10, 10});
        Panel p = SimulatedPanels.balanced(cohort, 9, (g, e) -> 2, 0, 1, new SplittableRandom(8));
        DidResult r = DidAnalysis.analyze(p, DEFAULTS);
        assertEquals(DidOptions.ControlGroup.NOT_YET_TREATED, r.callawaySantAnna().controlGroup());
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("no event study:")), r.notes().toString());
        assertNull(r.eventStudy());
        assertNull(r.twoByTwo());
        assertTrue(Math.abs(r.headline().estimate() - 2) < 4 * r.headline().se(), r.headline().toString());
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
}

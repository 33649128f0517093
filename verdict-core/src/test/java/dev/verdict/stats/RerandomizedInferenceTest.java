package dev.verdict.stats;

import dev.verdict.assign.BalanceCriterion;
import dev.verdict.assign.BalanceTable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Randomization inference restricted to the assignments a re-randomization criterion accepts
 * ({@link ClusterRandomizationInference#test(double[], double[], boolean[], String[], Predicate, double, int, long)}),
 * against brute force over the accepted assignments, the plain test, and a positive control where restricting matters.
 */
class RerandomizedInferenceTest {

    /** 8 clusters, strata {0..3} and {4..7}, 2 treated in each: C(4,2)^2 = 36 assignments. */
    private static final String[] STRATA = {"a", "a", "a", "a", "b", "b", "b", "b"};
    private static final double[] X = {3.1, 7.4, 5.0, 9.2, 4.4, 8.8, 2.9, 6.3};
    private static final double[] N = {40, 55, 31, 62, 48, 37, 59, 44};
    private static final boolean[] OBSERVED = {true, false, false, true, false, true, true, false};

    /** |mean_T(x) - mean_C(x)| <= 1.5, cluster means unweighted: the criterion of this test, written here. */
    private static final Predicate<boolean[]> CLOSE_MEANS = a -> Math.abs(mean(X, a, true) - mean(X, a, false)) <= 1.5;

    private static double[] outcomes(double slope, double tau, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] s = new double[X.length];
        for (int h = 0; h < X.length; h++) {
            double perRow = 0.2 + slope * X[h] + (OBSERVED[h] ? tau : 0) + 0.05 * (r.nextDouble() - 0.5);
            s[h] = N[h] * perRow;
        }
        return s;
    }

    @Test
    void exactEnumerationMatchesBruteForceOverTheAcceptedAssignments() {
        assertTrue(CLOSE_MEANS.test(OBSERVED.clone()), "the observed assignment is balanced");
        double[] s = outcomes(0.03, 0.04, 5);
        // alpha 0.3: with 20 accepted assignments in complementary pairs no p goes below 0.1, so a 95% interval is the line
        ClusterRandomizationInference.Result r = ClusterRandomizationInference.test(N, s, OBSERVED, STRATA,
                CLOSE_MEANS, 0.3, 10_000, 1);
        List<boolean[]> accepted = bruteForceAccepted(CLOSE_MEANS);
        assertTrue(accepted.size() > 4 && accepted.size() < 36, "the criterion must bite: " + accepted.size());
        assertTrue(r.exact());
        assertTrue(r.restricted());
        assertEquals(36, r.attempts(), "every assignment enumerated");
        assertEquals(accepted.size(), r.used());
        assertEquals(bruteP(accepted, s, 0), r.pValue(), 1e-15);
        // the interval inverts the same restricted test: just inside each end not rejected, just outside rejected
        for (double end : new double[] {r.ciLow(), r.ciHigh()}) {
            assertTrue(Double.isFinite(end), "ends " + r.ciLow() + ", " + r.ciHigh());
            double step = 1e-6 * Math.max(1, Math.abs(end));
            double out = end + Math.signum(end - r.estimate()) * step;
            double in = end - Math.signum(end - r.estimate()) * step;
            assertTrue(bruteP(accepted, s, out) < 0.3, "outside " + out);
            assertTrue(bruteP(accepted, s, in) >= 0.3, "inside " + in);
        }
    }

    @Test
    void anAlwaysTruePredicateGivesThePlainTestExactly() {
        double[] s = outcomes(0.03, 0.04, 5);
        ClusterRandomizationInference.Result plain = ClusterRandomizationInference.test(N, s, OBSERVED, STRATA, 0.05,
                10_000, 1);
        ClusterRandomizationInference.Result all = ClusterRandomizationInference.test(N, s, OBSERVED, STRATA, a -> true,
                0.05, 10_000, 1);
        assertSame(plain, all);
        assertFalse(plain.restricted());
        // Monte Carlo (budget below the 36 assignments): the same draws from the same seed
        ClusterRandomizationInference.Result plainMc = ClusterRandomizationInference.test(N, s, OBSERVED, STRATA, 0.05, 20,
                9);
        ClusterRandomizationInference.Result allMc = ClusterRandomizationInference.test(N, s, OBSERVED, STRATA, a -> true,
                0.05, 20, 9);
        assertFalse(plainMc.exact());
        assertSame(plainMc, allMc);
        assertEquals(20, allMc.attempts());
    }

    /**
     * Positive control: 16 clusters in two strata of 8, the assignment re-randomized until max |std diff| of the covariate
     * is at most 0.1 ({@code ClusterDraw.rerandomized}), and an outcome that is mostly the covariate (slope 0.1 per unit
     * of a covariate spread over [2, 10], effect 0.1). Plain RI compares the effect with assignments whose covariate
     * imbalance alone moves the statistic by several times the effect; the restricted set (exact: 4900 assignments
     * enumerated, the balanced ones kept) holds only balanced ones, so the same effect is far more extreme there.
     */
    @Test
    void restrictingToBalancedAssignmentsSharpensTheTestWhenTheCovariatePredictsTheOutcome() {
        int g = 16;
        SplittableRandom r = new SplittableRandom(4);
        List<String> units = new ArrayList<>();
        List<String> strataList = new ArrayList<>();
        double[] x = new double[g];
        double[] n = new double[g];
        for (int h = 0; h < g; h++) {
            units.add("c" + h);
            strataList.add(h < 8 ? "s" : "t");
            x[h] = 2 + 8 * r.nextDouble();
            n[h] = 30 + r.nextInt(41);
        }
        BalanceCriterion criterion = BalanceCriterion.maxStdDiff(0.1);
        dev.verdict.assign.Rerandomized drawn = dev.verdict.assign.ClusterDraw.rerandomized(units, strataList, 0.5, 8,
                List.of("x"), u -> new double[] {x[units.indexOf(u)]}, criterion, 100_000);
        boolean[] t = new boolean[g];
        double[] s = new double[g];
        for (int h = 0; h < g; h++) {
            t[h] = drawn.draw().treated(units.get(h));
            s[h] = n[h] * (0.2 + 0.1 * x[h] + (t[h] ? 0.1 : 0) + 0.02 * (r.nextDouble() - 0.5));
        }
        Function<boolean[], BalanceTable> table = BalanceTable.ofAssignments(units, List.of("x"),
                u -> new double[] {x[units.indexOf(u)]});
        String[] strata = strataList.toArray(new String[0]);
        ClusterRandomizationInference.Result plain = ClusterRandomizationInference.test(n, s, t, strata, 0.05, 10_000, 1);
        ClusterRandomizationInference.Result restricted = ClusterRandomizationInference.test(n, s, t, strata,
                a -> criterion.accepts(table.apply(a)), 0.05, 10_000, 1);
        assertTrue(plain.exact() && restricted.exact());
        assertEquals(4900, restricted.attempts());
        assertTrue(restricted.used() > 100 && restricted.used() < 4900 / 2, "accepted " + restricted.used());
        assertEquals(plain.estimate(), restricted.estimate(), 0.0);
        assertTrue(restricted.pValue() < plain.pValue() / 4, "restricted " + restricted.pValue() + ", plain "
                + plain.pValue());
        assertTrue(restricted.ciHigh() - restricted.ciLow() < plain.ciHigh() - plain.ciLow(), "narrower interval");
    }

    /**
     * Monte Carlo under a symmetric criterion (max |std diff| of two covariates, half of each stratum treated): every
     * accepted draw meets it and keeps 4 treated per stratum, every cluster is treated in about half of them, and the
     * accepted share matches the exact share. Positive control: a one-sided criterion (treated mean of the first
     * covariate above the control mean) treats the cluster with the largest value far more often than half.
     */
    @Test
    void monteCarloAcceptedDrawsKeepEachClusterAtOneHalfUnderASymmetricCriterion() {
        int g = 16;
        List<String> units = new ArrayList<>();
        String[] strata = new String[g];
        double[][] x = new double[g][];
        SplittableRandom r = new SplittableRandom(3);
        boolean[] observed = new boolean[g];
        for (int h = 0; h < g; h++) {
            units.add("c" + h);
            strata[h] = h < 8 ? "s" : "t";
            x[h] = new double[] {10 + 5 * r.nextDouble(), 100 + 30 * r.nextDouble()};
            observed[h] = h % 2 == 0;
        }
        Function<boolean[], BalanceTable> table = BalanceTable.ofAssignments(units, List.of("q", "l"),
                u -> x[units.indexOf(u)]);
        BalanceCriterion criterion = BalanceCriterion.maxStdDiff(0.3);
        Predicate<boolean[]> accept = a -> criterion.accepts(table.apply(a));
        int budget = 1000; // below C(8,4)^2 = 4900: Monte Carlo
        List<boolean[]> draws = ClusterRandomizationInference.referenceSet(observed, strata, accept, budget, 17);
        assertEquals(budget, draws.size());
        double[] share = new double[g];
        for (boolean[] a : draws) {
            assertTrue(accept.test(a));
            int s = 0;
            int t = 0;
            for (int h = 0; h < g; h++) {
                share[h] += a[h] ? 1.0 / budget : 0;
                s += a[h] && h < 8 ? 1 : 0;
                t += a[h] && h >= 8 ? 1 : 0;
            }
            assertEquals(4, s);
            assertEquals(4, t);
        }
        double se = Math.sqrt(0.25 / budget);
        for (int h = 0; h < g; h++) {
            assertEquals(0.5, share[h], 4.5 * se, "cluster " + h); // 16 clusters at 4.5 SE: family-wise < 1e-4
        }
        ClusterRandomizationInference.Acceptance mc = ClusterRandomizationInference.acceptance(observed, strata, accept,
                budget, 17);
        ClusterRandomizationInference.Acceptance exact = ClusterRandomizationInference.acceptance(observed, strata, accept,
                10_000, 17);
        assertFalse(mc.exact());
        assertTrue(exact.exact());
        assertEquals(4900, exact.attempts());
        assertEquals(budget, mc.accepted());
        assertTrue(exact.share() > 0.05 && exact.share() < 0.95, "the criterion must bite: " + exact.share());
        double seShare = Math.sqrt(exact.share() * (1 - exact.share()) / mc.attempts());
        assertEquals(exact.share(), mc.share(), 4.5 * seShare);

        int top = 0;
        for (int h = 1; h < 8; h++) {
            top = x[h][0] > x[top][0] ? h : top;
        }
        final int topCluster = top;
        Predicate<boolean[]> oneSided = a -> table.apply(a).rows().get(0).stdDiff() > 0;
        double topShare = ClusterRandomizationInference.referenceSet(observed, strata, oneSided, budget, 17).stream()
                .filter(a -> a[topCluster]).count() / (double) budget;
        assertTrue(topShare > 0.5 + 4.5 * se, "one-sided criterion: cluster " + topCluster + " treated in " + topShare);
    }

    /**
     * Monte Carlo stops at 200 times the budget when too few draws are accepted, and says how many it examined: a
     * criterion that accepts only the observed assignment among C(8,4)^2 = 4900 is met about 1000 / 4900 times in the
     * 1000 draws a budget of 5 allows.
     */
    @Test
    void monteCarloStopsAtTheAttemptCap() {
        int g = 16;
        double[] n = new double[g];
        double[] s = new double[g];
        String[] strata = new String[g];
        boolean[] observed = new boolean[g];
        for (int h = 0; h < g; h++) {
            n[h] = 10 + h;
            s[h] = n[h] * (0.1 * h + (h % 2 == 0 ? 0.5 : 0));
            strata[h] = h < 8 ? "s" : "t";
            observed[h] = h % 2 == 0;
        }
        Predicate<boolean[]> onlyObserved = a -> java.util.Arrays.equals(a, observed);
        ClusterRandomizationInference.Result r = ClusterRandomizationInference.test(n, s, observed, strata, onlyObserved,
                0.05, 5, 2);
        assertFalse(r.exact());
        assertTrue(r.restricted());
        assertEquals(5L * ClusterRandomizationInference.MAX_ATTEMPTS_PER_DRAW, r.attempts());
        assertTrue(r.used() < 5, "used " + r.used());
        assertEquals(1.0 / (1 + r.used()), r.smallestP(), 1e-15);
        // every accepted draw is the observed assignment, as extreme as itself: p = (1 + used) / (1 + used)
        assertEquals(1.0, r.pValue(), 1e-15);
        assertTrue(Double.isInfinite(r.ciLow()) && Double.isInfinite(r.ciHigh()), "no tau can be rejected");
    }

    @Test
    void anObservedAssignmentTheCriterionRejectsIsRefused() {
        boolean[] imbalanced = {false, true, false, true, false, true, false, true};
        assertFalse(CLOSE_MEANS.test(imbalanced.clone()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterRandomizationInference
                .test(N, outcomes(0, 0, 1), imbalanced, STRATA, CLOSE_MEANS, Double.NaN, 10_000, 1));
        assertTrue(e.getMessage().contains("not accepted"), e.getMessage());
    }

    /** Exact, half of each stratum treated, a criterion symmetric in the arms: the smallest p is 2 / #accepted. */
    @Test
    void smallestPCountsComplementPairsOnlyWhenTheAcceptedSetHoldsThem() {
        double[] s = outcomes(0.03, 0.04, 5);
        ClusterRandomizationInference.Result sym = ClusterRandomizationInference.test(N, s, OBSERVED, STRATA, CLOSE_MEANS,
                Double.NaN, 10_000, 1);
        assertEquals(2.0 / sym.used(), sym.smallestP(), 1e-15);
        Predicate<boolean[]> treatedAbove = a -> mean(X, a, true) - mean(X, a, false) >= -1.5
                && mean(X, a, true) - mean(X, a, false) < 1.0;
        assertTrue(treatedAbove.test(OBSERVED.clone()));
        ClusterRandomizationInference.Result asym = ClusterRandomizationInference.test(N, s, OBSERVED, STRATA,
                treatedAbove, Double.NaN, 10_000, 1);
        boolean closed = true;
        List<boolean[]> acc = bruteForceAccepted(treatedAbove);
        for (boolean[] a : acc) {
            boolean[] c = new boolean[a.length];
            for (int h = 0; h < a.length; h++) {
                c[h] = !a[h];
            }
            closed &= treatedAbove.test(c);
        }
        assertFalse(closed, "this criterion must drop some complement");
        assertEquals(1.0 / asym.used(), asym.smallestP(), 1e-15);
    }

    // ------------------------------------------------------------------------------------------------- brute force

    /** Every subset of the 8 clusters with 2 treated in each stratum that the predicate accepts. */
    private static List<boolean[]> bruteForceAccepted(Predicate<boolean[]> accept) {
        List<boolean[]> out = new ArrayList<>();
        for (int mask = 0; mask < 1 << 8; mask++) {
            boolean[] a = new boolean[8];
            int ta = 0;
            int tb = 0;
            for (int h = 0; h < 8; h++) {
                a[h] = (mask >>> h & 1) == 1;
                ta += a[h] && h < 4 ? 1 : 0;
                tb += a[h] && h >= 4 ? 1 : 0;
            }
            if (ta == 2 && tb == 2 && accept.test(a.clone())) {
                out.add(a);
            }
        }
        return out;
    }

    /** Exact p of effect tau over the given assignments: control sums S - tau n T_obs, |d*| >= |d_obs - tau|. */
    private static double bruteP(List<boolean[]> assignments, double[] s, double tau) {
        double[] shifted = new double[s.length];
        for (int h = 0; h < s.length; h++) {
            shifted[h] = s[h] - (OBSERVED[h] ? tau * N[h] : 0);
        }
        double obs = Math.abs(ClusterRandomizationInferenceTest.diff(N, shifted, OBSERVED));
        int extreme = 0;
        for (boolean[] a : assignments) {
            extreme += Math.abs(ClusterRandomizationInferenceTest.diff(N, shifted, a)) >= obs * (1 - 1e-10) ? 1 : 0;
        }
        return (double) extreme / assignments.size();
    }

    private static double mean(double[] x, boolean[] a, boolean arm) {
        double sum = 0;
        int k = 0;
        for (int h = 0; h < x.length; h++) {
            if (a[h] == arm) {
                sum += x[h];
                k++;
            }
        }
        return sum / k;
    }

    private static void assertSame(ClusterRandomizationInference.Result a, ClusterRandomizationInference.Result b) {
        assertEquals(a.estimate(), b.estimate(), 0.0);
        assertEquals(a.pValue(), b.pValue(), 0.0);
        assertEquals(a.ciLow(), b.ciLow(), 0.0);
        assertEquals(a.ciHigh(), b.ciHigh(), 0.0);
        assertEquals(a.used(), b.used());
        assertEquals(a.exact(), b.exact());
        assertEquals(a.smallestP(), b.smallestP(), 0.0);
    }
}

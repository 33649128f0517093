package dev.verdict.quasi.propensity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The nonparametric bootstrap of the whole two-step procedure: each replicate draws n rows with replacement (held as
 * multinomial counts on the original rows, so nothing is copied), refits the logistic propensity model on them
 * (from the full-sample estimate, by Newton steps with the full-sample information matrix, which converge
 * geometrically at rate O(n^-1/2) at a third of the cost of a full Newton step; when that path is not trustworthy, by
 * full Newton with the separation test of {@link LogitIrls}; both stop on the Newton decrement), recomputes the
 * weights, any trimming bounds (the Crump rule is re-derived in the replicate) and the outcome regressions, and
 * re-estimates every effect.
 *
 * <p>Determinism: replicate r draws from {@code new SplittableRandom(mix(seed, r))}, a stream that depends only on the
 * seed and r, and writes only its own slot; threads take replicates from a shared counter in any order, so the
 * results are identical for any thread count. A replicate whose propensity fit does not converge (e.g. separation in
 * the resample) or that lacks a row in an arm is recorded as NaN and counted as failed.
 */
final class PropensityBootstrap {
    private final LogitDesign ps;
    private final LogitDesign outcome;
    private final double[] y;
    private final boolean[] t;
    private final double[] start;
    private final LogisticRegression.Options options;
    private final List<TrimRule> trims;
    private final double[] fullInformation;
    private final double maxAbsEta;

    PropensityBootstrap(LogitDesign ps, LogitDesign outcome, double[] y, boolean[] t, double[] start,
                        LogisticRegression.Options options, List<TrimRule> trims) {
        this.ps = ps;
        this.outcome = outcome;
        this.y = y;
        this.t = t;
        this.start = start;
        this.options = options;
        this.trims = List.copyOf(trims);
        LogitIrls.Work w = new LogitIrls.Work(ps.n, ps.k);
        new LogitIrls(ps, t).evaluate(null, start, false, w);
        this.fullInformation = w.h.clone();
        double max = 0;
        for (int i = 0; i < ps.n; i++) {
            double eta = 0;
            for (int j = 0; j < ps.k; j++) {
                eta += ps.x[i * ps.k + j] * start[j];
            }
            max = Math.max(max, Math.abs(eta));
        }
        this.maxAbsEta = max + SEPARATION_MARGIN;
    }

    /**
     * A replicate whose linear predictor exceeds the full sample's largest |x'b| by more than this leaves the fast
     * path for the full Newton fit with its separation test.
     */
    static final double SEPARATION_MARGIN = 3;

    /**
     * Newton-decrement tolerance of a replicate's fit: {@code g'H^-1 g} is about the squared distance to the maximum
     * in standard-error units, so 1e-8 leaves each replicate's coefficients within about 1e-4 standard errors of its
     * own maximum, far below the Monte Carlo error of any bootstrap summary, at two or three gradient passes.
     */
    static final double REPLICATE_TOLERANCE = 1e-8;

    /** Statistics per replicate: the {@link WeightingEstimators} indices, then ATE and ATT per trim rule. */
    int statistics() {
        return WeightingEstimators.COUNT + 2 * trims.size();
    }

    /** {@code replicates x statistics} values; NaN where a replicate failed. */
    double[][] run(int replicates, long seed, int threads) {
        double[][] out = new double[replicates][];
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            Worker w = new Worker();
            for (int r = next.getAndIncrement(); r < replicates; r = next.getAndIncrement()) {
                out[r] = w.replicate(seed, r);
            }
        };
        if (threads <= 1) {
            worker.run();
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread th = new Thread(runnable, "verdict-propensity-bootstrap");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(worker));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("propensity bootstrap interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("propensity bootstrap replicate failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    /** The seed of replicate r: SplitMix64's finaliser over {@code seed + (r + 1) * golden gamma}. */
    static long replicateSeed(long seed, int r) {
        long z = seed + (r + 1L) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private final class Worker {
        private final double[] counts = new double[y.length];
        private final int[] rows = new int[y.length];
        private final Cholesky fixed = new Cholesky(ps.k);
        private final boolean fixedOk = fixed.factor(fullInformation, LogitIrls.SINGULAR_PIVOT) < 0;
        private final LogitIrls irls = new LogitIrls(ps, t);
        private final LogitIrls.Work work = new LogitIrls.Work(ps.n, ps.k);
        private final WeightingEstimators.OutcomeWork ols =
                outcome == null ? null : new WeightingEstimators.OutcomeWork(outcome.k);

        double[] replicate(long seed, int r) {
            double[] stats = new double[statistics()];
            Arrays.fill(stats, Double.NaN);
            SplittableRandom rng = new SplittableRandom(replicateSeed(seed, r));
            Arrays.fill(counts, 0);
            int n = y.length;
            for (int i = 0; i < n; i++) {
                counts[rng.nextInt(n)]++;
            }
            int treated = 0;
            for (int i = 0; i < n; i++) {
                if (t[i]) {
                    treated += (int) counts[i];
                }
            }
            if (treated < 2 || n - treated < 2) {
                return stats;
            }
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (counts[i] != 0) {
                    rows[m++] = i;
                }
            }
            boolean fast = fixedOk && irls.fitFixedInformation(rows, m, counts, start, fixed, REPLICATE_TOLERANCE,
                    maxAbsEta, work);
            if (!fast) {
                LogitIrls.Outcome fit = irls.fit(counts, start, LogitIrls.Rule.NEWTON_DECREMENT, REPLICATE_TOLERANCE,
                        options.maxIterations(), options.boundary(), work);
                if (fit.status() != LogisticFit.Status.CONVERGED) {
                    return stats;
                }
            }
            double[] e = work.p;
            WeightingEstimators.Point all = WeightingEstimators.evaluate(y, t, e, counts, 0, 1, outcome, ols, false);
            System.arraycopy(all.estimate, 0, stats, 0, WeightingEstimators.COUNT);
            for (int j = 0; j < trims.size(); j++) {
                double a = trims.get(j).alphaFor(e, counts);
                WeightingEstimators.Point p = WeightingEstimators.evaluate(y, t, e, counts, a, 1 - a, null, null,
                        false);
                stats[WeightingEstimators.COUNT + 2 * j] = p.estimate[WeightingEstimators.ATE_HAJEK];
                stats[WeightingEstimators.COUNT + 2 * j + 1] = p.estimate[WeightingEstimators.ATT_HAJEK];
            }
            return stats;
        }
    }

    /** Summarises column s of the replicate matrix around the full-sample estimate. */
    static BootstrapInterval summarise(double[][] reps, int s, double estimate, double alpha, long seed) {
        double[] v = new double[reps.length];
        int m = 0;
        for (double[] rep : reps) {
            if (Double.isFinite(rep[s])) {
                v[m++] = rep[s];
            }
        }
        if (m < 2) {
            return new BootstrapInterval(reps.length, m, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    alpha, seed);
        }
        double[] u = Arrays.copyOf(v, m);
        double mean = 0;
        for (double x : u) {
            mean += x;
        }
        mean /= m;
        double ss = 0;
        for (double x : u) {
            ss += (x - mean) * (x - mean);
        }
        double se = Math.sqrt(ss / (m - 1));
        double z = org.apache.commons.statistics.distribution.NormalDistribution.of(0, 1)
                .inverseSurvivalProbability(alpha / 2);
        Arrays.sort(u);
        return new BootstrapInterval(reps.length, m, se, estimate - z * se, estimate + z * se,
                Overlap.quantile7(u, alpha / 2), Overlap.quantile7(u, 1 - alpha / 2), alpha, seed);
    }
}

package dev.verdict.sim;

import dev.verdict.sim.policy.EvictionPolicy;
import dev.verdict.sim.policy.Policies;
import dev.verdict.sim.policy.RoutingPolicy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A discrete-event simulation of a multi-tenant inference system under one design, deterministic given the scenario's
 * seed. Sessions arrive as a non-homogeneous Poisson process (diurnal and weekly cycles, bursts); each session's turns
 * are drawn from its own random stream when it starts, so the same demand meets every policy and design (common random
 * numbers: the ideal experiment's two worlds differ only by the policy). Requests pass a per-tenant token bucket, are
 * routed within their cluster, wait in a replica's priority queue (with timeouts and retries), and are served by
 * continuous batching with a prefix cache (see {@link Replica}). Interference is not added anywhere: it emerges
 * because requests of both arms share buckets, queues, batches and caches.
 *
 * <p>Mixed-world semantics (what "treated" means for each mechanism when arms share a replica): routing, queue
 * priority and the prefill token budget follow the executing arm of the request concerned; a cache entry is scored
 * by the eviction policy of the arm that last touched it; a tenant's token bucket refills at the rate of the arm of
 * the request that checks it.
 */
public final class Simulation {
    static final int SESSION = 0;
    static final int TURN = 1;
    static final int RETRY = 2;
    static final int STEP = 3;
    static final int INCIDENT = 4;

    private static final int MAX_TURNS = 64;

    private final Scenario sc;
    private final Assignment assignment;
    private final RequestSink sink;
    private final EventQueue events = new EventQueue();
    private final double horizon;
    private final long startEpoch;

    private final int[] tenantTier;
    private final int[] tenantWorkload;
    private final int[] tenantRegion;
    private final Alias tenantAlias;
    private final Alias workloadAlias;
    private final double[] tenantBucket;
    private final double[] tenantBucketTime;

    private final Replica[][][] pools; // [cluster][model][i]
    private final RoutingPolicy[][][] routers; // [arm][cluster][model]
    private final EvictionPolicy[] eviction = new EvictionPolicy[2];
    private final Scenario.PolicySpec[] policy;
    private final int[] priorityTier = new int[2];
    private final double[] burstStarts;
    private final SplittableRandom arrivals;
    private final double lambdaMax;

    private long sessions;
    private long requests;
    private long attempts;
    private long logged;
    private long dropped;
    private long eventsProcessed;
    private double sojournSum;
    private long departures;
    private double lastDeparture;

    /**
     * Prepares a run of {@code scenario} under {@code design}, handing every logged row to {@code sink}.
     */
    public Simulation(Scenario scenario, SimDesign design, RequestSink sink) {
        this.sc = scenario;
        this.sink = sink;
        this.horizon = scenario.seconds();
        this.startEpoch = scenario.start().getEpochSecond();
        this.assignment = Assignment.of(scenario, design);
        Scenario.Demand d = scenario.demand();
        Scenario.Supply s = scenario.supply();
        SplittableRandom setup = new SplittableRandom(mix(scenario.seed(), 0x5E7L));
        int n = d.tenants();
        tenantTier = new int[n];
        tenantWorkload = new int[n];
        tenantRegion = new int[n];
        double[] weights = new double[n];
        double[] workloadShares = d.workloads().stream().mapToDouble(Scenario.Workload::share).toArray();
        workloadAlias = new Alias(workloadShares);
        Alias tiers = new Alias(d.tierShares());
        for (int t = 0; t < n; t++) {
            weights[t] = Math.pow(t + 1, -d.tenantZipf());
            tenantTier[t] = tiers.sample(setup);
            tenantWorkload[t] = workloadAlias.sample(setup);
            tenantRegion[t] = setup.nextInt(s.regions().size());
        }
        tenantAlias = new Alias(weights);
        tenantBucket = new double[n];
        tenantBucketTime = new double[n];
        policy = new Scenario.PolicySpec[] {scenario.control(), scenario.treatment()};
        for (int a = 0; a < 2; a++) {
            eviction[a] = Policies.eviction(policy[a].eviction(), policy[a].evictionBonusSeconds());
            priorityTier[a] = tierIndex(policy[a].priorityTier());
        }
        for (int t = 0; t < n; t++) {
            tenantBucket[t] = bucketDepth(t, 0);
        }
        int clusters = s.clusters();
        int models = s.models().size();
        pools = new Replica[clusters][models][];
        routers = new RoutingPolicy[2][clusters][models];
        for (int c = 0; c < clusters; c++) {
            Scenario.Gpu gpu = s.gpus().get(c % s.gpus().size());
            for (int m = 0; m < models; m++) {
                Scenario.Model model = s.models().get(m);
                pools[c][m] = new Replica[s.replicasPerCluster()[m]];
                for (int i = 0; i < pools[c][m].length; i++) {
                    pools[c][m][i] = new Replica(this, c, m, model, gpu, model.cacheTokens());
                }
                for (int a = 0; a < 2; a++) {
                    routers[a][c][m] = Policies.router(policy[a].router());
                }
            }
        }
        double days = horizon / 86400.0;
        int bursts = poisson(setup, d.burstsPerDay() * days);
        burstStarts = new double[bursts];
        for (int i = 0; i < bursts; i++) {
            burstStarts[i] = setup.nextDouble() * horizon;
        }
        Arrays.sort(burstStarts);
        lambdaMax = d.sessionsPerSecond() * (1 + d.diurnalAmplitude()) * Math.max(1, d.weekendFactor())
                * Math.max(1, d.burstMultiplier());
        arrivals = new SplittableRandom(mix(scenario.seed(), 0xA2215AL));
    }

    private static int tierIndex(String label) {
        for (Scenario.Tier t : Scenario.Tier.values()) {
            if (t.label().equals(label)) {
                return t.ordinal();
            }
        }
        return -1;
    }

    /** Runs to the end of the horizon and until every started request has finished; returns run statistics. */
    public RunStats run() {
        nextSession(0);
        List<Scenario.Incident> incidents = sc.incidents();
        for (int i = 0; i < incidents.size(); i++) {
            Scenario.Incident inc = incidents.get(i);
            events.push(inc.startHour() * 3600, INCIDENT, null, 2L * i);
            events.push((inc.startHour() + inc.hours()) * 3600, INCIDENT, null, 2L * i + 1);
        }
        while (events.size() > 0) {
            events.pop();
            eventsProcessed++;
            double t = events.t;
            switch (events.k) {
                case SESSION -> startSession(t);
                case TURN -> startTurn((Session) events.o, (int) events.a, t);
                case RETRY -> attempt((Req) events.o, t);
                case STEP -> {
                    Replica r = (Replica) events.o;
                    if (r.version == events.a) {
                        r.step(t);
                    }
                }
                case INCIDENT -> incident((int) (events.a / 2), events.a % 2 == 0);
                default -> throw new IllegalStateException("event kind " + events.k);
            }
        }
        double area = 0;
        double busy = 0;
        int replicas = 0;
        long hits = 0;
        long misses = 0;
        for (Replica[][] cluster : pools) {
            for (Replica[] pool : cluster) {
                for (Replica r : pool) {
                    r.close(lastDeparture);
                    area += r.area;
                    busy += r.busy;
                    replicas++;
                    hits += r.cache.hits();
                    misses += r.cache.misses();
                }
            }
        }
        sink.finish();
        return new RunStats(sessions, requests, attempts, logged, dropped, eventsProcessed, departures, sojournSum,
                area, busy, replicas, lastDeparture, hits, misses);
    }

    /**
     * What a run did, for validation: counts, and time integrals over all replicas from time 0 to the last departure.
     *
     * @param areaInSystem integral of the number of requests queued or in service (all replicas)
     * @param busySeconds  total time replicas spent iterating
     */
    public record RunStats(long sessions, long requests, long attempts, long logged, long dropped, long events,
                           long departures, double sojournSeconds, double areaInSystem, double busySeconds,
                           int replicas, double end, long cacheHits, long cacheMisses) { }

    // demand

    private double rate(double t) {
        Scenario.Demand d = sc.demand();
        long epoch = startEpoch + (long) t;
        double hour = Math.floorMod(epoch, 86400L) / 3600.0;
        double r = d.sessionsPerSecond() * (1 + d.diurnalAmplitude() * Math.cos(2 * Math.PI * (hour - d.peakHourUtc()) / 24));
        long day = Math.floorDiv(epoch, 86400L);
        int dow = (int) Math.floorMod(day + 3, 7L); // 0 = Monday
        if (dow >= 5) {
            r *= d.weekendFactor();
        }
        double len = d.burstMinutes() * 60;
        int i = Arrays.binarySearch(burstStarts, t);
        int k = i >= 0 ? i : -i - 2;
        if (k >= 0 && t < burstStarts[k] + len) {
            r *= d.burstMultiplier();
        }
        return r;
    }

    private void nextSession(double now) {
        if (lambdaMax <= 0) {
            return;
        }
        double t = now;
        while (true) {
            t += -Math.log(1 - arrivals.nextDouble()) / lambdaMax;
            if (t >= horizon) {
                return;
            }
            if (arrivals.nextDouble() * lambdaMax < rate(t)) {
                events.push(t, SESSION, null, 0);
                return;
            }
        }
    }

    private void startSession(double now) {
        long id = sessions++;
        nextSession(now);
        SplittableRandom rng = new SplittableRandom(mix(sc.seed(), id));
        Scenario.Demand d = sc.demand();
        Session s = new Session();
        s.id = id;
        s.tenant = tenantAlias.sample(rng);
        s.user = (long) s.tenant * d.usersPerTenant() + rng.nextInt(d.usersPerTenant());
        s.tier = tenantTier[s.tenant];
        s.workload = tenantWorkload[s.tenant];
        Scenario.Workload w = d.workloads().get(s.workload);
        s.model = sc.supply().modelIndex(w.model());
        s.region = tenantRegion[s.tenant];
        int cpr = sc.supply().clustersPerRegion();
        s.cluster = s.region * cpr + (int) Long.remainderUnsigned(mix(id, 0xC1L), cpr);
        double pMore = w.meanTurns() <= 1 ? 0 : (w.meanTurns() - 1) / w.meanTurns();
        int turns = 1;
        while (turns < MAX_TURNS && rng.nextDouble() < pMore) {
            turns++;
        }
        s.newPrompt = new int[turns];
        s.output = new int[turns];
        s.think = new double[turns];
        for (int k = 0; k < turns; k++) {
            s.newPrompt[k] = logNormal(rng, w.promptTokens(), w.tokenSigma());
            s.output[k] = logNormal(rng, w.outputTokens(), w.tokenSigma());
            s.think[k] = -Math.log(1 - rng.nextDouble()) * w.thinkSeconds();
        }
        startTurn(s, 0, now);
    }

    private static int logNormal(SplittableRandom rng, double mean, double sigma) {
        double mu = Math.log(mean) - sigma * sigma / 2;
        return (int) Math.max(1, Math.round(Math.exp(mu + sigma * rng.nextGaussian())));
    }

    private void startTurn(Session s, int turn, double now) {
        if (now >= horizon) {
            return;
        }
        Scenario.Workload w = sc.demand().workloads().get(s.workload);
        int system = w.systemPromptTokens();
        Scenario.Model m = sc.supply().models().get(s.model);
        if (system + s.history + s.newPrompt[turn] + s.output[turn] > m.maxContext()) {
            return;
        }
        Req r = new Req();
        r.id = s.id * MAX_TURNS + turn;
        r.session = s;
        r.turn = turn;
        r.firstArrival = now;
        r.systemTokens = system;
        r.historyTokens = s.history;
        r.promptTokens = system + s.history + s.newPrompt[turn];
        r.outputTokens = s.output[turn];
        r.arm = assignment.arm(r, startEpoch);
        r.propensity = assignment.propensity(r);
        r.executedArm = r.arm;
        if (r.arm == 1 && sc.faults().fallbackRate() > 0 && unit(r.id, 0xFA11L) < sc.faults().fallbackRate()) {
            r.executedArm = 0;
        }
        r.priorityClass = s.tier == priorityTier[r.executedArm] ? 0 : (w.realTime() ? 1 : 2);
        requests++;
        attempt(r, now);
    }

    // supply

    private double bucketDepth(int tenant, int arm) {
        Scenario.Supply s = sc.supply();
        return s.rateLimits()[tenantTier[tenant]] * policy[arm].rateLimitScale() * s.burstSeconds();
    }

    private void attempt(Req r, double now) {
        attempts++;
        Session s = r.session;
        int arm = r.executedArm;
        // per-tenant token bucket: refills at the checking request's arm's rate, capped at that arm's depth
        double refill = sc.supply().rateLimits()[s.tier] * policy[arm].rateLimitScale();
        int t = s.tenant;
        double level = Math.min(bucketDepth(t, arm), tenantBucket[t] + refill * (now - tenantBucketTime[t]));
        tenantBucketTime[t] = now;
        double cost = r.promptTokens - r.systemTokens - r.historyTokens + r.outputTokens;
        if (level < cost) {
            tenantBucket[t] = level;
            retryOrFail(r, now, now, false);
            return;
        }
        tenantBucket[t] = level - cost;
        Replica[] pool = pools[s.cluster][s.model];
        boolean anyUp = false;
        int running = 0;
        int slots = 0;
        for (Replica rep : pool) {
            if (rep.up) {
                anyUp = true;
                running += rep.running();
                slots += rep.maxSeqs;
            }
        }
        if (!anyUp) {
            retryOrFail(r, now, now, false);
            return;
        }
        int i = routers[arm][s.cluster][s.model].route(s.id, r.priorityClass == 0, pool);
        Replica rep = pool[i].up ? pool[i] : firstUp(pool);
        r.queueDepth = rep.queueDepth();
        r.kvUtil = rep.kvUtil();
        r.utilization = slots == 0 ? 0 : (double) running / slots;
        rep.enqueue(r, now);
    }

    private static Replica firstUp(Replica[] pool) {
        for (Replica r : pool) {
            if (r.up) {
                return r;
            }
        }
        return pool[0];
    }

    private void retryOrFail(Req r, double now, double failedAt, boolean timeout) {
        if (r.retries < sc.supply().maxRetries()) {
            r.retries++;
            double backoff = sc.supply().backoffSeconds() * Math.pow(2, r.retries - 1) * (0.5 + unit(r.id, r.retries));
            events.push(Math.max(now, failedAt + backoff), RETRY, r, 0);
            return;
        }
        r.timedOut = timeout;
        r.error = true;
        r.completed = false;
        r.end = now;
        log(r);
    }

    double timeout(int priorityClass) {
        double base = sc.supply().timeoutSeconds();
        return priorityClass == 2 ? 10 * base : base;
    }

    double budgetScale(int arm) {
        return policy[arm].tokenBudgetScale();
    }

    void scheduleStep(Replica r, double when, long version) {
        events.push(when, STEP, r, version);
    }

    void timedOut(Req r, double now, double at) {
        departures++;
        sojournSum += now - r.enqueueTime;
        lastDeparture = Math.max(lastDeparture, now);
        retryOrFail(r, now, at, true);
    }

    /** Admission to the batch: the prefix cache is consulted. */
    void admitted(Req r, Replica rep, double now) {
        Session s = r.session;
        boolean treated = r.executedArm == 1;
        EvictionPolicy policy = eviction[r.executedArm];
        int hit = 0;
        if (r.systemTokens > 0 && rep.cache.access(systemKey(s), now, policy, treated) != null) {
            hit += r.systemTokens;
        }
        if (r.historyTokens > 0 && rep.cache.access(sessionKey(s), now, policy, treated) != null) {
            hit += r.historyTokens;
        }
        r.hitTokens = hit;
    }

    /** Prefill done: the prompt's prefixes are now cached. */
    void prefilled(Req r, double now) {
        Session s = r.session;
        Replica rep = r.replica;
        boolean treated = r.executedArm == 1;
        EvictionPolicy policy = eviction[r.executedArm];
        if (r.systemTokens > 0) {
            rep.cache.put(systemKey(s), r.systemTokens, s.tenant, now, policy, treated);
        }
    }

    private static long systemKey(Session s) {
        return ((long) s.tenant << 1) | 1L;
    }

    private static long sessionKey(Session s) {
        return s.id << 1;
    }

    void complete(Req r, double now) {
        Session s = r.session;
        departures++;
        sojournSum += now - r.enqueueTime;
        lastDeparture = Math.max(lastDeparture, now);
        r.completed = true;
        r.error = false;
        r.end = now;
        int history = s.history + s.newPrompt[r.turn] + s.output[r.turn];
        Replica rep = r.replica;
        rep.cache.put(sessionKey(s), history, s.tenant, now, eviction[r.executedArm], r.executedArm == 1);
        s.history = history;
        log(r);
        if (r.turn + 1 < s.newPrompt.length) {
            events.push(now + s.think[r.turn], TURN, s, r.turn + 1);
        }
    }

    private void log(Req r) {
        Scenario.Supply sup = sc.supply();
        Scenario.Model m = sup.models().get(r.session.model);
        Scenario.Gpu gpu = sup.gpus().get(r.session.cluster % sup.gpus().size());
        r.gpuSeconds = r.replicaSeconds * m.gpus();
        r.costUsd = r.gpuSeconds * gpu.dollarsPerHour() / 3600.0;
        r.valueUsd = r.completed ? r.outputTokens / 1000.0 * VALUE_PER_KILO_TOKEN[r.session.tier] : 0;
        Scenario.Faults f = sc.faults();
        if (f.dropRate() > 0 && (f.dropArm().isEmpty() || f.dropArm().equals(policy[r.arm].label()))
                && unit(r.id, 0xD209L) < f.dropRate()) {
            dropped++;
            return;
        }
        logged++;
        sink.accept(r);
    }

    /** Value of a thousand output tokens to the business, by tier (free, pro, enterprise). */
    static final double[] VALUE_PER_KILO_TOKEN = {0.0005, 0.006, 0.012};

    private void incident(int index, boolean start) {
        Scenario.Incident inc = sc.incidents().get(index);
        if (inc.cluster() < 0 || inc.cluster() >= pools.length) {
            return;
        }
        for (Replica[] pool : pools[inc.cluster()]) {
            int down = (int) Math.ceil(inc.capacityLoss() * pool.length - 1e-9);
            for (int i = 0; i < down && i < pool.length; i++) {
                pool[i].up = !start;
            }
        }
    }

    // randomness helpers

    /** SplitMix64 finalizer of a combination of two longs: the derivation of every stream's seed. */
    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A uniform in [0, 1) that depends only on (id, salt): per-request decisions that must not shift streams. */
    static double unit(long id, long salt) {
        return (mix(id, salt) >>> 11) * 0x1.0p-53;
    }

    private static int poisson(SplittableRandom rng, double mean) {
        int k = 0;
        double t = -Math.log(1 - rng.nextDouble());
        while (t < mean) {
            k++;
            t += -Math.log(1 - rng.nextDouble());
        }
        return k;
    }

    /** Vose's alias method: O(1) draws from a discrete distribution. */
    static final class Alias {
        private final double[] prob;
        private final int[] alias;

        Alias(double[] weights) {
            int n = weights.length;
            prob = new double[n];
            alias = new int[n];
            double total = 0;
            for (double w : weights) {
                total += w;
            }
            double[] scaled = new double[n];
            int[] small = new int[n];
            int[] large = new int[n];
            int ns = 0;
            int nl = 0;
            for (int i = 0; i < n; i++) {
                scaled[i] = weights[i] * n / total;
                if (scaled[i] < 1) {
                    small[ns++] = i;
                } else {
                    large[nl++] = i;
                }
            }
            while (ns > 0 && nl > 0) {
                int s = small[--ns];
                int l = large[--nl];
                prob[s] = scaled[s];
                alias[s] = l;
                scaled[l] = scaled[l] + scaled[s] - 1;
                if (scaled[l] < 1) {
                    small[ns++] = l;
                } else {
                    large[nl++] = l;
                }
            }
            while (nl > 0) {
                prob[large[--nl]] = 1;
            }
            while (ns > 0) {
                prob[small[--ns]] = 1;
            }
        }

        int sample(SplittableRandom rng) {
            int i = rng.nextInt(prob.length);
            return rng.nextDouble() < prob[i] ? i : alias[i];
        }
    }
}

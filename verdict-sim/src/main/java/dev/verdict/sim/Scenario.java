package dev.verdict.sim;

import java.time.Instant;
import java.util.List;

/**
 * Everything the simulator needs to know about one shared inference system and the policy change under test: demand,
 * supply, the control and treatment policies, incidents and logging faults. Read from YAML by {@link ScenarioReader};
 * every field has a documented default (docs/simulator.md).
 *
 * @param name      human name of the change
 * @param seed      master seed; every random stream of a run is derived from it
 * @param start     simulated wall-clock start (UTC)
 * @param hours     simulated duration
 * @param demand    who sends what, when
 * @param supply    regions, clusters, replicas, models and limits
 * @param control   the old policy
 * @param treatment the new policy
 * @param design    the default experimental design applied inside the simulation
 * @param faults    logging faults to switch on (so that checks have something to catch)
 * @param incidents capacity-loss windows
 */
public record Scenario(String name, long seed, Instant start, double hours, Demand demand, Supply supply,
                       PolicySpec control, PolicySpec treatment, SimDesign design, Faults faults,
                       List<Incident> incidents) {

    public Scenario {
        incidents = List.copyOf(incidents);
    }

    /** Simulated duration in seconds. */
    public double seconds() {
        return hours * 3600.0;
    }

    /** A copy with another seed. */
    public Scenario withSeed(long newSeed) {
        return new Scenario(name, newSeed, start, hours, demand, supply, control, treatment, design, faults, incidents);
    }

    /** A copy with another duration. */
    public Scenario withHours(double newHours) {
        return new Scenario(name, seed, start, newHours, demand, supply, control, treatment, design, faults, incidents);
    }

    /** A copy with another design. */
    public Scenario withDesign(SimDesign newDesign) {
        return new Scenario(name, seed, start, hours, demand, supply, control, treatment, newDesign, faults, incidents);
    }

    /** A copy with other faults. */
    public Scenario withFaults(Faults newFaults) {
        return new Scenario(name, seed, start, hours, demand, supply, control, treatment, design, newFaults, incidents);
    }

    /** A copy with a demand scaled by {@code factor} (sessions per second). */
    public Scenario withDemandScale(double factor) {
        Demand d = demand;
        Demand scaled = new Demand(d.sessionsPerSecond() * factor, d.diurnalAmplitude(), d.peakHourUtc(),
                d.weekendFactor(), d.burstsPerDay(), d.burstMultiplier(), d.burstMinutes(), d.tenants(),
                d.tenantZipf(), d.usersPerTenant(), d.tierShares(), d.workloads());
        return new Scenario(name, seed, start, hours, scaled, supply, control, treatment, design, faults, incidents);
    }

    /** Tenant tiers, in priority order. */
    public enum Tier {
        FREE, PRO, ENTERPRISE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Demand: sessions arrive as a non-homogeneous Poisson process whose rate follows a diurnal cosine, a weekend
     * factor and random bursts; each session belongs to a tenant (Zipf-weighted), one of its users, and one workload.
     *
     * @param sessionsPerSecond mean session arrival rate before cycles and bursts
     * @param diurnalAmplitude  relative amplitude of the daily cycle, in [0, 1)
     * @param peakHourUtc       hour of day of the daily peak
     * @param weekendFactor     rate multiplier on Saturdays and Sundays (UTC)
     * @param burstsPerDay      expected number of bursts per simulated day
     * @param burstMultiplier   rate multiplier during a burst
     * @param burstMinutes      burst length
     * @param tenants           number of tenants (workspaces)
     * @param tenantZipf        Zipf exponent of tenant sizes (0 = equal)
     * @param usersPerTenant    users per tenant
     * @param tierShares        share of tenants per tier (free, pro, enterprise)
     * @param workloads         workload mix
     */
    public record Demand(double sessionsPerSecond, double diurnalAmplitude, double peakHourUtc, double weekendFactor,
                         double burstsPerDay, double burstMultiplier, double burstMinutes, int tenants,
                         double tenantZipf, int usersPerTenant, double[] tierShares, List<Workload> workloads) {
        public Demand {
            tierShares = tierShares.clone();
            workloads = List.copyOf(workloads);
        }
    }

    /**
     * One workload: how its sessions look.
     *
     * @param name               label written to the log's {@code workload} column
     * @param share              share of sessions
     * @param model              model the workload calls (a key of {@link Supply#models()})
     * @param meanTurns          mean turns per session (1 = single shot; turns beyond the first are geometric)
     * @param thinkSeconds       mean pause between a response and the next turn (exponential)
     * @param promptTokens       mean new prompt tokens per turn (log-normal)
     * @param outputTokens       mean output tokens per turn (log-normal)
     * @param tokenSigma         log-normal shape of token counts
     * @param systemPromptTokens tokens of the tenant's system prompt, shared by all its sessions of this workload
     * @param realTime           whether a user waits (chat, agentic) or not (batch); batch runs at low priority
     */
    public record Workload(String name, double share, String model, double meanTurns, double thinkSeconds,
                           double promptTokens, double outputTokens, double tokenSigma, int systemPromptTokens,
                           boolean realTime) { }

    /**
     * Supply.
     *
     * @param regions            region names
     * @param clustersPerRegion  clusters in each region
     * @param gpus               GPU generations, assigned to clusters in turn
     * @param models             model serving profiles by name
     * @param replicasPerCluster replicas per model in every cluster, by model name
     * @param timeoutSeconds     queue timeout: a request not admitted to a batch by then times out
     * @param maxRetries         retries after a timeout or a rate-limit rejection
     * @param backoffSeconds     base retry back-off (doubles per attempt, with deterministic jitter)
     * @param rateLimits         per-tenant token-bucket refill in tokens per second, by tier (free, pro, enterprise)
     * @param burstSeconds       token-bucket depth in seconds of refill
     */
    public record Supply(List<String> regions, int clustersPerRegion, List<Gpu> gpus, List<Model> models,
                         int[] replicasPerCluster, double timeoutSeconds, int maxRetries, double backoffSeconds,
                         double[] rateLimits, double burstSeconds) {
        public Supply {
            regions = List.copyOf(regions);
            gpus = List.copyOf(gpus);
            models = List.copyOf(models);
            replicasPerCluster = replicasPerCluster.clone();
            rateLimits = rateLimits.clone();
        }

        public int clusters() {
            return regions.size() * clustersPerRegion;
        }

        /** Cluster names in index order, as the log writes them: {@code region-1, region-2, ...} per region. */
        public List<String> clusterNames() {
            List<String> names = new java.util.ArrayList<>(clusters());
            for (String region : regions) {
                for (int c = 0; c < clustersPerRegion; c++) {
                    names.add(region + "-" + (c + 1));
                }
            }
            return names;
        }

        /** The region of each cluster, in cluster index order (the strata of cluster draws). */
        public List<String> clusterRegions() {
            List<String> out = new java.util.ArrayList<>(clusters());
            for (String region : regions) {
                for (int c = 0; c < clustersPerRegion; c++) {
                    out.add(region);
                }
            }
            return out;
        }

        /** Index of the model with this name, or -1. */
        public int modelIndex(String name) {
            for (int i = 0; i < models.size(); i++) {
                if (models.get(i).name().equals(name)) {
                    return i;
                }
            }
            return -1;
        }
    }

    /**
     * A GPU generation.
     *
     * @param name            label
     * @param speed           throughput relative to the reference generation (costs are divided by it)
     * @param dollarsPerHour  price of one GPU-hour
     */
    public record Gpu(String name, double speed, double dollarsPerHour) { }

    /**
     * The serving profile of one model on one replica (reference GPU generation). An iteration of continuous
     * batching takes {@code overheadMs + prefillMsPerKiloToken * prefill/1000 + decodeMsPerSequence * decoders}.
     *
     * @param name                  label written to {@code model_family}
     * @param gpus                  GPUs per replica (GPU-seconds = replica-seconds x gpus)
     * @param overheadMs            fixed cost of one iteration
     * @param prefillMsPerKiloToken prefill cost per thousand prompt tokens not served from the prefix cache
     * @param decodeMsPerSequence   decode cost per running sequence per iteration
     * @param maxSequences          running sequences per replica
     * @param kvTokens              KV memory per replica, in tokens (prompt + output reserved at admission)
     * @param cacheTokens           prefix-cache capacity per replica, in tokens
     * @param maxContext            longest context; longer sessions end
     * @param tokenBudget           default token budget per iteration (decode tokens + prefill chunk)
     */
    public record Model(String name, int gpus, double overheadMs, double prefillMsPerKiloToken,
                        double decodeMsPerSequence, int maxSequences, int kvTokens, int cacheTokens, int maxContext,
                        int tokenBudget) { }

    /**
     * One arm's policy, as bundled components (see {@link dev.verdict.sim.policy.Policies}).
     *
     * @param label               arm label written to the log
     * @param router              routing policy name
     * @param eviction            prefix-cache eviction policy name
     * @param evictionBonusSeconds parameter of cost-aware eviction: retention bonus of a 1,000-token prefix
     * @param tokenBudgetScale    multiplies each model's token budget per iteration
     * @param rateLimitScale      multiplies the per-tenant rate limits
     * @param priorityTier        tier whose requests jump the queue (empty string = none)
     */
    public record PolicySpec(String label, String router, String eviction, double evictionBonusSeconds,
                             double tokenBudgetScale, double rateLimitScale, String priorityTier) { }

    /**
     * Logging faults.
     *
     * @param dropRate     share of rows of {@code dropArm} lost by the logging pipeline
     * @param dropArm      arm whose rows are dropped ("" = both)
     * @param fallbackRate share of treated requests that silently execute the control policy
     */
    public record Faults(double dropRate, String dropArm, double fallbackRate) {
        public static final Faults NONE = new Faults(0, "", 0);

        public boolean any() {
            return dropRate > 0 || fallbackRate > 0;
        }
    }

    /**
     * A capacity-loss window: a share of one cluster's replicas stop taking new work.
     *
     * @param cluster      cluster index (0-based, regions in order)
     * @param startHour    hours after the start
     * @param hours        length
     * @param capacityLoss share of replicas lost, in (0, 1]
     */
    public record Incident(int cluster, double startHour, double hours, double capacityLoss) { }
}

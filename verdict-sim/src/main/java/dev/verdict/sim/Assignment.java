package dev.verdict.sim;

import dev.verdict.assign.ClusterDraw;
import dev.verdict.assign.HashBucketing;
import dev.verdict.assign.SaturationDesign;
import dev.verdict.assign.SwitchbackSchedule;

import java.util.List;

/**
 * A design's assignment inside the simulation, built on the public primitives of {@code dev.verdict.assign} (the same
 * code a router would call): salted hash bucketing of request, user and workspace ids, a stratified cluster draw, and
 * a switchback schedule randomized within day.
 */
abstract class Assignment {
    private final double share;

    Assignment(double share) {
        this.share = share;
    }

    /** Treated share of the design. */
    final double share() {
        return share;
    }

    /** Arm of a request at its first arrival: 0 control, 1 treatment. */
    abstract int arm(Req r, long startEpoch);

    /** Probability of the request's assigned arm under the design (its {@code arm} must be set). */
    double propensity(Req r) {
        return r.arm == 1 ? share : 1 - share;
    }

    /** The hash salt of a scenario's assignments: a new seed re-randomizes. */
    static String salt(Scenario sc) {
        return "verdict-sim:" + sc.seed();
    }

    static Assignment of(Scenario sc, SimDesign design) {
        double p = design.treatedShare();
        double[] shares = {1 - p, p};
        if (design instanceof SimDesign.Pure pure) {
            return new Assignment(p) {
                int arm(Req r, long startEpoch) {
                    return pure.treated() ? 1 : 0;
                }
            };
        }
        if (design instanceof SimDesign.Request) {
            return hashed(p, new HashBucketing(salt(sc)), shares, Unit.REQUEST);
        }
        if (design instanceof SimDesign.User) {
            return hashed(p, new HashBucketing(salt(sc)), shares, Unit.USER);
        }
        if (design instanceof SimDesign.Workspace) {
            return hashed(p, new HashBucketing(salt(sc)), shares, Unit.WORKSPACE);
        }
        if (design instanceof SimDesign.Cluster) {
            boolean[] treated = clusterDraw(sc, p).treatedMask();
            return new Assignment(p) {
                int arm(Req r, long startEpoch) {
                    return treated[r.session.cluster] ? 1 : 0;
                }
            };
        }
        if (design instanceof SimDesign.Saturation sat) {
            SaturationDesign draw = saturation(sc, sat);
            double[][] clusterShares = new double[sc.supply().clusters()][];
            List<String> names = sc.supply().clusterNames();
            for (int c = 0; c < clusterShares.length; c++) {
                double s = draw.saturation(names.get(c));
                clusterShares[c] = new double[] {1 - s, s};
            }
            HashBucketing hash = draw.hash();
            return new Assignment(p) {
                int arm(Req r, long startEpoch) {
                    return hash.arm(r.id, clusterShares[r.session.cluster]);
                }

                @Override
                double propensity(Req r) {
                    return clusterShares[r.session.cluster][r.arm];
                }
            };
        }
        SwitchbackSchedule schedule = schedule(sc, (SimDesign.Switchback) design);
        return new Assignment(p) {
            int arm(Req r, long startEpoch) {
                return schedule.treatedAt(startEpoch + (long) Math.floor(r.firstArrival)) ? 1 : 0;
            }
        };
    }

    private enum Unit { REQUEST, USER, WORKSPACE }

    private static Assignment hashed(double p, HashBucketing hash, double[] shares, Unit unit) {
        int[] bounds = HashBucketing.treatmentBounds(shares);
        return new Assignment(p) {
            int arm(Req r, long startEpoch) {
                long id = switch (unit) {
                    case REQUEST -> r.id;
                    case USER -> r.session.user;
                    case WORKSPACE -> r.session.tenant;
                };
                // exactly hash.arm(id, shares), with the shares validated and the bucket bounds computed once
                int bucket = hash.bucket(id);
                for (int j = 1; j < bounds.length; j++) {
                    if (bucket < bounds[j]) {
                        return j;
                    }
                }
                return 0;
            }
        };
    }

    /** The cluster draw of a scenario: complete randomization within regions, seeded from the scenario seed. */
    static Draw clusterDraw(Scenario sc, double share) {
        List<String> units = sc.supply().clusterNames();
        List<String> strata = sc.supply().clusterRegions();
        ClusterDraw draw = ClusterDraw.draw(units, strata, share, Simulation.mix(sc.seed(), 0xC1D2L));
        boolean[] mask = new boolean[units.size()];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = draw.treated(units.get(i));
        }
        return new Draw(draw, mask);
    }

    record Draw(ClusterDraw draw, boolean[] treatedMask) { }

    /** The saturation draw of a scenario: cluster levels stratified by region, request hashing salted by the seed. */
    static SaturationDesign saturation(Scenario sc, SimDesign.Saturation sat) {
        return SaturationDesign.draw(sc.supply().clusterNames(), sc.supply().clusterRegions(), sat.levels(),
                Simulation.mix(sc.seed(), 0x5A7L), salt(sc));
    }

    /**
     * The switchback schedule of a scenario: blocks from the start to the end of the horizon, randomized within each
     * UTC day when the run covers whole days with blocks that divide a day, else completely randomized over the run
     * (exactly half the blocks treated at share 1/2), since a part of a day cannot be balanced hour by hour.
     */
    static SwitchbackSchedule schedule(Scenario sc, SimDesign.Switchback sb) {
        long block = Math.round(sb.blockMinutes() * 60);
        long washout = Math.round(sb.washoutMinutes() * 60);
        int blocks = (int) Math.ceil(sc.seconds() / block);
        long origin = sc.start().getEpochSecond();
        long seed = Simulation.mix(sc.seed(), 0x5B0CL);
        boolean wholeDays = SwitchbackSchedule.DAY_SECONDS % block == 0 && Math.floorMod(origin, block) == 0
                && sc.seconds() >= SwitchbackSchedule.DAY_SECONDS;
        return wholeDays
                ? SwitchbackSchedule.randomizedWithinDay(origin, block, washout, blocks, sb.treatedShare(), seed)
                : SwitchbackSchedule.complete(origin, block, washout, blocks, sb.treatedShare(), seed);
    }
}

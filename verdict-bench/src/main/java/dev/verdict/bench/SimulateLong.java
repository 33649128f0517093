package dev.verdict.bench;

import dev.verdict.sim.ArmSummary;
import dev.verdict.sim.Metric;
import dev.verdict.sim.RequestSink;
import dev.verdict.sim.Scenario;
import dev.verdict.sim.Scenarios;
import dev.verdict.sim.Simulation;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One long simulation of the bundled {@code cache-eviction} scenario, to check that memory is bounded by the in-flight
 * state and not by the run length: {@code SimulateLong HOURS [none|summary]} prints requests, wall time, throughput,
 * heap in use after a full GC and the process's peak RSS (VmHWM). bench/sim-memory.sh runs it with -Xmx1g.
 */
public final class SimulateLong {
    private SimulateLong() {
    }

    public static void main(String[] args) throws Exception {
        double hours = args.length > 0 ? Double.parseDouble(args[0]) : 24;
        String sinkName = args.length > 1 ? args[1] : "none";
        Scenario sc = Scenarios.bundled("cache-eviction").withHours(hours);
        ArmSummary summary = new ArmSummary();
        RequestSink sink = sinkName.equals("summary") ? summary : r -> { };
        long t0 = System.nanoTime();
        Simulation.RunStats st = new Simulation(sc, sc.design(), sink).run();
        double secs = (System.nanoTime() - t0) / 1e9;
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long heapMiB = (rt.totalMemory() - rt.freeMemory()) >> 20;
        System.out.printf("scenario cache-eviction, %.1f simulated hours, sink %s%n", hours, sinkName);
        System.out.printf("requests %d  sessions %d  events %d%n", st.requests(), st.sessions(), st.events());
        System.out.printf("wall %.1f s  %.0f requests/s%n", secs, st.requests() / secs);
        if (sinkName.equals("summary")) {
            System.out.printf("mean latency %.1f ms, p99 %.1f ms%n", summary.mean(Metric.LATENCY_MS),
                    summary.quantile(-1, Metric.LATENCY_MS, 0.99));
        }
        System.out.printf("heap after GC %d MiB  %s%n", heapMiB, vmHwm());
    }

    private static String vmHwm() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return "peak RSS (VmHWM) " + (Long.parseLong(line.replaceAll("\\D", "")) >> 10) + " MiB";
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return "peak RSS unavailable";
    }
}

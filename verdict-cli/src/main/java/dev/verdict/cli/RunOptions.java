package dev.verdict.cli;

import dev.verdict.sim.Scenario;
import picocli.CommandLine.Option;

/** The options every simulating verb shares ({@code demo}, {@code simulate}, {@code lab}), as a picocli mixin. */
final class RunOptions {
    @Option(names = "--hours", paramLabel = "H", description = "Simulated hours (default: the scenario's).")
    Double hours;

    @Option(names = "--seed", paramLabel = "N", description = "Seed; the lab's first seed (default: the scenario's).")
    Long seed;

    @Option(names = "--debug", description = "Print stack traces of errors.")
    boolean debug;

    /** The scenario with these options applied. */
    Scenario apply(Scenario sc) {
        return SimulateCommand.configure(sc, hours, seed);
    }
}

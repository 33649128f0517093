package dev.verdict.sim;

/** Receives every logged request in completion order (after logging faults are applied). */
@FunctionalInterface
public interface RequestSink {
    void accept(LoggedRequest request);

    /** Called once when the run ends. */
    default void finish() {
    }
}

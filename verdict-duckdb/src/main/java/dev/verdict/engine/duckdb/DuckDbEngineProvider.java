package dev.verdict.engine.duckdb;

import dev.verdict.reduce.Engine;
import dev.verdict.reduce.EngineProvider;

/** Starts the embedded DuckDB engine (an in-memory database in this process); the master is ignored. */
public final class DuckDbEngineProvider implements EngineProvider {
    @Override
    public String name() {
        return "duckdb";
    }

    @Override
    public Engine open(String master) {
        return DuckDbEngine.inMemory();
    }
}

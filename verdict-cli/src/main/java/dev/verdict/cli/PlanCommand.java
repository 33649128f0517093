package dev.verdict.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "plan", mixinStandardHelpOptions = true, description = "Plan an experiment.")
final class PlanCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}

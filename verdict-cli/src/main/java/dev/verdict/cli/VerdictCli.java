package dev.verdict.cli;

import dev.verdict.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * Entry point of the verdict command line: parses the verb, runs it, and turns failures into one
 * line on standard error and a documented exit status (see docs/cli.md). Stack traces only with
 * {@code --debug}.
 */
@Command(name = "verdict", mixinStandardHelpOptions = true, versionProvider = VerdictCli.Version.class,
        description = "Decide whether a change to shared AI inference infrastructure should ship.",
        subcommands = {AnalyzeCommand.class, PlanCommand.class, AssignCommand.class, DemoCommand.class, SimulateCommand.class, LabCommand.class, CommandLine.HelpCommand.class})
public final class VerdictCli {
    /** Exit status for an unexpected internal failure (a bug: please report it with --debug output). */
    public static final int INTERNAL_ERROR = 1;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams and returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new VerdictCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("verdict: " + ex.getMessage());
            err.println("Run 'verdict " + (ex.getCommandLine().getCommandName().equals("verdict") ? "" : ex.getCommandLine().getCommandName() + " ")
                    + "--help' for usage.");
            return InputException.INVALID_SPEC;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean debug = false;
            for (CommandLine.ParseResult p = parseResult.subcommand(); p != null; p = p.subcommand()) {
                debug |= p.hasMatchedOption("--debug");
            }
            if (debug) {
                ex.printStackTrace(err);
            }
            if (ex instanceof InputException ie) {
                err.println("verdict: error: " + ie.getMessage());
                return ie.exitCode();
            }
            err.println("verdict: internal error: " + ex + (debug ? "" : " (rerun with --debug for the stack trace)"));
            return INTERNAL_ERROR;
        });
        return cli.execute(args);
    }

    /** Reads the version Maven wrote into the jar's resources. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"verdict " + ToolVersion.get()};
        }
    }
}

package dev.verdict.cli;

/** Entry point of the verdict command line. */
public final class VerdictCli {
    private VerdictCli() {
    }

    public static void main(String[] args) {
        System.out.println("verdict");
    }
}

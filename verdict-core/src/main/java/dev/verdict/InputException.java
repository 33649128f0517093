package dev.verdict;

/**
 * Bad input from the user: a spec or a log that verdict cannot analyze as given. The message is one
 * line naming the spec key or column, the value found and the fix; the CLI prints it without a stack
 * trace and exits with {@link #exitCode()}.
 */
public final class InputException extends RuntimeException {
    /** Exit status for an invalid spec or command line. */
    public static final int INVALID_SPEC = 2;
    /** Exit status for data that cannot be analyzed (missing file or column, wrong type, empty arm ...). */
    public static final int INVALID_DATA = 3;

    private final int exitCode;

    private InputException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public static InputException spec(String message) {
        return new InputException(INVALID_SPEC, message, null);
    }

    public static InputException data(String message) {
        return new InputException(INVALID_DATA, message, null);
    }

    public static InputException data(String message, Throwable cause) {
        return new InputException(INVALID_DATA, message, cause);
    }

    public int exitCode() {
        return exitCode;
    }
}

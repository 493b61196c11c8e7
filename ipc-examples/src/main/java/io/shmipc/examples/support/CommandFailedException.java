package io.shmipc.examples.support;

/**
 * A command could not do its job for an expected reason (a peer never answered, a channel stayed full, the region
 * was deleted): the message is printed as {@code shm-ipc COMMAND: error: MESSAGE}, without a stack trace, and the
 * command exits with the code the exception carries ({@link ExitCodes}).
 */
public final class CommandFailedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /**
     * A failure ({@link ExitCodes#FAILURE}) with a message for the user.
     *
     * @param message what failed and, where possible, what to do about it.
     */
    public CommandFailedException(final String message)
    {
        this(ExitCodes.FAILURE, message);
    }

    /**
     * A failure with its exit code.
     *
     * @param exitCode one of {@link ExitCodes}.
     * @param message  what failed and, where possible, what to do about it.
     */
    public CommandFailedException(final int exitCode, final String message)
    {
        super(message);
        this.exitCode = exitCode;
    }

    /**
     * The exit code of the command.
     *
     * @return one of {@link ExitCodes}.
     */
    public int exitCode()
    {
        return exitCode;
    }
}

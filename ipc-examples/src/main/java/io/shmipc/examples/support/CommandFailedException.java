package io.shmipc.examples.support;

/**
 * A command could not do its job for an expected reason (a peer never answered, a channel stayed full): the
 * message is printed without a stack trace and the command exits with {@link CommandRunner#FAILURE}.
 */
public final class CommandFailedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * A failure with a message for the user.
     *
     * @param message what failed and, where possible, what to do about it.
     */
    public CommandFailedException(final String message)
    {
        super(message);
    }
}

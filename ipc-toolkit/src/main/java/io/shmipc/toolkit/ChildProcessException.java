package io.shmipc.toolkit;

/**
 * A child process did not do what was waited for: it exited first, the time ran out, or it could not be started.
 * The message names the child and ends with its last lines of output.
 */
public final class ChildProcessException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * A failure with its description.
     *
     * @param message what happened, with the child's output.
     */
    public ChildProcessException(final String message)
    {
        super(message);
    }

    /**
     * A failure with its cause.
     *
     * @param message what happened.
     * @param cause   why.
     */
    public ChildProcessException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}

package io.shmipc.examples.container;

/**
 * The two sides of a {@link SharedMemoryHandshake} do not see the same shared memory, or one of them did not take
 * part in time. The message says which side failed, at which step, and what usually causes it.
 */
public final class HandshakeException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * Create with a message.
     *
     * @param message what failed and what to check.
     */
    public HandshakeException(final String message)
    {
        super(message);
    }

    /**
     * Create with a message and the failure that caused it.
     *
     * @param message what failed and what to check.
     * @param cause   the underlying failure.
     */
    public HandshakeException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}

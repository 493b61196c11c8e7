package io.shmipc.tests.container;

/**
 * Two sides that a test expects to share memory (the test JVM and a container, or two containers) do not: the
 * "same memory?" handshake of {@link SharedMemoryContainer} failed. The message names both sides, how the container
 * shares memory, and what each side reported.
 */
public final class SharedMemoryMismatchError extends AssertionError
{
    private static final long serialVersionUID = 1L;

    /**
     * Create with a message.
     *
     * @param message both sides' reports.
     */
    public SharedMemoryMismatchError(final String message)
    {
        super(message);
    }
}

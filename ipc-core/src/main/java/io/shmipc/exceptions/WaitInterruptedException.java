package io.shmipc.exceptions;

/**
 * A call that had to wait (an attach for its region, a service call for its final response, a change of the channel
 * directory for its lock) was ended by {@link Thread#interrupt()}. The thread's interrupt status is left set, so
 * that the code above it sees the interrupt too. Calls that return a count (blocking polls, {@code WaitSet.await},
 * channel list waits) do not throw this: they return early, as on their timeout, with the status set.
 */
public class WaitInterruptedException extends ShmIpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * Create the exception.
     *
     * @param region  the region name or path, or {@code null}.
     * @param message what was being waited for, with {@code name=value} details.
     */
    public WaitInterruptedException(final String region, final String message)
    {
        super(region, message);
    }
}

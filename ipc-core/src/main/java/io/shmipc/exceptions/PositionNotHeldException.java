package io.shmipc.exceptions;

/**
 * A subscriber asked to start at a position of a {@code PUBLISH_SUBSCRIBE} channel that the log does not hold: older
 * than its oldest message, newer than its tail, or not where a message starts.
 */
public class PositionNotHeldException extends ShmIpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * Create the exception.
     *
     * @param region  the region name or path.
     * @param message what went wrong, with the position, the oldest position and the tail.
     */
    public PositionNotHeldException(final String region, final String message)
    {
        super(region, message);
    }
}

package io.shmipc.exceptions;

/**
 * A publisher or subscriber slot that admits one endpoint is held by another live endpoint, in this or any other
 * process (a second publisher on a ONE_TO_ONE channel, a second subscriber on a ring channel, or a full endpoint
 * table).
 */
public class ChannelInUseException extends ShmIpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * Create the exception.
     *
     * @param region  the region name or path, or {@code null}.
     * @param message what went wrong, with {@code name=value} details.
     */
    public ChannelInUseException(final String region, final String message)
    {
        super(region, message);
    }
}

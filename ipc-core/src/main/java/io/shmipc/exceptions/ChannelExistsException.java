package io.shmipc.exceptions;

/**
 * A channel was to be created, but the region already has a channel of that name.
 */
public class ChannelExistsException extends ShmIpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * Create the exception.
     *
     * @param region  the region name or path.
     * @param message what went wrong, with {@code name=value} details.
     */
    public ChannelExistsException(final String region, final String message)
    {
        super(region, message);
    }
}

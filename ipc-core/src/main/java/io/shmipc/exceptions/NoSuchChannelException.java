package io.shmipc.exceptions;

/**
 * A channel name is not in the region's directory.
 */
public class NoSuchChannelException extends ShmIpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * Create the exception.
     *
     * @param region  the region name or path, or {@code null}.
     * @param message what went wrong, with {@code name=value} details.
     */
    public NoSuchChannelException(final String region, final String message)
    {
        super(region, message);
    }
}

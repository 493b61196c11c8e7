package io.shmipc.exceptions;

/**
 * A channel already has as many live endpoints of a role as its kind admits, in this and every other process
 * together: a second publisher on a ONE_TO_ONE or BROADCAST channel, a second subscriber on a ring channel, a 64th
 * publisher on a MANY_TO_ONE channel or a 64th subscriber on a BROADCAST channel. The message names the kind's limit.
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

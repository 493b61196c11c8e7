package io.shmipc.exceptions;

/**
 * A message is longer than its channel's maximum message length.
 */
public class MessageTooLargeException extends ShmIpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * Create the exception.
     *
     * @param region  the region name or path, or {@code null}.
     * @param message what went wrong, with {@code name=value} details.
     */
    public MessageTooLargeException(final String region, final String message)
    {
        super(region, message);
    }
}

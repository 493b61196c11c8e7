package io.shmipc.exceptions;

/**
 * A name, size or option given to shm-ipc is invalid; the message names the option and the value.
 */
public class InvalidConfigurationException extends ShmIpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * Create the exception.
     *
     * @param region  the region name or path, or {@code null}.
     * @param message what went wrong, with {@code name=value} details.
     */
    public InvalidConfigurationException(final String region, final String message)
    {
        super(region, message);
    }
}

package io.shmipc.exceptions;

/**
 * An attach waited its whole timeout for a region to appear or become READY.
 */
public class RegionTimeoutException extends ShmIpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * Create the exception.
     *
     * @param region  the region name or path, or {@code null}.
     * @param message what went wrong, with {@code name=value} details.
     */
    public RegionTimeoutException(final String region, final String message)
    {
        super(region, message);
    }
}

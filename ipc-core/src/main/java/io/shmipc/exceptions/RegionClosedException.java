package io.shmipc.exceptions;

/**
 * A region, publisher or subscriber was used after it was closed. Nothing in the unmapped memory was touched.
 */
public class RegionClosedException extends ShmIpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * Create the exception.
     *
     * @param region  the region name or path, or {@code null}.
     * @param message what went wrong, with {@code name=value} details.
     */
    public RegionClosedException(final String region, final String message)
    {
        super(region, message);
    }
}

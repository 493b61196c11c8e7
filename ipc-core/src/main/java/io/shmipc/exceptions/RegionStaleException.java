package io.shmipc.exceptions;

/**
 * A region was left by a process that died: it never became READY and no live process is initialising or using it.
 */
public class RegionStaleException extends ShmIpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * Create the exception.
     *
     * @param region  the region name or path, or {@code null}.
     * @param message what went wrong, with {@code name=value} details.
     */
    public RegionStaleException(final String region, final String message)
    {
        super(region, message);
    }
}

package io.shmipc.exceptions;

/**
 * Base of every error shm-ipc raises for bad input, a broken region or a failed system call.
 * <p>
 * The message always names the region (or path) concerned, and where a value was wrong, the field,
 * what was expected and what was found, written as {@code name=value} pairs.
 */
public class ShmIpcException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String region;

    /**
     * Create an exception about a region.
     *
     * @param region  name or path of the region concerned, or {@code null} when none applies.
     * @param message what went wrong.
     */
    public ShmIpcException(final String region, final String message)
    {
        super(message);
        this.region = region;
    }

    /**
     * Create an exception about a region with a cause.
     *
     * @param region  name or path of the region concerned, or {@code null} when none applies.
     * @param message what went wrong.
     * @param cause   the underlying failure.
     */
    public ShmIpcException(final String region, final String message, final Throwable cause)
    {
        super(message, cause);
        this.region = region;
    }

    /**
     * The region (shared-memory name or file path) this error concerns.
     *
     * @return the region, or {@code null} when the error is not about one region.
     */
    public String region()
    {
        return region;
    }
}

package io.shmipc.exceptions;

/**
 * A system call failed. Carries the call, the region it was made for, {@code errno} and {@code strerror}.
 * <p>
 * Subclasses name the conditions callers commonly handle: {@link RegionExistsException},
 * {@link RegionNotFoundException}, {@link RegionPermissionException}, {@link RegionNoSpaceException} and
 * {@link InvalidNativeArgumentException}.
 */
public class NativeCallException extends ShmIpcException
{
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    /**
     * Create an exception for a failed call.
     *
     * @param call    the system call, e.g. {@code shm_open}.
     * @param region  the region name or path the call was made for.
     * @param errno   the error number the call set.
     * @param message full message, normally built by {@link #describe(String, String, int, String, String)}.
     */
    public NativeCallException(final String call, final String region, final int errno, final String message)
    {
        super(region, message);
        this.call = call;
        this.errno = errno;
    }

    /**
     * The system call that failed.
     *
     * @return the call name, e.g. {@code mmap}.
     */
    public String call()
    {
        return call;
    }

    /**
     * The error number the call reported.
     *
     * @return {@code errno}.
     */
    public int errno()
    {
        return errno;
    }

    /**
     * Build the standard message: {@code call failed: region=... errno=N (strerror) detail}.
     *
     * @param call     the system call.
     * @param region   the region name or path.
     * @param errno    the error number.
     * @param strerror the text the C library gives for {@code errno}.
     * @param detail   extra words for the reader (what to do about it), may be empty.
     * @return the message.
     */
    public static String describe(
        final String call, final String region, final int errno, final String strerror, final String detail)
    {
        final String base = call + " failed: region=" + region + " errno=" + errno + " (" + strerror + ")";
        return detail == null || detail.isEmpty() ? base : base + ": " + detail;
    }
}

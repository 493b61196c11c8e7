package io.shmipc.exceptions;

/**
 * The file system holding the region has no room for it (ENOSPC), most often a full {@code /dev/shm}.
 * <p>
 * Raised at create time, when space is preallocated, so that a full file system never turns into a
 * {@code SIGBUS} later. The message names the size asked for, the space free and the fix.
 */
public class RegionNoSpaceException extends NativeCallException
{
    private static final long serialVersionUID = 1L;

    private final long requestedBytes;
    private final long freeBytes;

    /**
     * Create the exception.
     *
     * @param call           the system call that failed.
     * @param region         the region name or path.
     * @param errno          the error number.
     * @param message        the full message.
     * @param requestedBytes the region length asked for.
     * @param freeBytes      the space the file system reported free, or -1 when unknown.
     */
    public RegionNoSpaceException(
        final String call,
        final String region,
        final int errno,
        final String message,
        final long requestedBytes,
        final long freeBytes)
    {
        super(call, region, errno, message);
        this.requestedBytes = requestedBytes;
        this.freeBytes = freeBytes;
    }

    /**
     * The length of the region that could not be created.
     *
     * @return bytes asked for.
     */
    public long requestedBytes()
    {
        return requestedBytes;
    }

    /**
     * The free space the file system reported when creation failed.
     *
     * @return bytes free, or -1 when unknown.
     */
    public long freeBytes()
    {
        return freeBytes;
    }
}

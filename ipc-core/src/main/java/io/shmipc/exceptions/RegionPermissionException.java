package io.shmipc.exceptions;

/**
 * A system call failed because the caller may not open or change the region (EACCES, EPERM), or a symbolic link was
 * planted at its path (ELOOP).
 */
public class RegionPermissionException extends NativeCallException
{
    private static final long serialVersionUID = 1L;

    /**
     * Create the exception.
     *
     * @param call    the system call that failed.
     * @param region  the region name or path.
     * @param errno   the error number.
     * @param message the full message.
     */
    public RegionPermissionException(final String call, final String region, final int errno, final String message)
    {
        super(call, region, errno, message);
    }
}

package io.shmipc.exceptions;

/**
 * A system call failed because the kernel refused an argument (EINVAL), for example a length or flag it does not
 * support.
 */
public class InvalidNativeArgumentException extends NativeCallException
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
    public InvalidNativeArgumentException(final String call, final String region, final int errno, final String message)
    {
        super(call, region, errno, message);
    }
}

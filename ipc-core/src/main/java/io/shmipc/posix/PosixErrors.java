package io.shmipc.posix;

import io.shmipc.exceptions.InvalidNativeArgumentException;
import io.shmipc.exceptions.NativeCallException;
import io.shmipc.exceptions.RegionExistsException;
import io.shmipc.exceptions.RegionNoSpaceException;
import io.shmipc.exceptions.RegionNotFoundException;
import io.shmipc.exceptions.RegionPermissionException;

import java.util.Locale;

/**
 * Typed errors at the native edge: each {@code errno} a call can fail with becomes the exception that says what it
 * means for a region (exists, not found, permission denied, no space, invalid argument), carrying the call, the
 * region and {@code strerror}.
 */
public final class PosixErrors
{
    private PosixErrors()
    {
    }

    /**
     * The C library's text for an error number.
     *
     * @param errno the number.
     * @return its description.
     */
    public static String strerror(final int errno)
    {
        final String text = LibC.strerror(errno);
        return text == null ? "errno " + errno : text;
    }

    /**
     * Build the typed exception for a failed call.
     *
     * @param call   the system call.
     * @param region the region name or path.
     * @param errno  the error number.
     * @return the exception to throw.
     */
    public static NativeCallException error(final String call, final String region, final int errno)
    {
        final String strerror = strerror(errno);
        switch (errno)
        {
            case Errno.EEXIST:
                return new RegionExistsException(call, region, errno,
                    NativeCallException.describe(call, region, errno, strerror, "the region already exists"));
            case Errno.ENOENT:
                return new RegionNotFoundException(call, region, errno,
                    NativeCallException.describe(call, region, errno, strerror, "no such region"));
            case Errno.EACCES:
            case Errno.EPERM:
                return new RegionPermissionException(call, region, errno,
                    NativeCallException.describe(call, region, errno, strerror,
                    "permission denied: check the region's owner and mode (ls -l) against this process's user"));
            case Errno.ELOOP:
                return new RegionPermissionException(call, region, errno,
                    NativeCallException.describe(call, region, errno, strerror,
                    "the path is a symbolic link, refused (O_NOFOLLOW)"));
            case Errno.ENOSPC:
            case Errno.EDQUOT:
                return new RegionNoSpaceException(call, region, errno,
                    NativeCallException.describe(call, region, errno, strerror, "no space left"), -1, -1);
            case Errno.EISDIR:
                return new NativeCallException(call, region, errno,
                    NativeCallException.describe(call, region, errno, strerror,
                    "the path is a directory, not a region: name the region's file"));
            case Errno.EINVAL:
                return new InvalidNativeArgumentException(call, region, errno,
                    NativeCallException.describe(call, region, errno, strerror, "invalid argument"));
            default:
                return new NativeCallException(call, region, errno,
                    NativeCallException.describe(call, region, errno, strerror, ""));
        }
    }

    static NativeCallException spaceOrError(
        final String call, final String region, final int errno, final long requested, final long freeBytes)
    {
        if (errno != Errno.ENOSPC && errno != Errno.EDQUOT && errno != Errno.EFBIG)
        {
            return error(call, region, errno);
        }
        final String detail = "cannot allocate the region: requested=" + requested + " bytes (" +
            mebibytes(requested) + ") free=" + (freeBytes < 0 ? "unknown" : freeBytes + " bytes (" +
            mebibytes(freeBytes) + ")") + "; free space on that file system or make it larger" +
            (isInDevShm(region) ? " (in Docker: docker run --shm-size=" + suggestedShmSize(requested) +
            ", or shm_size in compose)" : "");
        return new RegionNoSpaceException(call, region, errno,
            NativeCallException.describe(call, region, errno, strerror(errno), detail), requested, freeBytes);
    }

    /**
     * Whether the region lives in {@code /dev/shm}, whose size Docker sets with {@code --shm-size}.
     */
    private static boolean isInDevShm(final String region)
    {
        return region.startsWith("shm:") || region.startsWith("/dev/shm/");
    }

    private static String mebibytes(final long bytes)
    {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    private static String suggestedShmSize(final long requested)
    {
        final long mebibytes = (requested + (1 << 20) - 1) >> 20;
        long suggestion = 64;
        while (suggestion < mebibytes * 2)
        {
            suggestion <<= 1;
        }
        return suggestion + "m";
    }
}

package io.shmipc.posix;

/**
 * The Linux error numbers shm-ipc tells apart (identical on x86_64 and aarch64).
 */
public final class Errno
{
    /** Operation not permitted. */
    public static final int EPERM = 1;
    /** No such file or directory. */
    public static final int ENOENT = 2;
    /** Interrupted system call. */
    public static final int EINTR = 4;
    /** Resource temporarily unavailable (also a lock held by another). */
    public static final int EAGAIN = 11;
    /** Cannot allocate memory. */
    public static final int ENOMEM = 12;
    /** Permission denied. */
    public static final int EACCES = 13;
    /** Bad address: a system call met memory that is not mapped (or no longer backed). */
    public static final int EFAULT = 14;
    /** File exists. */
    public static final int EEXIST = 17;
    /** Is a directory: what {@code open} with {@code O_TMPFILE} reports on kernels before 3.11. */
    public static final int EISDIR = 21;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** File too large. */
    public static final int EFBIG = 27;
    /** No space left on device. */
    public static final int ENOSPC = 28;
    /** Read-only file system. */
    public static final int EROFS = 30;
    /** Broken pipe: the peer of a stream socket closed it. */
    public static final int EPIPE = 32;
    /** Function not implemented. */
    public static final int ENOSYS = 38;
    /** Connection reset by peer. */
    public static final int ECONNRESET = 104;
    /** Connection refused: nothing listens at a socket address. */
    public static final int ECONNREFUSED = 111;
    /** Connection timed out: what {@code FUTEX_WAIT} reports when its timeout passes. */
    public static final int ETIMEDOUT = 110;
    /** Too many levels of symbolic links: what {@code O_NOFOLLOW} reports for a link. */
    public static final int ELOOP = 40;
    /** Operation not supported. */
    public static final int EOPNOTSUPP = 95;
    /** Disk quota exceeded. */
    public static final int EDQUOT = 122;

    private Errno()
    {
    }
}

package io.shmipc.posix;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/**
 * Open-file-description byte-range locks ({@code F_OFD_SETLK} / {@code F_OFD_GETLK}).
 * <p>
 * An OFD lock belongs to the open file description, not the process: the kernel drops it the moment the last
 * descriptor of that description closes, which happens when the process dies, whatever PID namespace or
 * container it runs in. shm-ipc uses them as proof of life. Locks of one description never conflict with each
 * other, so probes must be made from a different description than the one holding the lock.
 * <p>
 * Each thread fills a {@code struct flock} of its own, made once, so a probe (which housekeeping and waits make from
 * time to time) allocates nothing.
 */
public final class FileLocks
{
    private static final ThreadLocal<Memory> FLOCK =
        ThreadLocal.withInitial(() -> new Memory(PosixPlatform.FLOCK_SIZE));

    private FileLocks()
    {
    }

    /**
     * Try to take a lock without waiting.
     *
     * @param fd     the descriptor (open for writing for a write lock).
     * @param type   {@link PosixPlatform#F_RDLCK} or {@link PosixPlatform#F_WRLCK}.
     * @param start  first byte.
     * @param length number of bytes.
     * @param region the region, for messages.
     * @return true when taken, false when another description holds a conflicting lock.
     */
    public static boolean tryLock(final int fd, final short type, final long start, final long length,
        final String region)
    {
        try
        {
            LibC.fcntl(fd, PosixPlatform.F_OFD_SETLK, flock(type, start, length));
            return true;
        }
        catch (final LastErrorException ex)
        {
            if (ex.getErrorCode() == Errno.EAGAIN || ex.getErrorCode() == Errno.EACCES)
            {
                return false;
            }
            throw PosixErrors.error("fcntl(F_OFD_SETLK)", region, ex.getErrorCode());
        }
    }

    /**
     * Release a lock held through this descriptor.
     *
     * @param fd     the descriptor.
     * @param start  first byte.
     * @param length number of bytes.
     * @param region the region, for messages.
     */
    public static void unlock(final int fd, final long start, final long length, final String region)
    {
        try
        {
            LibC.fcntl(fd, PosixPlatform.F_OFD_SETLK, flock(PosixPlatform.F_UNLCK, start, length));
        }
        catch (final LastErrorException ex)
        {
            throw PosixErrors.error("fcntl(F_OFD_SETLK)", region, ex.getErrorCode());
        }
    }

    /**
     * Ask whether another open file description holds a lock that conflicts with {@code type} on the range.
     *
     * @param fd     a descriptor of a different open file description than the holder's.
     * @param type   the lock that would be taken: a write lock conflicts with any lock.
     * @param start  first byte.
     * @param length number of bytes.
     * @param region the region, for messages.
     * @return true when a conflicting lock is held.
     */
    public static boolean isLocked(final int fd, final short type, final long start, final long length,
        final String region)
    {
        return isLocked(fd, type, start, length, region, FLOCK.get());
    }

    /**
     * {@link #isLocked(int, short, long, long, String)} with a {@code struct flock} of the caller's, so that a probe
     * allocates nothing.
     *
     * @param fd      a descriptor of a different open file description than the holder's.
     * @param type    the lock that would be taken: a write lock conflicts with any lock.
     * @param start   first byte.
     * @param length  number of bytes.
     * @param region  the region, for messages.
     * @param scratch from {@link #newFlock()}, used by one thread at a time.
     * @return true when a conflicting lock is held.
     */
    public static boolean isLocked(final int fd, final short type, final long start, final long length,
        final String region, final Memory scratch)
    {
        fill(scratch, type, start, length);
        try
        {
            LibC.fcntl(fd, PosixPlatform.F_OFD_GETLK, scratch);
            return scratch.getShort(PosixPlatform.FLOCK_TYPE_OFFSET) != PosixPlatform.F_UNLCK;
        }
        catch (final LastErrorException ex)
        {
            throw PosixErrors.error("fcntl(F_OFD_GETLK)", region, ex.getErrorCode());
        }
    }

    /**
     * A {@code struct flock} to reuse for probes.
     *
     * @return native memory of {@link PosixPlatform#FLOCK_SIZE} bytes.
     */
    public static Memory newFlock()
    {
        return new Memory(PosixPlatform.FLOCK_SIZE);
    }

    private static Memory flock(final short type, final long start, final long length)
    {
        final Memory flock = FLOCK.get();
        fill(flock, type, start, length);
        return flock;
    }

    private static void fill(final Memory flock, final short type, final long start, final long length)
    {
        flock.clear();
        flock.setShort(PosixPlatform.FLOCK_TYPE_OFFSET, type);
        flock.setShort(PosixPlatform.FLOCK_WHENCE_OFFSET, PosixPlatform.SEEK_SET);
        flock.setLong(PosixPlatform.FLOCK_START_OFFSET, start);
        flock.setLong(PosixPlatform.FLOCK_LEN_OFFSET, length);
    }
}

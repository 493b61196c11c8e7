package io.shmipc.liveness;

import io.shmipc.posix.FileLocks;
import io.shmipc.posix.PosixPlatform;

import java.util.HashSet;
import java.util.Set;

/**
 * The OFD locks one open region holds, and the probes it makes about other processes' locks.
 * <p>
 * Locks are taken through the region's read-write descriptor. The kernel lets one open file description take
 * the same byte twice, so this class also keeps the bytes held in this process and refuses a second holder
 * itself. Probes use a second descriptor (a separate open file description of the same file), so a probe sees
 * this process's own locks exactly as another process would.
 * <p>
 * {@link #close()} runs before the region's descriptors are closed. A scan of many probes that must not run on
 * closed (or reused) descriptors holds this object's monitor and checks {@link #isClosed()} first, as
 * {@link EndpointRegistration#countAlive} does.
 */
public final class RegionLocks
{
    private final String region;
    private final int lockFd;
    private final int probeFd;
    private final Set<Long> held = new HashSet<>();
    private boolean closed;

    /**
     * Create over two descriptors of one file.
     *
     * @param region  the region, for messages.
     * @param lockFd  descriptor the locks are held through (read-write).
     * @param probeFd descriptor of another open file description of the same file.
     */
    public RegionLocks(final String region, final int lockFd, final int probeFd)
    {
        this.region = region;
        this.lockFd = lockFd;
        this.probeFd = probeFd;
    }

    /**
     * Take an exclusive lock on one byte, unless this or another process holds it.
     *
     * @param offset the byte.
     * @return true when taken.
     */
    public synchronized boolean tryHold(final long offset)
    {
        if (held.contains(offset))
        {
            return false;
        }
        if (FileLocks.tryLock(lockFd, PosixPlatform.F_WRLCK, offset, 1, region))
        {
            held.add(offset);
            return true;
        }
        return false;
    }

    /**
     * Take a shared lock on one byte (several processes may hold it).
     *
     * @param offset the byte.
     * @return true when taken.
     */
    public synchronized boolean holdShared(final long offset)
    {
        if (FileLocks.tryLock(lockFd, PosixPlatform.F_RDLCK, offset, 1, region))
        {
            held.add(offset);
            return true;
        }
        return false;
    }

    /**
     * Release a byte this process holds. Does nothing if it is not held.
     *
     * @param offset the byte.
     */
    public synchronized void release(final long offset)
    {
        if (held.remove(offset))
        {
            FileLocks.unlock(lockFd, offset, 1, region);
        }
    }

    /**
     * Mark the locks gone with the region's descriptors, after any scan that holds this object's monitor.
     */
    public synchronized void close()
    {
        closed = true;
        held.clear();
    }

    /**
     * Whether {@link #close()} has run.
     *
     * @return true once the region's descriptors are being closed.
     */
    public synchronized boolean isClosed()
    {
        return closed;
    }

    /**
     * Whether any process, this one included, holds a lock on the byte.
     *
     * @param offset the byte.
     * @return true when locked.
     */
    public boolean isHeld(final long offset)
    {
        return FileLocks.isLocked(probeFd, PosixPlatform.F_WRLCK, offset, 1, region);
    }
}

package io.shmipc.liveness;

import com.sun.jna.Memory;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.posix.FileLocks;
import io.shmipc.posix.PosixPlatform;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The OFD locks one open region holds, and the probes it makes about other processes' locks.
 * <p>
 * Locks are taken through the region's read-write descriptor. The kernel lets one open file description take
 * the same byte twice, so this class also keeps the bytes held in this process and refuses a second holder
 * itself. Probes use a second descriptor (a separate open file description of the same file), so a probe sees
 * this process's own locks exactly as another process would.
 * <p>
 * {@link #close()} runs before the region's descriptors are closed. Every lock call and probe holds this object's
 * monitor and checks for close first, so none runs on a closed descriptor, or on a reused one that names another
 * file; a scan of many probes holds the monitor across the whole scan. Probes write their {@code struct flock}
 * into scratch memory this object owns (guarded by the same monitor), so a probe allocates nothing.
 */
public final class RegionLocks
{
    private final String region;
    private final int lockFd;
    private final int probeFd;
    private final Set<Long> held = new HashSet<>();
    private final Map<Long, Integer> sharedHolders = new HashMap<>();
    private final Memory probeScratch = FileLocks.newFlock();
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
        ensureOpen();
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
        ensureOpen();
        if (FileLocks.tryLock(lockFd, PosixPlatform.F_RDLCK, offset, 1, region))
        {
            held.add(offset);
            return true;
        }
        return false;
    }

    /**
     * Take a shared lock on one byte for one more holder in this process: the first takes the lock from the kernel,
     * the others count on it, so that several endpoints of this process may share one read lock and
     * {@link #releaseShared} drops it only after the last. Refused while this process holds the byte exclusively.
     *
     * @param offset the byte.
     * @return true when held (now or already), false when another process holds it exclusively.
     */
    public synchronized boolean acquireShared(final long offset)
    {
        final Integer holders = sharedHolders.get(offset);
        if (holders != null)
        {
            sharedHolders.put(offset, holders + 1);
            return true;
        }
        if (held.contains(offset) || !FileLocks.tryLock(lockFd, PosixPlatform.F_RDLCK, offset, 1, region))
        {
            return false;
        }
        held.add(offset);
        sharedHolders.put(offset, 1);
        return true;
    }

    /**
     * One holder of a shared lock taken with {@link #acquireShared} is done; the last releases the lock. Does
     * nothing for a byte not held that way.
     *
     * @param offset the byte.
     */
    public synchronized void releaseShared(final long offset)
    {
        final Integer holders = sharedHolders.get(offset);
        if (holders == null)
        {
            return;
        }
        if (holders > 1)
        {
            sharedHolders.put(offset, holders - 1);
            return;
        }
        sharedHolders.remove(offset);
        release(offset);
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
        sharedHolders.clear();
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
     * @throws RegionClosedException once {@link #close()} has run: the answer could only be a guess, and a caller
     *                               that acts on "free" (padding a dead publisher's record) must never guess.
     */
    public synchronized boolean isHeld(final long offset)
    {
        ensureOpen();
        return FileLocks.isLocked(probeFd, PosixPlatform.F_WRLCK, offset, 1, region, probeScratch);
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new RegionClosedException(region, "region is closed: region=" + region +
                " (its descriptors and locks are released)");
        }
    }
}

package io.shmipc.region;

import io.shmipc.RegionLocation;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.NativeCallException;
import io.shmipc.exceptions.RegionNotFoundException;
import io.shmipc.exceptions.RegionPermissionException;
import io.shmipc.posix.Errno;
import io.shmipc.posix.FileLocks;
import io.shmipc.posix.FileStat;
import io.shmipc.posix.Posix;
import io.shmipc.posix.PosixPlatform;
import org.agrona.concurrent.UnsafeBuffer;

import static io.shmipc.layout.RegionHeaderDescriptor.*;

/**
 * The only code that removes a region's name, and only once the file there is proven to be a shm-ipc region: a
 * regular file (a FIFO, a device or a symbolic link never is), whose first bytes are the region magic and a major
 * version this library reads. The file's header is read with {@code pread}, never mapped, so a file truncated
 * meanwhile cannot fault. A file that is not proven, whatever it holds, is never unlinked.
 */
public final class RegionRemoval
{
    /** Bytes read to prove a header: magic, versions, region length and state. */
    private static final int PROOF_LENGTH = STATE_OFFSET + Integer.BYTES;

    private RegionRemoval()
    {
    }

    /**
     * Unlink a region if, and only if, it is proven to be a shm-ipc region and no process has it open or is
     * creating it. Proven dead: this call holds write locks on the users byte and the init byte (every process
     * with the region open holds a read lock on the first; a creator holds the second until the region is at its
     * name), and under them the file reads as a region of this major version that is READY (nobody uses it) or
     * INITIALISING (its creator died, an earlier version's creator that built regions at their name). A creator's
     * {@linkplain RegionFiles#isTemporaryName temporary file}, under the same locks, is proven by its name and by
     * its magic: this library's, or none yet (its creator died before writing it). The locks are held until the
     * name is gone, so a process attaching meanwhile retries and then finds no region.
     *
     * @param location the region, or a creator's temporary file in a region directory.
     * @return true when it was proven, stale, and is deleted.
     */
    public static boolean unlinkIfStale(final RegionLocation location)
    {
        return ifProvenStale(location, true);
    }

    /**
     * Whether {@link #unlinkIfStale} would unlink the region now: the same proof, under the same locks, without
     * unlinking (what a dry run of a clean reports).
     *
     * @param location the region.
     * @return true when it is proven a region, and stale.
     */
    public static boolean isProvenStale(final RegionLocation location)
    {
        return ifProvenStale(location, false);
    }

    private static boolean ifProvenStale(final RegionLocation location, final boolean unlink)
    {
        AgronaAccess.verify();
        PosixPlatform.ensureSupported();
        if (!location.isNamed())
        {
            return false; // an anonymous region is never stale: it is gone with its last holder
        }
        final String name = location.toString();
        final int fd;
        try
        {
            fd = openIfPresent(location, RegionFiles.READ_WRITE);
        }
        catch (final RegionPermissionException ex)
        {
            if (ex.errno() != Errno.EACCES)
            {
                throw ex; // a symbolic link at the name (ELOOP), or another refusal that is not the file's mode
            }
            return false; // this process may not write it: it can neither prove it stale under its locks nor remove it
        }
        if (fd < 0)
        {
            return false;
        }
        try
        {
            final FileStat stat = Posix.fstat(fd, name);
            if (!stat.isRegularFile() ||
                !FileLocks.tryLock(fd, PosixPlatform.F_WRLCK, USERS_LOCK_OFFSET, 1, name) ||
                !FileLocks.tryLock(fd, PosixPlatform.F_WRLCK, INIT_LOCK_OFFSET, 1, name))
            {
                return false;
            }
            final boolean proven = RegionFiles.isTemporaryName(location.path().getFileName().toString()) ?
                isCreatorsTemporary(fd, name) : isStaleState(provenState(fd, stat, name));
            if (!proven)
            {
                return false;
            }
            return RegionFiles.isStillLinked(location.path(), fd, name) &&
                (!unlink || RegionFiles.unlink(location.path(), name));
        }
        finally
        {
            Posix.close(fd, name);
        }
    }

    /**
     * Unlink a region's name whether or not it is in use, once the file there is proven to be a shm-ipc region
     * (of any layout version). Processes that have it mapped keep using it.
     *
     * @param location the region.
     * @return true when a name was removed, false when there was none (always for a region without a name).
     * @throws CorruptRegionException naming the field when the file at the name is not a shm-ipc region; it is
     *                                left where it is.
     */
    public static boolean unlinkRegion(final RegionLocation location)
    {
        PosixPlatform.ensureSupported();
        if (!location.isNamed())
        {
            return false;
        }
        final String name = location.toString();
        final int fd = openIfPresent(location, RegionFiles.READ_ONLY);
        if (fd < 0)
        {
            return false;
        }
        try
        {
            final FileStat stat = RegionFiles.regularFileStat(fd, name);
            final UnsafeBuffer header = new UnsafeBuffer(Posix.readStart(fd, PROOF_LENGTH, name));
            final long magic = header.capacity() >= Long.BYTES ? header.getLong(MAGIC_OFFSET) : 0;
            if (magic != MAGIC)
            {
                throw new CorruptRegionException(name, "header.magic", "0x" + Long.toHexString(MAGIC) +
                    " (\"SHM-IPC!\"): not deleting a file that is not a shm-ipc region", stat.size() < Long.BYTES ?
                    "a file of " + stat.size() + " bytes" : "0x" + Long.toHexString(magic));
            }
            return RegionFiles.isStillLinked(location.path(), fd, name) && RegionFiles.unlink(location.path(), name);
        }
        finally
        {
            Posix.close(fd, name);
        }
    }

    /**
     * Unlink a region's name when it still names the file this process has open: a region handle deleting its own
     * region on close must not remove a file someone put at the name after the region was deleted. (Linux cannot
     * unlink a name only if it names a given file, so a file put there in the microseconds between the check and
     * the unlink is removed too.)
     *
     * @param location the region.
     * @param fd       a descriptor of the region's file.
     * @return true when the name was removed.
     */
    static boolean unlinkIfStillLinked(final RegionLocation location, final int fd)
    {
        if (!location.isNamed())
        {
            return false;
        }
        final String name = location.toString();
        return RegionFiles.isStillLinked(location.path(), fd, name) && RegionFiles.unlink(location.path(), name);
    }

    /**
     * Open the file at a region's name; -1 when there is none, or a directory is there (no region to remove).
     */
    private static int openIfPresent(final RegionLocation location, final int flags)
    {
        try
        {
            return RegionFiles.open(location, flags);
        }
        catch (final RegionNotFoundException ex)
        {
            return -1;
        }
        catch (final NativeCallException ex)
        {
            if (ex.errno() == Errno.EISDIR || ex.errno() == Errno.EROFS)
            {
                return -1; // a directory at the name; or a read-only file system, where nothing can be removed
            }
            throw ex;
        }
    }

    private static boolean isStaleState(final int state)
    {
        return state == STATE_READY || state == STATE_INITIALISING;
    }

    /**
     * Whether a file under a temporary name is one a creator of this major version left: empty, no magic written
     * yet, or this library's magic and major version.
     */
    private static boolean isCreatorsTemporary(final int fd, final String name)
    {
        final UnsafeBuffer header = new UnsafeBuffer(Posix.readStart(fd, PROOF_LENGTH, name));
        if (header.capacity() < Long.BYTES || header.getLong(MAGIC_OFFSET) == 0)
        {
            return true;
        }
        return header.getLong(MAGIC_OFFSET) == MAGIC && header.capacity() >= MAJOR_VERSION_OFFSET + Integer.BYTES &&
            header.getInt(MAJOR_VERSION_OFFSET) == MAJOR_VERSION;
    }

    /**
     * The State of a file proven to be a region of this major version, read without mapping it.
     *
     * @param fd   the file.
     * @param stat its status.
     * @param name the region, for messages.
     * @return the State field, or -1 when the file is not proven to be a region.
     */
    static int provenState(final int fd, final FileStat stat, final String name)
    {
        if (!stat.isRegularFile() || stat.size() < HEADER_LENGTH)
        {
            return -1;
        }
        final byte[] bytes = Posix.readStart(fd, PROOF_LENGTH, name);
        if (bytes.length < PROOF_LENGTH)
        {
            return -1;
        }
        final UnsafeBuffer header = new UnsafeBuffer(bytes);
        if (header.getLong(MAGIC_OFFSET) != MAGIC || header.getInt(MAJOR_VERSION_OFFSET) != MAJOR_VERSION)
        {
            return -1;
        }
        return header.getInt(STATE_OFFSET);
    }
}

package io.shmipc.region;

import io.shmipc.RegionLocation;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.NativeCallException;
import io.shmipc.exceptions.RegionNotFoundException;
import io.shmipc.exceptions.RegionPermissionException;
import io.shmipc.layout.RegionHeaderDescriptor;
import io.shmipc.posix.FileLocks;
import io.shmipc.posix.FileStat;
import io.shmipc.posix.Posix;
import io.shmipc.posix.PosixPlatform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A region's file, handled the same way for every caller: opened never following a symbolic link and never
 * inherited by a child process, unlinked by name, and removed as stale only under the locks that prove nobody
 * uses it.
 */
public final class RegionFiles
{
    /** Flags to open a region for use ({@code O_NONBLOCK} so a FIFO planted at the path cannot block). */
    public static final int READ_WRITE =
        PosixPlatform.O_RDWR | PosixPlatform.O_NOFOLLOW | PosixPlatform.O_CLOEXEC | PosixPlatform.O_NONBLOCK;
    /** Flags to open a region for inspection only. */
    public static final int READ_ONLY =
        PosixPlatform.O_RDONLY | PosixPlatform.O_NOFOLLOW | PosixPlatform.O_CLOEXEC | PosixPlatform.O_NONBLOCK;

    private RegionFiles()
    {
    }

    /**
     * Open a region's file or shared-memory object.
     *
     * @param location the region.
     * @param flags    {@link #READ_WRITE} or {@link #READ_ONLY}, plus creation flags.
     * @param mode     permission bits when creating.
     * @return the descriptor.
     */
    public static int open(final RegionLocation location, final int flags, final int mode)
    {
        final String name = location.toString();
        return location.isShm() ?
            Posix.shmOpen(location.shmName(), flags, mode, name) :
            Posix.open(location.path().toString(), flags, mode, name);
    }

    /**
     * Read a region file's status and refuse anything but a regular file.
     *
     * @param fd   the region's descriptor.
     * @param name the region, for messages.
     * @return the status.
     * @throws CorruptRegionException on field {@code file.type} for anything but a regular file.
     */
    public static FileStat regularFileStat(final int fd, final String name)
    {
        final FileStat stat = Posix.fstat(fd, name);
        if (!stat.isRegularFile())
        {
            throw new CorruptRegionException(name, "file.type", "a regular file",
                "mode 0" + Integer.toOctalString(stat.mode()));
        }
        return stat;
    }

    /**
     * Whether the name still points at the file behind {@code fd}: a stale-region cleaner may have unlinked it
     * (and someone created a new region under the name) since it was opened.
     *
     * @param location the region.
     * @param fd       a descriptor of the file opened at that location.
     * @return true when the name still points at that file.
     */
    public static boolean isStillLinked(final RegionLocation location, final int fd)
    {
        final long inode = Posix.fstat(fd, location.toString()).inode();
        try
        {
            final Object linked = Files.getAttribute(location.path(), "unix:ino", LinkOption.NOFOLLOW_LINKS);
            return linked instanceof Long && (Long)linked == inode;
        }
        catch (final IOException | RuntimeException ex)
        {
            return false;
        }
    }

    /**
     * The link count of the file behind {@code fd}: 0 once every name of it was unlinked. Read through
     * {@code /proc/self/fd}, which reaches the open file itself, named or not.
     *
     * @param fd   a descriptor of the region's file.
     * @param name the region, for messages.
     * @return the number of names the file has.
     * @throws NativeCallException when the count cannot be read.
     */
    public static long linkCount(final int fd, final String name)
    {
        try
        {
            return ((Number)Files.getAttribute(Path.of("/proc/self/fd/" + fd), "unix:nlink")).longValue();
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new NativeCallException("fstat", name, 0, "cannot read the link count of region=" + name +
                " through /proc/self/fd/" + fd + ": " + ex);
        }
    }

    /**
     * Whether the file at the location exists and is empty: a region its creator has not sized yet.
     *
     * @param location the region.
     * @return true for an existing empty file.
     */
    public static boolean isEmptyFile(final RegionLocation location)
    {
        try
        {
            return Files.readAttributes(location.path(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .size() == 0;
        }
        catch (final IOException | RuntimeException ex)
        {
            return false;
        }
    }

    /**
     * A second open file description of the same file, for lock probes that must see this process's own locks.
     *
     * @param fd   the region's descriptor.
     * @param name the region, for messages.
     * @return the new descriptor, read-only.
     */
    public static int reopenForProbes(final int fd, final String name)
    {
        return Posix.open("/proc/self/fd/" + fd, PosixPlatform.O_RDONLY | PosixPlatform.O_CLOEXEC, 0, name);
    }

    /**
     * Unlink a region's name. Processes that have it mapped keep using it.
     *
     * @param location the region.
     * @return true when a name was removed, false when there was none.
     */
    public static boolean unlink(final RegionLocation location)
    {
        PosixPlatform.ensureSupported();
        try
        {
            if (location.isShm())
            {
                Posix.shmUnlink(location.shmName(), location.toString());
            }
            else
            {
                Posix.unlink(location.path().toString(), location.toString());
            }
            return true;
        }
        catch (final RegionNotFoundException ex)
        {
            return false;
        }
    }

    /**
     * Unlink a region if, and only if, no process has it open or is creating it. Race-safe: the check holds an
     * exclusive lock on the region's users byte until the name is gone, and a process attaching meanwhile waits
     * and then finds no region.
     *
     * @param location the region.
     * @return true when it was stale and is deleted.
     */
    public static boolean unlinkIfStale(final RegionLocation location)
    {
        AgronaAccess.verify();
        PosixPlatform.ensureSupported();
        final String name = location.toString();
        final int fd;
        try
        {
            fd = open(location, READ_WRITE, 0);
        }
        catch (final RegionNotFoundException ex)
        {
            return false;
        }
        catch (final RegionPermissionException ex)
        {
            if (isEmptyFile(location))
            {
                return false; // a region being created: its creator has not set its permissions yet
            }
            throw ex;
        }
        try
        {
            // Locked, and still the file the name points at: then no process uses it, none can start to (an
            // attacher waits for these locks), and the name removed is this file's.
            if (!FileLocks.tryLock(fd, PosixPlatform.F_WRLCK, RegionHeaderDescriptor.USERS_LOCK_OFFSET, 1, name) ||
                !FileLocks.tryLock(fd, PosixPlatform.F_WRLCK, RegionHeaderDescriptor.INIT_LOCK_OFFSET, 1, name) ||
                !isStillLinked(location, fd))
            {
                return false;
            }
            return unlink(location);
        }
        finally
        {
            Posix.close(fd, name);
        }
    }
}

package io.shmipc;

import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.NativeCallException;
import io.shmipc.posix.FileStat;
import io.shmipc.posix.Posix;
import io.shmipc.posix.PosixPlatform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Opening a region's file, the same way for every caller: never following a symbolic link, never inherited by a
 * child process.
 */
final class RegionFiles
{
    /** Flags to open a region for use ({@code O_NONBLOCK} so a FIFO planted at the path cannot block). */
    static final int READ_WRITE =
        PosixPlatform.O_RDWR | PosixPlatform.O_NOFOLLOW | PosixPlatform.O_CLOEXEC | PosixPlatform.O_NONBLOCK;
    /** Flags to open a region for inspection only. */
    static final int READ_ONLY =
        PosixPlatform.O_RDONLY | PosixPlatform.O_NOFOLLOW | PosixPlatform.O_CLOEXEC | PosixPlatform.O_NONBLOCK;

    private RegionFiles()
    {
    }

    static int open(final RegionLocation location, final int flags, final int mode)
    {
        final String name = location.toString();
        return location.isShm() ?
            Posix.shmOpen(location.shmName(), flags, mode, name) :
            Posix.open(location.path().toString(), flags, mode, name);
    }

    /**
     * Read a region file's status and refuse anything but a regular file.
     */
    static FileStat regularFileStat(final int fd, final String name)
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
     */
    static boolean isStillLinked(final RegionLocation location, final int fd)
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
     */
    static long linkCount(final int fd, final String name)
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
     */
    static boolean isEmptyFile(final RegionLocation location)
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
     */
    static int reopenForProbes(final int fd, final String name)
    {
        return Posix.open("/proc/self/fd/" + fd, PosixPlatform.O_RDONLY | PosixPlatform.O_CLOEXEC, 0, name);
    }
}

package io.shmipc.region;

import io.shmipc.RegionLocation;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.InvalidConfigurationException;
import io.shmipc.exceptions.NativeCallException;
import io.shmipc.posix.Errno;
import io.shmipc.posix.FileStat;
import io.shmipc.posix.Posix;
import io.shmipc.posix.PosixPlatform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A region's file, handled the same way for every caller: opened never following a symbolic link and never
 * inherited by a child process; a new region built where nobody can see it (an unnamed {@code O_TMPFILE} file, or
 * a file under a {@linkplain #isTemporaryName temporary name} where the file system has no unnamed files) and given
 * its name only when complete.
 */
public final class RegionFiles
{
    /** Flags to open a region for use ({@code O_NONBLOCK} so a FIFO planted at the path cannot block). */
    public static final int READ_WRITE =
        PosixPlatform.O_RDWR | PosixPlatform.O_NOFOLLOW | PosixPlatform.O_CLOEXEC | PosixPlatform.O_NONBLOCK;
    /** Flags to open a region for inspection only. */
    public static final int READ_ONLY =
        PosixPlatform.O_RDONLY | PosixPlatform.O_NOFOLLOW | PosixPlatform.O_CLOEXEC | PosixPlatform.O_NONBLOCK;
    /** How the name of a region being built under a temporary name starts, in the region's directory. */
    public static final String TEMPORARY_PREFIX = ".shmipc-new-";

    private static final Pattern TEMPORARY_NAME = Pattern.compile(Pattern.quote(TEMPORARY_PREFIX) + "[0-9a-f]{16}");

    private RegionFiles()
    {
    }

    /**
     * Open a region's file or shared-memory object, or a running process's descriptor of a region (through
     * {@code /proc/<pid>/fd/<fd>}, a link that must be followed, and which the kernel lets only processes that may
     * look into that process follow).
     *
     * @param location the region; not an anonymous one, which has no name.
     * @param flags    {@link #READ_WRITE} or {@link #READ_ONLY}.
     * @return the descriptor.
     * @throws InvalidConfigurationException for an anonymous location.
     */
    public static int open(final RegionLocation location, final int flags)
    {
        final String name = location.toString();
        if (location.isAnonymous())
        {
            throw new InvalidConfigurationException(name, "an anonymous region has no name to open: region=" + name +
                " (it is handed to the processes its holder starts; tools reach it as /proc/<pid>/fd/<fd>)");
        }
        if (location.isDescriptor())
        {
            return Posix.open(location.path().toString(), flags & ~PosixPlatform.O_NOFOLLOW, 0, name);
        }
        return location.isShm() ?
            Posix.shmOpen(location.shmName(), flags, 0, name) :
            Posix.open(location.path().toString(), flags, 0, name);
    }

    /**
     * Open a new, unnamed file in the region's directory ({@code O_TMPFILE}), mode 0: nobody can open it, and it
     * disappears with its last descriptor unless {@link #link} names it.
     *
     * @param location the region the file is for.
     * @return the descriptor, or -1 when the file system has no unnamed files.
     */
    static int openUnnamed(final RegionLocation location)
    {
        try
        {
            return Posix.open(location.path().getParent().toString(),
                PosixPlatform.O_TMPFILE | PosixPlatform.O_RDWR | PosixPlatform.O_CLOEXEC, 0, location.toString());
        }
        catch (final NativeCallException ex)
        {
            if (ex.errno() == Errno.EOPNOTSUPP || ex.errno() == Errno.EISDIR || ex.errno() == Errno.EINVAL)
            {
                return -1;
            }
            throw ex;
        }
    }

    /**
     * Create a new file, mode 0, under a fresh {@linkplain #isTemporaryName temporary name} in the region's
     * directory.
     *
     * @param location the region the file is for.
     * @return the path created; open it with {@link #openTemporary}.
     */
    static Path newTemporaryPath(final RegionLocation location)
    {
        return location.path().resolveSibling(TEMPORARY_PREFIX +
            String.format("%016x", ThreadLocalRandom.current().nextLong()));
    }

    /**
     * Create and open the file at a temporary path, exclusively, mode 0.
     *
     * @param temporary from {@link #newTemporaryPath}.
     * @param region    the region, for messages.
     * @return the descriptor.
     */
    static int openTemporary(final Path temporary, final String region)
    {
        return Posix.open(temporary.toString(), READ_WRITE | PosixPlatform.O_CREAT | PosixPlatform.O_EXCL, 0, region);
    }

    /**
     * Whether a file name is one a creator builds a region under before it links it to the region's name.
     *
     * @param fileName a file name, without a directory.
     * @return true for {@code .shmipc-new-} followed by 16 lowercase hex digits.
     */
    public static boolean isTemporaryName(final String fileName)
    {
        return TEMPORARY_NAME.matcher(fileName).matches();
    }

    /**
     * Give a complete region its name, never replacing a file there.
     *
     * @param fd       the region's descriptor.
     * @param location the name to give it.
     * @throws io.shmipc.exceptions.RegionExistsException when anything has that name.
     */
    static void link(final int fd, final RegionLocation location)
    {
        Posix.linkOpenFile(fd, location.path().toString(), location.toString());
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
     * Whether a path names the file behind {@code fd}: a stale-region cleaner may have unlinked it (and someone
     * may have put another file under the name) since it was opened.
     *
     * @param path   the name.
     * @param fd     a descriptor of the file opened at that path.
     * @param region the region, for messages.
     * @return true when the name points at that file.
     */
    static boolean isStillLinked(final Path path, final int fd, final String region)
    {
        final long inode = Posix.fstat(fd, region).inode();
        try
        {
            final Object linked = Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
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
     * A second open file description of the same file, for lock probes that must see this process's own locks.
     *
     * @param fd   the region's descriptor.
     * @param name the region, for messages.
     * @return the new descriptor, read-only.
     */
    public static int reopenForProbes(final int fd, final String name)
    {
        return reopen(fd, PosixPlatform.O_RDONLY, name);
    }

    /**
     * A new open file description of the file behind a descriptor ({@code /proc/self/fd/<fd>} opened again): its
     * own OFD locks, which conflict with those of the descriptor it came from. The file's permissions are checked
     * again.
     *
     * @param fd    the descriptor.
     * @param flags {@code O_RDONLY} or {@code O_RDWR}; close-on-exec is added.
     * @param name  the region, for messages.
     * @return the new descriptor.
     */
    public static int reopen(final int fd, final int flags, final String name)
    {
        return Posix.open("/proc/self/fd/" + fd, flags | PosixPlatform.O_CLOEXEC, 0, name);
    }

    /**
     * Remove a name, whatever it names: callers have proven it is theirs to remove ({@link RegionRemoval}).
     *
     * @param path   the name.
     * @param region the region, for messages.
     * @return true when a name was removed, false when there was none.
     */
    static boolean unlink(final Path path, final String region)
    {
        try
        {
            Posix.unlink(path.toString(), region);
            return true;
        }
        catch (final NativeCallException ex)
        {
            if (ex.errno() == Errno.ENOENT)
            {
                return false;
            }
            throw ex;
        }
    }
}

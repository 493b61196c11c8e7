package io.shmipc.posix;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/**
 * The system calls shm-ipc makes, each turning {@code errno} into a typed exception that carries the call, the
 * region and {@code strerror} ({@link PosixErrors}). Nothing above this package sees a raw error number.
 */
public final class Posix
{
    private Posix()
    {
    }

    /**
     * Open or create a POSIX shared-memory object.
     *
     * @param name   the object name without the leading slash.
     * @param flags  {@code O_*} flags.
     * @param mode   permission bits for {@code O_CREAT}.
     * @param region the region, for messages.
     * @return the descriptor.
     */
    public static int shmOpen(final String name, final int flags, final int mode, final String region)
    {
        try
        {
            return ShmCalls.shm_open("/" + name, flags, mode);
        }
        catch (final LastErrorException ex)
        {
            throw PosixErrors.error("shm_open", region, ex.getErrorCode());
        }
    }

    /**
     * Remove a POSIX shared-memory object name.
     *
     * @param name   the object name without the leading slash.
     * @param region the region, for messages.
     */
    public static void shmUnlink(final String name, final String region)
    {
        try
        {
            ShmCalls.shm_unlink("/" + name);
        }
        catch (final LastErrorException ex)
        {
            throw PosixErrors.error("shm_unlink", region, ex.getErrorCode());
        }
    }

    /**
     * Open or create a file.
     *
     * @param path   the path.
     * @param flags  {@code O_*} flags.
     * @param mode   permission bits for {@code O_CREAT}.
     * @param region the region, for messages.
     * @return the descriptor.
     */
    public static int open(final String path, final int flags, final int mode, final String region)
    {
        try
        {
            return LibC.open(path, flags, mode);
        }
        catch (final LastErrorException ex)
        {
            throw PosixErrors.error("open", region, ex.getErrorCode());
        }
    }

    /**
     * Remove a file name.
     *
     * @param path   the path.
     * @param region the region, for messages.
     */
    public static void unlink(final String path, final String region)
    {
        try
        {
            LibC.unlink(path);
        }
        catch (final LastErrorException ex)
        {
            throw PosixErrors.error("unlink", region, ex.getErrorCode());
        }
    }

    /**
     * Give an open file a name, never replacing one: {@code linkat} of {@code /proc/self/fd/<fd>} with
     * {@code AT_SYMLINK_FOLLOW}, which links the file itself, named or not (an {@code O_TMPFILE} file included),
     * without the {@code CAP_DAC_READ_SEARCH} that {@code AT_EMPTY_PATH} needs.
     *
     * @param fd     the open file.
     * @param path   the name to give it.
     * @param region the region, for messages.
     * @throws io.shmipc.exceptions.RegionExistsException when the name is taken, by anything.
     */
    public static void linkOpenFile(final int fd, final String path, final String region)
    {
        try
        {
            LibC.linkat(PosixPlatform.AT_FDCWD, "/proc/self/fd/" + fd, PosixPlatform.AT_FDCWD, path,
                PosixPlatform.AT_SYMLINK_FOLLOW);
        }
        catch (final LastErrorException ex)
        {
            throw PosixErrors.error("linkat", region, ex.getErrorCode());
        }
    }

    /**
     * Read the first bytes of a file without mapping it, so a file truncated meanwhile gives a short read instead
     * of {@code SIGBUS}.
     *
     * @param fd     the descriptor.
     * @param length bytes wanted.
     * @param region the region, for messages.
     * @return the bytes read: fewer than {@code length} when the file is shorter.
     */
    public static byte[] readStart(final int fd, final int length, final String region)
    {
        if (length <= 0)
        {
            return new byte[0];
        }
        try (Memory buf = new Memory(length))
        {
            long read = 0;
            while (read < length)
            {
                final long count = LibC.pread(fd, buf.share(read), length - read, read);
                if (count == 0)
                {
                    break;
                }
                read += count;
            }
            return buf.getByteArray(0, (int)read);
        }
        catch (final LastErrorException ex)
        {
            throw PosixErrors.error("pread", region, ex.getErrorCode());
        }
    }

    /**
     * Close a descriptor.
     *
     * @param fd     the descriptor.
     * @param region the region, for messages.
     */
    public static void close(final int fd, final String region)
    {
        try
        {
            LibC.close(fd);
        }
        catch (final LastErrorException ex)
        {
            throw PosixErrors.error("close", region, ex.getErrorCode());
        }
    }

    /**
     * Set a file's length.
     *
     * @param fd     the descriptor.
     * @param length the new length.
     * @param region the region, for messages.
     */
    public static void ftruncate(final int fd, final long length, final String region)
    {
        try
        {
            LibC.ftruncate(fd, length);
        }
        catch (final LastErrorException ex)
        {
            throw PosixErrors.spaceOrError("ftruncate", region, ex.getErrorCode(), length, -1);
        }
    }

    /**
     * Allocate the backing store of {@code [0, length)} now, so a full file system fails here rather than with
     * {@code SIGBUS} on first touch.
     *
     * @param fd        the descriptor.
     * @param length    bytes to allocate.
     * @param region    the region, for messages.
     * @param freeBytes what the file system reports free (for the message), or -1.
     */
    public static void fallocate(final int fd, final long length, final String region, final long freeBytes)
    {
        final int errno = LibC.posix_fallocate(fd, 0, length);
        if (errno != 0)
        {
            throw PosixErrors.spaceOrError("posix_fallocate", region, errno, length, freeBytes);
        }
    }

    /**
     * Read a file's size, mode and owner.
     *
     * @param fd     the descriptor.
     * @param region the region, for messages.
     * @return the fields.
     */
    public static FileStat fstat(final int fd, final String region)
    {
        try (Memory buf = new Memory(PosixPlatform.STAT_SIZE))
        {
            buf.clear();
            LibC.fstat(fd, buf);
            return new FileStat(
                buf.getLong(PosixPlatform.STAT_INODE_OFFSET),
                buf.getLong(PosixPlatform.STAT_SIZE_OFFSET),
                buf.getInt(PosixPlatform.STAT_MODE_OFFSET),
                buf.getInt(PosixPlatform.STAT_UID_OFFSET),
                buf.getInt(PosixPlatform.STAT_GID_OFFSET));
        }
        catch (final LastErrorException ex)
        {
            throw PosixErrors.error("fstat", region, ex.getErrorCode());
        }
    }

    /**
     * A new scratch buffer for {@link #fileSize(int, Memory, String)}: allocate once, reuse on every call.
     *
     * @return native memory the size of {@code struct stat}.
     */
    public static Memory newStatBuffer()
    {
        return new Memory(PosixPlatform.STAT_SIZE);
    }

    /**
     * A file's size, allocation-free: {@code fstat} into a caller-owned scratch buffer.
     *
     * @param fd      the descriptor.
     * @param scratch from {@link #newStatBuffer()}, used by one thread at a time.
     * @param region  the region, for messages.
     * @return {@code st_size}.
     */
    public static long fileSize(final int fd, final Memory scratch, final String region)
    {
        try
        {
            LibC.fstat(fd, scratch);
            return scratch.getLong(PosixPlatform.STAT_SIZE_OFFSET);
        }
        catch (final LastErrorException ex)
        {
            throw PosixErrors.error("fstat", region, ex.getErrorCode());
        }
    }

    /**
     * Set permission bits exactly, whatever the umask.
     *
     * @param fd     the descriptor.
     * @param mode   permission bits.
     * @param region the region, for messages.
     */
    public static void fchmod(final int fd, final int mode, final String region)
    {
        try
        {
            LibC.fchmod(fd, mode);
        }
        catch (final LastErrorException ex)
        {
            throw PosixErrors.error("fchmod", region, ex.getErrorCode());
        }
    }

    /**
     * Map {@code [0, length)} of a file shared.
     *
     * @param fd       the descriptor.
     * @param length   bytes.
     * @param writable map read-write rather than read-only.
     * @param region   the region, for messages.
     * @return the address.
     */
    public static long mmapShared(final int fd, final long length, final boolean writable, final String region)
    {
        final int prot = writable ? PosixPlatform.PROT_READ | PosixPlatform.PROT_WRITE : PosixPlatform.PROT_READ;
        try
        {
            final long address = LibC.mmap(0, length, prot, PosixPlatform.MAP_SHARED, fd, 0);
            if (address == PosixPlatform.MAP_FAILED || address == 0)
            {
                throw PosixErrors.error("mmap", region, Errno.EINVAL);
            }
            return address;
        }
        catch (final LastErrorException ex)
        {
            throw PosixErrors.error("mmap", region, ex.getErrorCode());
        }
    }

    /**
     * Replace a mapping, at the same address, with private anonymous memory that is never backed until touched:
     * the file's pages are released at once, while a late access through a stale pointer lands on harmless
     * private pages instead of faulting.
     *
     * @param address start of the mapping.
     * @param length  its length.
     * @param region  the region, for messages.
     */
    public static void replaceWithPlaceholder(final long address, final long length, final String region)
    {
        try
        {
            final long placed = LibC.mmap(address, length, PosixPlatform.PROT_READ | PosixPlatform.PROT_WRITE,
                PosixPlatform.MAP_FIXED | PosixPlatform.MAP_PRIVATE | PosixPlatform.MAP_ANONYMOUS |
                PosixPlatform.MAP_NORESERVE, -1, 0);
            if (placed != address)
            {
                throw PosixErrors.error("mmap(MAP_FIXED)", region, Errno.EINVAL);
            }
        }
        catch (final LastErrorException ex)
        {
            throw PosixErrors.error("mmap(MAP_FIXED)", region, ex.getErrorCode());
        }
    }

    /**
     * Unmap.
     *
     * @param address start of the mapping.
     * @param length  its length.
     * @param region  the region, for messages.
     */
    public static void munmap(final long address, final long length, final String region)
    {
        try
        {
            LibC.munmap(address, length);
        }
        catch (final LastErrorException ex)
        {
            throw PosixErrors.error("munmap", region, ex.getErrorCode());
        }
    }

    /**
     * Write a range of a file-backed mapping to its file and wait.
     *
     * @param address start of the range (page aligned).
     * @param length  its length.
     * @param region  the region, for messages.
     */
    public static void msync(final long address, final long length, final String region)
    {
        try
        {
            LibC.msync(address, length, PosixPlatform.MS_SYNC);
        }
        catch (final LastErrorException ex)
        {
            throw PosixErrors.error("msync", region, ex.getErrorCode());
        }
    }

    /**
     * Give the kernel advice about a mapped range.
     *
     * @param address start of the range (page aligned).
     * @param length  its length.
     * @param advice  {@code MADV_*}.
     * @param region  the region, for messages.
     */
    public static void madvise(final long address, final long length, final int advice, final String region)
    {
        try
        {
            LibC.madvise(address, length, advice);
        }
        catch (final LastErrorException ex)
        {
            throw PosixErrors.error("madvise", region, ex.getErrorCode());
        }
    }
}

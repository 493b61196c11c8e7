package io.shmipc.posix;

/**
 * The fields of {@code struct stat} shm-ipc uses.
 *
 * @param inode the inode number ({@code st_ino}).
 * @param size bytes in the file ({@code st_size}).
 * @param mode type and permission bits ({@code st_mode}).
 * @param uid  owner user id ({@code st_uid}).
 * @param gid  owner group id ({@code st_gid}).
 */
public record FileStat(long inode, long size, int mode, int uid, int gid)
{
    /**
     * The permission bits alone.
     *
     * @return {@code mode & 07777}.
     */
    public int permissions()
    {
        return mode & 07777;
    }

    /**
     * Whether this is a regular file (not a FIFO, device, directory or socket).
     *
     * @return true for a regular file.
     */
    public boolean isRegularFile()
    {
        return (mode & PosixPlatform.S_IFMT) == PosixPlatform.S_IFREG;
    }
}

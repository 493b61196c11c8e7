package io.shmipc;

import io.shmipc.posix.Posix;
import io.shmipc.posix.PosixPlatform;

/**
 * Opening a region's file, the same way for every caller: never following a symbolic link, never inherited by a
 * child process.
 */
final class RegionFiles
{
    /** Flags to open a region for use. */
    static final int READ_WRITE = PosixPlatform.O_RDWR | PosixPlatform.O_NOFOLLOW | PosixPlatform.O_CLOEXEC;
    /** Flags to open a region for inspection only. */
    static final int READ_ONLY = PosixPlatform.O_RDONLY | PosixPlatform.O_NOFOLLOW | PosixPlatform.O_CLOEXEC;

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
     * A second open file description of the same file, for lock probes that must see this process's own locks.
     */
    static int reopenForProbes(final int fd, final String name)
    {
        return Posix.open("/proc/self/fd/" + fd, PosixPlatform.O_RDONLY | PosixPlatform.O_CLOEXEC, 0, name);
    }
}

package io.shmipc.posix;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

import java.nio.charset.StandardCharsets;

/**
 * Anonymous memory files ({@code memfd_create}) and their seals, and the process's dumpable flag that keeps other
 * processes of the same user out of its {@code /proc/<pid>} entries. {@code memfd_create} and {@code prctl} are
 * called as system calls, so no C library version is needed beyond the one the rest of the binding uses.
 */
public final class MemoryFiles
{
    /** The seals of an anonymous region: its size can never change, and no seal can be added or removed. */
    public static final int REGION_SEALS =
        PosixPlatform.F_SEAL_SHRINK | PosixPlatform.F_SEAL_GROW | PosixPlatform.F_SEAL_SEAL;

    static
    {
        PosixPlatform.ensureSupported();
        Native.register(MemoryFiles.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private MemoryFiles()
    {
    }

    /**
     * {@code int fcntl(int fd, int cmd, int arg)}, for the seal commands.
     *
     * @param fd  the descriptor.
     * @param cmd {@code F_ADD_SEALS} or {@code F_GET_SEALS}.
     * @param arg the seals to add, or 0.
     * @return the seals for {@code F_GET_SEALS}, else 0.
     * @throws LastErrorException on failure.
     */
    @SuppressWarnings("checkstyle:MethodName")
    private static native int fcntl(int fd, int cmd, int arg) throws LastErrorException;

    /**
     * Create an anonymous memory file: no name in any file system, freed when its last descriptor and mapping go,
     * closed on {@code exec}, and sealable.
     *
     * @param name   what {@code /proc/<pid>/fd/<n>} shows it as ({@code /memfd:<name> (deleted)}).
     * @param region the region, for messages.
     * @return the descriptor.
     */
    public static int create(final String name, final String region)
    {
        final byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        try (Memory text = new Memory(bytes.length + 1L))
        {
            text.write(0, bytes, 0, bytes.length);
            text.setByte(bytes.length, (byte)0);
            final long fd = LibC.syscall(PosixPlatform.SYS_MEMFD_CREATE, Pointer.nativeValue(text),
                PosixPlatform.MFD_CLOEXEC | PosixPlatform.MFD_ALLOW_SEALING, 0, 0, 0, 0);
            if (fd < 0)
            {
                throw PosixErrors.error("memfd_create", region, Native.getLastError());
            }
            return (int)fd;
        }
    }

    /**
     * Add seals to an anonymous memory file.
     *
     * @param fd     the descriptor.
     * @param seals  {@code F_SEAL_*} bits.
     * @param region the region, for messages.
     */
    public static void addSeals(final int fd, final int seals, final String region)
    {
        try
        {
            fcntl(fd, PosixPlatform.F_ADD_SEALS, seals);
        }
        catch (final LastErrorException ex)
        {
            throw PosixErrors.error("fcntl(F_ADD_SEALS)", region, ex.getErrorCode());
        }
    }

    /**
     * The seals of a file: 0 for one that is not sealed; {@code F_SEAL_SEAL} alone for a file that cannot be
     * sealed at all (any file but an anonymous memory file created sealable).
     *
     * @param fd     the descriptor.
     * @param region the region, for messages.
     * @return the {@code F_SEAL_*} bits.
     */
    public static int seals(final int fd, final String region)
    {
        try
        {
            return fcntl(fd, PosixPlatform.F_GET_SEALS, 0);
        }
        catch (final LastErrorException ex)
        {
            if (ex.getErrorCode() == Errno.EINVAL)
            {
                return 0; // a file system without seals
            }
            throw PosixErrors.error("fcntl(F_GET_SEALS)", region, ex.getErrorCode());
        }
    }

    /**
     * Make this process not dumpable ({@code prctl(PR_SET_DUMPABLE, 0)}): its {@code /proc/<pid>} entries
     * (descriptors, environment, memory maps) then belong to root, so that other processes of the same user can
     * neither open its descriptors through {@code /proc/<pid>/fd} nor read its environment nor attach a debugger;
     * it also writes no core dump. It lasts until the process calls {@code exec}.
     *
     * @param region the region, for messages.
     */
    public static void makeProcessUndumpable(final String region)
    {
        if (LibC.syscall(PosixPlatform.SYS_PRCTL, PosixPlatform.PR_SET_DUMPABLE, 0, 0, 0, 0, 0) != 0)
        {
            throw PosixErrors.error("prctl(PR_SET_DUMPABLE)", region, Native.getLastError());
        }
    }

    /**
     * Whether this process is dumpable.
     *
     * @return true unless {@link #makeProcessUndumpable} (or a set-user-id start) made it not.
     */
    public static boolean isProcessDumpable()
    {
        return LibC.syscall(PosixPlatform.SYS_PRCTL, PosixPlatform.PR_GET_DUMPABLE, 0, 0, 0, 0, 0) == 1;
    }
}

package io.shmipc.posix;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * Direct-mapped {@code shm_open} and {@code shm_unlink}: in the C library since glibc 2.34, in {@code librt}
 * before it. Registered against whichever library exports them.
 */
@SuppressWarnings("checkstyle:MethodName")
public final class ShmCalls
{
    static
    {
        PosixPlatform.ensureSupported();
        Native.register(ShmCalls.class, libraryWithShmOpen());
    }

    private ShmCalls()
    {
    }

    /**
     * {@code int shm_open(const char *name, int oflag, mode_t mode)}.
     *
     * @param name  {@code /name} of the object.
     * @param flags {@code O_*} flags.
     * @param mode  permission bits used with {@code O_CREAT}.
     * @return the file descriptor.
     * @throws LastErrorException on failure.
     */
    public static native int shm_open(String name, int flags, int mode) throws LastErrorException;

    /**
     * {@code int shm_unlink(const char *name)}.
     *
     * @param name {@code /name} of the object.
     * @return 0.
     * @throws LastErrorException on failure.
     */
    public static native int shm_unlink(String name) throws LastErrorException;

    private static NativeLibrary libraryWithShmOpen()
    {
        final NativeLibrary libc = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
        try
        {
            libc.getFunction("shm_open");
            return libc;
        }
        catch (final UnsatisfiedLinkError ignore)
        {
            return NativeLibrary.getInstance("rt");
        }
    }
}

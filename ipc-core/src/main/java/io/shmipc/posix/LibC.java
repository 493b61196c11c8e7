package io.shmipc.posix;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * JNA direct-mapped binding to the C library: primitive and {@link Pointer} arguments only, registered with
 * {@link Native#register(Class, NativeLibrary)}. Calls that fail throw {@link LastErrorException}; use
 * {@link Posix} instead, which turns every error into a typed shm-ipc exception.
 * <p>
 * {@code size_t} and {@code off_t} are {@code long}: only 64-bit platforms are supported
 * ({@link PosixPlatform#ensureSupported()} runs before registration).
 */
@SuppressWarnings("checkstyle:MethodName")
public final class LibC
{
    static
    {
        PosixPlatform.ensureSupported();
        Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private LibC()
    {
    }

    /**
     * {@code int open(const char *path, int flags, mode_t mode)}.
     *
     * @param path  file path.
     * @param flags {@code O_*} flags.
     * @param mode  permission bits used with {@code O_CREAT}.
     * @return the file descriptor.
     * @throws LastErrorException on failure.
     */
    public static native int open(String path, int flags, int mode) throws LastErrorException;

    /**
     * {@code int unlink(const char *path)}.
     *
     * @param path file path.
     * @return 0.
     * @throws LastErrorException on failure.
     */
    public static native int unlink(String path) throws LastErrorException;

    /**
     * {@code int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags)}.
     *
     * @param oldDirectory {@link PosixPlatform#AT_FDCWD} or a directory descriptor.
     * @param oldPath      the existing file.
     * @param newDirectory {@link PosixPlatform#AT_FDCWD} or a directory descriptor.
     * @param newPath      the new name; never replaced ({@code EEXIST}).
     * @param flags        {@code AT_*} bits.
     * @return 0.
     * @throws LastErrorException on failure.
     */
    public static native int linkat(int oldDirectory, String oldPath, int newDirectory, String newPath, int flags)
        throws LastErrorException;

    /**
     * {@code ssize_t pread(int fd, void *buf, size_t count, off_t offset)}.
     *
     * @param fd     the descriptor.
     * @param buf    at least {@code count} bytes.
     * @param count  bytes to read.
     * @param offset file offset.
     * @return bytes read, 0 at the end of the file.
     * @throws LastErrorException on failure.
     */
    public static native long pread(int fd, Pointer buf, long count, long offset) throws LastErrorException;

    /**
     * {@code int close(int fd)}.
     *
     * @param fd the descriptor.
     * @return 0.
     * @throws LastErrorException on failure.
     */
    public static native int close(int fd) throws LastErrorException;

    /**
     * {@code int ftruncate(int fd, off_t length)}.
     *
     * @param fd     the descriptor.
     * @param length the new length.
     * @return 0.
     * @throws LastErrorException on failure.
     */
    public static native int ftruncate(int fd, long length) throws LastErrorException;

    /**
     * {@code int posix_fallocate(int fd, off_t offset, off_t len)}: returns the error number instead of
     * setting {@code errno}.
     *
     * @param fd     the descriptor.
     * @param offset first byte to allocate.
     * @param length number of bytes.
     * @return 0 or an error number.
     */
    public static native int posix_fallocate(int fd, long offset, long length);

    /**
     * {@code int fstat(int fd, struct stat *buf)}.
     *
     * @param fd  the descriptor.
     * @param buf at least {@link PosixPlatform#STAT_SIZE} bytes.
     * @return 0.
     * @throws LastErrorException on failure.
     */
    public static native int fstat(int fd, Pointer buf) throws LastErrorException;

    /**
     * {@code int fchmod(int fd, mode_t mode)}.
     *
     * @param fd   the descriptor.
     * @param mode permission bits.
     * @return 0.
     * @throws LastErrorException on failure.
     */
    public static native int fchmod(int fd, int mode) throws LastErrorException;

    /**
     * {@code void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)}.
     *
     * @param address hint, normally 0.
     * @param length  bytes to map.
     * @param prot    {@code PROT_*} bits.
     * @param flags   {@code MAP_*} bits.
     * @param fd      the descriptor.
     * @param offset  file offset.
     * @return the address of the mapping.
     * @throws LastErrorException on failure.
     */
    public static native long mmap(long address, long length, int prot, int flags, int fd, long offset)
        throws LastErrorException;

    /**
     * {@code int munmap(void *addr, size_t length)}.
     *
     * @param address start of the mapping.
     * @param length  its length.
     * @return 0.
     * @throws LastErrorException on failure.
     */
    public static native int munmap(long address, long length) throws LastErrorException;

    /**
     * {@code int msync(void *addr, size_t length, int flags)}.
     *
     * @param address start of the range.
     * @param length  its length.
     * @param flags   {@code MS_*} bits.
     * @return 0.
     * @throws LastErrorException on failure.
     */
    public static native int msync(long address, long length, int flags) throws LastErrorException;

    /**
     * {@code int madvise(void *addr, size_t length, int advice)}.
     *
     * @param address start of the range.
     * @param length  its length.
     * @param advice  {@code MADV_*} value.
     * @return 0.
     * @throws LastErrorException on failure.
     */
    public static native int madvise(long address, long length, int advice) throws LastErrorException;

    /**
     * {@code int fcntl(int fd, int cmd, struct flock *lock)}, for the lock commands.
     *
     * @param fd    the descriptor.
     * @param cmd   {@code F_OFD_SETLK} or {@code F_OFD_GETLK}.
     * @param flock a {@code struct flock} of {@link PosixPlatform#FLOCK_SIZE} bytes.
     * @return 0.
     * @throws LastErrorException on failure.
     */
    public static native int fcntl(int fd, int cmd, Pointer flock) throws LastErrorException;

    /**
     * {@code long syscall(long number, ...)} with six arguments; does not throw: on -1 read
     * {@link com.sun.jna.Native#getLastError()}, so that waiting allocates nothing.
     *
     * @param number the system call number.
     * @param a1     first argument.
     * @param a2     second argument.
     * @param a3     third argument.
     * @param a4     fourth argument.
     * @param a5     fifth argument.
     * @param a6     sixth argument.
     * @return the result, -1 on error.
     */
    public static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

    /**
     * {@code char *strerror(int errnum)}.
     *
     * @param errnum an error number.
     * @return its description.
     */
    public static native String strerror(int errnum);

    /**
     * {@code int clock_gettime(clockid_t clock, struct timespec *ts)}.
     *
     * @param clock the clock, e.g. {@code CLOCK_MONOTONIC} (1).
     * @param ts    a {@code struct timespec} of 16 bytes.
     * @return 0.
     * @throws LastErrorException on failure.
     */
    public static native int clock_gettime(int clock, Pointer ts) throws LastErrorException;

    /**
     * {@code pid_t getpid(void)}: the process id in this process's PID namespace.
     *
     * @return the pid.
     */
    public static native int getpid();
}

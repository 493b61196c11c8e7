package io.shmipc.posix;

import java.util.Locale;

/**
 * The operating system and architecture constants the libc binding needs, checked once.
 * <p>
 * Linux on x86_64 and aarch64 is supported: the {@code open} flags and the {@code struct stat} layout differ
 * between the two and are chosen here. Any other system raises {@link UnsupportedOperationException} on first
 * use, before any native call is made, so an unsupported platform never crashes the JVM.
 */
public final class PosixPlatform
{
    /** Architecture this JVM runs on, as shm-ipc names it. */
    public enum Arch
    {
        /** 64-bit x86 (amd64). */
        X86_64,
        /** 64-bit ARM (arm64). */
        AARCH64
    }

    /** The architecture, or {@code null} when unsupported. */
    private static final Arch ARCH = detectArch();
    private static final String UNSUPPORTED_REASON = unsupportedReason();

    /** {@code O_RDONLY}. */
    public static final int O_RDONLY = 0;
    /** {@code O_RDWR}. */
    public static final int O_RDWR = 2;
    /** {@code O_CREAT}. */
    public static final int O_CREAT = 0100;
    /** {@code O_EXCL}. */
    public static final int O_EXCL = 0200;
    /** {@code O_NOFOLLOW}: 0400000 on x86_64, 0100000 on aarch64. */
    public static final int O_NOFOLLOW = ARCH == Arch.AARCH64 ? 0100000 : 0400000;
    /** {@code O_CLOEXEC}. */
    public static final int O_CLOEXEC = 02000000;
    /** {@code O_DIRECTORY}: 0200000 on x86_64, 040000 on aarch64. */
    public static final int O_DIRECTORY = ARCH == Arch.AARCH64 ? 040000 : 0200000;
    /** {@code O_TMPFILE}: an unnamed regular file in the directory opened, linked into it later or never. */
    public static final int O_TMPFILE = 020000000 | O_DIRECTORY;
    /** {@code AT_FDCWD}: a path argument of an {@code *at} call is relative to the working directory. */
    public static final int AT_FDCWD = -100;
    /** {@code AT_SYMLINK_FOLLOW}: {@code linkat} follows a symbolic link given as its source. */
    public static final int AT_SYMLINK_FOLLOW = 0x400;

    /** {@code PROT_READ}. */
    public static final int PROT_READ = 1;
    /** {@code PROT_WRITE}. */
    public static final int PROT_WRITE = 2;
    /** {@code MAP_SHARED}. */
    public static final int MAP_SHARED = 1;
    /** {@code MAP_PRIVATE}. */
    public static final int MAP_PRIVATE = 2;
    /** {@code MAP_FIXED}. */
    public static final int MAP_FIXED = 0x10;
    /** {@code MAP_ANONYMOUS}. */
    public static final int MAP_ANONYMOUS = 0x20;
    /** {@code MAP_NORESERVE}. */
    public static final int MAP_NORESERVE = 0x4000;
    /** {@code O_NONBLOCK}: a FIFO planted at a region path must not block {@code open}. */
    public static final int O_NONBLOCK = 04000;
    /** {@code S_IFMT}: the file type bits of {@code st_mode}. */
    public static final int S_IFMT = 0170000;
    /** {@code S_IFREG}: a regular file. */
    public static final int S_IFREG = 0100000;
    /** {@code MAP_FAILED} as returned by {@code mmap}. */
    public static final long MAP_FAILED = -1L;
    /** {@code MS_SYNC}. */
    public static final int MS_SYNC = 4;
    /** {@code MADV_WILLNEED}. */
    public static final int MADV_WILLNEED = 3;
    /** {@code MADV_DONTFORK}: a forked child must not inherit the mapping. */
    public static final int MADV_DONTFORK = 10;

    /** {@code F_OFD_GETLK}. */
    public static final int F_OFD_GETLK = 36;
    /** {@code F_OFD_SETLK}. */
    public static final int F_OFD_SETLK = 37;
    /** {@code F_RDLCK}. */
    public static final short F_RDLCK = 0;
    /** {@code F_WRLCK}. */
    public static final short F_WRLCK = 1;
    /** {@code F_UNLCK}. */
    public static final short F_UNLCK = 2;
    /** {@code SEEK_SET}. */
    public static final short SEEK_SET = 0;

    /** Size of {@code struct stat}: 144 on x86_64, 128 on aarch64 (asm-generic). */
    public static final int STAT_SIZE = ARCH == Arch.AARCH64 ? 128 : 144;
    /** Offset of {@code st_ino} (64-bit): 8 on both. */
    public static final int STAT_INODE_OFFSET = 8;
    /** Offset of {@code st_mode} (32-bit). */
    public static final int STAT_MODE_OFFSET = ARCH == Arch.AARCH64 ? 16 : 24;
    /** Offset of {@code st_uid} (32-bit). */
    public static final int STAT_UID_OFFSET = ARCH == Arch.AARCH64 ? 24 : 28;
    /** Offset of {@code st_gid} (32-bit). */
    public static final int STAT_GID_OFFSET = ARCH == Arch.AARCH64 ? 28 : 32;
    /** Offset of {@code st_size} (64-bit): 48 on both. */
    public static final int STAT_SIZE_OFFSET = 48;

    /** Size of {@code struct flock} on both architectures. */
    public static final int FLOCK_SIZE = 32;
    /** Offset of {@code l_type} (16-bit). */
    public static final int FLOCK_TYPE_OFFSET = 0;
    /** Offset of {@code l_whence} (16-bit). */
    public static final int FLOCK_WHENCE_OFFSET = 2;
    /** Offset of {@code l_start} (64-bit). */
    public static final int FLOCK_START_OFFSET = 8;
    /** Offset of {@code l_len} (64-bit). */
    public static final int FLOCK_LEN_OFFSET = 16;
    /** Offset of {@code l_pid} (32-bit). */
    public static final int FLOCK_PID_OFFSET = 24;

    /** {@code SYS_futex}: 202 on x86_64, 98 on aarch64. */
    public static final long SYS_FUTEX = ARCH == Arch.AARCH64 ? 98 : 202;
    /** {@code SYS_memfd_create}: 319 on x86_64, 279 on aarch64 (called directly: glibc has it only since 2.27). */
    public static final long SYS_MEMFD_CREATE = ARCH == Arch.AARCH64 ? 279 : 319;
    /** {@code SYS_prctl}: 157 on x86_64, 167 on aarch64. */
    public static final long SYS_PRCTL = ARCH == Arch.AARCH64 ? 167 : 157;

    /** {@code MFD_CLOEXEC}. */
    public static final int MFD_CLOEXEC = 1;
    /** {@code MFD_ALLOW_SEALING}. */
    public static final int MFD_ALLOW_SEALING = 2;
    /** {@code F_ADD_SEALS}. */
    public static final int F_ADD_SEALS = 1033;
    /** {@code F_GET_SEALS}. */
    public static final int F_GET_SEALS = 1034;
    /** {@code F_SEAL_SEAL}: no further seals. */
    public static final int F_SEAL_SEAL = 1;
    /** {@code F_SEAL_SHRINK}: the file cannot be made shorter. */
    public static final int F_SEAL_SHRINK = 2;
    /** {@code F_SEAL_GROW}: the file cannot be made longer. */
    public static final int F_SEAL_GROW = 4;
    /** {@code PR_SET_DUMPABLE}. */
    public static final int PR_SET_DUMPABLE = 4;
    /** {@code PR_GET_DUMPABLE}. */
    public static final int PR_GET_DUMPABLE = 3;

    /** {@code AF_UNIX}. */
    public static final int AF_UNIX = 1;
    /** {@code SOCK_STREAM}. */
    public static final int SOCK_STREAM = 1;
    /** {@code SOCK_CLOEXEC}, the same bit as {@code O_CLOEXEC}. */
    public static final int SOCK_CLOEXEC = O_CLOEXEC;
    /** {@code SOCK_NONBLOCK}, the same bit as {@code O_NONBLOCK}. */
    public static final int SOCK_NONBLOCK = O_NONBLOCK;
    /** {@code F_GETFL}. */
    public static final int F_GETFL = 3;
    /** {@code F_SETFL}. */
    public static final int F_SETFL = 4;
    /** {@code SOL_SOCKET}. */
    public static final int SOL_SOCKET = 1;
    /** {@code SO_PEERCRED}. */
    public static final int SO_PEERCRED = 17;
    /** {@code SO_RCVTIMEO}. */
    public static final int SO_RCVTIMEO = 20;
    /** {@code SO_SNDTIMEO}. */
    public static final int SO_SNDTIMEO = 21;
    /** {@code SCM_RIGHTS}. */
    public static final int SCM_RIGHTS = 1;
    /** {@code MSG_NOSIGNAL}: a peer that has gone is an error, not a {@code SIGPIPE}. */
    public static final int MSG_NOSIGNAL = 0x4000;
    /** {@code MSG_CMSG_CLOEXEC}: descriptors received are close-on-exec. */
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;
    /** {@code SHUT_RDWR}. */
    public static final int SHUT_RDWR = 2;
    /** {@code sizeof(struct sockaddr_un)}: a short family, then 108 bytes of path. */
    public static final int SOCKADDR_UN_SIZE = 110;
    /** {@code sizeof(struct msghdr)} on 64-bit Linux. */
    public static final int MSGHDR_SIZE = 56;
    /** {@code sizeof(struct cmsghdr)}: the header before a control message's data. */
    public static final int CMSGHDR_SIZE = 16;

    private PosixPlatform()
    {
    }

    /**
     * Whether this platform is supported.
     *
     * @return true on Linux x86_64 and aarch64.
     */
    public static boolean isSupported()
    {
        return UNSUPPORTED_REASON == null;
    }

    /**
     * The architecture in use.
     *
     * @return the architecture.
     * @throws UnsupportedOperationException on an unsupported platform.
     */
    public static Arch arch()
    {
        ensureSupported();
        return ARCH;
    }

    /**
     * Fail with a clear message on an unsupported platform; do nothing on a supported one.
     *
     * @throws UnsupportedOperationException naming the OS and architecture found.
     */
    public static void ensureSupported()
    {
        if (UNSUPPORTED_REASON != null)
        {
            throw new UnsupportedOperationException(UNSUPPORTED_REASON);
        }
    }

    private static Arch detectArch()
    {
        final String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        switch (arch)
        {
            case "amd64":
            case "x86_64":
                return Arch.X86_64;
            case "aarch64":
            case "arm64":
                return Arch.AARCH64;
            default:
                return null;
        }
    }

    private static String unsupportedReason()
    {
        final String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux") || ARCH == null)
        {
            return "shm-ipc supports Linux on x86_64 and aarch64 only: os.name=" + os + " os.arch=" +
                System.getProperty("os.arch") + " (macOS and other systems are not supported yet)";
        }
        return null;
    }
}

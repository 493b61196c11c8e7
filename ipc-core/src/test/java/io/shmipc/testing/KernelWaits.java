package io.shmipc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Where a thread of this process sits in the kernel, from {@code /proc/self/task/<tid>/}: its name ({@code comm},
 * the first 15 characters of the Java thread's name) and the system call it is blocked in ({@code syscall}: the
 * number, then the arguments). Lets a test act once a thread is really asleep, with no sleep of its own.
 */
public final class KernelWaits
{
    /** x86-64 {@code futex}: every wait of the library sleeps there, parks included. */
    public static final int FUTEX = 202;
    /** x86-64 {@code futex_waitv}: a wait set's sleep. */
    public static final int FUTEX_WAITV = 449;
    /** x86-64 {@code recvmsg}. */
    public static final int RECVMSG = 47;
    /** x86-64 {@code connect}. */
    public static final int CONNECT = 42;

    private KernelWaits()
    {
    }

    /**
     * Wait until the thread, named uniquely within its first 15 characters, is blocked in one of the system calls.
     *
     * @param thread   the thread, alive.
     * @param syscalls the system call numbers.
     * @throws AssertionError when the thread ends first.
     */
    public static void awaitBlockedIn(final Thread thread, final int... syscalls)
    {
        final String name = thread.getName().length() > 15 ? thread.getName().substring(0, 15) : thread.getName();
        while (thread.isAlive())
        {
            try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task")))
            {
                for (final Path task : (Iterable<Path>)tasks::iterator)
                {
                    if (name.equals(read(task.resolve("comm"))) && isIn(read(task.resolve("syscall")), syscalls))
                    {
                        return;
                    }
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            Thread.yield();
        }
        throw new AssertionError(thread.getName() + " ended before it blocked");
    }

    private static boolean isIn(final String syscall, final int... syscalls)
    {
        for (final int number : syscalls)
        {
            if (syscall.startsWith(number + " "))
            {
                return true;
            }
        }
        return false;
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file).trim();
        }
        catch (final IOException ex)
        {
            return ""; // the task ended meanwhile
        }
    }
}

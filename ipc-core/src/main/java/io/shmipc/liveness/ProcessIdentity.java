package io.shmipc.liveness;

import io.shmipc.posix.LibC;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Who this process is, as written into region headers and endpoint slots: pid (in this PID namespace, for
 * display), process start time (clock ticks since boot, from {@code /proc/self/stat}) and the host boot id.
 * These are information for people and tools; liveness itself is proved by OFD locks.
 *
 * @param pid       process id in this process's PID namespace.
 * @param startTime start time in clock ticks since boot, or 0 when unknown.
 * @param bootId    the kernel's boot id, or a nil UUID when unknown.
 */
public record ProcessIdentity(int pid, long startTime, UUID bootId)
{
    private static final ProcessIdentity CURRENT = read();

    /**
     * This process.
     *
     * @return the identity, read once.
     */
    public static ProcessIdentity current()
    {
        return CURRENT;
    }

    private static ProcessIdentity read()
    {
        final int pid = LibC.getpid();
        return new ProcessIdentity(pid, readStartTime("self"), readBootId());
    }

    /**
     * The start time of a process of this PID namespace: with its pid, what tells it from a later process that got
     * the same pid after it exited.
     *
     * @param pid the process.
     * @return clock ticks since boot, or 0 when the process is gone or its start time cannot be read.
     */
    public static long startTimeOf(final long pid)
    {
        return pid > 0 ? readStartTime(Long.toString(pid)) : 0;
    }

    private static long readStartTime(final String process)
    {
        try
        {
            final String stat = Files.readString(Path.of("/proc", process, "stat"), StandardCharsets.US_ASCII);
            // Field 2 (comm) may hold spaces and parentheses: count fields after the last ')'.
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[19]);
        }
        catch (final IOException | RuntimeException ex)
        {
            return 0;
        }
    }

    private static UUID readBootId()
    {
        try
        {
            return UUID.fromString(Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim());
        }
        catch (final IOException | RuntimeException ex)
        {
            return new UUID(0, 0);
        }
    }
}

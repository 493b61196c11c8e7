package io.shmipc.examples.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of another process, and of one of its threads, from {@code /proc/<pid>/stat} and
 * {@code /proc/<pid>/task/<tid>/stat}: user plus system time ({@code utime + stime}, fields 14 and 15), in clock
 * ticks of {@link #TICKS_PER_SECOND} (Linux's {@code USER_HZ}, 100 on every mainstream architecture).
 */
public final class ProcessCpu
{
    /** Clock ticks per second of {@code /proc} times. */
    public static final long TICKS_PER_SECOND = 100;

    private ProcessCpu()
    {
    }

    /**
     * The process's user plus system time.
     *
     * @param pid the process.
     * @return clock ticks.
     * @throws IOException when {@code /proc} cannot be read (the process is gone, or this is not Linux).
     */
    public static long processTicks(final long pid) throws IOException
    {
        return ticks(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /**
     * The user plus system time of the process's thread named {@code threadName}.
     *
     * @param pid        the process.
     * @param threadName the thread's name as {@code comm} shows it (at most 15 characters).
     * @return clock ticks, or -1 when no such thread exists.
     * @throws IOException when {@code /proc} cannot be read.
     */
    public static long threadTicks(final long pid, final String threadName) throws IOException
    {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task")))
        {
            for (final Path task : tasks)
            {
                final String comm;
                try
                {
                    comm = Files.readString(task.resolve("comm")).trim();
                }
                catch (final IOException ex)
                {
                    continue; // the thread ended meanwhile
                }
                if (comm.equals(threadName))
                {
                    return ticks(task.resolve("stat"));
                }
            }
        }
        return -1;
    }

    /**
     * Parse {@code utime + stime} from a {@code stat} file. The command name (field 2) may hold spaces and
     * parentheses, so fields are counted from the last {@code ')'}.
     */
    private static long ticks(final Path stat) throws IOException
    {
        final String text = Files.readString(stat);
        final String[] fields = text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is field 3 (state): utime (14) is fields[11], stime (15) is fields[12].
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}

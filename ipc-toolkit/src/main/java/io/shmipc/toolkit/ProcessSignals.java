package io.shmipc.toolkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Sending a signal to a process by pid, as {@code kill -s NAME PID} does, and knowing whether this process ignores
 * {@code SIGINT} (then its children would too).
 */
public final class ProcessSignals
{
    private static final long SIGINT_BIT = 1L << (2 - 1);

    private ProcessSignals()
    {
    }

    /**
     * Send a signal.
     *
     * @param pid    the process.
     * @param signal its name without {@code SIG}: {@code INT}, {@code TERM}, {@code KILL}, {@code STOP}, ...
     * @throws ChildProcessException when {@code kill} fails (no such process, not permitted).
     */
    public static void send(final long pid, final String signal)
    {
        try
        {
            final Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid))
                .redirectErrorStream(true).start();
            final String output = new String(kill.getInputStream().readAllBytes()).trim();
            if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0)
            {
                throw new ChildProcessException("kill -s " + signal + " " + pid + " failed: " + output);
            }
        }
        catch (final IOException ex)
        {
            throw new ChildProcessException("cannot run kill -s " + signal + " " + pid, ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new ChildProcessException("interrupted while sending SIG" + signal + " to " + pid, ex);
        }
    }

    /**
     * Whether this process ignores {@code SIGINT} (read from {@code /proc/self/status}).
     *
     * @return true when it does; false when it does not or cannot tell.
     */
    public static boolean ignoresInterrupts()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
            {
                if (line.startsWith("SigIgn:"))
                {
                    return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & SIGINT_BIT) != 0;
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return false;
        }
        return false;
    }
}

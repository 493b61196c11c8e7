package io.shmipc.examples.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How this process names itself in what it prints and sends: its pid (in its own PID namespace) and host name (a
 * container's id-like name inside Docker).
 */
final class PeerIdentity
{
    private static final String HOSTNAME = readHostname();

    private PeerIdentity()
    {
    }

    /**
     * This process's id in its PID namespace (1 for a container's main process).
     *
     * @return the pid.
     */
    static long pid()
    {
        return ProcessHandle.current().pid();
    }

    /**
     * The kernel's host name for this UTS namespace, read without any name lookup.
     *
     * @return the host name, or {@code unknown}.
     */
    static String hostname()
    {
        return HOSTNAME;
    }

    /**
     * {@code pid=<pid> host=<host>}, for output lines.
     *
     * @return the text.
     */
    static String describe()
    {
        return "pid=" + pid() + " host=" + hostname();
    }

    private static String readHostname()
    {
        try
        {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        }
        catch (final IOException | RuntimeException ex)
        {
            final String fromEnvironment = System.getenv("HOSTNAME");
            return fromEnvironment == null || fromEnvironment.isBlank() ? "unknown" : fromEnvironment;
        }
    }
}

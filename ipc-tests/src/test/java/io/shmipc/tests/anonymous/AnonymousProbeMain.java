package io.shmipc.tests.anonymous;

import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.tests.support.ChildSupport;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A process that was not handed an anonymous region and tries every way in: attaching by its label (with
 * whatever hand-off variable it was started with), opening the holder's descriptor through
 * {@code /proc/<pid>/fd/<fd>}, attaching through that path, and reading a process's environment for its secret.
 * <p>
 * Arguments: {@code <label> <holder pid> <holder fd> <pid whose environment to read>}. Prints one line:
 * {@code PROBE uid=<uid> attach=<outcome> proc-fd=<outcome> proc-attach=<outcome> environ=<outcome>}, each outcome
 * {@code OPENED}, {@code EACCES} for a permission refused by the kernel, or the exception's simple class name.
 */
public final class AnonymousProbeMain
{
    private AnonymousProbeMain()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        final String label = args[0];
        final long holder = Long.parseLong(args[1]);
        final int fd = Integer.parseInt(args[2]);
        final String attach = outcome(() -> Region.attach(RegionLocation.anonymous(label), Duration.ofSeconds(5))
            .close());
        final String procFd = outcome(() -> new RandomAccessFile("/proc/" + holder + "/fd/" + fd, "r").close());
        final String procAttach = outcome(() -> Region.attach(RegionLocation.descriptor(holder, fd),
            Duration.ofSeconds(5)).close());
        final String environ = outcome(() -> Files.readAllBytes(Path.of("/proc/" + args[3] + "/environ")));
        ChildSupport.println("PROBE uid=" + Files.getAttribute(Path.of("/proc/self"), "unix:uid") + " attach=" +
            attach + " proc-fd=" + procFd + " proc-attach=" + procAttach + " environ=" + environ);
    }

    private interface Attempt
    {
        void run() throws IOException;
    }

    private static String outcome(final Attempt attempt)
    {
        try
        {
            attempt.run();
            return "OPENED";
        }
        catch (final IOException ex)
        {
            final String message = String.valueOf(ex.getMessage());
            return ex instanceof java.nio.file.AccessDeniedException || message.contains("Permission denied") ?
                "EACCES" : ex.getClass().getSimpleName();
        }
        catch (final ShmIpcException ex)
        {
            return ex.getClass().getSimpleName();
        }
    }
}

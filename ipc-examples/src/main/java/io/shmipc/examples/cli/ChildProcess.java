package io.shmipc.examples.cli;

import io.shmipc.Region;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.JvmCommand;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM the demo started: it runs one {@code shm-ipc} subcommand, its output (standard output and error
 * together) is copied line by line to ours, and its {@code done:} line is kept for the summary.
 */
final class ChildProcess
{
    private final String role;
    private final Process process;
    private final Thread relay;
    private volatile String doneLine;

    private ChildProcess(final String role, final Process process, final PrintStream out)
    {
        this.role = role;
        this.process = process;
        this.relay = new Thread(() -> relay(out), "relay-" + role);
        this.relay.setDaemon(true);
        this.relay.start();
    }

    /**
     * Start {@code shm-ipc <args>} in a JVM like this one.
     *
     * @param role what the demo calls it.
     * @param args the subcommand and its options.
     * @param out  where its lines are copied.
     * @return the running child.
     */
    static ChildProcess start(final String role, final List<String> args, final PrintStream out)
    {
        return start(role, args, out, null);
    }

    /**
     * Start {@code shm-ipc <args>} in a JVM like this one, handing it an anonymous region.
     *
     * @param role      what the demo calls it.
     * @param args      the subcommand and its options.
     * @param out       where its lines are copied.
     * @param anonymous an anonymous region the child may attach ({@link Region#start}), or null.
     * @return the running child.
     */
    static ChildProcess start(final String role, final List<String> args, final PrintStream out,
        final Region anonymous)
    {
        final ProcessBuilder builder = new ProcessBuilder(JvmCommand.of(ShmIpcCommand.class, args))
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.PIPE);
        try
        {
            final Process process = anonymous == null ? builder.start() : anonymous.start(builder);
            process.getOutputStream().close();
            return new ChildProcess(role, process, out);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start the " + role + " process: " + ex.getMessage(), ex);
        }
    }

    String role()
    {
        return role;
    }

    long pid()
    {
        return process.pid();
    }

    /**
     * Wait for the child to exit and its output to be copied.
     *
     * @param timeoutMs longest wait.
     * @return its exit code, or -1 when it is still running.
     */
    int await(final long timeoutMs) throws InterruptedException
    {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            return -1;
        }
        relay.join(TimeUnit.SECONDS.toMillis(5));
        return process.exitValue();
    }

    /**
     * The values of the child's {@code done:} line.
     *
     * @return the values, empty when it printed none.
     */
    Map<String, String> result()
    {
        final String line = doneLine;
        return line == null ? Map.of() : DoneLine.parse(line);
    }

    void kill()
    {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private void relay(final PrintStream out)
    {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                if (DoneLine.isDoneLine(line))
                {
                    doneLine = line;
                }
                out.println(line);
            }
        }
        catch (final IOException ex)
        {
            out.println("[" + role + "] output lost: " + ex.getMessage());
        }
    }
}

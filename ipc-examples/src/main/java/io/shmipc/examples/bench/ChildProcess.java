package io.shmipc.examples.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running one role, seen from the coordinator: its protocol lines ({@code READY}, {@code RESULT}) are
 * waited for with a timeout; anything else it prints is kept (the last lines) for the error message if it fails,
 * and echoed to standard error when verbose.
 */
final class ChildProcess implements AutoCloseable
{
    private static final String END_OF_OUTPUT = "\u0000end of output";
    private static final int KEPT_LINES = 60;

    private final String name;
    private final Process process;
    private final boolean verbose;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Deque<String> log = new ArrayDeque<>();
    private boolean outputEnded;

    private ChildProcess(final String name, final Process process, final boolean verbose)
    {
        this.name = name;
        this.process = process;
        this.verbose = verbose;
        final Thread reader = new Thread(this::readOutput, "bench-output-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    static ChildProcess start(final String name, final List<String> command, final boolean verbose)
        throws IOException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new ChildProcess(name, process, verbose);
    }

    String name()
    {
        return name;
    }

    long pid()
    {
        return process.pid();
    }

    /**
     * Wait for the {@code READY} line.
     *
     * @param timeout longest wait.
     * @return the values it carries.
     * @throws BenchException when the child exits first or the timeout passes.
     */
    Map<String, String> awaitReady(final Duration timeout)
    {
        return awaitLine(RoleContext.READY, timeout);
    }

    /**
     * Release the child from its start barrier.
     */
    void go()
    {
        try
        {
            final OutputStream in = process.getOutputStream();
            in.write((RoleContext.GO + "\n").getBytes(StandardCharsets.US_ASCII));
            in.flush();
        }
        catch (final IOException ex)
        {
            throw new BenchException(name + ": cannot start it (" + ex.getMessage() + ")" + tail());
        }
    }

    /**
     * Wait for the {@code RESULT} line, then for the child to exit with status 0.
     *
     * @param timeout longest wait.
     * @return the result values.
     * @throws BenchException when the child fails or the timeout passes.
     */
    Map<String, String> awaitResult(final Duration timeout)
    {
        final Map<String, String> result = awaitLine(RoleContext.RESULT, timeout);
        try
        {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
            {
                throw new BenchException(name + ": did not exit after its result" + tail());
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new BenchException(name + ": interrupted");
        }
        if (process.exitValue() != 0)
        {
            throw new BenchException(name + ": exited with " + process.exitValue() + tail());
        }
        return result;
    }

    @Override
    public void close()
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
            try
            {
                process.waitFor(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Map<String, String> awaitLine(final String first, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            final long remaining = deadline - System.nanoTime();
            final String line;
            try
            {
                line = outputEnded ? null : lines.poll(Math.max(0, remaining), TimeUnit.NANOSECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new BenchException(name + ": interrupted");
            }
            if (line == null)
            {
                if (outputEnded)
                {
                    waitQuietly();
                    throw new BenchException(name + ": exited" + exitDescription() + " before printing " + first +
                        tail());
                }
                throw new BenchException(name + ": no " + first + " within " + timeout + tail());
            }
            if (END_OF_OUTPUT.equals(line))
            {
                outputEnded = true;
                continue;
            }
            final Map<String, String> values = KeyValues.parse(first, line);
            if (values != null)
            {
                return values;
            }
            keep(line);
        }
    }

    private void keep(final String line)
    {
        if (verbose)
        {
            System.err.println("  [" + name + "] " + line);
        }
        if (log.size() == KEPT_LINES)
        {
            log.removeFirst();
        }
        log.addLast(line);
    }

    private String tail()
    {
        String line;
        while ((line = lines.poll()) != null)
        {
            if (!END_OF_OUTPUT.equals(line))
            {
                keep(line);
            }
        }
        return log.isEmpty() ? "" : "; its last output:\n    " + String.join("\n    ", log);
    }

    private void waitQuietly()
    {
        try
        {
            process.waitFor(5, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private String exitDescription()
    {
        return process.isAlive() ? "" : " with " + process.exitValue();
    }

    private void readOutput()
    {
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                lines.add(line);
            }
        }
        catch (final IOException ex)
        {
            lines.add("[output lost: " + ex + "]");
        }
        lines.add(END_OF_OUTPUT);
    }
}

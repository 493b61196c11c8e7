package io.shmipc.toolkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A child process with its output read line by line as it comes, so the parent waits for what the child prints
 * (never for a fixed time), sends it lines and signals, and on failure shows what it printed.
 * <p>
 * Standard output and standard error are read together unless {@link ChildProcessBuilder#separateErrors()} keeps
 * standard error apart ({@link #errorLines()}). Every line is kept.
 */
public final class ChildProcess implements AutoCloseable
{
    private static final int TAIL_LINES = 60;
    private static final long READER_JOIN_MS = 5_000;

    private final String name;
    private final Process process;
    private final LineReader output;
    private final LineReader errors;
    /** The signals {@link #signal} sent, each with when: for the message of a child that did not react. */
    private final List<String> signalsSent = new CopyOnWriteArrayList<>();

    ChildProcess(final String name, final Process process, final Consumer<String> echo, final boolean separate)
    {
        this.name = name;
        this.process = process;
        this.output = new LineReader(process.getInputStream(), echo, "output-" + name);
        this.errors = separate ? new LineReader(process.getErrorStream(), echo, "errors-" + name) : null;
    }

    /**
     * Start a command, standard output and error read together.
     *
     * @param name    how messages name it.
     * @param command the command.
     * @return the running child.
     * @throws ChildProcessException when it cannot start.
     */
    public static ChildProcess start(final String name, final List<String> command)
    {
        return builder(name, command).start();
    }

    /**
     * A command to start with options.
     *
     * @param name    how messages name it.
     * @param command the command.
     * @return the builder.
     */
    public static ChildProcessBuilder builder(final String name, final List<String> command)
    {
        return new ChildProcessBuilder(name, command);
    }

    /**
     * How messages name the child.
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * The child's pid.
     *
     * @return the pid.
     */
    public long pid()
    {
        return process.pid();
    }

    /**
     * The child's process handle, valid also after it exited (for example to name it to a region's hand-off).
     *
     * @return the handle.
     */
    public ProcessHandle handle()
    {
        return process.toHandle();
    }

    /**
     * Whether the child is running.
     *
     * @return true while alive.
     */
    public boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * Wait until the child prints a line (on standard output, or on either stream when they are read together)
     * that matches; lines printed earlier count.
     *
     * @param predicate what to wait for.
     * @param timeout   longest wait.
     * @return the first matching line.
     * @throws ChildProcessException when the child's output ends or the time runs out first.
     */
    public String awaitLine(final Predicate<String> predicate, final Duration timeout)
    {
        return await(output, predicate, timeout);
    }

    /**
     * Wait until the child prints a line on standard error that matches, when standard error is kept apart.
     *
     * @param predicate what to wait for.
     * @param timeout   longest wait.
     * @return the first matching line.
     * @throws ChildProcessException when standard error ends or the time runs out first.
     * @throws IllegalStateException when the streams are read together.
     */
    public String awaitErrorLine(final Predicate<String> predicate, final Duration timeout)
    {
        if (errors == null)
        {
            throw new IllegalStateException(name + ": standard error is read with standard output");
        }
        return await(errors, predicate, timeout);
    }

    private String await(final LineReader reader, final Predicate<String> predicate, final Duration timeout)
    {
        final String line;
        try
        {
            line = reader.await(predicate, System.nanoTime() + timeout.toNanos());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new ChildProcessException(name + ": interrupted while waiting", ex);
        }
        if (line != null)
        {
            return line;
        }
        if (reader.hasEnded())
        {
            waitQuietly();
            throw failure("exited" + exitDescription() + " before printing the line waited for");
        }
        throw failure("did not print the line waited for within " + Durations.format(timeout) + signalState());
    }

    /**
     * Wait until the child prints a line starting with {@code prefix}.
     *
     * @param prefix  the start of the line.
     * @param timeout longest wait.
     * @return the line.
     * @throws ChildProcessException when the child's output ends or the time runs out first.
     */
    public String awaitLineStartingWith(final String prefix, final Duration timeout)
    {
        return awaitLine(line -> line.startsWith(prefix), timeout);
    }

    /**
     * Wait for the child to exit and its output to be read.
     *
     * @param timeout longest wait.
     * @return the exit code.
     * @throws ChildProcessException when it is still running after the timeout (it is then killed).
     */
    public int awaitExit(final Duration timeout)
    {
        if (!waitFor(timeout))
        {
            kill();
            throw failure("did not exit within " + Durations.format(timeout) + " (killed)");
        }
        return process.exitValue();
    }

    /**
     * Wait for the child to exit with status 0.
     *
     * @param timeout longest wait.
     * @throws ChildProcessException when it exits with another status, or is still running after the timeout (it
     *                               is then killed).
     */
    public void awaitSuccess(final Duration timeout)
    {
        final int exit = awaitExit(timeout);
        if (exit != 0)
        {
            throw failure("exited with " + exit);
        }
    }

    /**
     * Wait for the child to exit, up to a timeout, and for its output to be read.
     *
     * @param timeout longest wait.
     * @return true when it exited.
     */
    public boolean waitFor(final Duration timeout)
    {
        try
        {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS))
            {
                return false;
            }
            output.join(READER_JOIN_MS);
            if (errors != null)
            {
                errors.join(READER_JOIN_MS);
            }
            return true;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new ChildProcessException(name + ": interrupted while waiting", ex);
        }
    }

    /**
     * The exit code, once the child has exited.
     *
     * @return the code.
     * @throws IllegalStateException while it runs.
     */
    public int exitCode()
    {
        return process.exitValue();
    }

    /**
     * Write a line to the child's standard input.
     *
     * @param line the text, without its line end.
     */
    public void send(final String line)
    {
        try
        {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        }
        catch (final IOException ex)
        {
            throw failure("cannot write to its standard input (" + ex.getMessage() + ")");
        }
    }

    /**
     * Close the child's standard input: it reads end of file.
     */
    public void closeInput()
    {
        try
        {
            process.getOutputStream().close();
        }
        catch (final IOException ex)
        {
            throw failure("cannot close its standard input (" + ex.getMessage() + ")");
        }
    }

    /**
     * Send the child a signal, as {@code kill -s NAME pid} does.
     *
     * @param signal the signal's name without {@code SIG}: {@code INT}, {@code TERM}, {@code KILL}, ...
     */
    public void signal(final String signal)
    {
        ProcessSignals.send(process.pid(), signal);
        signalsSent.add("SIG" + signal + " at " + Instant.now());
    }

    /**
     * Kill the child and any process it started ({@code SIGKILL}), and wait for it to be gone.
     */
    public void kill()
    {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try
        {
            process.waitFor(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Everything read from standard output so far (both streams when they are read together).
     *
     * @return the lines.
     */
    public List<String> lines()
    {
        return List.copyOf(output.lines());
    }

    /**
     * Everything read from standard error so far, when kept apart.
     *
     * @return the lines; empty when the streams are read together.
     */
    public List<String> errorLines()
    {
        return errors == null ? List.of() : List.copyOf(errors.lines());
    }

    /**
     * Everything the child printed so far, one string (standard error after standard output when kept apart).
     *
     * @return the output.
     */
    public String output()
    {
        return String.join("\n", all());
    }

    /**
     * Standard error so far, one string, when kept apart.
     *
     * @return the text.
     */
    public String errors()
    {
        return String.join("\n", errorLines());
    }

    /**
     * Kill the child if it is still running.
     */
    @Override
    public void close()
    {
        if (process.isAlive())
        {
            kill();
        }
    }

    @Override
    public String toString()
    {
        return name + " (pid " + process.pid() + ")";
    }

    private ChildProcessException failure(final String problem)
    {
        final List<String> all = all();
        final List<String> tail = all.subList(Math.max(0, all.size() - TAIL_LINES), all.size());
        return new ChildProcessException(name + " (pid " + process.pid() + ") " + problem +
            (tail.isEmpty() ? "; it printed nothing" : "; its last output:\n    " + String.join("\n    ", tail)));
    }

    /**
     * For a child still running that was sent signals: which, when, and the kernel's view of its signals now
     * (pending, blocked, ignored, caught), to tell a signal it never got from one it did not act on.
     */
    private String signalState()
    {
        if (signalsSent.isEmpty() || !process.isAlive())
        {
            return "";
        }
        String state;
        try
        {
            state = String.join(" ", Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))
                .stream().filter(line -> line.matches("(SigPnd|ShdPnd|SigBlk|SigIgn|SigCgt):.*"))
                .map(line -> line.replaceFirst(":\\s*", "=")).toList());
        }
        catch (final IOException | RuntimeException ex)
        {
            state = "unknown (" + ex.getMessage() + ")";
        }
        return " (sent " + String.join(", ", signalsSent) + "; its signal state now, at " + Instant.now() + ": " +
            state + ")";
    }

    private String exitDescription()
    {
        return process.isAlive() ? "" : " with " + process.exitValue();
    }

    private void waitQuietly()
    {
        try
        {
            process.waitFor(READER_JOIN_MS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private List<String> all()
    {
        final List<String> all = new ArrayList<>(output.lines());
        if (errors != null)
        {
            all.addAll(errors.lines());
        }
        return all;
    }
}

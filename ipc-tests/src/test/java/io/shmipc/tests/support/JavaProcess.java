package io.shmipc.tests.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A separate JVM started from the test class path, with its standard output collected line by line so a test
 * can wait for what the child prints (never for a fixed time).
 */
public final class JavaProcess implements AutoCloseable
{
    private final String description;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private JavaProcess(final String description, final Process process)
    {
        this.description = description;
        this.process = process;
        this.reader = new Thread(this::readOutput, "output-" + description);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Start {@code mainClass} in a new JVM with the test class path and Agrona's flags.
     *
     * @param mainClass class with a {@code main}.
     * @param args      its arguments.
     * @return the running process.
     */
    public static JavaProcess start(final Class<?> mainClass, final String... args)
    {
        return start(List.of(), mainClass, args);
    }

    /**
     * Start {@code mainClass} in a new JVM, with extra JVM options.
     *
     * @param jvmOptions options placed before the class name.
     * @param mainClass  class with a {@code main}.
     * @param args       its arguments.
     * @return the running process.
     */
    public static JavaProcess start(final List<String> jvmOptions, final Class<?> mainClass, final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.addAll(javaCommand(jvmOptions));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(Arrays.asList(args));
        return start(mainClass.getSimpleName() + " " + String.join(" ", args), command);
    }

    /**
     * Start any command (for example {@code unshare ... java ...}).
     *
     * @param description how failures name it.
     * @param command     the command.
     * @return the running process.
     */
    public static JavaProcess start(final String description, final List<String> command)
    {
        return start(description, command, Map.of());
    }

    /**
     * Start any command with extra environment variables (for example a region's hand-off).
     *
     * @param description how failures name it.
     * @param command     the command.
     * @param environment variables added to this process's environment.
     * @return the running process.
     */
    public static JavaProcess start(final String description, final List<String> command,
        final Map<String, String> environment)
    {
        try
        {
            final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            return new JavaProcess(description, builder.start());
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot start " + command, ex);
        }
    }

    /**
     * The java executable and the JVM options every child needs.
     *
     * @param jvmOptions extra options.
     * @return the command prefix.
     */
    public static List<String> javaCommand(final List<String> jvmOptions)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(System.getProperty("shmipc.test.jvmFlags",
            "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED").trim().split("\\s+")));
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.addAll(jvmOptions);
        return command;
    }

    /**
     * Wait until the child prints a line matching {@code predicate}.
     *
     * @param predicate what to wait for.
     * @param timeout   longest wait.
     * @return the matching line.
     * @throws AssertionError with the child's output when the timeout passes or the child exits first.
     */
    public String awaitLine(final Predicate<String> predicate, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true)
        {
            final int size = lines.size();
            for (; checked < size; checked++)
            {
                final String line = lines.get(checked);
                if (predicate.test(line))
                {
                    return line;
                }
            }
            if (!process.isAlive() && !reader.isAlive() && checked == lines.size())
            {
                throw new AssertionError(description + " exited with " + process.exitValue() +
                    " before printing the expected line; output:\n" + output());
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError(description + ": expected line not printed within " + timeout +
                    "; output:\n" + output());
            }
            synchronized (lines)
            {
                try
                {
                    lines.wait(10);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", ex);
                }
            }
        }
    }

    /**
     * Wait until the child prints a line starting with {@code prefix}.
     *
     * @param prefix  the start of the line.
     * @param timeout longest wait.
     * @return the line.
     */
    public String awaitLineStartingWith(final String prefix, final Duration timeout)
    {
        return awaitLine(line -> line.startsWith(prefix), timeout);
    }

    /**
     * Wait for the child to exit and return its exit code.
     *
     * @param timeout longest wait.
     * @return the exit code.
     * @throws AssertionError with the output when it does not exit in time (it is then killed).
     */
    public int waitFor(final Duration timeout)
    {
        try
        {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly();
                throw new AssertionError(description + " did not exit within " + timeout + "; output:\n" + output());
            }
            reader.join(timeout.toMillis());
            return process.exitValue();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
    }

    /**
     * Wait for the child to exit with status 0.
     *
     * @param timeout longest wait.
     */
    public void assertSuccess(final Duration timeout)
    {
        final int exit = waitFor(timeout);
        if (exit != 0)
        {
            throw new AssertionError(description + " exited with " + exit + "; output:\n" + output());
        }
    }

    /**
     * Kill the child with SIGKILL and wait for it to be gone.
     */
    public void kill()
    {
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
     * The child's pid.
     *
     * @return the pid.
     */
    public long pid()
    {
        return process.pid();
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
     * Everything the child printed so far.
     *
     * @return the lines.
     */
    public List<String> lines()
    {
        return List.copyOf(lines);
    }

    /**
     * Everything the child printed so far, one string.
     *
     * @return the output.
     */
    public String output()
    {
        return String.join("\n", lines);
    }

    /**
     * Write a line to the child's standard input.
     *
     * @param line the text.
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
            throw new IllegalStateException("cannot write to " + description, ex);
        }
    }

    /**
     * Close the child's standard input, so it reads end of file.
     */
    public void closeInput()
    {
        try
        {
            process.getOutputStream().close();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot close the input of " + description, ex);
        }
    }

    @Override
    public void close()
    {
        if (process.isAlive())
        {
            kill();
        }
    }

    private void readOutput()
    {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                lines.add(line);
                synchronized (lines)
                {
                    lines.notifyAll();
                }
            }
        }
        catch (final IOException ex)
        {
            lines.add("[output lost: " + ex + "]");
        }
        synchronized (lines)
        {
            lines.notifyAll();
        }
    }
}

package io.shmipc.tests.container;

import org.testcontainers.containers.output.OutputFrame;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A container's standard output and error, split into lines as they arrive, so that a test can wait for a line
 * (never for a fixed time) and fail at once, with everything printed, when the container's output ends first.
 */
public final class ContainerOutput implements Consumer<OutputFrame>
{
    private final Supplier<String> description;
    private final Supplier<String> completeLog;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final StringBuilder stdout = new StringBuilder();
    private final StringBuilder stderr = new StringBuilder();
    private volatile boolean ended;

    /**
     * Collect the output of one container.
     *
     * @param description how failures name the container (asked when a failure is reported).
     * @param completeLog  the container's whole log from the engine ({@code docker logs}), asked once when the
     *                     followed stream ends: a stream followed while the container dies may miss its last lines.
     */
    public ContainerOutput(final Supplier<String> description, final Supplier<String> completeLog)
    {
        this.description = description;
        this.completeLog = completeLog;
    }

    @Override
    public void accept(final OutputFrame frame)
    {
        final String complete = frame.getType() == OutputFrame.OutputType.END ? fetchCompleteLog() : null;
        synchronized (this)
        {
            if (frame.getType() == OutputFrame.OutputType.END)
            {
                flush(stdout);
                flush(stderr);
                if (complete != null)
                {
                    final List<String> all = complete.lines().map(ContainerOutput::stripCarriageReturn).toList();
                    if (all.size() > lines.size())
                    {
                        lines.addAll(all.subList(lines.size(), all.size()));
                    }
                }
                ended = true;
            }
            else
            {
                final StringBuilder pending = frame.getType() == OutputFrame.OutputType.STDERR ? stderr : stdout;
                final byte[] bytes = frame.getBytes();
                pending.append(new String(bytes == null ? new byte[0] : bytes, StandardCharsets.UTF_8));
                int newline;
                while ((newline = pending.indexOf("\n")) >= 0)
                {
                    lines.add(stripCarriageReturn(pending.substring(0, newline)));
                    pending.delete(0, newline + 1);
                }
            }
            notifyAll();
        }
    }

    /**
     * Wait for a line matching {@code predicate}.
     *
     * @param predicate what to wait for.
     * @param timeout   longest wait.
     * @return the first matching line.
     * @throws AssertionError with the whole output when the timeout passes or the output ends first.
     */
    public String await(final Predicate<String> predicate, final Duration timeout)
    {
        return await(0, predicate, timeout);
    }

    /**
     * Wait for a line matching {@code predicate}, looking only at lines from {@code fromLine} on (for example
     * {@code lines().size()} taken before an action, to wait for what the action causes).
     *
     * @param fromLine  index of the first line to look at.
     * @param predicate what to wait for.
     * @param timeout   longest wait.
     * @return the first matching line.
     * @throws AssertionError with the whole output when the timeout passes or the output ends first.
     */
    public String await(final int fromLine, final Predicate<String> predicate, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        int checked = fromLine;
        synchronized (this)
        {
            while (true)
            {
                for (; checked < lines.size(); checked++)
                {
                    if (predicate.test(lines.get(checked)))
                    {
                        return lines.get(checked);
                    }
                }
                if (ended)
                {
                    throw new AssertionError(description.get() + ": output ended before the expected line; " +
                        "output:\n" + text());
                }
                final long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
                if (remainingMs <= 0)
                {
                    throw new AssertionError(description.get() + ": expected line not printed within " + timeout +
                        "; output:\n" + text());
                }
                try
                {
                    wait(Math.min(remainingMs, 100));
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
     * Wait for a line starting with {@code prefix}.
     *
     * @param prefix  the start of the line.
     * @param timeout longest wait.
     * @return the line.
     */
    public String awaitStartingWith(final String prefix, final Duration timeout)
    {
        return await(line -> line.startsWith(prefix), timeout);
    }

    /**
     * Wait until the container's output has ended (its process exited and every line was delivered).
     *
     * @param timeout longest wait.
     * @return every line.
     * @throws AssertionError when the output is still open after {@code timeout}.
     */
    public List<String> awaitEnd(final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this)
        {
            while (!ended)
            {
                final long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
                if (remainingMs <= 0)
                {
                    throw new AssertionError(description.get() + ": output still open after " + timeout);
                }
                try
                {
                    wait(Math.min(remainingMs, 100));
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", ex);
                }
            }
        }
        return lines();
    }

    /**
     * The lines so far.
     *
     * @return a copy.
     */
    public List<String> lines()
    {
        return List.copyOf(lines);
    }

    /**
     * The lines so far, one string.
     *
     * @return the text.
     */
    public String text()
    {
        return String.join("\n", lines);
    }

    private String fetchCompleteLog()
    {
        try
        {
            return completeLog.get();
        }
        catch (final RuntimeException ex)
        {
            return null;
        }
    }

    private void flush(final StringBuilder pending)
    {
        if (pending.length() > 0)
        {
            lines.add(stripCarriageReturn(pending.toString()));
            pending.setLength(0);
        }
    }

    private static String stripCarriageReturn(final String line)
    {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}

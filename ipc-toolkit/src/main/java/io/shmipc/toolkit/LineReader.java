package io.shmipc.toolkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One output stream of a {@link ChildProcess}, read line by line on a daemon thread as it comes: every line is kept,
 * and a caller can wait, a bounded time, for one that matches.
 */
final class LineReader
{
    private static final long WAIT_SLICE_MS = 10;

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread thread;

    /**
     * Start reading.
     *
     * @param stream     the stream.
     * @param echo       also called with every line, from the reading thread; or {@code null}.
     * @param threadName the reading thread's name.
     */
    LineReader(final InputStream stream, final Consumer<String> echo, final String threadName)
    {
        thread = new Thread(() -> read(stream, echo), threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The lines read so far.
     *
     * @return a live, thread-safe view.
     */
    List<String> lines()
    {
        return lines;
    }

    /**
     * Whether the stream has ended and every line of it has been read.
     *
     * @return true at end of stream.
     */
    boolean hasEnded()
    {
        return !thread.isAlive();
    }

    /**
     * Wait for the end of the stream.
     *
     * @param timeoutMs longest wait.
     * @throws InterruptedException when interrupted.
     */
    void join(final long timeoutMs) throws InterruptedException
    {
        thread.join(timeoutMs);
    }

    /**
     * Wait until a line that matches has been read; lines read earlier count.
     *
     * @param predicate     what to wait for.
     * @param deadlineNanos until when, on {@link System#nanoTime()}'s clock.
     * @return the first matching line, or {@code null} when the stream ended or the deadline passed first
     *         ({@link #hasEnded()} tells which).
     * @throws InterruptedException when interrupted.
     */
    String await(final Predicate<String> predicate, final long deadlineNanos) throws InterruptedException
    {
        int checked = 0;
        while (true)
        {
            final boolean ended = hasEnded();
            final int size = lines.size();
            for (; checked < size; checked++)
            {
                final String line = lines.get(checked);
                if (predicate.test(line))
                {
                    return line;
                }
            }
            if (ended || System.nanoTime() - deadlineNanos > 0)
            {
                return null;
            }
            synchronized (lines)
            {
                lines.wait(WAIT_SLICE_MS);
            }
        }
    }

    private void read(final InputStream stream, final Consumer<String> echo)
    {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                lines.add(line);
                if (echo != null)
                {
                    echo.accept(line);
                }
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

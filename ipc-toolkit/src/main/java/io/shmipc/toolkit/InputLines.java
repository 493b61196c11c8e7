package io.shmipc.toolkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Lines of an input stream (standard input) read on a daemon thread, so the loop that uses them waits with a
 * timeout and stays free to notice anything else: a signal to stop, a peer that died. A blocked {@code read} never
 * keeps the process alive: the thread is a daemon, and the loop simply stops asking.
 * <pre>{@code
 * InputLines input = InputLines.start(System.in);
 * String line;
 * while (!stopped && (line = input.next(100, TimeUnit.MILLISECONDS)) != InputLines.END)
 * {
 *     if (line != null) { ... }
 * }
 * }</pre>
 */
public final class InputLines
{
    /** Returned by {@link #next} once the input has ended (end of file, or it could not be read). */
    public static final String END = new String("<end of input>");

    private static final int CAPACITY = 1024;

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>(CAPACITY);
    private volatile IOException failure;
    private boolean ended;

    private InputLines()
    {
    }

    /**
     * Start reading a stream as UTF-8 lines. At most {@value #CAPACITY} lines are read ahead.
     *
     * @param in the stream.
     * @return the lines as they come.
     */
    public static InputLines start(final InputStream in)
    {
        return start(in, StandardCharsets.UTF_8);
    }

    /**
     * Start reading a stream as lines: each ends at a {@code '\n'} (and a {@code '\r'} before it is dropped; one
     * anywhere else is kept), and is decoded with a charset. {@link StandardCharsets#ISO_8859_1} keeps every byte
     * as it was, one {@code char} each: encode a line with it to get its bytes back exactly. At most
     * {@value #CAPACITY} lines are read ahead.
     *
     * @param in      the stream.
     * @param charset how the lines' bytes are decoded.
     * @return the lines as they come.
     */
    public static InputLines start(final InputStream in, final Charset charset)
    {
        final InputLines input = new InputLines();
        final Thread reader = new Thread(() -> input.read(in, charset), "input-lines");
        reader.setDaemon(true);
        reader.start();
        return input;
    }

    /**
     * The next line, waiting up to a timeout.
     *
     * @param timeout longest wait.
     * @param unit    its unit.
     * @return the line (without its line end), {@code null} when none came in time, or {@link #END} (compare with
     *         {@code ==}) once the input has ended.
     * @throws InterruptedException when the waiting thread is interrupted.
     */
    public String next(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        if (ended)
        {
            return END;
        }
        final String line = lines.poll(timeout, unit);
        if (line == END)
        {
            ended = true;
        }
        return line;
    }

    /**
     * The next line if one is waiting, without waiting.
     *
     * @return the line, {@code null} when none is waiting, or {@link #END} once the input has ended.
     */
    public String poll()
    {
        if (ended)
        {
            return END;
        }
        final String line = lines.poll();
        if (line == END)
        {
            ended = true;
        }
        return line;
    }

    /**
     * Whether nothing is waiting: no line, and not the end either.
     *
     * @return true when {@link #poll()} would return {@code null}.
     */
    public boolean isEmpty()
    {
        return !ended && lines.isEmpty();
    }

    /**
     * Why the input ended early, if it did.
     *
     * @return the read failure, or {@code null} after a normal end of file.
     */
    public IOException failure()
    {
        return failure;
    }

    private void read(final InputStream in, final Charset charset)
    {
        try (InputStream bytes = new BufferedInputStream(in))
        {
            final ByteArrayOutputStream line = new ByteArrayOutputStream();
            int next;
            while ((next = bytes.read()) >= 0)
            {
                if (next == '\n')
                {
                    lines.put(text(line, charset));
                }
                else
                {
                    line.write(next);
                }
            }
            if (line.size() > 0)
            {
                lines.put(text(line, charset)); // the last line, without its line end
            }
        }
        catch (final IOException ex)
        {
            failure = ex;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            end();
        }
    }

    /**
     * The line gathered, without a {@code '\r'} at its end, decoded; the buffer is emptied for the next one.
     */
    private static String text(final ByteArrayOutputStream line, final Charset charset)
    {
        final byte[] bytes = line.toByteArray();
        line.reset();
        final int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, charset);
    }

    /**
     * Hand the end after the last line, waiting for room: with the queue full of lines read ahead, an end that
     * could not be queued would leave the reader of the lines waiting for ever once it has taken them all. The
     * thread is a daemon, so a reader that stopped asking never waits for it.
     */
    private void end()
    {
        boolean interrupted = false;
        while (true)
        {
            try
            {
                lines.put(END);
                break;
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }
}

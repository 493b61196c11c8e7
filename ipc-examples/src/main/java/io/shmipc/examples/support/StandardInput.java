package io.shmipc.examples.support;

import io.shmipc.toolkit.InputLines;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Standard input for a command that sends what is typed or piped to it ({@code send}, {@code log-shipper}): lines
 * (ending at a newline, a carriage return before it dropped) read on a daemon thread ({@link InputLines}) with
 * their bytes kept exactly ({@link #bytes}), handed out after a short wait at most, so that the command's loop
 * checks for Ctrl-C and dead peers between lines and a blocked read never keeps the process alive.
 */
public final class StandardInput
{
    /** Returned by {@link #next()} once the input has ended (compare with {@code ==}). */
    public static final String END = InputLines.END;

    private static final long POLL_MS = 50;

    /** Every byte of a line is one char of it, so that {@link #bytes} gives the line's bytes back exactly. */
    private final InputLines input;

    /**
     * Start reading standard input.
     *
     * @throws CommandFailedException when the process was started with standard input closed.
     */
    public StandardInput()
    {
        if (wasClosedAtStart())
        {
            throw new CommandFailedException("cannot read standard input: it was closed when shm-ipc started (give " +
                "it a file, a pipe, or /dev/null for no input)");
        }
        input = InputLines.start(System.in, StandardCharsets.ISO_8859_1);
    }

    /**
     * Whether descriptor 0 is one the JVM opened for itself: started with it closed, the JVM's first open file (its
     * class library, {@code lib/modules}) took the lowest free number, 0, and reading it would send that file.
     */
    private static boolean wasClosedAtStart()
    {
        try
        {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/0")).startsWith(Path.of(System.getProperty(
                "java.home")).toRealPath());
        }
        catch (final IOException | RuntimeException ex)
        {
            return false; // no /proc, or descriptor 0 is closed now: the read says so
        }
    }

    /**
     * The bytes of a line {@link #next()} returned, exactly as they were read (binary, or text in any encoding).
     *
     * @param line the line.
     * @return its bytes.
     */
    public static byte[] bytes(final String line)
    {
        return line.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * The next line.
     *
     * @return the line, {@code null} when none came within a short wait (check for a signal and the peers, then
     *         ask again), or {@link #END} at the end of the input (or when the thread is interrupted).
     * @throws CommandFailedException when standard input could not be read.
     */
    public String next()
    {
        final String line;
        try
        {
            line = input.next(POLL_MS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return END;
        }
        if (line == END && input.failure() != null)
        {
            throw new CommandFailedException("cannot read standard input: " + input.failure().getMessage());
        }
        return line;
    }
}

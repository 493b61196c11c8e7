package io.shmipc.examples.support;

import io.shmipc.toolkit.InputLines;

import java.util.concurrent.TimeUnit;

/**
 * Standard input for a command that sends what is typed or piped to it ({@code send}, {@code log-shipper}): lines
 * read on a daemon thread ({@link InputLines}), handed out after a short wait at most, so that the command's loop
 * checks for Ctrl-C and dead peers between lines and a blocked read never keeps the process alive.
 */
public final class StandardInput
{
    /** Returned by {@link #next()} once the input has ended (compare with {@code ==}). */
    public static final String END = InputLines.END;

    private static final long POLL_MS = 50;

    private final InputLines input = InputLines.start(System.in);

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

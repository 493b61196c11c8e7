package io.shmipc.tests.support;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * What the child processes of the system tests share: how they print, how they wait for the test's commands on
 * standard input, and how they idle. Up to nine JVMs share two cores in these tests, so children never spin
 * without backing off.
 */
public final class ChildSupport
{
    /** Exit status of a child that could not finish its work (stuck, stalled or refused). */
    public static final int EXIT_INCOMPLETE = 2;
    /** Exit status of a child whose standard input closed before the command it waited for. */
    public static final int EXIT_NO_COMMAND = 3;

    private static final BufferedReader STDIN =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

    private ChildSupport()
    {
    }

    /**
     * The idle strategy of every child loop: a few spins and yields, then parking from 1 µs up to 1 ms.
     *
     * @return a new strategy.
     */
    public static IdleStrategy idleStrategy()
    {
        return new BackoffIdleStrategy(100, 10, 1_000L, 1_000_000L);
    }

    /**
     * Print one line and flush it, so the test sees it at once.
     *
     * @param line the text.
     */
    public static void println(final String line)
    {
        System.out.println(line);
        System.out.flush();
    }

    /**
     * Block until the test writes {@code expected} on standard input. Exits the JVM with
     * {@link #EXIT_NO_COMMAND} when standard input closes first (the test is gone).
     *
     * @param expected the line to wait for.
     */
    public static void awaitCommand(final String expected)
    {
        while (true)
        {
            final String line = readCommand();
            if (expected.equals(line))
            {
                return;
            }
        }
    }

    /**
     * Read the next line the test writes on standard input. Exits the JVM with {@link #EXIT_NO_COMMAND} when
     * standard input closes.
     *
     * @return the line, trimmed.
     */
    public static String readCommand()
    {
        try
        {
            final String line = STDIN.readLine();
            if (line == null)
            {
                println("NO_COMMAND standard input closed");
                System.exit(EXIT_NO_COMMAND);
            }
            return line.trim();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read standard input", ex);
        }
    }

    /**
     * Print why the child cannot finish and exit with {@link #EXIT_INCOMPLETE}.
     *
     * @param line what went wrong, printed as is.
     */
    public static void exitIncomplete(final String line)
    {
        println(line);
        System.exit(EXIT_INCOMPLETE);
    }
}

package io.shmipc.tests.support;

import io.shmipc.toolkit.InputLines;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What the child processes of the system tests share: how they print, how they read the test's commands on
 * standard input (read on a daemon thread, so a main loop can poll for them between its own steps), and how they
 * idle. Up to nine JVMs share two cores in these tests, so children never spin without backing off.
 */
public final class ChildSupport
{
    /** Exit status of a child that could not finish its work (stuck, stalled or refused). */
    public static final int EXIT_INCOMPLETE = 2;
    /** Exit status of a child whose standard input closed before the command it waited for. */
    public static final int EXIT_NO_COMMAND = 3;

    /** What {@link #nextCommand()} and the commands' {@code poll} return once standard input has closed. */
    public static final String END_OF_INPUT = InputLines.END;
    /** One wait of {@link #warmUp}: long enough to go to sleep in the kernel, and come back at once. */
    public static final Duration WARM_UP_WAIT = Duration.ofNanos(50_000);
    /** Waits {@link #warmUp} runs. */
    private static final int WARM_UP_WAITS = 20_000;
    /** The sleep of {@link #startIdleReference}: a waiting subscriber's longest (docs/guarantees.md). */
    private static final long IDLE_REFERENCE_SLEEP_NS = 100_000_000L;

    private static InputLines input;

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
        final String line = nextCommand();
        if (line == END_OF_INPUT)
        {
            println("NO_COMMAND standard input closed");
            System.exit(EXIT_NO_COMMAND);
        }
        return line;
    }

    /**
     * Block until the next line the test writes on standard input.
     *
     * @return the line, trimmed, or {@link #END_OF_INPUT} once standard input has closed.
     */
    public static String nextCommand()
    {
        try
        {
            final String line = commands().next(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
            return line == InputLines.END ? END_OF_INPUT : line.trim();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return END_OF_INPUT;
        }
    }

    /**
     * The test's commands on standard input, read on a daemon thread: {@code poll()} returns the next one without
     * waiting ({@code null} when none, {@link #END_OF_INPUT} once standard input has closed).
     *
     * @return the lines, one reader per process.
     */
    public static synchronized InputLines commands()
    {
        if (input == null)
        {
            input = InputLines.start(System.in);
        }
        return input;
    }

    /**
     * Run a short wait many times before an idle-CPU measurement, as a waiter that has waited before has: the path
     * then runs compiled, its steady cost. A waiter that wakes ten times a second would otherwise run it in the
     * interpreter for much of a test's window, at several times the cost, more still on a loaded machine.
     *
     * @param wait one wait of {@link #WARM_UP_WAIT}, going through the whole sleep path.
     */
    public static void warmUp(final Runnable wait)
    {
        for (int i = 0; i < WARM_UP_WAITS; i++)
        {
            wait.run();
        }
    }

    /**
     * Start a daemon thread that only sleeps, 100 ms at a time: the longest sleep of a waiting subscriber, so the
     * thread wakes as often as an idle waiter. Its CPU time is what this machine charges any thread for those
     * wake-ups (on a virtual machine, a sizeable part of an idle waiter's), the reference an idle-CPU test takes the
     * waiter's own cost from.
     *
     * @param name the thread's name, as {@code /proc/<pid>/task/<tid>/comm} shows it (at most 15 characters).
     */
    public static void startIdleReference(final String name)
    {
        final Thread reference = new Thread(() ->
        {
            while (true)
            {
                LockSupport.parkNanos(IDLE_REFERENCE_SLEEP_NS);
            }
        }, name);
        reference.setDaemon(true);
        reference.start();
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

package io.shmipc.tests.faults;

import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.toolkit.KeyValues;
import io.shmipc.toolkit.ProcessSignals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the fault tests share: unique region names, signals and running short commands.
 */
final class FaultSupport
{
    /** Longest wait for a child to print a line it prints as soon as it has started (JVM start included). */
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** Longest wait for anything a running child is expected to do soon. */
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private FaultSupport()
    {
    }

    /**
     * A shared-memory name no other test, run or engineer uses: label, pid, counter and a random part.
     *
     * @param label what the test is.
     * @return the name, at most 56 characters.
     */
    static String uniqueName(final String label)
    {
        final String name = "faults-" + label + "-" + ProcessHandle.current().pid() + "-" +
            COUNTER.incrementAndGet() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        return name.length() <= 56 ? name : name.substring(name.length() - 56);
    }

    /**
     * Send a signal with {@code kill(1)}.
     *
     * @param pid    the process.
     * @param signal its name without {@code SIG}, e.g. {@code STOP}.
     */
    static void signal(final long pid, final String signal)
    {
        ProcessSignals.send(pid, signal);
    }

    /**
     * Run a command to completion.
     *
     * @param timeout longest wait.
     * @param command the command.
     * @return exit code and output (standard error merged).
     */
    static CommandResult run(final Duration timeout, final String... command)
    {
        try (ChildProcess process = ChildProcess.start(String.join(" ", command), List.of(command)))
        {
            final int exit = process.awaitExit(timeout);
            return new CommandResult(List.of(command), exit, process.output());
        }
    }

    /**
     * Unlink a region's name, ignoring one that is already gone.
     *
     * @param location the region.
     */
    static void deleteQuietly(final RegionLocation location)
    {
        try
        {
            Region.delete(location);
        }
        catch (final RuntimeException ex)
        {
            // Cleanup only: the test's own outcome is what matters.
        }
    }

    /**
     * The value after {@code key=} in a line of {@code key=value} words.
     *
     * @param line the line.
     * @param key  the key.
     * @return the value.
     */
    static String field(final String line, final String key)
    {
        final String value = KeyValues.words(line).get(key);
        if (value == null)
        {
            throw new AssertionError("no " + key + "= in line: " + line);
        }
        return value;
    }

    /**
     * The numeric value after {@code key=} in a line.
     *
     * @param line the line.
     * @param key  the key.
     * @return the value.
     */
    static long longField(final String line, final String key)
    {
        return Long.parseLong(field(line, key));
    }

    /**
     * The outcome of a command.
     *
     * @param command  what ran.
     * @param exitCode its exit status.
     * @param output   standard output and error.
     */
    record CommandResult(List<String> command, int exitCode, String output)
    {
    }
}

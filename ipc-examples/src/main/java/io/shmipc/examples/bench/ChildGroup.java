package io.shmipc.examples.bench;

import io.shmipc.examples.support.ShutdownSignal;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.toolkit.ChildProcessException;
import io.shmipc.toolkit.Durations;
import io.shmipc.toolkit.KeyValues;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The child JVMs of one run: started, all waited for at the start barrier, released together with {@code GO},
 * and their results collected; closing destroys any still alive.
 */
final class ChildGroup implements AutoCloseable
{
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SLICE = Duration.ofMillis(100);

    private final ChildLauncher launcher;
    private final Map<String, String> commonArguments;
    private final Duration runTimeout;
    private final List<ChildProcess> children = new ArrayList<>();
    private final Map<ChildProcess, Map<String, String>> ready = new IdentityHashMap<>();
    private final Map<ChildProcess, Map<String, String>> results = new IdentityHashMap<>();

    ChildGroup(final ChildLauncher launcher, final Map<String, String> commonArguments, final Duration runTimeout)
    {
        this.launcher = launcher;
        this.commonArguments = commonArguments;
        this.runTimeout = runTimeout;
    }

    /**
     * Start a child with the run's common arguments (warm-up and duration) and its own.
     *
     * @param role      the role.
     * @param arguments its arguments.
     * @return the child.
     */
    ChildProcess start(final String role, final Map<String, String> arguments)
    {
        return start(role, arguments, List.of());
    }

    /**
     * Start a child behind a command prefix (another network namespace, for example).
     *
     * @param role      the role.
     * @param arguments its own arguments, added to the group's.
     * @param prefix    the command prefix.
     * @return the child.
     */
    ChildProcess start(final String role, final Map<String, String> arguments, final List<String> prefix)
    {
        final Map<String, String> all = new LinkedHashMap<>(commonArguments);
        all.putAll(arguments);
        final ChildProcess child = launcher.start(role + "#" + children.size(), role, all, prefix);
        children.add(child);
        return child;
    }

    /**
     * Wait for one child's {@code READY} (for the values a later child needs, such as a port).
     *
     * @param child the child.
     * @return the values it announced.
     */
    Map<String, String> awaitReady(final ChildProcess child)
    {
        Map<String, String> values = ready.get(child);
        if (values == null)
        {
            values = awaitLine(child, RoleContext.READY, READY_TIMEOUT);
            ready.put(child, values);
        }
        return values;
    }

    /**
     * Wait until every child is ready, release them all, and wait for every result.
     */
    void run()
    {
        start();
        awaitResults();
    }

    /**
     * Release every child once all are ready, without waiting for results (for runs the coordinator takes part in).
     */
    void start()
    {
        for (final ChildProcess child : children)
        {
            awaitReady(child);
        }
        for (final ChildProcess child : children)
        {
            child.send(RoleContext.GO);
        }
    }

    /**
     * Wait for every result after {@link #start()}.
     */
    void awaitResults()
    {
        for (final ChildProcess child : children)
        {
            awaitResult(child);
        }
    }

    /**
     * Wait for one child's result (once; later calls return it again).
     *
     * @param child the child.
     * @return its result values.
     */
    Map<String, String> awaitResult(final ChildProcess child)
    {
        Map<String, String> values = results.get(child);
        if (values == null)
        {
            values = awaitLine(child, RoleContext.RESULT, runTimeout);
            child.awaitSuccess(runTimeout);
            results.put(child, values);
        }
        return values;
    }

    /**
     * Wait for a child's protocol line in short slices, so that Ctrl-C ends the wait at once, and so that a child of
     * the group that died without its own line ends it too (its partner, waited for, may wait for it forever).
     */
    private Map<String, String> awaitLine(final ChildProcess child, final String first, final Duration timeout)
    {
        final Predicate<String> wanted = candidate -> KeyValues.startingWith(first, candidate) != null;
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            if (ShutdownSignal.current().isRequested())
            {
                throw new BenchException(child.name() + ": interrupted");
            }
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0)
            {
                throw new BenchException(child.name() + " did not print its " + first + " line within " +
                    Durations.format(timeout));
            }
            try
            {
                return KeyValues.startingWith(first, child.awaitLine(wanted,
                    Duration.ofNanos(Math.min(remaining, SLICE.toNanos()))));
            }
            catch (final ChildProcessException ex)
            {
                if (!child.isAlive())
                {
                    throw ex;
                }
            }
            for (final ChildProcess other : children)
            {
                if (other != child && !other.isAlive() && !results.containsKey(other))
                {
                    other.awaitLine(wanted, SLICE); // printed it before it ended, or says how it ended
                }
            }
        }
    }

    Map<String, String> result(final ChildProcess child)
    {
        return results.get(child);
    }

    @Override
    public void close()
    {
        for (final ChildProcess child : children)
        {
            child.close();
        }
    }
}

package io.shmipc.examples.bench;

import io.shmipc.examples.support.ShutdownSignal;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.toolkit.ChildProcessException;
import io.shmipc.toolkit.KeyValues;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
     * Wait for a child's protocol line in short slices, so that Ctrl-C ends the wait at once.
     */
    private static Map<String, String> awaitLine(final ChildProcess child, final String first, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            if (ShutdownSignal.current().isRequested())
            {
                throw new BenchException(child.name() + ": interrupted");
            }
            final long remaining = deadline - System.nanoTime();
            try
            {
                final String line = child.awaitLine(candidate -> KeyValues.startingWith(first, candidate) != null,
                    Duration.ofNanos(Math.max(1, Math.min(remaining, SLICE.toNanos()))));
                return KeyValues.startingWith(first, line);
            }
            catch (final ChildProcessException ex)
            {
                if (!child.isAlive() || System.nanoTime() - deadline >= 0)
                {
                    throw ex;
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

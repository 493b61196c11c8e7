package io.shmipc.examples.bench;

import java.io.IOException;
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
     * @throws IOException when the JVM cannot start.
     */
    ChildProcess start(final String role, final Map<String, String> arguments) throws IOException
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
     * @throws IOException when the JVM cannot start.
     */
    ChildProcess start(final String role, final Map<String, String> arguments, final List<String> prefix)
        throws IOException
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
            values = child.awaitReady(READY_TIMEOUT);
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
            child.go();
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
            values = child.awaitResult(runTimeout);
            results.put(child, values);
        }
        return values;
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

package io.shmipc.tests.support;

import io.shmipc.toolkit.ChildProcess;
import io.shmipc.toolkit.ChildProcessBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The child JVMs one test started, killed together when the test ends however it ends.
 */
public final class ChildProcesses implements AutoCloseable
{
    private final List<ChildProcess> processes = new ArrayList<>();

    /**
     * Start a child and keep it for {@link #close()}.
     *
     * @param mainClass class with a {@code main}.
     * @param args      its arguments.
     * @return the running child.
     */
    public synchronized ChildProcess start(final Class<?> mainClass, final String... args)
    {
        final ChildProcess process = ChildJvms.start(mainClass, args);
        processes.add(process);
        return process;
    }

    /**
     * Start a child with extra JVM options and keep it for {@link #close()}.
     *
     * @param jvmOptions options placed before the class name (for example {@code -Xint}).
     * @param mainClass  class with a {@code main}.
     * @param args       its arguments.
     * @return the running child.
     */
    public synchronized ChildProcess start(final List<String> jvmOptions, final Class<?> mainClass,
        final String... args)
    {
        final ChildProcess process = ChildJvms.start(jvmOptions, mainClass, args);
        processes.add(process);
        return process;
    }

    /**
     * Start any command (for example a JVM run as another user) and keep it for {@link #close()}.
     *
     * @param description how failures name it.
     * @param command     the command.
     * @return the running child.
     */
    public synchronized ChildProcess start(final String description, final List<String> command)
    {
        final ChildProcess process = ChildProcess.start(description, command);
        processes.add(process);
        return process;
    }

    /**
     * Start any command with extra environment variables and keep it for {@link #close()}.
     *
     * @param description how failures name it.
     * @param command     the command.
     * @param environment variables added to this process's environment.
     * @return the running child.
     */
    public synchronized ChildProcess start(final String description, final List<String> command,
        final Map<String, String> environment)
    {
        final ChildProcessBuilder builder = ChildProcess.builder(description, command);
        environment.forEach(builder::environment);
        final ChildProcess process = builder.start();
        processes.add(process);
        return process;
    }

    /**
     * Every child started so far.
     *
     * @return a copy of the list.
     */
    public synchronized List<ChildProcess> all()
    {
        return List.copyOf(processes);
    }

    /**
     * Kill every child still running ({@code SIGKILL}).
     */
    @Override
    public synchronized void close()
    {
        for (final ChildProcess process : processes)
        {
            process.close();
        }
        processes.clear();
    }
}

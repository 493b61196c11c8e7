package io.shmipc.tests.runtime;

import io.shmipc.tests.support.ChildSupport;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The test's commands on a child's standard input, read by a daemon thread so that the child's work loop can look
 * for one without blocking.
 */
final class StandardInputCommands
{
    private final LinkedBlockingQueue<String> commands = new LinkedBlockingQueue<>();

    private StandardInputCommands()
    {
    }

    /**
     * Start reading standard input.
     *
     * @return the commands.
     */
    static StandardInputCommands start()
    {
        final StandardInputCommands input = new StandardInputCommands();
        final Thread reader = new Thread(() ->
        {
            while (true)
            {
                input.commands.add(ChildSupport.readCommand());
            }
        }, "commands");
        reader.setDaemon(true);
        reader.start();
        return input;
    }

    /**
     * The next command if one came.
     *
     * @return the command, or {@code null}.
     */
    String poll()
    {
        return commands.poll();
    }

    /**
     * Wait for a command.
     *
     * @param expected the command.
     */
    void await(final String expected)
    {
        try
        {
            while (!expected.equals(commands.poll(1, TimeUnit.DAYS)))
            {
                Thread.onSpinWait();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + expected, ex);
        }
    }
}

package io.shmipc.tests.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the child processes of the fault tests share: commands read from standard input on a daemon thread, so
 * a child's main loop can poll for them between its own steps, and line output the parent waits for.
 */
final class ChildSupport
{
    /** Put in the command queue when standard input closes: the parent is gone. */
    static final String END_OF_INPUT = "<eof>";

    private ChildSupport()
    {
    }

    /**
     * Start reading standard input into a queue, one command per line.
     *
     * @return the queue the main loop polls.
     */
    static Queue<String> commands()
    {
        final Queue<String> commands = new ConcurrentLinkedQueue<>();
        final Thread reader = new Thread(() -> readInto(commands), "stdin-commands");
        reader.setDaemon(true);
        reader.start();
        return commands;
    }

    /**
     * Block until the next line on standard input.
     *
     * @param in the reader over standard input.
     * @return the line, or {@link #END_OF_INPUT}.
     */
    static String nextCommand(final BufferedReader in)
    {
        try
        {
            final String line = in.readLine();
            return line == null ? END_OF_INPUT : line.trim();
        }
        catch (final IOException ex)
        {
            return END_OF_INPUT;
        }
    }

    /**
     * A reader over standard input.
     *
     * @return the reader.
     */
    static BufferedReader stdin()
    {
        return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }

    /**
     * Print a line the parent may wait for (System.out flushes at each line).
     *
     * @param line the text.
     */
    static void say(final String line)
    {
        System.out.println(line);
    }

    private static void readInto(final Queue<String> commands)
    {
        final BufferedReader in = stdin();
        String line;
        while (!(line = nextCommand(in)).equals(END_OF_INPUT))
        {
            commands.add(line);
        }
        commands.add(END_OF_INPUT);
    }
}

package io.shmipc.examples.support;

import io.shmipc.exceptions.ShmIpcException;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Runs a picocli command the way every shm-ipc tool runs: exit {@link #OK} on success, {@link #FAILURE} when the
 * command failed, {@link #USAGE} for a command line picocli rejects. Expected failures (library exceptions,
 * {@link CommandFailedException}) print one line; anything else is a bug and prints its stack trace too.
 */
public final class CommandRunner
{
    /** The command did its job. */
    public static final int OK = CommandLine.ExitCode.OK;
    /** The command failed: the reason was printed on standard error. */
    public static final int FAILURE = CommandLine.ExitCode.SOFTWARE;
    /** The command line was invalid: the reason and the usage were printed on standard error. */
    public static final int USAGE = CommandLine.ExitCode.USAGE;

    private CommandRunner()
    {
    }

    /**
     * A command line for {@code command} with shm-ipc's error handling.
     *
     * @param command an object annotated with picocli's {@code @Command}.
     * @return the command line, ready to {@code execute}.
     */
    public static CommandLine commandLine(final Object command)
    {
        final CommandLine commandLine = new CommandLine(command);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler(CommandRunner::handleFailure);
        commandLine.setParameterExceptionHandler(CommandRunner::handleUsageError);
        return commandLine;
    }

    /**
     * Parse and run.
     *
     * @param command an object annotated with picocli's {@code @Command}.
     * @param args    the command line.
     * @return the exit code.
     */
    public static int execute(final Object command, final String... args)
    {
        return commandLine(command).execute(args);
    }

    /**
     * Parse, run and exit the JVM with the exit code: the body of every {@code main}.
     *
     * @param command an object annotated with picocli's {@code @Command}.
     * @param args    the command line.
     */
    public static void main(final Object command, final String[] args)
    {
        System.exit(execute(command, args));
    }

    private static int handleUsageError(final CommandLine.ParameterException ex, final String[] args)
    {
        final CommandLine commandLine = ex.getCommandLine();
        final PrintWriter err = commandLine.getErr();
        final String name = commandLine.getCommandSpec().qualifiedName();
        err.println(name + ": " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + name + " --help' for more information.");
        err.flush();
        return USAGE;
    }

    private static int handleFailure(
        final Exception ex, final CommandLine commandLine, final CommandLine.ParseResult parseResult)
    {
        final PrintWriter err = commandLine.getErr();
        final String name = commandLine.getCommandSpec().qualifiedName();
        if (isExpected(ex))
        {
            err.println(name + ": error: " + ex.getMessage());
        }
        else
        {
            err.println(name + ": internal error: " + ex);
            ex.printStackTrace(err);
        }
        err.flush();
        return FAILURE;
    }

    private static boolean isExpected(final Exception ex)
    {
        return ex instanceof ShmIpcException || ex instanceof CommandFailedException ||
            ex instanceof UncheckedIOException || ex instanceof IllegalStateException;
    }
}

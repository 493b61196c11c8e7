package io.shmipc.examples.support;

import io.shmipc.exceptions.RegionFullException;
import io.shmipc.exceptions.RegionTimeoutException;
import io.shmipc.exceptions.ShmIpcException;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a picocli command the way every shm-ipc tool runs: the exit codes of {@link ExitCodes}; an expected failure
 * (library exceptions, {@link CommandFailedException}) prints one line {@code shm-ipc COMMAND: error: ...} on
 * standard error, anything else is a bug and prints its stack trace too; an invalid command line prints the reason
 * in the same form, then the nearest command or option for a typo, and where to get help.
 */
public final class CommandRunner
{
    /** The command did its job. */
    public static final int OK = ExitCodes.OK;
    /** The command failed: the reason was printed on standard error. */
    public static final int FAILURE = ExitCodes.FAILURE;
    /** The command line was invalid: the reason and where to get help were printed on standard error. */
    public static final int USAGE = ExitCodes.USAGE;

    /**
     * The error of a command whose standard output could not be written (a closed pipe, a full disk), where the
     * reason is not known ({@link System#out} keeps only that an error happened).
     */
    public static final String OUTPUT_FAILED = outputFailed(null);

    private static final String PROGRAM = "shm-ipc";
    private static final int USAGE_WIDTH = 100;

    private CommandRunner()
    {
    }

    /**
     * The error of a command whose standard output could not be written, the same words for every command.
     *
     * @param reason the system's reason (as an {@link java.io.IOException}'s message), or {@code null} when unknown.
     * @return the message.
     */
    public static String outputFailed(final String reason)
    {
        return "cannot write to standard output (" + (reason == null ? "closed, or the disk is full" : reason) +
            "): what it printed is incomplete";
    }

    /**
     * A command line for {@code command} with shm-ipc's error handling; a subcommand run on its own is still named
     * {@code shm-ipc NAME}.
     *
     * @param command an object annotated with picocli's {@code @Command}.
     * @return the command line, ready to {@code execute}.
     */
    public static CommandLine commandLine(final Object command)
    {
        final CommandLine commandLine = new CommandLine(command);
        if (!commandLine.getCommandName().startsWith(PROGRAM))
        {
            commandLine.setCommandName(PROGRAM + " " + commandLine.getCommandName());
        }
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setUsageHelpWidth(USAGE_WIDTH);
        commandLine.setExecutionExceptionHandler(CommandRunner::handleFailure);
        commandLine.setParameterExceptionHandler(CommandRunner::handleUsageError);
        passThrough(commandLine);
        return commandLine;
    }

    private static void passThrough(final CommandLine commandLine)
    {
        if (commandLine.getCommand() instanceof PassThroughArguments)
        {
            commandLine.setUnmatchedOptionsArePositionalParams(true);
            commandLine.setStopAtPositional(true);
        }
        commandLine.getSubcommands().values().forEach(CommandRunner::passThrough);
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
     * Parse, run and exit the JVM with the exit code: the body of every {@code main}. Ctrl-C and SIGTERM make the
     * command stop and report ({@link ShutdownSignal}); the JVM then exits with 130 or 143.
     *
     * @param command an object annotated with picocli's {@code @Command}.
     * @param args    the command line.
     */
    public static void main(final Object command, final String[] args)
    {
        final ShutdownSignal signal = ShutdownSignal.install(ShutdownSignal.DEFAULT_GRACE_SECONDS);
        int exitCode = ExitCodes.FAILURE;
        try
        {
            final CommandLine commandLine = commandLine(command);
            exitCode = execute(commandLine, args);
        }
        catch (final Error ex)
        {
            // Not an exception picocli hands to the failure handler: reported here, and the JVM still exits at once
            // rather than after the shutdown hook's grace period. The command line is not built again to name the
            // command: building it may be what failed.
            if (lacksAgronaExport(ex))
            {
                System.err.println(name(command) + ": error: this JVM lacks the flag --add-exports " +
                    "java.base/jdk.internal.misc=ALL-UNNAMED, which Agrona needs: add it to the java command line " +
                    "or to JDK_JAVA_OPTIONS (./shm-ipc and java -jar shm-ipc.jar need none)");
            }
            else
            {
                System.err.println(name(command) + ": internal error: " + ex);
                ex.printStackTrace();
            }
        }
        finally
        {
            System.out.flush();
            System.err.flush();
            signal.release();
        }
        if (signal.isRequested())
        {
            // The JVM is shutting down for the signal and exits with its status (130 for SIGINT, 143 for SIGTERM)
            // once the hook returns. Calling exit here could race it: once the hooks have run, the JVM halts at once
            // with the status of whichever thread gets there first.
            while (true)
            {
                LockSupport.park();
            }
        }
        System.exit(exitCode);
    }

    /**
     * Run, and fail a command that succeeded but could not write its standard output: {@link System#out} swallows
     * write errors, so without this a report piped into a reader that left, or written to a full disk, would exit 0.
     */
    private static int execute(final CommandLine commandLine, final String[] args)
    {
        final int exitCode = commandLine.execute(args);
        if (exitCode == ExitCodes.OK && System.out.checkError())
        {
            System.err.println(ranName(commandLine) + ": error: " + OUTPUT_FAILED);
            return ExitCodes.FAILURE;
        }
        return exitCode;
    }

    /**
     * The qualified name of the command a parsed command line ran, e.g. {@code shm-ipc stat}.
     */
    private static String ranName(final CommandLine commandLine)
    {
        CommandLine.ParseResult result = commandLine.getParseResult();
        if (result == null)
        {
            return commandLine.getCommandSpec().qualifiedName();
        }
        while (result.hasSubcommand())
        {
            result = result.subcommand();
        }
        return result.commandSpec().qualifiedName();
    }

    private static String name(final Object command)
    {
        final CommandLine.Command annotation = command.getClass().getAnnotation(CommandLine.Command.class);
        final String name = annotation == null ? "" : annotation.name();
        return name.startsWith(PROGRAM) ? name : PROGRAM + " " + name;
    }

    /**
     * Whether an error comes from Agrona's first use in a JVM without the export it needs: its class initialisation
     * failed on {@code jdk.internal.misc.Unsafe} (then, or at an earlier attempt this error refers to).
     */
    static boolean lacksAgronaExport(final Throwable error)
    {
        for (Throwable cause = error; cause != null; cause = cause.getCause())
        {
            final String message = String.valueOf(cause.getMessage());
            if ((cause instanceof IllegalAccessError || cause instanceof ExceptionInInitializerError) &&
                message.contains("jdk.internal.misc"))
            {
                return true;
            }
        }
        return false;
    }

    private static int handleUsageError(final CommandLine.ParameterException ex, final String[] args)
    {
        final CommandLine commandLine = ex.getCommandLine();
        final PrintWriter err = commandLine.getErr();
        final String name = commandLine.getCommandSpec().qualifiedName();
        if (ex instanceof CommandLine.UnmatchedArgumentException && !unmatched(ex).isEmpty())
        {
            final String typed = unmatched(ex).get(0);
            final boolean option = typed.startsWith("-");
            final Set<String> candidates = option ? commandLine.getCommandSpec().optionsMap().keySet() :
                commandLine.getSubcommands().keySet();
            if (option || !candidates.isEmpty())
            {
                err.println(name + ": error: unknown " + (option ? "option" : "command") + " '" + typed + "'");
                final List<String> nearest = Suggestions.nearest(typed, candidates);
                if (!nearest.isEmpty())
                {
                    final List<String> shown = nearest.stream().map(word -> option ? word : name + " " + word).toList();
                    err.println("Did you mean: " + String.join(" or ", shown) + "?");
                }
            }
            else
            {
                err.println(name + ": error: " + ex.getMessage());
            }
        }
        else
        {
            err.println(name + ": error: " + ex.getMessage());
        }
        err.println("Try '" + name + " --help' for more information.");
        err.flush();
        return ExitCodes.USAGE;
    }

    private static List<String> unmatched(final CommandLine.ParameterException ex)
    {
        return ((CommandLine.UnmatchedArgumentException)ex).getUnmatched();
    }

    private static int handleFailure(
        final Exception ex, final CommandLine commandLine, final CommandLine.ParseResult parseResult)
    {
        final PrintWriter err = commandLine.getErr();
        final String name = commandLine.getCommandSpec().qualifiedName();
        final int exitCode;
        if (ex instanceof CommandFailedException)
        {
            exitCode = ((CommandFailedException)ex).exitCode();
        }
        else if (ex instanceof RegionTimeoutException)
        {
            exitCode = ExitCodes.TIMEOUT;
        }
        else
        {
            exitCode = ExitCodes.FAILURE;
        }
        if (ex instanceof RegionFullException full)
        {
            // The library names its configuration's limits; here they are options of the command that creates it.
            err.println(name + ": error: " + ex.getMessage() + " (on the command line, the command that creates a " +
                "region sets its limits: " + (full.limit() == RegionFullException.Limit.CHANNELS ? "--max-channels" :
                "--room, channels like its own") + "; a region that exists keeps its own)");
        }
        else if (isExpected(ex))
        {
            err.println(name + ": error: " + ex.getMessage());
        }
        else
        {
            err.println(name + ": internal error: " + ex);
            ex.printStackTrace(err);
        }
        err.flush();
        return exitCode;
    }

    private static boolean isExpected(final Exception ex)
    {
        return ex instanceof ShmIpcException || ex instanceof CommandFailedException ||
            ex instanceof UncheckedIOException || ex instanceof IllegalStateException;
    }
}

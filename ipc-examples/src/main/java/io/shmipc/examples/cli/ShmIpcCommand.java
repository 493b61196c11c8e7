package io.shmipc.examples.cli;

import io.shmipc.examples.demo.logs.LogShipper;
import io.shmipc.examples.demo.logs.LogWriter;
import io.shmipc.examples.demo.market.MarketDataFeed;
import io.shmipc.examples.demo.market.MarketDataSubscriber;
import io.shmipc.examples.demo.orders.OrderClient;
import io.shmipc.examples.demo.orders.OrderMatcher;
import io.shmipc.examples.support.CommandRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code shm-ipc} launcher: one command with a subcommand per tool and demo. Exit codes: 0 success, 1 failure
 * (the reason on standard error), 2 invalid command line.
 * <p>
 * To add a subcommand, write a picocli {@code @Command} class implementing {@code Callable<Integer>} and add it to
 * {@code subcommands} below.
 */
@Command(
    name = "shm-ipc",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT,
    version = "shm-ipc 0.1.0-SNAPSHOT",
    description = "Shared-memory messaging between processes: tools and demos.",
    synopsisSubcommandLabel = "COMMAND",
    commandListHeading = "%nCommands:%n",
    footer = {"", "Start with: shm-ipc demo", "Each command has --help. Exit codes: 0 ok, 1 failure, 2 usage error."},
    subcommands = {
        // The quick start.
        DemoCommand.class,
        // Tools for two terminals.
        SendCommand.class,
        ReceiveCommand.class,
        PingCommand.class,
        PongCommand.class,
        // Demos: one process per role.
        MarketDataFeed.class,
        MarketDataSubscriber.class,
        OrderMatcher.class,
        OrderClient.class,
        LogWriter.class,
        LogShipper.class,
        // Benchmarks: every side a separate JVM.
        io.shmipc.examples.bench.BenchCommand.class,
        // Region inspection.
        ListCommand.class,
        StatCommand.class,
        BridgeCommand.class,
        CleanCommand.class,
    })
public final class ShmIpcCommand implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Run the launcher.
     *
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        CommandRunner.main(new ShmIpcCommand(), args);
    }

    /**
     * The launcher's command line with shm-ipc's error handling, for running it in-process.
     *
     * @return a new command line.
     */
    public static CommandLine commandLine()
    {
        return CommandRunner.commandLine(new ShmIpcCommand());
    }

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }
}

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
 * The {@code shm-ipc} launcher: one command with a subcommand per tool and demo. Exit codes: {@link ExitCodes}.
 * <p>
 * To add a subcommand, write a picocli {@code @Command} class implementing {@code Callable<Integer>}, add it to
 * {@code subcommands} below, and its help text (header, description, footer, options) to {@code ShmIpcHelp.properties}
 * beside this class. Subcommands inherit {@code --help} and {@code --version}.
 */
@Command(
    name = "shm-ipc",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT,
    version = "shm-ipc 0.1.0-SNAPSHOT",
    resourceBundle = "io.shmipc.examples.cli.ShmIpcHelp",
    synopsisSubcommandLabel = "COMMAND",
    commandListHeading = "%nCommands:%n",
    subcommands = {
        // The quick start.
        DemoCommand.class,
        // Tools for two terminals.
        SendCommand.class,
        ReceiveCommand.class,
        PingCommand.class,
        PongCommand.class,
        ServeCommand.class,
        CallCommand.class,
        // Demos: one process per role.
        MarketDataFeed.class,
        MarketDataSubscriber.class,
        OrderMatcher.class,
        OrderClient.class,
        LogWriter.class,
        LogShipper.class,
        // Benchmarks: every side a separate JVM.
        io.shmipc.examples.bench.BenchCommand.class,
        // Region inspection and removal.
        ListCommand.class,
        StatCommand.class,
        PeekCommand.class,
        RmCommand.class,
        CleanCommand.class,
        // Between hosts: channels over Aeron UDP (docs/bridge.md).
        BridgeCommand.class,
        // Containers: one side of an exchange (docker/README.md).
        io.shmipc.examples.container.ContainerPeerCommand.class,
        // Shell completion.
        CompletionCommand.class,
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

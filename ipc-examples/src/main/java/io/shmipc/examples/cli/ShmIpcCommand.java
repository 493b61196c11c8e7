package io.shmipc.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code shm-ipc} launcher: one command with a subcommand per tool and demo.
 */
@Command(
    name = "shm-ipc",
    mixinStandardHelpOptions = true,
    version = "shm-ipc 0.1.0-SNAPSHOT",
    subcommands = {io.shmipc.examples.bench.BenchCommand.class},
    description = "Shared-memory messaging between processes: tools and demos.")
public final class ShmIpcCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Run the launcher.
     *
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new ShmIpcCommand()).execute(args));
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }
}

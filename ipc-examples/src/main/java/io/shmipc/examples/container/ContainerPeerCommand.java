package io.shmipc.examples.container;

import io.shmipc.examples.support.PassThroughArguments;
import io.shmipc.examples.support.ShutdownSignal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code shm-ipc container-peer MODE ...}: {@link ContainerPeer}, one side of an exchange across containers, as a
 * command of the examples image's {@code shm-ipc} entry point. Its arguments are ContainerPeer's own.
 * <p>
 * A peer's loops do not watch for Ctrl-C or SIGTERM (the test that started it owns the exchange and cleans up), so
 * waiting out the shutdown grace period would only delay the exit: it gives the period up, and {@code docker stop}
 * or {@code compose down} ends it at once, with 143.
 */
@Command(name = "container-peer")
public final class ContainerPeerCommand implements Callable<Integer>, PassThroughArguments
{
    @Parameters(paramLabel = "MODE ARGS", descriptionKey = "mode-args")
    private List<String> args = new ArrayList<>();

    @Override
    public Integer call()
    {
        ShutdownSignal.current().release();
        return ContainerPeer.run(args.toArray(new String[0]));
    }
}

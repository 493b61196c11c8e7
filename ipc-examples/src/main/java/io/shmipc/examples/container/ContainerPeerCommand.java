package io.shmipc.examples.container;

import io.shmipc.examples.support.PassThroughArguments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code shm-ipc container-peer MODE ...}: {@link ContainerPeer}, one side of an exchange across containers, as a
 * command of the examples image's {@code shm-ipc} entry point. Its arguments are ContainerPeer's own.
 */
@Command(name = "container-peer")
public final class ContainerPeerCommand implements Callable<Integer>, PassThroughArguments
{
    @Parameters(paramLabel = "MODE ARGS", descriptionKey = "mode-args")
    private List<String> args = new ArrayList<>();

    @Override
    public Integer call()
    {
        return ContainerPeer.run(args.toArray(new String[0]));
    }
}

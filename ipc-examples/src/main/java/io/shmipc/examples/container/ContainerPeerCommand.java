package io.shmipc.examples.container;

import io.shmipc.examples.support.ExitCodes;
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
@Command(
    name = "container-peer",
    header = "Containers: one side of an exchange, with the same-memory handshake.",
    description = {
        "One side of an exchange between containers (see docker/README.md): produce, consume, watch liveness, " +
        "run the 'same memory?' handshake, probe whether a region fits, or idle. One line per event on standard " +
        "output (READY, RECEIVED n, DONE ..., PUBLISHER GONE ..., HANDSHAKE OK/FAILED ...).",
        "Modes: produce REGION COUNT | consume REGION COUNT | watch REGION publisher|subscriber | " +
        "handshake initiate|respond REGION | create REGION BYTES | idle. REGION is shm:NAME or a file path."},
    footer = {"", "Examples:",
        "  docker run --rm --ipc=host shm-ipc/examples container-peer consume shm:demo 10 --create",
        "  shm-ipc container-peer handshake respond shm:demo-handshake --timeout 2", "", ExitCodes.SUMMARY})
public final class ContainerPeerCommand implements Callable<Integer>, PassThroughArguments
{
    @Parameters(paramLabel = "MODE ARGS", description = "The mode and its arguments, options included.")
    private List<String> args = new ArrayList<>();

    @Override
    public Integer call()
    {
        return ContainerPeer.run(args.toArray(new String[0]));
    }
}

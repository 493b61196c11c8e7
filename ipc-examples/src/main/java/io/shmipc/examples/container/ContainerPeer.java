package io.shmipc.examples.container;

import io.shmipc.examples.support.ExitCodes;

import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.exceptions.ShmIpcException;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * One side of a shm-ipc exchange, for running in a container (or anywhere): it prints what it does and sees, one
 * line per event, so that a test or a person can follow it.
 * <pre>
 * ContainerPeer produce   REGION COUNT  [--create] [--channel C] [--capacity BYTES] [--progress N]
 * ContainerPeer consume   REGION COUNT  [--create] [--channel C] [--capacity BYTES] [--progress N] [--print N]
 *                                       [--timeout SECONDS]
 * ContainerPeer watch     REGION publisher|subscriber [--create] [--channel C] [--seconds S]
 * ContainerPeer handshake initiate|respond REGION [--timeout SECONDS] [--permissions OCTAL]
 * ContainerPeer create    REGION BYTES  [--keep]
 * ContainerPeer idle
 * </pre>
 * REGION is {@code shm:NAME} (or a bare NAME) for a POSIX shared-memory object, or a file path. {@code --create}
 * makes a fresh region (replacing a leftover of the same name; {@code --delete-on-close} unlinks it at exit, and
 * {@code --permissions} sets its mode, 600 by default). Without {@code --create} a side attaches, waiting up to
 * {@code --attach-timeout} seconds (default 30) for another to create the region. COUNT 0 means without end.
 * {@code idle} only waits, so that other commands can be run in the container ({@code docker exec}).
 * <p>
 * {@code produce}, {@code consume} and {@code watch} also take {@code --handshake-initiate REGION} or
 * {@code --handshake-respond REGION} (and {@code --handshake-timeout SECONDS}, default 30): before anything else,
 * prove with the other side's process that both see the same memory ({@link SharedMemoryHandshake}), and stop
 * with {@code HANDSHAKE FAILED ...} (status 5) if they do not.
 * <p>
 * Exit status, as every shm-ipc command ({@link ExitCodes}): 0 success, 1 error (a region too large included),
 * 2 usage, 3 timeout, 4 peer gone, 5 handshake failed. In the examples image: {@code shm-ipc container-peer MODE
 * ...}.
 */
public final class ContainerPeer
{
    private static final Set<String> FLAGS = Set.of("create", "delete-on-close", "keep");

    private ContainerPeer()
    {
    }

    /**
     * Run a mode and exit with its status.
     *
     * @param args the mode, then its arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    /**
     * Run a mode.
     *
     * @param args the mode, then its arguments.
     * @return the exit status.
     */
    public static int run(final String[] args)
    {
        if (args.length == 0)
        {
            return usage("no mode given");
        }
        final String mode = args[0];
        try
        {
            final PeerArguments arguments = PeerArguments.parse(List.of(args).subList(1, args.length), FLAGS);
            switch (mode)
            {
                case "produce":
                    handshakeFirst(arguments);
                    return SequenceProducer.run(arguments);
                case "consume":
                    handshakeFirst(arguments);
                    return SequenceConsumer.run(arguments);
                case "watch":
                    handshakeFirst(arguments);
                    return LivenessWatcher.run(arguments);
                case "handshake":
                    return handshake(arguments);
                case "create":
                    return RegionSizeProbe.run(arguments);
                case "idle":
                    System.out.println("READY role=idle " + PeerIdentity.describe());
                    while (true)
                    {
                        LockSupport.park();
                    }
                default:
                    return usage("unknown mode: " + mode);
            }
        }
        catch (final IllegalArgumentException ex)
        {
            return usage(ex.getMessage() + " (arguments: " + Arrays.toString(args) + ")");
        }
        catch (final HandshakeException ex)
        {
            System.out.println("HANDSHAKE FAILED " + ex.getMessage());
            return ExitCodes.HANDSHAKE;
        }
        catch (final ShmIpcException ex)
        {
            System.out.println("ERROR " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
            return ExitCodes.FAILURE;
        }
    }

    private static int handshake(final PeerArguments args)
    {
        runHandshake(args.positional(0, "initiate or respond"), args.location(1),
            args.seconds("timeout", Duration.ofSeconds(10)), args);
        return 0;
    }

    /**
     * With {@code --handshake-initiate REGION} or {@code --handshake-respond REGION}, prove that the other side
     * shares memory with this process before any message is exchanged.
     */
    private static void handshakeFirst(final PeerArguments args)
    {
        final Duration timeout = args.seconds("handshake-timeout", Duration.ofSeconds(30));
        final String initiate = args.string("handshake-initiate", null);
        final String respond = args.string("handshake-respond", null);
        if (initiate != null)
        {
            runHandshake("initiate", RegionLocation.parse(initiate), timeout, args);
        }
        else if (respond != null)
        {
            runHandshake("respond", RegionLocation.parse(respond), timeout, args);
        }
    }

    private static void runHandshake(
        final String role, final RegionLocation location, final Duration timeout, final PeerArguments args)
    {
        final SharedMemoryHandshake.Result result;
        if (role.equals("initiate"))
        {
            if (Region.delete(location))
            {
                System.out.println("REPLACING handshake region=" + location + " (left over from an earlier run)");
            }
            result = SharedMemoryHandshake.initiate(location, timeout,
                Integer.parseInt(args.string("permissions", "600"), 8));
        }
        else if (role.equals("respond"))
        {
            result = SharedMemoryHandshake.respond(location, timeout);
        }
        else
        {
            throw new IllegalArgumentException("handshake role must be initiate or respond: role=" + role);
        }
        System.out.println("HANDSHAKE OK role=" + role + " region=" + location + " " + PeerIdentity.describe() +
            " peer: " + result.peer());
    }

    private static int usage(final String problem)
    {
        System.out.println("USAGE " + problem);
        System.out.println("  produce REGION COUNT [--create] [--channel C] [--capacity BYTES] [--progress N]");
        System.out.println("    (produce, consume, watch: --create [--delete-on-close] [--permissions OCTAL] " +
            "or --attach-timeout S)");
        System.out.println("  consume REGION COUNT [--create] [--channel C] [--capacity BYTES] [--progress N] " +
            "[--print N] [--timeout S]");
        System.out.println("  watch REGION publisher|subscriber [--create] [--channel C] [--seconds S]");
        System.out.println("  handshake initiate|respond REGION [--timeout S] [--permissions OCTAL]");
        System.out.println("  create REGION BYTES [--keep]");
        System.out.println("  idle");
        System.out.println("  (produce, consume, watch: --handshake-initiate REGION | --handshake-respond REGION " +
            "[--handshake-timeout S] first)");
        return ExitCodes.USAGE;
    }
}

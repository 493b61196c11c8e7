package io.shmipc.examples.cli;

import io.aeron.driver.ThreadingMode;
import io.shmipc.RegionLocation;
import io.shmipc.bridge.Bridge;
import io.shmipc.bridge.BridgeConfig;
import io.shmipc.bridge.BridgeRoute;
import io.shmipc.examples.support.ByteSizeConverter;
import io.shmipc.examples.support.CommandRunner;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.IdleStrategies;
import io.shmipc.examples.support.JvmCommand;
import io.shmipc.examples.support.RegionLocationConverter;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code shm-ipc bridge}: carry channels of a local region to and from a bridge on another host, over Aeron UDP,
 * until interrupted.
 */
@Command(
    name = "bridge",
    mixinStandardHelpOptions = true,
    header = "Carry channels between hosts over Aeron UDP.",
    description = {
        "Subscribes to each out: channel of REGION and sends its messages to the peer bridge, which publishes them " +
        "into its channel of the same name (in: on its side); both directions and several channels at once.",
        "Ring channels are lossless end to end: a slow or absent peer back-pressures local publishers. Broadcast " +
        "channels never wait and count losses. Runs an embedded Aeron media driver unless --aeron-dir names one.",
        "Counters: shm-ipc stat REGION. The region must exist (created by the application)."},
    footer = {"", "Example (host A sends orders, host B replies):",
        "  A$ shm-ipc bridge trading --listen 10.0.0.1:40123 --peer 10.0.0.2:40123 --route out:orders " +
            "--route in:replies",
        "  B$ shm-ipc bridge trading --listen 10.0.0.2:40123 --peer 10.0.0.1:40123 --route in:orders " +
            "--route out:replies"})
public final class BridgeCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "REGION", converter = RegionLocationConverter.class,
        description = "The local region: a name in /dev/shm, or a file path (contains '/').")
    private RegionLocation location;

    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT",
        description = "Local endpoint every stream is received on (a multicast group:port works too).")
    private String listen;

    @Option(names = "--peer", required = true, paramLabel = "HOST:PORT",
        description = "The peer bridge's endpoint every stream is sent to (or a multicast group:port).")
    private String peer;

    @Option(names = "--route", required = true, paramLabel = "ROUTE",
        description = "out:CHANNEL, out:LOCAL=REMOTE or in:CHANNEL; repeatable.")
    private List<String> routes;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "bridge",
        description = "The bridge's name, unique per region; names its home <region>.bridge-<NAME>. " +
        "Default: ${DEFAULT-VALUE}.")
    private String name;

    @Option(names = "--home", paramLabel = "DIR",
        description = "Directory for the bridge's replay logs, counters and embedded driver. Default: beside the " +
        "region (stat finds it there).")
    private Path home;

    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "Use the external media driver of this directory instead of an embedded one.")
    private String aeronDirectory;

    @Option(names = "--interface", paramLabel = "ADDRESS", description = "Local interface for multicast endpoints.")
    private String networkInterface;

    @Option(names = "--term-length", paramLabel = "BYTES", converter = ByteSizeConverter.class, defaultValue = "4m",
        description = "Aeron term length of data streams (power of two, 64k to 1g; messages up to an eighth of " +
        "it). Default: ${DEFAULT-VALUE}.")
    private int termLength;

    @Option(names = "--mtu", paramLabel = "BYTES", defaultValue = "1408",
        description = "Aeron MTU (multiple of 32). Default: ${DEFAULT-VALUE}.")
    private int mtu;

    @Option(names = "--replay-capacity", paramLabel = "BYTES", converter = ByteSizeConverter.class,
        defaultValue = "4m", description = "Replay log per outbound ring channel: the most bytes in flight " +
        "unacknowledged, and the redelivery window after a restart. Default: ${DEFAULT-VALUE}.")
    private int replayCapacity;

    @Option(names = "--ack-interval", paramLabel = "DURATION", converter = DurationConverter.class,
        defaultValue = "100us", description = "Longest time between acknowledgements while messages arrive. " +
        "Default: ${DEFAULT-VALUE}.")
    private Duration ackInterval;

    @Option(names = "--driver-threading", paramLabel = "MODE", defaultValue = "SHARED",
        description = "Embedded driver threads: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    private ThreadingMode threading;

    @Option(names = "--idle", paramLabel = "STRATEGY", defaultValue = "BACKOFF",
        description = "How the bridge thread waits: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    private IdleStrategies idle;

    @Option(names = "--attach-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
        defaultValue = "10s", description = "How long to wait for the region. Default: ${DEFAULT-VALUE}.")
    private Duration attachTimeout;

    /**
     * Run as its own process.
     *
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        CommandRunner.main(new BridgeCommand(), args);
    }

    @Override
    public Integer call()
    {
        final BridgeConfig.Builder builder = BridgeConfig.builder(location).name(name).listen(listen).peer(peer)
            .networkInterface(networkInterface).aeronDirectory(aeronDirectory).homeDirectory(home)
            .termLength(termLength).mtu(mtu).replayCapacity(replayCapacity).ackInterval(ackInterval)
            .attachTimeout(attachTimeout).driverThreading(threading);
        for (final String route : routes)
        {
            builder.route(BridgeRoute.parse(route));
        }
        final BridgeConfig config = builder.build();
        final RoleConsole console = new RoleConsole("bridge " + name, System.out);
        if (!Object.class.getModule().isOpen("sun.nio.ch", BridgeCommand.class.getModule()))
        {
            console.say("warning: java.base/sun.nio.ch is not open to shm-ipc: Aeron's media driver falls back to " +
                "the JDK's selected-key set, which allocates on every poll; run with " +
                String.join(" ", JvmCommand.AERON_FLAG) + " (./shm-ipc and the jar's manifest do)");
        }
        long cycles = 0;
        try (ShutdownSignal signal = ShutdownSignal.install())
        {
            try (Bridge bridge = Bridge.open(config))
            {
                console.say("ready: region=%s listen=%s peer=%s routes=%s home=%s aeronDir=%s",
                    RegionLocationConverter.argument(location), listen, peer, config.routes(),
                    config.homeDirectory(), bridge.aeronDirectory());
                final IdleStrategy idleStrategy = idle.newStrategy();
                while (!signal.isRequested())
                {
                    idleStrategy.idle(bridge.doWork());
                    cycles++;
                }
            }
            // Before the signal closes: from then on the JVM may exit at any moment.
            console.done(new DoneLine().add("stop", "signal").add("cycles", cycles));
        }
        return CommandRunner.OK;
    }
}

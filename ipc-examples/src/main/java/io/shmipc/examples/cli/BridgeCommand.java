package io.shmipc.examples.cli;

import io.aeron.driver.ThreadingMode;
import io.shmipc.RegionLocation;
import io.shmipc.bridge.Bridge;
import io.shmipc.bridge.BridgeAddressException;
import io.shmipc.bridge.BridgeConfig;
import io.shmipc.bridge.BridgeRegionDeletedException;
import io.shmipc.bridge.BridgeRoute;
import io.shmipc.bridge.InvalidBridgeConfigException;
import io.shmipc.examples.support.AnonymousLookup;
import io.shmipc.examples.support.ByteSizeConverter;
import io.shmipc.examples.support.CommandFailedException;
import io.shmipc.examples.support.CommandRunner;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.ExitCodes;
import io.shmipc.examples.support.IdleStrategies;
import io.shmipc.examples.support.RegionArgument;
import io.shmipc.examples.support.RegionLocationConverter;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;
import io.shmipc.examples.support.Stop;
import io.shmipc.exceptions.RegionNotFoundException;
import io.shmipc.exceptions.RegionTimeoutException;
import io.shmipc.exceptions.ShmIpcException;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code shm-ipc bridge REGION}: carry channels of a local region to and from a bridge on another host, over Aeron
 * UDP, until Ctrl-C or SIGTERM (then the {@code done:} line, exit 130 or 143). Its help text is in
 * {@code ShmIpcHelp.properties}; docs/bridge.md has the delivery semantics and the failure table.
 */
@Command(name = "bridge")
public final class BridgeCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private RegionArgument region;

    /** The option of each {@link BridgeConfig.Builder} property the command line sets. */
    private static final Map<String, String> OPTIONS = Map.of("name", "--name", "listen", "--listen", "peer",
        "--peer", "routes", "--route", "termLength", "--term-length", "mtu", "--mtu", "replayCapacity",
        "--replay-capacity", "ackInterval", "--ack-interval", "attachTimeout", "--attach-timeout", "homeDirectory",
        "--home");

    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT")
    private String listen;

    @Option(names = "--peer", required = true, paramLabel = "HOST:PORT")
    private String peer;

    @Option(names = "--route", required = true, paramLabel = "ROUTE", converter = RouteConverter.class)
    private List<BridgeRoute> routes;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "bridge")
    private String name;

    @Option(names = "--home", paramLabel = "DIR")
    private Path home;

    @Option(names = "--aeron-dir", paramLabel = "DIR")
    private String aeronDirectory;

    @Option(names = "--interface", paramLabel = "ADDRESS")
    private String networkInterface;

    @Option(names = "--term-length", paramLabel = "BYTES", converter = ByteSizeConverter.class, defaultValue = "4m")
    private int termLength;

    @Option(names = "--mtu", paramLabel = "BYTES", defaultValue = "1408")
    private int mtu;

    @Option(names = "--replay-capacity", paramLabel = "BYTES", converter = ByteSizeConverter.class,
        defaultValue = "16m")
    private int replayCapacity;

    @Option(names = "--ack-interval", paramLabel = "DURATION", converter = DurationConverter.class,
        defaultValue = "1ms")
    private Duration ackInterval;

    @Option(names = "--driver-threading", paramLabel = "MODE", defaultValue = "SHARED")
    private ThreadingMode threading;

    @Option(names = "--idle", paramLabel = "STRATEGY", defaultValue = "BACKOFF")
    private IdleStrategies idle;

    @Option(names = "--attach-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
        defaultValue = "10s")
    private Duration attachTimeout;

    private long cycles;

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
        final RegionLocation location = AnonymousLookup.resolve(region.location(spec));
        final BridgeConfig config = config(location);
        final RoleConsole console = new RoleConsole("bridge " + name, System.out);
        final Stop stop;
        final Bridge bridge = open(config, console);
        try
        {
            console.say("ready: region=%s listen=%s peer=%s routes=%s home=%s aeronDir=%s",
                RegionLocationConverter.argument(location), listen, peer, config.routes(), config.homeDirectory(),
                bridge.aeronDirectory());
            stop = Stop.catching(() -> run(bridge));
        }
        finally
        {
            bridge.close();
        }
        // After the bridge closed: its embedded driver's directory is gone, unsent messages stay in its home.
        final long left = bridge.unacknowledgedMessagesLeft();
        if (left > 0)
        {
            console.say("left %,d unacknowledged messages in the replay logs in %s: a bridge of this name started " +
                "again sends them first", left, config.homeDirectory());
        }
        console.done(new DoneLine().add("cycles", cycles).add("unacknowledged", left).add("stop", stop.name()));
        return stop.exit();
    }

    private Bridge open(final BridgeConfig config, final RoleConsole console)
    {
        final RegionLocation location = config.region();
        if (!config.attachTimeout().isZero() && location.isNamed() && !Files.exists(location.path()))
        {
            console.say("waiting up to %s for region %s to be created (--attach-timeout)",
                DurationConverter.describe(config.attachTimeout()), RegionLocationConverter.argument(location));
        }
        try
        {
            return Bridge.open(config);
        }
        catch (final BridgeAddressException ex)
        {
            throw new ParameterException(spec.commandLine(), ex.getMessage());
        }
        catch (final InvalidBridgeConfigException ex)
        {
            throw usage(ex); // a rule that depends on the region's channels
        }
        catch (final RegionNotFoundException | RegionTimeoutException ex)
        {
            final String region = RegionLocationConverter.argument(config.region());
            if (config.attachTimeout().isZero())
            {
                throw new CommandFailedException(ex instanceof RegionNotFoundException ? "no such region: " + region +
                    " (shm-ipc list shows the regions)" : ex.getMessage());
            }
            final String why = ex instanceof RegionNotFoundException ? " did not appear" : " was not ready: " +
                ex.getMessage();
            throw new CommandFailedException(ExitCodes.TIMEOUT, "region " + region + why + " within " +
                "--attach-timeout " + DurationConverter.describe(config.attachTimeout()));
        }
    }

    private BridgeConfig config(final RegionLocation location)
    {
        try
        {
            final BridgeConfig.Builder builder = BridgeConfig.builder(location).name(name).listen(listen).peer(peer)
                .networkInterface(networkInterface).aeronDirectory(aeronDirectory).homeDirectory(home)
                .termLength(termLength).mtu(mtu).replayCapacity(replayCapacity).ackInterval(ackInterval)
                .attachTimeout(attachTimeout).driverThreading(threading).idleStrategy(idle::newStrategy)
                // BACKOFF: the driver's threads back off as Aeron's own driver does, so a quiet link costs little.
                .driverIdleStrategy(idle == IdleStrategies.BACKOFF ? BridgeConfig::defaultDriverIdleStrategy :
                    idle::newStrategy);
            routes.forEach(builder::route);
            return builder.build();
        }
        catch (final InvalidBridgeConfigException ex)
        {
            throw usage(ex);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), ex.getMessage());
        }
    }

    private ParameterException usage(final InvalidBridgeConfigException ex)
    {
        final String option = OPTIONS.get(ex.field());
        return new ParameterException(spec.commandLine(), option == null ? ex.getMessage() :
            "invalid value for option '" + option + "': " + ex.value() + " (" + ex.rule() + ")");
    }

    /**
     * Run the duty cycle until asked to stop. Its failures are caught here, around the call of the loop, not in the
     * loop's own method: a fault HotSpot reports late can be raised at a safepoint poll of the compiled loop, which it
     * leaves without running that method's {@code catch} blocks (or those of a compiled method it was inlined into),
     * and this method, with no loop of its own and called once, is never compiled.
     */
    private Stop run(final Bridge bridge)
    {
        try
        {
            cycle(bridge);
        }
        catch (final BridgeRegionDeletedException ex)
        {
            throw new CommandFailedException(ExitCodes.PEER_GONE, ex.getMessage());
        }
        catch (final ShmIpcException ex)
        {
            // The region or one of the bridge's own files failed under it: stop, report, then the error line.
            throw new CommandFailedException(ex.getMessage());
        }
        catch (final InternalError ex)
        {
            // A fault on a file the bridge maps that HotSpot reported after the duty cycle that met it had returned.
            throw new CommandFailedException(bridge.fault(ex).getMessage());
        }
        return Stop.interrupted();
    }

    private void cycle(final Bridge bridge)
    {
        final IdleStrategy idleStrategy = bridge.config().newIdleStrategy();
        while (!ShutdownSignal.current().isRequested())
        {
            idleStrategy.idle(bridge.doWork());
            cycles++;
        }
    }

    /**
     * Reads {@code --route out:CHANNEL}, {@code out:LOCAL=REMOTE} or {@code in:CHANNEL}; anything else is a usage
     * error naming the value.
     */
    public static final class RouteConverter implements CommandLine.ITypeConverter<BridgeRoute>
    {
        @Override
        public BridgeRoute convert(final String value)
        {
            try
            {
                return BridgeRoute.parse(value);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandLine.TypeConversionException(ex.getMessage());
            }
        }
    }
}

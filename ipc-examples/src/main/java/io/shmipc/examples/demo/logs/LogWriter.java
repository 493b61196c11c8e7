package io.shmipc.examples.demo.logs;

import io.shmipc.ChannelKind;
import io.shmipc.MessageHandler;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.examples.support.CapacityConverter;
import io.shmipc.examples.support.CommandRunner;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.IdleStrategies;
import io.shmipc.examples.support.RegionLocationConverter;
import io.shmipc.examples.support.RegionSupport;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The log writer: the one consumer of the {@code logs} channel. Writes every shipper's lines to a file or standard
 * output, and checks each shipper's sequence numbers: lines arrive complete and in each shipper's order.
 */
@Command(
    name = "log-writer",
    mixinStandardHelpOptions = true,
    header = "Log-aggregation demo: write the lines of many shippers to one file.",
    description = {
        "Log-aggregation demo, the writer: read the lines all 'log-shipper' processes send on one MANY_TO_ONE " +
        "channel and write them, one per line, to --output (appending) or standard output: " +
        "'<time> <LEVEL> [<source> <pid>] <text>'. Status lines go to standard error.",
        "Checks each shipper's sequence numbers (nothing lost, nothing reordered). Only one writer may run per " +
        "channel. Unlinks the region when it exits, unless --keep-region."},
    footer = {"", "Example (three terminals):", "  shm-ipc log-writer --shippers 2 --output /tmp/all.log",
        "  shm-ipc log-shipper --source web-1 --count 1000", "  shm-ipc log-shipper --source web-2 --count 1000"})
public final class LogWriter implements Callable<Integer>
{
    static final String DEFAULT_REGION = "shm-ipc-logs";
    static final String DEFAULT_CHANNEL = "logs";
    private static final int FRAGMENT_LIMIT = 256;
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    @Option(names = "--region", paramLabel = "NAME|PATH", defaultValue = DEFAULT_REGION,
        converter = RegionLocationConverter.class,
        description = "Region: a name in /dev/shm, or a file path (contains '/'). Default: ${DEFAULT-VALUE}.")
    private RegionLocation location;

    @Option(names = "--channel", paramLabel = "NAME", defaultValue = DEFAULT_CHANNEL,
        description = "Channel name. Default: ${DEFAULT-VALUE}.")
    private String channel;

    @Option(names = "--capacity", paramLabel = "BYTES", defaultValue = "1m", converter = CapacityConverter.class,
        description = "Channel capacity; must match the shippers'. Default: ${DEFAULT-VALUE}.")
    private int capacity;

    @Option(names = "--output", paramLabel = "FILE",
        description = "File to append the lines to. Default: standard output.")
    private Path output;

    @Option(names = "--shippers", paramLabel = "N", defaultValue = "0",
        description = "Exit after N shippers sent END; 0 runs until Ctrl-C. Default: ${DEFAULT-VALUE}.")
    private int shippers;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "0", converter = DurationConverter.class,
        description = "Stop after this long without a line; 0 waits forever. Default: ${DEFAULT-VALUE}.")
    private Duration timeout;

    @Option(names = "--keep-region", description = "Leave the region in place on exit.")
    private boolean keepRegion;

    @Option(names = "--name", paramLabel = "ROLE", defaultValue = "log-writer",
        description = "Name in the [name pid] prefix of status lines. Default: ${DEFAULT-VALUE}.")
    private String name;

    private final LogMessage message = new LogMessage();
    private final Long2ObjectHashMap<ShipperState> shipperStates = new Long2ObjectHashMap<>();
    private final MessageHandler handler = this::onLine;
    private final byte[] copy = new byte[64 * 1024];
    private RoleConsole console;
    private OutputStream out;
    private long lines;
    private long outOfOrder;
    private long malformed;
    private int finished;

    /**
     * Run as its own process.
     *
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        CommandRunner.main(new LogWriter(), args);
    }

    @Override
    public Integer call() throws IOException
    {
        console = new RoleConsole(name, System.err);
        final RegionConfig config = RegionConfig.builder(location)
            .channel(channel, ChannelKind.MANY_TO_ONE, capacity).build();
        out = new BufferedOutputStream(output == null ? new FileOutputStream(FileDescriptor.out) :
            Files.newOutputStream(output, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 1 << 16);
        try (ShutdownSignal signal = ShutdownSignal.install();
            Region region = RegionSupport.openOrCreate(config, console);
            Subscriber subscriber = region.subscriber(channel))
        {
            try
            {
                return writeAll(subscriber, signal);
            }
            finally
            {
                RegionSupport.unlinkOnExit(region, !keepRegion, console);
            }
        }
        finally
        {
            out.flush();
            if (output != null)
            {
                out.close();
            }
        }
    }

    private int writeAll(final Subscriber subscriber, final ShutdownSignal signal) throws IOException
    {
        console.say("writing the lines of '%s' (MANY_TO_ONE) to %s%s", channel,
            output == null ? "standard output" : output, shippers > 0 ? "; exiting after " + shippers +
            " shippers" : "");
        final String stop = write(subscriber, signal);
        out.flush();
        console.done(new DoneLine().add("lines", lines).add("shippers", shipperStates.size())
            .add("finished", finished).add("out-of-order", outOfOrder).add("malformed", malformed)
            .add("stop", stop));
        return outOfOrder == 0 && ("shippers-done".equals(stop) || "interrupted".equals(stop) && shippers == 0) ?
            CommandRunner.OK : CommandRunner.FAILURE;
    }

    private String write(final Subscriber subscriber, final ShutdownSignal signal) throws IOException
    {
        final IdleStrategy idleStrategy = IdleStrategies.responsive();
        long lastLineNs = System.nanoTime();
        long nextProgressNs = lastLineNs + PROGRESS_INTERVAL_NS;
        long reported = 0;
        while (shippers == 0 || finished < shippers)
        {
            final int delivered = subscriber.poll(handler, FRAGMENT_LIMIT);
            final long nowNs = System.nanoTime();
            if (nowNs - nextProgressNs >= 0)
            {
                nextProgressNs = nowNs + PROGRESS_INTERVAL_NS;
                if (lines != reported)
                {
                    console.say("wrote %,d lines (+%,d) from %d shippers", lines, lines - reported,
                        shipperStates.size());
                    reported = lines;
                }
            }
            if (delivered > 0)
            {
                lastLineNs = nowNs;
                idleStrategy.reset();
                continue;
            }
            out.flush();
            if (signal.isRequested())
            {
                return "interrupted";
            }
            if (!timeout.isZero() && nowNs - lastLineNs >= timeout.toNanos())
            {
                return "timeout";
            }
            idleStrategy.idle();
        }
        return "shippers-done";
    }

    private void onLine(final DirectBuffer buffer, final int offset, final int length)
    {
        message.wrap(buffer, offset, length);
        if (!message.isValid())
        {
            malformed++;
            return;
        }
        final long shipperId = message.shipperId();
        ShipperState state = shipperStates.get(shipperId);
        if (state == null)
        {
            state = new ShipperState(message.source(), shipperId >>> 32);
            shipperStates.put(shipperId, state);
            console.say("shipper %s (pid %d) connected", state.source, state.pid);
        }
        if (message.type() == LogMessage.TYPE_END)
        {
            finished++;
            final boolean complete = message.sequence() == state.lines;
            console.say("shipper %s (pid %d) finished: %,d lines shipped, %,d written%s", state.source, state.pid,
                message.sequence(), state.lines, complete && state.outOfOrder == 0 ? ", all in order" :
                ", " + state.outOfOrder + " out of order");
            return;
        }
        if (message.sequence() != state.lines + 1)
        {
            state.outOfOrder++;
            outOfOrder++;
        }
        state.lines++;
        lines++;
        try
        {
            writeLine(state);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + (output == null ? "standard output" : output) + ": " +
                ex.getMessage(), ex);
        }
    }

    private void writeLine(final ShipperState state) throws IOException
    {
        final String prefix = String.format(Locale.ROOT, "%s %-5s [%s %d] ",
            Instant.ofEpochMilli(message.timestampMillis()), LogMessage.levelName(message.level()), state.source,
            state.pid);
        out.write(prefix.getBytes(StandardCharsets.UTF_8));
        final int textOffset = message.textOffset();
        final int textLength = message.textLength();
        int written = 0;
        while (written < textLength)
        {
            final int chunk = Math.min(copy.length, textLength - written);
            message.buffer().getBytes(textOffset + written, copy, 0, chunk);
            out.write(copy, 0, chunk);
            written += chunk;
        }
        out.write('\n');
    }

    private static final class ShipperState
    {
        private final String source;
        private final long pid;
        private long lines;
        private long outOfOrder;

        private ShipperState(final String source, final long pid)
        {
            this.source = source;
            this.pid = pid;
        }
    }
}

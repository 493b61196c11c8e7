package io.shmipc.examples.demo.logs;

import io.shmipc.ChannelKind;
import io.shmipc.MessageHandler;
import io.shmipc.Subscriber;
import io.shmipc.examples.support.CommandFailedException;
import io.shmipc.examples.support.Counts;
import io.shmipc.examples.support.DemoChannel;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.ExitCodes;
import io.shmipc.examples.support.IdleStrategies;
import io.shmipc.examples.support.InterruptibleOutput;
import io.shmipc.examples.support.KeepRegionOption;
import io.shmipc.examples.support.NameOption;
import io.shmipc.examples.support.RegionUse;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;
import io.shmipc.examples.support.Stop;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The log writer: the one consumer of the {@code logs} channel. Writes every shipper's lines to a file or standard
 * output, and checks each shipper's sequence numbers: lines arrive complete and in each shipper's order.
 */
@Command(name = "log-writer")
public final class LogWriter implements Callable<Integer>
{
    private static final int FRAGMENT_LIMIT = 256;
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long LIVENESS_CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);

    @Mixin
    private DemoChannel logs = new DemoChannel("shm-ipc-logs", "logs", ChannelKind.MANY_TO_ONE);

    @Option(names = "--output", paramLabel = "FILE")
    private Path output;

    @Option(names = "--shippers", paramLabel = "N", defaultValue = "0", converter = Counts.IntAtLeastZero.class)
    private int shippers;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "0", converter = DurationConverter.class)
    private Duration timeout;

    @Mixin
    private KeepRegionOption keepRegion;

    @Mixin
    private NameOption name = new NameOption("log-writer");

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
    private boolean shipperSeen;
    private boolean waitingSaid;
    private InterruptibleOutput destination;

    @Override
    public Integer call() throws IOException
    {
        console = new RoleConsole(name.name(), System.err);
        final InterruptibleOutput opened;
        try
        {
            opened = output == null ? InterruptibleOutput.standardOutput() :
                InterruptibleOutput.appendingTo(output, console);
        }
        catch (final InterruptibleOutput.Abandoned ex)
        {
            return done(Stop.interrupted()); // the signal came while a FIFO had no reader: nothing was taken
        }
        destination = opened;
        out = opened.stream();
        try (opened; RegionUse use = RegionUse.openOrCreate(logs.config(), console))
        {
            // Closed with the region, after its owner has unlinked it: shippers see the region gone first.
            final Subscriber subscriber = use.region().subscriber(logs.channel());
            use.own(keepRegion.keep());
            console.say("writing the lines of '%s' (MANY_TO_ONE) to %s%s", logs.channel(),
                output == null ? "standard output" : output, shippers > 0 ? "; exiting after " + shippers +
                " shippers" : "");
            final Stop stop = opened.run(() -> write(subscriber));
            if (outOfOrder > 0 && stop.isDone())
            {
                done(stop);
                throw new CommandFailedException(outOfOrder + " lines arrived out of their shipper's order");
            }
            return done(stop);
        }
    }

    private int done(final Stop stop)
    {
        console.done(new DoneLine().add("lines", lines).add("shippers", shipperStates.size())
            .add("finished", finished).add("out-of-order", outOfOrder).add("malformed", malformed)
            .add("stop", stop.name()));
        return stop.exit();
    }

    /**
     * The loop, ended by the signal also while a write to standard output blocks (see {@link InterruptibleOutput}):
     * the lines taken from the channel but not yet written are lost to the reader, which had stopped reading.
     */
    private Stop write(final Subscriber subscriber)
    {
        final IdleStrategy idleStrategy = IdleStrategies.responsive();
        long lastLineNs = System.nanoTime();
        long nextProgressNs = lastLineNs + PROGRESS_INTERVAL_NS;
        long nextLivenessCheckNs = lastLineNs;
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
            if (ShutdownSignal.current().isRequested())
            {
                return Stop.interrupted(); // at once, also while messages keep coming
            }
            if (delivered > 0)
            {
                lastLineNs = nowNs;
                idleStrategy.reset();
                continue;
            }
            destination.flush();
            if (!timeout.isZero() && nowNs - lastLineNs >= timeout.toNanos())
            {
                return Stop.timeout("no line for " + DurationConverter.describe(timeout) + " (" + finished + " of " +
                    shipperStates.size() + " shippers finished)");
            }
            if (shippers > 0 && nowNs - nextLivenessCheckNs >= 0)
            {
                nextLivenessCheckNs = nowNs + LIVENESS_CHECK_INTERVAL_NS;
                checkShippers(subscriber);
            }
            idleStrategy.idle();
        }
        return Stop.done("shippers-done");
    }

    /**
     * With {@code --shippers N}, when no shipper is attached: a shipper that sent lines but no END has gone, and the
     * writer stops with {@link ExitCodes#PEER_GONE}; if every shipper seen so far finished, the rest may not have
     * started yet, and the writer says that it waits for them (up to {@code --timeout}).
     */
    private void checkShippers(final Subscriber subscriber)
    {
        if (subscriber.connectedPublishers() > 0)
        {
            shipperSeen = true;
            waitingSaid = false;
            return;
        }
        if ((!shipperSeen && shipperStates.isEmpty()) || subscriber.poll(handler, FRAGMENT_LIMIT) > 0 ||
            finished >= shippers)
        {
            return;
        }
        if (shipperStates.size() > finished)
        {
            throw new CommandFailedException(ExitCodes.PEER_GONE, "every shipper has gone, " +
                (shipperStates.size() - finished) + " of them without END (" + finished + " of the " + shippers +
                " expected finished)");
        }
        if (!waitingSaid)
        {
            waitingSaid = true;
            console.say("no shipper attached: %d of %d finished, waiting for the rest%s", finished, shippers,
                timeout.isZero() ? "" : " (up to " + DurationConverter.describe(timeout) + " without a line)");
        }
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
            throw destination.failure(ex);
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

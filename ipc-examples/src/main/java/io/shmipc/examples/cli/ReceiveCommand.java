package io.shmipc.examples.cli;

import io.shmipc.ChannelKind;
import io.shmipc.ChannelStatus;
import io.shmipc.MessageHandler;
import io.shmipc.Region;
import io.shmipc.RegionInspector;
import io.shmipc.Subscriber;
import io.shmipc.SubscriberOptions;
import io.shmipc.examples.support.ByteSizeConverter;
import io.shmipc.examples.support.CommandFailedException;
import io.shmipc.examples.support.Counts;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.ExitCodes;
import io.shmipc.examples.support.IdleStrategies;
import io.shmipc.examples.support.InterruptibleOutput;
import io.shmipc.examples.support.KeepRegionOption;
import io.shmipc.examples.support.NameOption;
import io.shmipc.examples.support.RegionSupport;
import io.shmipc.examples.support.RegionUse;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;
import io.shmipc.examples.support.Stop;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code shm-ipc receive}: print each message of a channel as a line on standard output.
 */
@Command(name = "receive")
public final class ReceiveCommand implements Callable<Integer>
{
    private static final int FRAGMENT_LIMIT = 256;
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long LIVENESS_CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);

    @Spec
    private CommandSpec spec;

    @Mixin
    private ChannelOptions options = new ChannelOptions();

    @Option(names = "--count", converter = Counts.AtLeastZero.class, paramLabel = "N")
    private Long count;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "0", converter = DurationConverter.class)
    private Duration timeout;

    @Option(names = "--quiet")
    private boolean quiet;

    @Option(names = "--show", paramLabel = "N", defaultValue = "0", converter = Counts.IntAtLeastZero.class)
    private int show;

    @Option(names = "--untethered", paramLabel = "WINDOW", arity = "0..1", fallbackValue = LagWindowConverter.DEFAULT,
        converter = LagWindowConverter.class)
    private Integer untethered;

    @Option(names = "--from-oldest")
    private boolean fromOldest;

    @Mixin
    private KeepRegionOption keepRegion;

    @Mixin
    private NameOption name = new NameOption("receive");

    private final byte[] line = new byte[64 * 1024];
    private InterruptibleOutput output;
    private OutputStream out;
    private RoleConsole console;
    private long received;
    private long bytes;
    private long firstMessageNs;
    private long lastMessageNs;
    private final MessageHandler printer = this::onMessage;

    @Override
    public Integer call() throws IOException
    {
        console = new RoleConsole(name.name(), System.err);
        output = InterruptibleOutput.standardOutput();
        out = output.stream();
        final SubscriberOptions subscriberOptions = subscriberOptions(); // a usage error before any region is made
        try (RegionUse use = RegionUse.openOrCreate(options.config().build(), console))
        {
            // Closed with the region, after its owner has unlinked it: producers see the region gone first.
            final Subscriber subscriber = use.region().subscriber(options.channel(), subscriberOptions);
            console.say("receiving on channel '%s' (%s)%s", options.channel(), options.kind,
                count != null ? ", stopping after " + count + " messages" : "; stop with Ctrl-C");
            final Stop stop = output.run(() -> poll(use.region(), subscriber));
            final double seconds = (lastMessageNs - firstMessageNs) / 1e9;
            console.done(new DoneLine().add("received", received).add("bytes", bytes).add("seconds", seconds)
                .add("rate", seconds > 0 ? (long)(received / seconds) : 0).add("lost", subscriber.lostMessages())
                .add("stop", stop.name()));
            use.keep(keepRegion.keep());
            if (options.kind.hasSingleSubscriber())
            {
                // The only subscriber owns the region, unless other processes added channels of their own to it
                // meanwhile: then it is not this one's to remove. (After the done line: the listing reads the region,
                // which may be what failed.)
                use.own(keepRegion.keep() || !use.region().channels().stream()
                    .allMatch(channel -> channel.name().equals(options.channel())));
            }
            return stop.exit();
        }
    }

    private SubscriberOptions subscriberOptions()
    {
        if ((untethered != null || fromOldest) && options.kind != ChannelKind.PUBLISH_SUBSCRIBE)
        {
            throw new ParameterException(spec.commandLine(), "--untethered and --from-oldest are for --kind " +
                "PUBLISH_SUBSCRIBE, not " + options.kind);
        }
        SubscriberOptions subscriberOptions = SubscriberOptions.defaults();
        if (untethered != null)
        {
            subscriberOptions = untethered > 0 ? subscriberOptions.untethered(untethered) :
                subscriberOptions.untethered();
        }
        return fromOldest ? subscriberOptions.fromOldest() : subscriberOptions;
    }

    /**
     * The loop, ended by the signal also while a write to standard output blocks: a write still blocked a second
     * after the signal is interrupted, which closes the output, and the loop stops as interrupted (what was taken
     * from the channel but not yet written is counted in {@code received} and lost to the reader, which had stopped
     * reading).
     */
    private Stop poll(final Region region, final Subscriber subscriber)
    {
        final IdleStrategy idleStrategy = IdleStrategies.responsive();
        long lastActivityNs = System.nanoTime();
        long nextProgressNs = lastActivityNs + PROGRESS_INTERVAL_NS;
        long nextLivenessCheckNs = lastActivityNs;
        long reported = 0;
        boolean publisherSeen = false;
        while (true)
        {
            final int limit = count == null ? FRAGMENT_LIMIT : (int)Math.min(FRAGMENT_LIMIT, count - received);
            if (limit == 0)
            {
                return Stop.done("count");
            }
            final int delivered = subscriber.poll(printer, limit);
            final long nowNs = System.nanoTime();
            if (nowNs - nextProgressNs >= 0)
            {
                nextProgressNs = nowNs + PROGRESS_INTERVAL_NS;
                if (received != reported)
                {
                    reported = received;
                    console.say("received %,d messages%s", received, options.kind.hasSingleSubscriber() ? "" :
                        ", lost " + subscriber.lostMessages());
                }
            }
            if (ShutdownSignal.current().isRequested())
            {
                return Stop.interrupted(); // at once, also while messages keep coming
            }
            if (delivered > 0)
            {
                lastActivityNs = nowNs;
                idleStrategy.reset();
                continue;
            }
            output.flush();
            if (!timeout.isZero() && nowNs - lastActivityNs >= timeout.toNanos())
            {
                return Stop.timeout("no message for " + DurationConverter.describe(timeout) + " (received " +
                    received + (count != null ? " of " + count : "") + ")");
            }
            if (nowNs - nextLivenessCheckNs >= 0)
            {
                nextLivenessCheckNs = nowNs + LIVENESS_CHECK_INTERVAL_NS;
                if (region.isUnlinked())
                {
                    throw new CommandFailedException(ExitCodes.PEER_GONE, "region " + region.location() +
                        " was deleted while in use: no sender can attach to it any more");
                }
                if (subscriber.connectedPublishers() > 0)
                {
                    publisherSeen = true;
                }
                else if (count == null && (publisherSeen || received > 0) && subscriber.poll(printer, limit) == 0 &&
                    readToTheEnd(region, subscriber, limit))
                {
                    return Stop.done("senders-gone");
                }
            }
            idleStrategy.idle();
        }
    }

    /**
     * Whether the stream has ended now that every sender has gone: the channel holds nothing this subscriber has
     * not read. A ring may still hold records behind one a dead publisher left unfinished, which the subscriber pads
     * once it sees the death: polling goes on until the ring is empty (or --timeout). A log keeps what its publisher
     * appended: the stream has ended only when this subscriber read up to the tail, and records beyond one that
     * cannot be read are an error. The positions are loaded before a last poll, so a record a new publisher completes
     * meanwhile is delivered (the stream goes on), never mistaken for one that cannot be read.
     *
     * @return true when nothing is left to read; false when messages wait or the last poll delivered or skipped.
     * @throws CommandFailedException when a log holds records beyond one that cannot be read.
     */
    private boolean readToTheEnd(final Region region, final Subscriber subscriber, final int limit)
    {
        if (!options.kind.hasSingleSubscriber() && options.kind != ChannelKind.PUBLISH_SUBSCRIBE)
        {
            return true; // a broadcast receiver's stream ends with its transmitter
        }
        final ChannelStatus status;
        try (RegionInspector inspector = RegionInspector.of(region))
        {
            status = inspector.channels().stream().filter(channel -> channel.spec().name().equals(
                subscriber.channel())).findFirst().orElse(null);
        }
        if (status == null)
        {
            return true;
        }
        if (options.kind.hasSingleSubscriber())
        {
            return status.backlog() == 0 && subscriber.poll(printer, limit) == 0;
        }
        final long tail = status.producerPosition();
        final long position = subscriber.position();
        if (position >= tail)
        {
            return true;
        }
        if (subscriber.poll(printer, limit) > 0 || subscriber.position() != position)
        {
            return false;
        }
        throw new CommandFailedException("channel '" + subscriber.channel() + "' holds " +
            RegionSupport.bytes(tail - position) + " after position " + position + " (the tail is " + tail +
            ") that cannot be read: the record there is not complete, and no publisher is attached to finish it; " +
            "received " + received + " before it (shm-ipc peek shows the damage)");
    }


    private void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        final long nowNs = System.nanoTime();
        if (received == 0)
        {
            firstMessageNs = nowNs;
        }
        lastMessageNs = nowNs;
        received++;
        bytes += length;
        if (received <= show)
        {
            console.say("message %d: %s", received, buffer.getStringWithoutLengthUtf8(offset, Math.min(length, 80)));
        }
        if (quiet)
        {
            return;
        }
        try
        {
            int written = 0;
            while (written < length)
            {
                final int chunk = Math.min(line.length, length - written);
                buffer.getBytes(offset + written, line, 0, chunk);
                out.write(line, 0, chunk);
                written += chunk;
            }
            out.write('\n');
        }
        catch (final IOException ex)
        {
            throw output.failure(ex); // standard output cannot be written: a failure of the loop, or the signal's end
        }
    }

    /**
     * Reads {@code --untethered=WINDOW}, a size such as {@code 64k}; {@code --untethered} alone is the library's
     * default window (0 here). A window of 0 bytes is a usage error, not the default.
     */
    public static final class LagWindowConverter implements CommandLine.ITypeConverter<Integer>
    {
        /** What picocli passes for {@code --untethered} without a value. */
        static final String DEFAULT = "default";

        @Override
        public Integer convert(final String value)
        {
            if (DEFAULT.equals(value))
            {
                return 0;
            }
            final int window = new ByteSizeConverter().convert(value);
            if (window <= 0)
            {
                throw new CommandLine.TypeConversionException("the lag window must be at least one byte: " + value);
            }
            return window;
        }
    }
}

package io.shmipc.examples.cli;

import io.shmipc.ChannelKind;
import io.shmipc.MessageHandler;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.Subscriber;
import io.shmipc.SubscriberOptions;
import io.shmipc.examples.support.CommandRunner;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.IdleStrategies;
import io.shmipc.examples.support.RegionSupport;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code shm-ipc receive}: print each message of a channel as a line on standard output.
 */
@Command(
    name = "receive",
    mixinStandardHelpOptions = true,
    header = "Print the messages of a channel, one per line.",
    description = {
        "Receive messages from a channel and print each as a line on standard output (status lines go to " +
        "standard error).",
        "Creates the region if it does not exist. Stops after --count messages; without --count, once every " +
        "sender has gone and the channel is empty, after --timeout without a message, or on Ctrl-C.",
        "On a ring channel (ONE_TO_ONE, MANY_TO_ONE) this process is the only subscriber and unlinks the region " +
        "when it exits, unless --keep-region. On a PUBLISH_SUBSCRIBE channel any number of receivers each get " +
        "every message: tethered (the default, the sender waits for them) or --untethered, from the next message " +
        "or --from-oldest the channel still holds."},
    footer = {"", "Examples:", "  shm-ipc receive --region chat",
        "  shm-ipc receive --region chat --count 1000 > out.txt",
        "  shm-ipc receive --region journal --kind PUBLISH_SUBSCRIBE --from-oldest"})
public final class ReceiveCommand implements Callable<Integer>
{
    private static final int FRAGMENT_LIMIT = 256;
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long LIVENESS_CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);

    @Spec
    private CommandSpec spec;

    @Mixin
    private ChannelOptions options;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N messages (exit 1 if --timeout " +
        "passes first).")
    private Long count;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "0", converter = DurationConverter.class,
        description = "Stop after this long without a message; 0 waits forever. Default: ${DEFAULT-VALUE}.")
    private Duration timeout;

    @Option(names = "--quiet", description = "Do not print the messages, only the status lines.")
    private boolean quiet;

    @Option(names = "--show", paramLabel = "N", defaultValue = "0",
        description = "Also print the first N messages on status lines (useful with --quiet). " +
        "Default: ${DEFAULT-VALUE}.")
    private int show;

    @Option(names = "--keep-region", description = "Leave the region in place on exit.")
    private boolean keepRegion;

    @Option(names = "--untethered", paramLabel = "WINDOW", arity = "0..1", fallbackValue = "0",
        converter = io.shmipc.examples.support.ByteSizeConverter.class,
        description = "PUBLISH_SUBSCRIBE: never hold the sender back; skip ahead (counting what is skipped) when " +
        "more than WINDOW bytes behind (default half the capacity).")
    private Integer untethered;

    @Option(names = "--from-oldest", description = "PUBLISH_SUBSCRIBE: start at the oldest message the channel " +
        "still holds, not the next one.")
    private boolean fromOldest;

    @Option(names = "--name", paramLabel = "ROLE", defaultValue = "receive",
        description = "Name in the [name pid] prefix of status lines. Default: ${DEFAULT-VALUE}.")
    private String name;

    private final byte[] line = new byte[64 * 1024];
    private OutputStream out;
    private RoleConsole console;
    private long received;
    private long bytes;
    private long firstMessageNs;
    private long lastMessageNs;
    private final MessageHandler printer = this::onMessage;

    /**
     * Run as its own process.
     *
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        CommandRunner.main(new ReceiveCommand(), args);
    }

    @Override
    public Integer call() throws IOException
    {
        if (count != null && count < 0)
        {
            throw new ParameterException(spec.commandLine(), "--count must not be negative: " + count);
        }
        console = new RoleConsole(name, System.err);
        final RegionConfig config = options.config().build();
        out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        try (ShutdownSignal signal = ShutdownSignal.install();
            Region region = RegionSupport.openOrCreate(config, console);
            Subscriber subscriber = region.subscriber(options.channel, subscriberOptions()))
        {
            try
            {
                return receive(subscriber, signal);
            }
            finally
            {
                RegionSupport.unlinkOnExit(region, !keepRegion && options.kind.hasSingleSubscriber(), console);
            }
        }
    }

    private SubscriberOptions subscriberOptions()
    {
        if ((untethered != null || fromOldest) && options.kind != ChannelKind.PUBLISH_SUBSCRIBE)
        {
            throw new ParameterException(spec.commandLine(), "--untethered and --from-oldest are for " +
                "--kind PUBLISH_SUBSCRIBE, not " + options.kind);
        }
        SubscriberOptions subscriberOptions = SubscriberOptions.defaults();
        if (untethered != null)
        {
            subscriberOptions = untethered > 0 ? subscriberOptions.untethered(untethered) :
                subscriberOptions.untethered();
        }
        return fromOldest ? subscriberOptions.fromOldest() : subscriberOptions;
    }

    private int receive(final Subscriber subscriber, final ShutdownSignal signal) throws IOException
    {
        console.say("receiving on channel '%s' (%s)%s", options.channel, options.kind,
            count != null ? ", stopping after " + count + " messages" : "; stop with Ctrl-C");
        final String stop = poll(subscriber, signal);
        out.flush();
        final double seconds = (lastMessageNs - firstMessageNs) / 1e9;
        console.done(new DoneLine().add("received", received).add("bytes", bytes).add("seconds", seconds)
            .add("rate", seconds > 0 ? (long)(received / seconds) : 0).add("lost", subscriber.lostMessages())
            .add("stop", stop));
        if ("timeout".equals(stop) && count != null)
        {
            console.say("error: received %d of %d messages before the %s timeout", received, count,
                DurationConverter.describe(timeout));
            return CommandRunner.FAILURE;
        }
        return "interrupted".equals(stop) ? CommandRunner.FAILURE : CommandRunner.OK;
    }

    private String poll(final Subscriber subscriber, final ShutdownSignal signal) throws IOException
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
                return "count";
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
            if (delivered > 0)
            {
                lastActivityNs = nowNs;
                idleStrategy.reset();
                continue;
            }
            out.flush();
            if (signal.isRequested())
            {
                return "interrupted";
            }
            if (!timeout.isZero() && nowNs - lastActivityNs >= timeout.toNanos())
            {
                return "timeout";
            }
            if (count == null && nowNs - nextLivenessCheckNs >= 0)
            {
                nextLivenessCheckNs = nowNs + LIVENESS_CHECK_INTERVAL_NS;
                if (subscriber.connectedPublishers() > 0)
                {
                    publisherSeen = true;
                }
                else if ((publisherSeen || received > 0) && subscriber.poll(printer, limit) == 0)
                {
                    return "senders-gone";
                }
            }
            idleStrategy.idle();
        }
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
            throw new UncheckedIOException("cannot write to standard output: " + ex.getMessage(), ex);
        }
    }
}

package io.shmipc.examples.cli;

import io.shmipc.MessageHandler;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.examples.support.BlockingOffer;
import io.shmipc.examples.support.ByteSizeConverter;
import io.shmipc.examples.support.CommandFailedException;
import io.shmipc.examples.support.CommandRunner;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.IdleStrategies;
import io.shmipc.examples.support.LatencyRecorder;
import io.shmipc.examples.support.RegionLocationConverter;
import io.shmipc.examples.support.RegionSupport;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code shm-ipc ping}: measure round-trip latency to a {@code pong} process, one message in flight at a time.
 */
@Command(
    name = "ping",
    mixinStandardHelpOptions = true,
    header = "Measure round-trip latency to a pong process.",
    description = {
        "Measure round-trip latency to a 'pong' process: send a message on <channel>, wait for pong's echo on " +
        "<channel>.reply (both ONE_TO_ONE), repeat; then print percentiles (HdrHistogram).",
        "Waits up to --timeout for pong to attach; start pong first or within that time."},
    footer = {"", "Example (two terminals):", "  shm-ipc pong --region pp",
        "  shm-ipc ping --region pp --count 100000"})
public final class PingCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--region", paramLabel = "NAME|PATH", defaultValue = "shm-ipc-ping",
        converter = RegionLocationConverter.class,
        description = "Region: a name in /dev/shm, or a file path (contains '/'). Default: ${DEFAULT-VALUE}.")
    private RegionLocation location;

    @Option(names = "--channel", paramLabel = "NAME", defaultValue = "ping",
        description = "Request channel; replies come on <NAME>.reply. Default: ${DEFAULT-VALUE}.")
    private String channel;

    @Option(names = "--count", paramLabel = "N", defaultValue = "100000",
        description = "Round trips measured. Default: ${DEFAULT-VALUE}.")
    private long count;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "10000",
        description = "Round trips before measuring, to warm up the JIT. Default: ${DEFAULT-VALUE}.")
    private long warmup;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "32", converter = ByteSizeConverter.class,
        description = "Message length, at least 24 and at most 8k. Default: ${DEFAULT-VALUE}.")
    private int size;

    @Option(names = "--idle", paramLabel = "STRATEGY", defaultValue = "BACKOFF",
        description = "How to wait for a reply: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    private IdleStrategies idle;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
        description = "Longest wait for pong to attach, and for each reply; 0 waits forever. " +
        "Default: ${DEFAULT-VALUE}.")
    private Duration timeout;

    @Option(names = "--name", paramLabel = "ROLE", defaultValue = "ping",
        description = "Name in the [name pid] prefix of output lines. Default: ${DEFAULT-VALUE}.")
    private String name;

    private final long sessionId = ThreadLocalRandom.current().nextLong();
    private final MessageHandler replyHandler = this::onReply;
    private long expectedSequence;
    private boolean replied;
    private long staleReplies;
    private long roundTripNs;

    /**
     * Run as its own process.
     *
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        CommandRunner.main(new PingCommand(), args);
    }

    @Override
    public Integer call()
    {
        if (count < 1 || warmup < 0)
        {
            throw new ParameterException(spec.commandLine(), "--count must be at least 1 and --warmup at least 0");
        }
        if (size < PingPongChannels.MIN_LENGTH || size > PingPongChannels.CAPACITY / 8)
        {
            throw new ParameterException(spec.commandLine(), "--size must be from " + PingPongChannels.MIN_LENGTH +
                " to " + PingPongChannels.CAPACITY / 8 + ": " + size);
        }
        final RoleConsole console = new RoleConsole(name, System.out);
        try (ShutdownSignal signal = ShutdownSignal.install();
            Region region = RegionSupport.openOrCreate(PingPongChannels.config(location, channel), console);
            Publisher publisher = region.publisher(channel);
            Subscriber subscriber = region.subscriber(PingPongChannels.replyChannel(channel)))
        {
            if (!awaitPong(publisher, signal, console))
            {
                return CommandRunner.FAILURE;
            }
            final BlockingOffer offer = new BlockingOffer(publisher, timeout, signal, console);
            final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
            message.putLong(PingPongChannels.SESSION_ID_OFFSET, sessionId);
            final IdleStrategy idleStrategy = idle.newStrategy();
            final LatencyRecorder latency = new LatencyRecorder();
            console.say("warming up: %,d round trips of %d bytes", warmup, size);
            long sequence = 0;
            for (long i = 0; i < warmup && !signal.isRequested(); i++)
            {
                roundTrip(offer, subscriber, message, sequence++, idleStrategy, signal);
            }
            console.say("measuring: %,d round trips of %d bytes over '%s' and '%s'", count, size, channel,
                PingPongChannels.replyChannel(channel));
            final long startNs = System.nanoTime();
            for (long i = 0; i < count && !signal.isRequested(); i++)
            {
                if (roundTrip(offer, subscriber, message, sequence++, idleStrategy, signal))
                {
                    latency.record(roundTripNs);
                }
            }
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            message.putLong(PingPongChannels.SEQUENCE_OFFSET, PingPongChannels.END_OF_SESSION);
            offer.offer(message, 0, size);
            if (signal.isRequested())
            {
                return CommandRunner.FAILURE;
            }
            console.say("round-trip latency, %,d samples (HdrHistogram):", latency.count());
            for (final String line : latency.table())
            {
                console.say(line);
            }
            console.done(latency.addTo(new DoneLine().add("round-trips", latency.count()).add("size", size)
                .add("seconds", seconds).add("rate", (long)(latency.count() / seconds))
                .add("stale-replies", staleReplies)));
            return CommandRunner.OK;
        }
    }

    private boolean awaitPong(final Publisher publisher, final ShutdownSignal signal, final RoleConsole console)
    {
        if (publisher.isConsumerAlive())
        {
            return true;
        }
        console.say("waiting up to %s for pong (start it with: shm-ipc pong --region %s%s)",
            DurationConverter.describe(timeout), RegionLocationConverter.argument(location),
            "ping".equals(channel) ? "" : " --channel " + channel);
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        final IdleStrategy idleStrategy = IdleStrategies.responsive();
        while (!publisher.isConsumerAlive())
        {
            if (signal.isRequested())
            {
                return false;
            }
            if (!timeout.isZero() && System.nanoTime() - deadlineNs >= 0)
            {
                throw new CommandFailedException("no pong attached to channel '" + channel + "' within " +
                    DurationConverter.describe(timeout));
            }
            idleStrategy.idle();
        }
        console.say("pong attached");
        return true;
    }

    private boolean roundTrip(
        final BlockingOffer offer,
        final Subscriber subscriber,
        final UnsafeBuffer message,
        final long sequence,
        final IdleStrategy idleStrategy,
        final ShutdownSignal signal)
    {
        expectedSequence = sequence;
        replied = false;
        message.putLong(PingPongChannels.SEQUENCE_OFFSET, sequence);
        message.putLong(PingPongChannels.SEND_TIME_OFFSET, System.nanoTime());
        if (!offer.offer(message, 0, size))
        {
            return false;
        }
        final long sentNs = System.nanoTime();
        idleStrategy.reset();
        while (true)
        {
            subscriber.poll(replyHandler, 1);
            if (replied)
            {
                return true;
            }
            if (signal.isRequested())
            {
                return false;
            }
            if (!timeout.isZero() && System.nanoTime() - sentNs >= timeout.toNanos())
            {
                throw new CommandFailedException("no reply from pong within " + DurationConverter.describe(timeout) +
                    " (round trip " + sequence + "); is it still running?");
            }
            idleStrategy.idle();
        }
    }

    private void onReply(final DirectBuffer buffer, final int offset, final int length)
    {
        final long nowNs = System.nanoTime();
        if (length < PingPongChannels.MIN_LENGTH ||
            buffer.getLong(offset + PingPongChannels.SESSION_ID_OFFSET) != sessionId ||
            buffer.getLong(offset + PingPongChannels.SEQUENCE_OFFSET) != expectedSequence)
        {
            staleReplies++;
            return;
        }
        roundTripNs = nowNs - buffer.getLong(offset + PingPongChannels.SEND_TIME_OFFSET);
        replied = true;
    }
}

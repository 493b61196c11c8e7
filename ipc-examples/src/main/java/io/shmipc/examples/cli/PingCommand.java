package io.shmipc.examples.cli;

import io.shmipc.MessageHandler;
import io.shmipc.Publisher;
import io.shmipc.Subscriber;
import io.shmipc.examples.support.BlockingOffer;
import io.shmipc.examples.support.ByteSizeConverter;
import io.shmipc.examples.support.CommandFailedException;
import io.shmipc.examples.support.Counts;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.ExitCodes;
import io.shmipc.examples.support.LatencyRecorder;
import io.shmipc.examples.support.NameOption;
import io.shmipc.examples.support.PeerWatch;
import io.shmipc.examples.support.RegionUse;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;
import io.shmipc.examples.support.Stop;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
@Command(name = "ping")
public final class PingCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private PingPongChannels channels = new PingPongChannels();

    @Option(names = "--count", converter = Counts.AtLeastOne.class, paramLabel = "N", defaultValue = "100000")
    private long count;

    @Option(names = "--warmup", converter = Counts.AtLeastZero.class, paramLabel = "N", defaultValue = "10000")
    private long warmup;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "32", converter = ByteSizeConverter.class)
    private int size;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class)
    private Duration timeout;

    @Mixin
    private NameOption name = new NameOption("ping");

    private final long sessionId = ThreadLocalRandom.current().nextLong();
    private final MessageHandler replyHandler = this::onReply;
    private final LatencyRecorder latency = new LatencyRecorder();
    private RoleConsole console;
    private PeerWatch watch;
    private BlockingOffer offer;
    private long expectedSequence;
    private boolean replied;
    private long staleReplies;
    private long roundTripNs;

    @Override
    public Integer call()
    {
        if (size < PingPongChannels.MIN_LENGTH || size > PingPongChannels.CAPACITY / 8)
        {
            throw new ParameterException(spec.commandLine(), "--size must be from " + PingPongChannels.MIN_LENGTH +
                " to " + PingPongChannels.CAPACITY / 8 + ": " + size);
        }
        console = new RoleConsole(name.name(), System.out);
        try (RegionUse use = RegionUse.openOrCreate(channels.config(), console);
            Publisher publisher = use.region().publisher(channels.request());
            Subscriber subscriber = use.region().subscriber(channels.reply()))
        {
            watch = new PeerWatch(use.region(), publisher, "pong", channels.other("pong"));
            offer = new BlockingOffer(publisher, timeout, watch, console);
            final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
            message.putLong(PingPongChannels.SESSION_ID_OFFSET, sessionId);
            final long startNs = System.nanoTime();
            final Stop stop = Stop.catching(() -> measure(publisher, subscriber, message));
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            endSession(message, stop);
            if (latency.count() > 0)
            {
                console.say("round-trip latency, %,d samples (HdrHistogram)%s:", latency.count(),
                    stop.isDone() ? "" : ", measured before the " + stop.name() + " stop");
                for (final String line : latency.table())
                {
                    console.say(line);
                }
            }
            console.done(latency.addTo(new DoneLine().add("round-trips", latency.count()).add("size", size)
                .add("seconds", seconds).add("rate", seconds > 0 ? (long)(latency.count() / seconds) : 0)
                .add("stale-replies", staleReplies)).add("stop", stop.name()));
            return stop.exit();
        }
    }

    private Stop measure(final Publisher publisher, final Subscriber subscriber, final UnsafeBuffer message)
    {
        if (!watch.awaitConsumer(timeout, console))
        {
            return Stop.interrupted();
        }
        final IdleStrategy idleStrategy = channels.idleStrategy();
        console.say("warming up: %,d round trips of %d bytes", warmup, size);
        long sequence = 0;
        for (long i = 0; i < warmup; i++)
        {
            if (!roundTrip(subscriber, message, sequence++, idleStrategy))
            {
                return Stop.interrupted();
            }
        }
        console.say("measuring: %,d round trips of %d bytes over '%s' and '%s'", count, size, channels.request(),
            channels.reply());
        for (long i = 0; i < count; i++)
        {
            if (!roundTrip(subscriber, message, sequence++, idleStrategy))
            {
                return Stop.interrupted();
            }
            latency.record(roundTripNs);
        }
        return Stop.done("count");
    }

    /**
     * Tell pong the session is over, so it exits too, unless pong is the reason the session stopped or never came (the
     * message would wait in the region for a pong of a later session).
     */
    private void endSession(final UnsafeBuffer message, final Stop stop)
    {
        if (watch.consumerSeen() && (stop.isDone() || "interrupted".equals(stop.name())))
        {
            message.putLong(PingPongChannels.SEQUENCE_OFFSET, PingPongChannels.END_OF_SESSION);
            try
            {
                offer.offer(message, 0, size);
            }
            catch (final CommandFailedException ex)
            {
                console.say("could not tell pong the session ended: %s", ex.getMessage());
            }
        }
    }

    private boolean roundTrip(
        final Subscriber subscriber, final UnsafeBuffer message, final long sequence, final IdleStrategy idleStrategy)
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
            if (ShutdownSignal.current().isRequested())
            {
                return false;
            }
            watch.check();
            if (!timeout.isZero() && System.nanoTime() - sentNs >= timeout.toNanos())
            {
                throw new CommandFailedException(ExitCodes.TIMEOUT, "no reply from pong within " +
                    DurationConverter.describe(timeout) + " (round trip " + sequence + "); is it still running?");
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

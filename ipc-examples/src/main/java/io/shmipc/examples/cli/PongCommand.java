package io.shmipc.examples.cli;

import io.shmipc.MessageHandler;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.examples.support.BlockingOffer;
import io.shmipc.examples.support.CommandRunner;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.IdleStrategies;
import io.shmipc.examples.support.RegionLocationConverter;
import io.shmipc.examples.support.RegionSupport;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code shm-ipc pong}: echo every message of a {@code ping} session back to it, then exit.
 */
@Command(
    name = "pong",
    mixinStandardHelpOptions = true,
    header = "Echo a ping process's messages back to it.",
    description = {
        "Echo each message 'ping' sends on <channel> back on <channel>.reply (both ONE_TO_ONE), until that ping " +
        "session ends; then exit.",
        "Only one pong may serve a channel at a time. Unlinks the region when it exits, unless --keep-region."},
    footer = {"", "Example (two terminals):", "  shm-ipc pong --region pp", "  shm-ipc ping --region pp"})
public final class PongCommand implements Callable<Integer>
{
    @Option(names = "--region", paramLabel = "NAME|PATH", defaultValue = "shm-ipc-ping",
        converter = RegionLocationConverter.class,
        description = "Region: a name in /dev/shm, or a file path (contains '/'). Default: ${DEFAULT-VALUE}.")
    private RegionLocation location;

    @Option(names = "--channel", paramLabel = "NAME", defaultValue = "ping",
        description = "Request channel; replies go on <NAME>.reply. Default: ${DEFAULT-VALUE}.")
    private String channel;

    @Option(names = "--idle", paramLabel = "STRATEGY", defaultValue = "BACKOFF",
        description = "How to wait for a message: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    private IdleStrategies idle;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "0", converter = DurationConverter.class,
        description = "Give up (exit 1) after this long without a message; 0 waits forever. " +
        "Default: ${DEFAULT-VALUE}.")
    private Duration timeout;

    @Option(names = "--keep-region", description = "Leave the region in place on exit.")
    private boolean keepRegion;

    @Option(names = "--name", paramLabel = "ROLE", defaultValue = "pong",
        description = "Name in the [name pid] prefix of output lines. Default: ${DEFAULT-VALUE}.")
    private String name;

    private final MessageHandler echoHandler = this::onPing;
    private RoleConsole console;
    private BlockingOffer offer;
    private long sessionId;
    private boolean inSession;
    private boolean sessionEnded;
    private long echoed;

    /**
     * Run as its own process.
     *
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        CommandRunner.main(new PongCommand(), args);
    }

    @Override
    public Integer call()
    {
        console = new RoleConsole(name, System.out);
        try (ShutdownSignal signal = ShutdownSignal.install();
            Region region = RegionSupport.openOrCreate(PingPongChannels.config(location, channel), console);
            Subscriber subscriber = region.subscriber(channel);
            Publisher publisher = region.publisher(PingPongChannels.replyChannel(channel)))
        {
            try
            {
                return echo(subscriber, publisher, signal);
            }
            finally
            {
                RegionSupport.unlinkOnExit(region, !keepRegion, console);
            }
        }
    }

    private int echo(final Subscriber subscriber, final Publisher publisher, final ShutdownSignal signal)
    {
        offer = new BlockingOffer(publisher, Duration.ofSeconds(10), signal, console);
        console.say("echoing '%s' back on '%s'; waiting for ping (run: shm-ipc ping --region %s%s)", channel,
            PingPongChannels.replyChannel(channel), RegionLocationConverter.argument(location),
            "ping".equals(channel) ? "" : " --channel " + channel);
        final IdleStrategy idleStrategy = idle.newStrategy();
        long lastMessageNs = System.nanoTime();
        while (!sessionEnded)
        {
            if (subscriber.poll(echoHandler, 16) > 0)
            {
                lastMessageNs = System.nanoTime();
                idleStrategy.reset();
                continue;
            }
            if (signal.isRequested())
            {
                return CommandRunner.FAILURE;
            }
            if (!timeout.isZero() && System.nanoTime() - lastMessageNs >= timeout.toNanos())
            {
                console.say("error: no message from ping for %s", DurationConverter.describe(timeout));
                console.done(new DoneLine().add("echoed", echoed).add("stop", "timeout"));
                return CommandRunner.FAILURE;
            }
            idleStrategy.idle();
        }
        console.done(new DoneLine().add("echoed", echoed).add("stop", "session-ended"));
        return CommandRunner.OK;
    }

    private void onPing(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < PingPongChannels.MIN_LENGTH)
        {
            return;
        }
        final long session = buffer.getLong(offset + PingPongChannels.SESSION_ID_OFFSET);
        final long sequence = buffer.getLong(offset + PingPongChannels.SEQUENCE_OFFSET);
        if (sequence == PingPongChannels.END_OF_SESSION)
        {
            // An end left by a session this pong never served is stale: ignore it.
            if (inSession && session == sessionId)
            {
                console.say("ping session ended after %,d round trips", echoed);
                sessionEnded = true;
            }
            return;
        }
        if (!inSession || session != sessionId)
        {
            inSession = true;
            sessionId = session;
            console.say("ping session %016x started", session);
        }
        offer.offer(buffer, offset, length);
        echoed++;
    }
}

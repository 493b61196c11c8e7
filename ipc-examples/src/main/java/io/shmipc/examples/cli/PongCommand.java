package io.shmipc.examples.cli;

import io.shmipc.MessageHandler;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.Subscriber;
import io.shmipc.examples.support.BlockingOffer;
import io.shmipc.examples.support.CommandFailedException;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.ExitCodes;
import io.shmipc.examples.support.KeepRegionOption;
import io.shmipc.examples.support.NameOption;
import io.shmipc.examples.support.PeerWatch;
import io.shmipc.examples.support.RegionUse;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;
import io.shmipc.examples.support.Stop;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code shm-ipc pong}: echo every message of a {@code ping} session back to it, then exit.
 */
@Command(name = "pong")
public final class PongCommand implements Callable<Integer>
{
    private static final long LIVENESS_CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

    @Mixin
    private PingPongChannels channels = new PingPongChannels();

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "0", converter = DurationConverter.class)
    private Duration timeout;

    @Mixin
    private KeepRegionOption keepRegion;

    @Mixin
    private NameOption name = new NameOption("pong");

    private final MessageHandler echoHandler = this::onPing;
    private Subscriber subscriber;
    private RoleConsole console;
    private BlockingOffer offer;
    private long sessionId;
    private boolean inSession;
    private boolean sessionEnded;
    private long echoed;
    private long stale;
    private long staleSession;

    @Override
    public Integer call()
    {
        console = new RoleConsole(name.name(), System.out);
        try (RegionUse use = RegionUse.openOrCreate(channels.config(), console))
        {
            // Closed with the region, after its owner has unlinked it: ping sees the region gone first.
            subscriber = use.region().subscriber(channels.request());
            final Publisher publisher = use.region().publisher(channels.reply());
            use.own(keepRegion.keep());
            offer = new BlockingOffer(publisher, REPLY_TIMEOUT,
                new PeerWatch(use.region(), publisher, "ping", channels.other("ping")), console);
            console.say("echoing '%s' back on '%s'; waiting for ping (run: %s)", channels.request(),
                channels.reply(), channels.other("ping"));
            final Stop stop = Stop.catching(() -> echo(use.region()));
            console.done(new DoneLine().add("echoed", echoed).add("stale", stale).add("stop", stop.name()));
            return stop.exit();
        }
    }

    private Stop echo(final Region region)
    {
        final IdleStrategy idleStrategy = channels.idleStrategy();
        long lastMessageNs = System.nanoTime();
        long nextLivenessCheckNs = lastMessageNs;
        while (!sessionEnded)
        {
            if (subscriber.poll(echoHandler, 16) > 0)
            {
                lastMessageNs = System.nanoTime();
                idleStrategy.reset();
                continue;
            }
            if (ShutdownSignal.current().isRequested())
            {
                return Stop.interrupted();
            }
            final long nowNs = System.nanoTime();
            if (!timeout.isZero() && nowNs - lastMessageNs >= timeout.toNanos())
            {
                return Stop.timeout("no message from ping for " + DurationConverter.describe(timeout));
            }
            if (nowNs - nextLivenessCheckNs >= 0)
            {
                nextLivenessCheckNs = nowNs + LIVENESS_CHECK_INTERVAL_NS;
                checkPing(region);
            }
            idleStrategy.idle();
        }
        return Stop.done("session-ended");
    }

    /**
     * A ping that died in its session sends no end: stop rather than wait for it forever.
     */
    private void checkPing(final Region region)
    {
        if (region.isUnlinked())
        {
            throw new CommandFailedException(ExitCodes.PEER_GONE, "region " + region.location() +
                " was deleted while in use: no ping can attach to it any more");
        }
        if (inSession && subscriber.connectedPublishers() == 0 && subscriber.poll(echoHandler, 16) == 0 &&
            !sessionEnded)
        {
            throw new CommandFailedException(ExitCodes.PEER_GONE, "ping has gone in the middle of its session, " +
                "after " + echoed + " round trips");
        }
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
            if (sequence != 0 || subscriber.connectedPublishers() == 0)
            {
                ignoreStale(session, sequence);
                return;
            }
            inSession = true;
            sessionId = session;
            console.say("ping session %016x started", session);
        }
        offer.offer(buffer, offset, length);
        echoed++;
    }

    /**
     * A session starts with its first round trip while its ping is attached: anything else of a session this pong
     * does not serve was left in the channel by a ping that has gone (killed before pong read it). It gets no echo.
     */
    private void ignoreStale(final long session, final long sequence)
    {
        if (stale++ == 0 || session != staleSession)
        {
            console.say("ignoring round trip %d of ping session %016x: its ping has gone (left by an earlier run)",
                sequence, session);
        }
        staleSession = session;
    }
}

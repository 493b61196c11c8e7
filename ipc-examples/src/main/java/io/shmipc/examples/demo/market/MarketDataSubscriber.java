package io.shmipc.examples.demo.market;

import io.shmipc.ChannelKind;
import io.shmipc.MessageHandler;
import io.shmipc.Subscriber;
import io.shmipc.examples.demo.MessageFlyweight;
import io.shmipc.examples.demo.Symbols;
import io.shmipc.examples.support.CommandFailedException;
import io.shmipc.examples.support.Counts;
import io.shmipc.examples.support.DemoChannel;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.ExitCodes;
import io.shmipc.examples.support.IdleStrategies;
import io.shmipc.examples.support.LatencyRecorder;
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
import java.util.concurrent.locks.LockSupport;

/**
 * A market-data subscriber: receives the feed's quotes, measures feed-to-subscriber latency, and reports the quotes
 * it lost when the feed lapped it. {@code --slow} makes it take about 0.2 ms per quote, to be lapped on purpose.
 */
@Command(name = "market-subscriber")
public final class MarketDataSubscriber implements Callable<Integer>
{
    private static final int FRAGMENT_LIMIT = 256;
    private static final long SLOW_PAUSE_NS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long LIVENESS_CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);

    @Mixin
    private DemoChannel market = new DemoChannel("shm-ipc-market", "quotes", ChannelKind.BROADCAST);

    @Option(names = "--slow")
    private boolean slow;

    @Mixin
    private LosslessOption lossless = new LosslessOption();

    @Option(names = "--show", paramLabel = "N", defaultValue = "3", converter = Counts.IntAtLeastZero.class)
    private int show;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "0", converter = DurationConverter.class)
    private Duration timeout;

    @Option(names = "--name", paramLabel = "ROLE")
    private String name;

    private final MessageFlyweight quote = new MessageFlyweight();
    private final LatencyRecorder latency = new LatencyRecorder();
    private final MessageHandler handler = this::onQuote;
    private RoleConsole console;
    private long subscribedNs;
    private long received;
    private long stale;
    private long published = -1;

    @Override
    public Integer call()
    {
        console = new RoleConsole(name != null ? name : slow ? "slow-subscriber" : "subscriber", System.out);
        try (RegionUse use = RegionUse.openOrCreate(market.config(lossless.kind()), console))
        {
            // Taken before subscribing: anything published earlier is stale (a broadcast receiver starts at the
            // newest record already sent, and delivers it).
            subscribedNs = System.nanoTime();
            try (Subscriber subscriber = use.region().subscriber(market.channel()))
            {
                console.say("subscribed to '%s' (%s)%s; waiting for quotes", market.channel(), lossless.kind(),
                    slow ? ", slow: about 0.2 ms per quote" : "");
                final Stop stop = Stop.catching(() -> receive(subscriber));
                console.say("%s: received %,d quotes, lost %,d", stop.name(), received, subscriber.lostMessages());
                if (latency.count() > 0)
                {
                    console.say("feed-to-subscriber latency: %s", latency.summary());
                }
                final DoneLine done = new DoneLine().add("received", received).add("lost", subscriber.lostMessages());
                if (published >= 0) // the feed's END said how many; a feed that died said nothing
                {
                    done.add("published", published);
                }
                console.done(latency.addTo(done.add("stale", stale).add("stop", stop.name())));
                return stop.exit();
            }
        }
    }

    private Stop receive(final Subscriber subscriber)
    {
        final IdleStrategy idleStrategy = IdleStrategies.responsive();
        long lastActivityNs = System.nanoTime();
        long nextProgressNs = lastActivityNs + PROGRESS_INTERVAL_NS;
        long nextLivenessCheckNs = lastActivityNs;
        long reported = 0;
        boolean feedSeen = false;
        while (published < 0)
        {
            final int delivered = subscriber.poll(handler, slow ? 1 : FRAGMENT_LIMIT);
            final long nowNs = System.nanoTime();
            if (nowNs - nextProgressNs >= 0)
            {
                nextProgressNs = nowNs + PROGRESS_INTERVAL_NS;
                if (received != reported)
                {
                    reported = received;
                    console.say("received %,d quotes, lost %,d", received, subscriber.lostMessages());
                }
            }
            if (delivered > 0)
            {
                lastActivityNs = nowNs;
                idleStrategy.reset();
                continue;
            }
            if (ShutdownSignal.current().isRequested())
            {
                return Stop.interrupted();
            }
            if (!timeout.isZero() && nowNs - lastActivityNs >= timeout.toNanos())
            {
                return Stop.timeout("no quote for " + DurationConverter.describe(timeout) + " (received " +
                    received + "; is the feed running? start it with: shm-ipc market-feed --region " +
                    market.regionArgument() + ")");
            }
            if (nowNs - nextLivenessCheckNs >= 0)
            {
                nextLivenessCheckNs = nowNs + LIVENESS_CHECK_INTERVAL_NS;
                if (subscriber.connectedPublishers() > 0)
                {
                    feedSeen = true;
                }
                else if ((feedSeen || received > 0) && subscriber.poll(handler, FRAGMENT_LIMIT) == 0 &&
                    published < 0)
                {
                    throw new CommandFailedException(ExitCodes.PEER_GONE, "the feed has gone without sending END, " +
                        "after " + received + " quotes received here");
                }
            }
            idleStrategy.idle();
        }
        return Stop.done("end");
    }

    private void onQuote(final DirectBuffer buffer, final int offset, final int length)
    {
        final long nowNs = System.nanoTime();
        if (length < QuoteMessage.LENGTH)
        {
            return;
        }
        quote.wrap(buffer, offset);
        if (quote.get(QuoteMessage.PUBLISH_TIME) - subscribedNs < 0)
        {
            stale++;
            return;
        }
        if (quote.getInt(QuoteMessage.TYPE) == QuoteMessage.TYPE_END)
        {
            published = quote.get(QuoteMessage.SEQUENCE);
            console.say("feed sent END after %,d quotes", published);
            return;
        }
        received++;
        latency.record(nowNs - quote.get(QuoteMessage.PUBLISH_TIME));
        if (received <= show)
        {
            console.say("quote %d: %s %s x %d / %s x %d (%.1f us after publish)", quote.get(QuoteMessage.SEQUENCE),
                Symbols.decode(quote.get(QuoteMessage.SYMBOL)), Symbols.price(quote.get(QuoteMessage.BID_PRICE)),
                quote.getInt(QuoteMessage.BID_SIZE), Symbols.price(quote.get(QuoteMessage.ASK_PRICE)),
                quote.getInt(QuoteMessage.ASK_SIZE), (nowNs - quote.get(QuoteMessage.PUBLISH_TIME)) / 1000.0);
        }
        if (slow)
        {
            LockSupport.parkNanos(SLOW_PAUSE_NS);
        }
    }
}

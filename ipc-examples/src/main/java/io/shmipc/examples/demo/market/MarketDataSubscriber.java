package io.shmipc.examples.demo.market;

import io.shmipc.MessageHandler;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.examples.demo.Symbols;
import io.shmipc.examples.support.CapacityConverter;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A market-data subscriber: receives the feed's quotes, measures feed-to-subscriber latency, and reports the quotes
 * it lost when the feed lapped it. {@code --slow} makes it take about 0.2 ms per quote, to be lapped on purpose.
 */
@Command(
    name = "market-subscriber",
    mixinStandardHelpOptions = true,
    header = "Market-data demo: receive quotes; --slow shows lapping.",
    description = {
        "Market-data demo, a subscriber: receive the quotes 'market-feed' broadcasts, print the first few and " +
        "then progress, and report received, lost (lapped) and latency when the feed ends.",
        "Any number may run. --slow pauses about 0.2 ms after each quote, so a fast feed laps it: it then " +
        "reports how many quotes it lost. With --lossless (feed and subscribers) nothing is lost: the feed " +
        "waits for the slowest subscriber."},
    footer = {"", "Example (three terminals):", "  shm-ipc market-subscriber", "  shm-ipc market-subscriber --slow",
        "  shm-ipc market-feed --count 200000"})
public final class MarketDataSubscriber implements Callable<Integer>
{
    private static final int FRAGMENT_LIMIT = 256;
    private static final long SLOW_PAUSE_NS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long LIVENESS_CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);

    @Option(names = "--region", paramLabel = "NAME|PATH", defaultValue = "shm-ipc-market",
        converter = RegionLocationConverter.class,
        description = "Region: a name in /dev/shm, or a file path (contains '/'). Default: ${DEFAULT-VALUE}.")
    private RegionLocation location;

    @Option(names = "--channel", paramLabel = "NAME", defaultValue = "quotes",
        description = "Channel name. Default: ${DEFAULT-VALUE}.")
    private String channel;

    @Option(names = "--capacity", paramLabel = "BYTES", defaultValue = "1m", converter = CapacityConverter.class,
        description = "Broadcast buffer capacity; must match the feed's. Default: ${DEFAULT-VALUE}.")
    private int capacity;

    @Option(names = "--slow", description = "Pause about 0.2 ms after each quote (about 4,000 quotes/s at most).")
    private boolean slow;

    @Option(names = "--lossless", description = "A PUBLISH_SUBSCRIBE channel: this subscriber gets every quote and " +
        "holds the feed back when slow. The feed must say --lossless too.")
    private boolean lossless;

    @Option(names = "--show", paramLabel = "N", defaultValue = "3",
        description = "Quotes printed in full at the start. Default: ${DEFAULT-VALUE}.")
    private int show;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "0", converter = DurationConverter.class,
        description = "Stop after this long without a quote; 0 waits forever. Default: ${DEFAULT-VALUE}.")
    private Duration timeout;

    @Option(names = "--name", paramLabel = "ROLE",
        description = "Name in the [name pid] prefix of output lines. Default: subscriber, or slow-subscriber.")
    private String name;

    private final QuoteMessage quote = new QuoteMessage();
    private final LatencyRecorder latency = new LatencyRecorder();
    private final MessageHandler handler = this::onQuote;
    private RoleConsole console;
    private long subscribedNs;
    private long received;
    private long stale;
    private long published = -1;

    /**
     * Run as its own process.
     *
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        CommandRunner.main(new MarketDataSubscriber(), args);
    }

    @Override
    public Integer call()
    {
        console = new RoleConsole(name != null ? name : slow ? "slow-subscriber" : "subscriber", System.out);
        try (ShutdownSignal signal = ShutdownSignal.install();
            Region region = RegionSupport.openOrCreate(MarketDataFeed.config(location, channel, capacity, lossless),
                console))
        {
            // Taken before subscribing: anything published earlier is stale (a broadcast receiver starts at the
            // newest record already sent, and delivers it).
            subscribedNs = System.nanoTime();
            try (Subscriber subscriber = region.subscriber(channel))
            {
                console.say("subscribed to '%s' (%s)%s; waiting for quotes", channel, MarketDataFeed.kind(lossless),
                    slow ? ", slow: about 0.2 ms per quote" : "");
                final String stop = receive(subscriber, signal);
                console.say("%s: received %,d quotes, lost %,d", stop, received, subscriber.lostMessages());
                if (latency.count() > 0)
                {
                    console.say("feed-to-subscriber latency: %s", latency.summary());
                }
                console.done(latency.addTo(new DoneLine().add("received", received)
                    .add("lost", subscriber.lostMessages()).add("published", published).add("stale", stale)
                    .add("stop", stop)));
                return "end".equals(stop) ? CommandRunner.OK : CommandRunner.FAILURE;
            }
        }
    }

    private String receive(final Subscriber subscriber, final ShutdownSignal signal)
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
            if (signal.isRequested())
            {
                return "interrupted";
            }
            if (!timeout.isZero() && nowNs - lastActivityNs >= timeout.toNanos())
            {
                return "timeout";
            }
            if (nowNs - nextLivenessCheckNs >= 0)
            {
                nextLivenessCheckNs = nowNs + LIVENESS_CHECK_INTERVAL_NS;
                if (subscriber.connectedPublishers() > 0)
                {
                    feedSeen = true;
                }
                else if ((feedSeen || received > 0) && subscriber.poll(handler, FRAGMENT_LIMIT) == 0)
                {
                    return "feed-gone";
                }
            }
            idleStrategy.idle();
        }
        return "end";
    }

    private void onQuote(final DirectBuffer buffer, final int offset, final int length)
    {
        final long nowNs = System.nanoTime();
        if (length < QuoteMessage.LENGTH)
        {
            return;
        }
        quote.wrap(buffer, offset);
        if (quote.publishTimeNs() - subscribedNs < 0)
        {
            stale++;
            return;
        }
        if (quote.type() == QuoteMessage.TYPE_END)
        {
            published = quote.sequence();
            console.say("feed sent END after %,d quotes", published);
            return;
        }
        received++;
        latency.record(nowNs - quote.publishTimeNs());
        if (received <= show)
        {
            console.say("quote %d: %s %s x %d / %s x %d (%.1f us after publish)", quote.sequence(),
                Symbols.decode(quote.symbol()), Symbols.price(quote.bidPrice()), quote.bidSize(),
                Symbols.price(quote.askPrice()), quote.askSize(), (nowNs - quote.publishTimeNs()) / 1000.0);
        }
        if (slow)
        {
            LockSupport.parkNanos(SLOW_PAUSE_NS);
        }
    }
}

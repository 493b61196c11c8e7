package io.shmipc.examples.demo.market;

import io.shmipc.ChannelKind;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.examples.demo.Symbols;
import io.shmipc.examples.support.CapacityConverter;
import io.shmipc.examples.support.CommandFailedException;
import io.shmipc.examples.support.CommandRunner;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.Pacer;
import io.shmipc.examples.support.RegionLocationConverter;
import io.shmipc.examples.support.RegionSupport;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The market-data feed: broadcasts quotes for eight symbols, paced at {@code --rate}, to every subscriber
 * process. It never waits for a subscriber; it unlinks the region when it exits, unless {@code --keep-region}.
 */
@Command(
    name = "market-feed",
    mixinStandardHelpOptions = true,
    header = "Market-data demo: broadcast quotes to every subscriber.",
    description = {
        "Market-data demo, the feed: broadcast quotes on a BROADCAST channel to any number of 'market-subscriber' " +
        "processes. The feed never waits: a subscriber that falls a whole buffer behind is lapped and counts " +
        "what it lost.",
        "Sends an END message when done (after --count quotes, or on Ctrl-C) and unlinks the region, unless " +
        "--keep-region. Start subscribers first: a broadcast reaches only subscribers already attached.",
        "--lossless (on the feed and every subscriber) uses a PUBLISH_SUBSCRIBE channel instead: every " +
        "subscriber gets every quote, and the feed waits for the slowest one rather than lap it."},
    footer = {"", "Example (three terminals):", "  shm-ipc market-subscriber", "  shm-ipc market-subscriber --slow",
        "  shm-ipc market-feed --count 200000", "", "Lossless fan-out (three terminals):",
        "  shm-ipc market-subscriber --lossless", "  shm-ipc market-subscriber --lossless --slow",
        "  shm-ipc market-feed --lossless --count 200000"})
public final class MarketDataFeed implements Callable<Integer>
{
    static final String[] SYMBOLS = {"AAPL", "MSFT", "AMZN", "GOOG", "META", "NVDA", "TSLA", "JPM"};
    private static final long[] START_PRICES = {18_900, 41_000, 17_800, 13_900, 33_000, 48_000, 25_000, 15_000};
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long PACING_PARK_NS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final int QUOTES_SHOWN = 3;

    @Spec
    private CommandSpec spec;

    @Option(names = "--region", paramLabel = "NAME|PATH", defaultValue = "shm-ipc-market",
        converter = RegionLocationConverter.class,
        description = "Region: a name in /dev/shm, or a file path (contains '/'). Default: ${DEFAULT-VALUE}.")
    private RegionLocation location;

    @Option(names = "--channel", paramLabel = "NAME", defaultValue = "quotes",
        description = "Channel name. Default: ${DEFAULT-VALUE}.")
    private String channel;

    @Option(names = "--capacity", paramLabel = "BYTES", defaultValue = "1m", converter = CapacityConverter.class,
        description = "Broadcast buffer capacity (64 bytes a quote). Default: ${DEFAULT-VALUE}.")
    private int capacity;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
        description = "Quotes to publish; 0 publishes until Ctrl-C. Default: ${DEFAULT-VALUE}.")
    private long count;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "50000",
        description = "Quotes per second; 0 for as fast as possible. Default: ${DEFAULT-VALUE}.")
    private long rate;

    @Option(names = "--keep-region", description = "Leave the region in place on exit.")
    private boolean keepRegion;

    @Option(names = "--lossless", description = "A PUBLISH_SUBSCRIBE channel: every subscriber gets every quote; " +
        "the feed waits for the slowest. Subscribers must say --lossless too.")
    private boolean lossless;

    @Option(names = "--name", paramLabel = "ROLE", defaultValue = "feed",
        description = "Name in the [name pid] prefix of output lines. Default: ${DEFAULT-VALUE}.")
    private String name;

    /**
     * Run as its own process.
     *
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        CommandRunner.main(new MarketDataFeed(), args);
    }

    /**
     * The region layout the feed and its subscribers share.
     *
     * @param location where the region lives.
     * @param channel  the quotes channel.
     * @param capacity its capacity.
     * @param lossless a PUBLISH_SUBSCRIBE channel rather than BROADCAST.
     * @return the configuration.
     */
    static RegionConfig config(final RegionLocation location, final String channel, final int capacity,
        final boolean lossless)
    {
        return RegionConfig.builder(location).channel(channel, kind(lossless), capacity).build();
    }

    static ChannelKind kind(final boolean lossless)
    {
        return lossless ? ChannelKind.PUBLISH_SUBSCRIBE : ChannelKind.BROADCAST;
    }

    @Override
    public Integer call()
    {
        if (count < 0 || rate < 0)
        {
            throw new ParameterException(spec.commandLine(), "--count and --rate must not be negative");
        }
        final RoleConsole console = new RoleConsole(name, System.out);
        try (ShutdownSignal signal = ShutdownSignal.install();
            Region region = RegionSupport.openOrCreate(config(location, channel, capacity, lossless), console);
            Publisher publisher = region.publisher(channel))
        {
            try
            {
                return publish(publisher, signal, console);
            }
            finally
            {
                RegionSupport.unlinkOnExit(region, !keepRegion, console);
            }
        }
    }

    private int publish(final Publisher publisher, final ShutdownSignal signal, final RoleConsole console)
    {
        console.say("publishing %s on '%s' (%s %s) at %s", count == 0 ? "quotes until Ctrl-C" :
            count + " quotes", channel, kind(lossless), RegionSupport.bytes(capacity),
            rate == 0 ? "full speed" : rate + " quotes/s");
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(QuoteMessage.LENGTH));
        final QuoteMessage quote = new QuoteMessage().wrap(buffer, 0);
        final long[] symbols = new long[SYMBOLS.length];
        final long[] mids = START_PRICES.clone();
        for (int i = 0; i < SYMBOLS.length; i++)
        {
            symbols[i] = Symbols.encode(SYMBOLS[i]);
        }
        final SplittableRandom random = new SplittableRandom();
        final Pacer pacer = new Pacer(rate);
        final long startNs = System.nanoTime();
        long nextProgressNs = startNs + PROGRESS_INTERVAL_NS;
        long published = 0;
        long reported = 0;
        long waited = 0;
        while ((count == 0 || published < count) && !signal.isRequested())
        {
            final long due = Math.min(pacer.due(published), count == 0 ? 1024 : count - published);
            for (long i = 0; i < due; i++)
            {
                final int index = random.nextInt(SYMBOLS.length);
                mids[index] = Math.max(100, mids[index] + random.nextInt(-2, 3));
                final long spread = 1 + random.nextInt(3);
                quote.sequence(published).publishTimeNs(System.nanoTime()).symbol(symbols[index])
                    .bidPrice(mids[index]).askPrice(mids[index] + spread).bidSize(100 * (1 + random.nextInt(10)))
                    .askSize(100 * (1 + random.nextInt(10))).type(QuoteMessage.TYPE_QUOTE);
                waited += send(publisher, buffer, signal);
                if (published < QUOTES_SHOWN)
                {
                    console.say("quote %d: %s %s x %d / %s x %d", published, SYMBOLS[index],
                        Symbols.price(quote.bidPrice()), quote.bidSize(), Symbols.price(quote.askPrice()),
                        quote.askSize());
                }
                published++;
            }
            final long nowNs = System.nanoTime();
            if (nowNs - nextProgressNs >= 0)
            {
                final double seconds = (nowNs - nextProgressNs + PROGRESS_INTERVAL_NS) / 1e9;
                nextProgressNs = nowNs + PROGRESS_INTERVAL_NS;
                console.say("published %,d quotes (%,d/s); subscribers attached: %s", published,
                    (long)((published - reported) / seconds), publisher.isConsumerAlive() ? "yes" : "none");
                reported = published;
            }
            if (due == 0)
            {
                LockSupport.parkNanos(PACING_PARK_NS);
            }
        }
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        quote.sequence(published).publishTimeNs(System.nanoTime()).type(QuoteMessage.TYPE_END);
        send(publisher, buffer, signal);
        console.say("sent END after %,d quotes", published);
        console.done(new DoneLine().add("published", published).add("seconds", seconds)
            .add("rate", seconds > 0 ? (long)(published / seconds) : 0).add("waited", waited));
        return signal.isRequested() ? CommandRunner.FAILURE : CommandRunner.OK;
    }

    /**
     * Offer a quote; on a lossless channel wait while the slowest subscriber holds the feed back.
     *
     * @return 1 when it had to wait, else 0.
     */
    private static int send(final Publisher publisher, final UnsafeBuffer buffer, final ShutdownSignal signal)
    {
        long result = publisher.offer(buffer, 0, QuoteMessage.LENGTH);
        final int waited = result == Publisher.BACK_PRESSURED ? 1 : 0;
        while (result == Publisher.BACK_PRESSURED && !signal.isRequested())
        {
            LockSupport.parkNanos(PACING_PARK_NS);
            result = publisher.offer(buffer, 0, QuoteMessage.LENGTH);
        }
        if (result != Publisher.OK && !signal.isRequested())
        {
            throw new CommandFailedException("the quotes channel was closed");
        }
        return waited;
    }
}

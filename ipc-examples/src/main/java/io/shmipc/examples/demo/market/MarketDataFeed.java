package io.shmipc.examples.demo.market;

import io.shmipc.Publisher;
import io.shmipc.examples.demo.Symbols;
import io.shmipc.examples.support.CommandFailedException;
import io.shmipc.examples.support.CommandRunner;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.ExitCodes;
import io.shmipc.examples.support.KeepRegionOption;
import io.shmipc.examples.support.NameOption;
import io.shmipc.examples.support.Pacer;
import io.shmipc.examples.support.PeerWatch;
import io.shmipc.examples.support.RegionSupport;
import io.shmipc.examples.support.RegionUse;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;
import io.shmipc.examples.support.Stop;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
        "--keep-region. Start subscribers first: a broadcast reaches only subscribers already attached."},
    footer = {"", "Examples (one terminal each):", "  shm-ipc market-subscriber", "  shm-ipc market-subscriber --slow",
        "  shm-ipc market-feed --count 200000", "", ExitCodes.SUMMARY})
public final class MarketDataFeed implements Callable<Integer>
{
    static final String[] SYMBOLS = {"AAPL", "MSFT", "AMZN", "GOOG", "META", "NVDA", "TSLA", "JPM"};
    private static final long[] START_PRICES = {18_900, 41_000, 17_800, 13_900, 33_000, 48_000, 25_000, 15_000};
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long PACING_PARK_NS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final int QUOTES_SHOWN = 3;

    @Spec
    private CommandSpec spec;

    @Mixin
    private MarketChannel market = new MarketChannel();

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
        description = "Quotes to publish; 0 publishes until Ctrl-C. Default: ${DEFAULT-VALUE}.")
    private long count;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "50000",
        description = "Quotes per second; 0 for as fast as possible. Default: ${DEFAULT-VALUE}.")
    private long rate;

    @Mixin
    private KeepRegionOption keepRegion;

    @Mixin
    private NameOption name = new NameOption("feed");

    private long published;

    /**
     * Run as its own process.
     *
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        CommandRunner.main(new MarketDataFeed(), args);
    }

    @Override
    public Integer call()
    {
        if (count < 0)
        {
            throw new ParameterException(spec.commandLine(), "--count must not be negative: " + count);
        }
        if (rate < 0)
        {
            throw new ParameterException(spec.commandLine(), "--rate must not be negative: " + rate);
        }
        final RoleConsole console = new RoleConsole(name.name(), System.out);
        try (RegionUse use = RegionUse.openOrCreate(market.config(), console))
        {
            // Closed with the region, after its owner has unlinked it: subscribers see END, then the region gone.
            final Publisher publisher = use.region().publisher(market.channel());
            use.own(keepRegion.keep());
            final PeerWatch watch = new PeerWatch(use.region(), publisher, "subscribers", "");
            final long startNs = System.nanoTime();
            final Stop stop = Stop.catching(() -> publish(publisher, watch, console));
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            if (!"peer-gone".equals(stop.name()))
            {
                final UnsafeBuffer end = new UnsafeBuffer(ByteBuffer.allocateDirect(QuoteMessage.LENGTH));
                new QuoteMessage().wrap(end, 0).sequence(published).publishTimeNs(System.nanoTime())
                    .type(QuoteMessage.TYPE_END);
                send(publisher, end);
                console.say("sent END after %,d quotes", published);
            }
            console.done(new DoneLine().add("published", published).add("seconds", seconds)
                .add("rate", seconds > 0 ? (long)(published / seconds) : 0).add("stop", stop.name()));
            return stop.exit();
        }
    }

    private Stop publish(final Publisher publisher, final PeerWatch watch, final RoleConsole console)
    {
        console.say("publishing %s on '%s' (BROADCAST %s) at %s", count == 0 ? "quotes until Ctrl-C" :
            count + " quotes", market.channel(), RegionSupport.bytes(market.capacity()),
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
        long nextProgressNs = System.nanoTime() + PROGRESS_INTERVAL_NS;
        long reported = 0;
        while (count == 0 || published < count)
        {
            if (ShutdownSignal.current().isRequested())
            {
                return Stop.interrupted();
            }
            watch.check();
            final long due = Math.min(pacer.due(published), count == 0 ? 1024 : count - published);
            for (long i = 0; i < due; i++)
            {
                final int index = random.nextInt(SYMBOLS.length);
                mids[index] = Math.max(100, mids[index] + random.nextInt(-2, 3));
                final long spread = 1 + random.nextInt(3);
                quote.sequence(published).publishTimeNs(System.nanoTime()).symbol(symbols[index])
                    .bidPrice(mids[index]).askPrice(mids[index] + spread).bidSize(100 * (1 + random.nextInt(10)))
                    .askSize(100 * (1 + random.nextInt(10))).type(QuoteMessage.TYPE_QUOTE);
                send(publisher, buffer);
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
                console.say("published %,d quotes (%,d/s); subscribers attached: %d", published,
                    (long)((published - reported) / seconds), publisher.connectedSubscribers());
                reported = published;
            }
            if (due == 0)
            {
                LockSupport.parkNanos(PACING_PARK_NS);
            }
        }
        return Stop.done("count");
    }

    private static void send(final Publisher publisher, final UnsafeBuffer buffer)
    {
        if (publisher.offer(buffer, 0, QuoteMessage.LENGTH) != Publisher.OK)
        {
            throw new CommandFailedException("the quotes channel was closed");
        }
    }
}

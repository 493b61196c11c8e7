package io.shmipc.examples.demo.market;

import io.shmipc.ChannelKind;
import io.shmipc.Publisher;
import io.shmipc.examples.demo.MessageFlyweight;
import io.shmipc.examples.demo.Symbols;
import io.shmipc.examples.support.CommandFailedException;
import io.shmipc.examples.support.DemoChannel;
import io.shmipc.examples.support.Counts;
import io.shmipc.examples.support.DoneLine;
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
import picocli.CommandLine.Spec;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The market-data feed: broadcasts quotes for eight symbols, paced at {@code --rate}, to every subscriber
 * process. It never waits for a subscriber; it unlinks the region when it exits, unless {@code --keep-region}.
 */
@Command(name = "market-feed")
public final class MarketDataFeed implements Callable<Integer>
{
    static final String[] SYMBOLS = {"AAPL", "MSFT", "AMZN", "GOOG", "META", "NVDA", "TSLA", "JPM"};
    private static final long[] START_PRICES = {18_900, 41_000, 17_800, 13_900, 33_000, 48_000, 25_000, 15_000};
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long PACING_PARK_NS = TimeUnit.MICROSECONDS.toNanos(50);
    /** Longest wait, after the quotes, for room for the END: well within the signal's grace period. */
    private static final long END_WAIT_SECONDS = 5;
    private static final int QUOTES_SHOWN = 3;

    @Spec
    private CommandSpec spec;

    @Mixin
    private DemoChannel market = new DemoChannel("shm-ipc-market", "quotes", ChannelKind.BROADCAST);

    @Option(names = "--count", converter = Counts.AtLeastZero.class, paramLabel = "N", defaultValue = "0")
    private long count;

    @Option(names = "--rate", converter = Counts.AtLeastZero.class, paramLabel = "N", defaultValue = "50000")
    private long rate;

    @Mixin
    private KeepRegionOption keepRegion;

    @Mixin
    private LosslessOption lossless = new LosslessOption();

    @Mixin
    private NameOption name = new NameOption("feed");

    private long published;
    private long waited;

    @Override
    public Integer call()
    {
        final RoleConsole console = new RoleConsole(name.name(), System.out);
        try (RegionUse use = RegionUse.openOrCreate(market.config(lossless.kind()), console))
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
                new MessageFlyweight().wrap(end, 0).set(QuoteMessage.SEQUENCE, published)
                    .set(QuoteMessage.PUBLISH_TIME, System.nanoTime())
                    .set(QuoteMessage.TYPE, QuoteMessage.TYPE_END);
                if (sendEnd(publisher, end, watch))
                {
                    console.say("sent END after %,d quotes", published);
                }
                else
                {
                    console.say("could not send END after %,d quotes: the slowest subscriber held the feed back " +
                        "for %d s; subscribers see the feed gone", published, END_WAIT_SECONDS);
                }
            }
            console.done(new DoneLine().add("published", published).add("seconds", seconds)
                .add("rate", seconds > 0 ? (long)(published / seconds) : 0).add("waited", waited)
                .add("stop", stop.name()));
            return stop.exit();
        }
    }

    private Stop publish(final Publisher publisher, final PeerWatch watch, final RoleConsole console)
    {
        console.say("publishing %s on '%s' (%s %s) at %s", count == 0 ? "quotes until Ctrl-C" :
            count + " quotes", market.channel(), lossless.kind(), RegionSupport.bytes(market.capacity()),
            rate == 0 ? "full speed" : rate + " quotes/s");
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(QuoteMessage.LENGTH));
        final MessageFlyweight quote = new MessageFlyweight().wrap(buffer, 0);
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
                quote.set(QuoteMessage.SEQUENCE, published).set(QuoteMessage.PUBLISH_TIME, System.nanoTime())
                    .set(QuoteMessage.SYMBOL, symbols[index])
                    .set(QuoteMessage.BID_PRICE, mids[index]).set(QuoteMessage.ASK_PRICE, mids[index] + spread)
                    .set(QuoteMessage.BID_SIZE, 100 * (1 + random.nextInt(10)))
                    .set(QuoteMessage.ASK_SIZE, 100 * (1 + random.nextInt(10)))
                    .set(QuoteMessage.TYPE, QuoteMessage.TYPE_QUOTE);
                if (!send(publisher, buffer, watch))
                {
                    return Stop.interrupted(); // Ctrl-C while the slowest subscriber held the feed: not published
                }
                if (published < QUOTES_SHOWN)
                {
                    console.say("quote %d: %s %s x %d / %s x %d", published, SYMBOLS[index],
                        Symbols.price(quote.get(QuoteMessage.BID_PRICE)), quote.getInt(QuoteMessage.BID_SIZE),
                        Symbols.price(quote.get(QuoteMessage.ASK_PRICE)), quote.getInt(QuoteMessage.ASK_SIZE));
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

    /**
     * Offer a quote; on a lossless channel wait while the slowest subscriber holds the feed back (counted in
     * {@code waited}), checking the region meanwhile, until Ctrl-C.
     *
     * @return true when the quote was published; false when Ctrl-C came while the feed was held back.
     */
    private boolean send(final Publisher publisher, final UnsafeBuffer buffer, final PeerWatch watch)
    {
        return offer(publisher, buffer, watch, () -> ShutdownSignal.current().isRequested());
    }

    /**
     * Offer the END, also after Ctrl-C: a lossless subscriber may hold the feed back, and it must get the END after
     * every quote published, so wait for it for up to {@link #END_WAIT_SECONDS} (within the signal's grace).
     *
     * @return true when the END was published.
     */
    private boolean sendEnd(final Publisher publisher, final UnsafeBuffer end, final PeerWatch watch)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(END_WAIT_SECONDS);
        return offer(publisher, end, watch, () -> System.nanoTime() - deadlineNs >= 0);
    }

    private boolean offer(final Publisher publisher, final UnsafeBuffer buffer, final PeerWatch watch,
        final BooleanSupplier giveUp)
    {
        long result = publisher.offer(buffer, 0, QuoteMessage.LENGTH);
        if (result == Publisher.BACK_PRESSURED)
        {
            waited++;
        }
        while (result == Publisher.BACK_PRESSURED && !giveUp.getAsBoolean())
        {
            watch.check();
            LockSupport.parkNanos(PACING_PARK_NS);
            result = publisher.offer(buffer, 0, QuoteMessage.LENGTH);
        }
        if (result == Publisher.OK)
        {
            return true;
        }
        if (result == Publisher.BACK_PRESSURED)
        {
            return false;
        }
        throw new CommandFailedException("the quotes channel was closed");
    }
}

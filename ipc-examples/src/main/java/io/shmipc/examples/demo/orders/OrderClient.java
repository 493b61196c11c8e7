package io.shmipc.examples.demo.orders;

import io.shmipc.MessageHandler;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.Subscriber;
import io.shmipc.examples.demo.MessageFlyweight;
import io.shmipc.examples.demo.Symbols;
import io.shmipc.examples.support.BlockingOffer;
import io.shmipc.examples.support.CommandFailedException;
import io.shmipc.examples.support.Counts;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.IdleStrategies;
import io.shmipc.examples.support.LatencyRecorder;
import io.shmipc.examples.support.NameOption;
import io.shmipc.examples.support.PeerWatch;
import io.shmipc.examples.support.RegionUse;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;
import io.shmipc.examples.support.Stop;
import io.shmipc.exceptions.ChannelInUseException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A client of the order-entry demo: takes a free slot, sends {@code --count} random limit orders, and checks that
 * each execution report carries the correlation id of the order it answers, in order.
 */
@Command(name = "order-client")
public final class OrderClient implements Callable<Integer>
{
    private static final int FRAGMENT_LIMIT = 64;
    private static final long PRICE_CENTS = 10_000;

    @Spec
    private CommandSpec spec;

    @Mixin
    private OrderEntry entry = new OrderEntry();

    @Option(names = "--count", converter = Counts.AtLeastZero.class, paramLabel = "N", defaultValue = "1000")
    private long count;

    @Option(names = "--in-flight", converter = Counts.IntAtLeastOne.class, paramLabel = "N", defaultValue = "1")
    private int inFlight;

    @Option(names = "--show", paramLabel = "N", defaultValue = "3")
    private int show;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class)
    private Duration timeout;

    @Mixin
    private NameOption name = new NameOption("client");

    private final long clientId = ProcessHandle.current().pid() << 32 |
        (ThreadLocalRandom.current().nextInt() & 0xFFFF_FFFFL);
    private final MessageFlyweight report = new MessageFlyweight();
    private final LatencyRecorder latency = new LatencyRecorder();
    private final MessageHandler handler = this::onReport;
    private final MessageHandler staleHandler = (buffer, offset, length) -> this.stale++;
    private final long[] statusCounts = new long[ExecutionReport.STATUS_REJECTED + 1];
    private RoleConsole console;
    private long sent;
    private long replied;
    private long matched;
    private long mismatched;
    private long stale;

    @Override
    public Integer call()
    {
        console = new RoleConsole(name.name(), System.out);
        try (RegionUse use = entry.open(spec, console))
        {
            final Region region = use.region();
            int slot = -1;
            Subscriber replies = null;
            for (int candidate = 0; candidate < entry.slots() && replies == null; candidate++)
            {
                try
                {
                    replies = region.subscriber(OrderEntry.replyChannel(candidate));
                    slot = candidate;
                }
                catch (final ChannelInUseException ex)
                {
                    // the slot belongs to a live client: try the next
                }
            }
            if (replies == null)
            {
                throw new CommandFailedException("all " + entry.slots() + " client slots of " + region.location() +
                    " are taken by running clients");
            }
            try (Subscriber slotReplies = replies;
                Publisher orders = region.publisher(OrderEntry.ORDERS_CHANNEL))
            {
                return trade(region, slot, slotReplies, orders);
            }
        }
    }

    private int trade(final Region region, final int slot, final Subscriber replies, final Publisher orders)
    {
        while (replies.poll(staleHandler, FRAGMENT_LIMIT) > 0)
        {
            // Reports left for a previous client of this slot: not ours.
        }
        console.say("took client slot %d: %,d orders on '%s' (MANY_TO_ONE), reports on '%s' (ONE_TO_ONE), %d in " +
            "flight", slot, count, OrderEntry.ORDERS_CHANNEL, OrderEntry.replyChannel(slot), inFlight);
        final String startMatcher = "shm-ipc order-matcher --region " + entry.regionArgument();
        if (!orders.isConsumerAlive())
        {
            console.say("no matcher yet: orders wait in the channel (start one with: %s)", startMatcher);
        }
        final PeerWatch watch = new PeerWatch(region, orders, "matcher", startMatcher);
        final BlockingOffer offer = new BlockingOffer(orders, timeout, watch, console);
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(OrderMessage.LENGTH));
        final MessageFlyweight order = new MessageFlyweight().wrap(buffer, 0);
        final Stop stop = Stop.catching(() -> sendAndAwait(slot, replies, offer, watch, buffer, order));
        if (stop.isDone() || "interrupted".equals(stop.name()))
        {
            order.set(OrderMessage.TYPE, OrderMessage.TYPE_LOGOFF).set(OrderMessage.SLOT, slot)
                .set(OrderMessage.CLIENT_ID, clientId).set(OrderMessage.CORRELATION_ID, sent);
            Stop.catching(() -> offer.offer(buffer, 0, OrderMessage.LENGTH) ? Stop.done("logged-off") :
                Stop.interrupted());
        }
        console.say("%,d reports: %,d filled, %,d partially filled, %,d resting, %,d rejected; %,d matched their " +
            "order's correlation id", replied, statusCounts[ExecutionReport.STATUS_FILLED],
            statusCounts[ExecutionReport.STATUS_PARTIALLY_FILLED], statusCounts[ExecutionReport.STATUS_RESTING],
            statusCounts[ExecutionReport.STATUS_REJECTED], matched);
        if (latency.count() > 0)
        {
            console.say("order round trip: %s", latency.summary());
        }
        console.done(latency.addTo(new DoneLine().add("slot", slot).add("orders", sent).add("replies", replied)
            .add("matched", matched).add("mismatched", mismatched).add("stale", stale)
            .add("filled", statusCounts[ExecutionReport.STATUS_FILLED])
            .add("partially-filled", statusCounts[ExecutionReport.STATUS_PARTIALLY_FILLED])
            .add("resting", statusCounts[ExecutionReport.STATUS_RESTING])
            .add("rejected", statusCounts[ExecutionReport.STATUS_REJECTED]).add("stop", stop.name())));
        if (stop.isDone() && matched != count)
        {
            throw new CommandFailedException(mismatched + " of " + replied + " reports did not carry the " +
                "correlation id of the order they answer");
        }
        return stop.exit();
    }

    private Stop sendAndAwait(final int slot, final Subscriber replies, final BlockingOffer offer,
        final PeerWatch watch, final UnsafeBuffer buffer, final MessageFlyweight order)
    {
        final long[] symbols = new long[OrderEntry.SYMBOLS.length];
        for (int i = 0; i < symbols.length; i++)
        {
            symbols[i] = Symbols.encode(OrderEntry.SYMBOLS[i]);
        }
        final SplittableRandom random = new SplittableRandom();
        final IdleStrategy idleStrategy = IdleStrategies.responsive();
        long lastProgressNs = System.nanoTime();
        while (replied < count)
        {
            while (sent < count && sent - replied < inFlight)
            {
                order.set(OrderMessage.TYPE, OrderMessage.TYPE_NEW_ORDER).set(OrderMessage.SLOT, slot)
                    .set(OrderMessage.CLIENT_ID, clientId).set(OrderMessage.CORRELATION_ID, sent + 1)
                    .set(OrderMessage.SYMBOL, symbols[random.nextInt(symbols.length)])
                    .set(OrderMessage.PRICE, PRICE_CENTS + random.nextInt(-10, 11))
                    .set(OrderMessage.QUANTITY, 10 * (1 + random.nextInt(10)))
                    .set(OrderMessage.SIDE, random.nextBoolean() ? OrderMessage.SIDE_BUY : OrderMessage.SIDE_SELL)
                    .set(OrderMessage.SEND_TIME, System.nanoTime());
                if (!offer.offer(buffer, 0, OrderMessage.LENGTH))
                {
                    return Stop.interrupted();
                }
                sent++;
            }
            final long nowNs = System.nanoTime();
            if (replies.poll(handler, FRAGMENT_LIMIT) > 0)
            {
                lastProgressNs = nowNs;
                idleStrategy.reset();
                continue;
            }
            if (ShutdownSignal.current().isRequested())
            {
                return Stop.interrupted();
            }
            watch.check();
            if (!timeout.isZero() && nowNs - lastProgressNs >= timeout.toNanos())
            {
                return Stop.timeout("no execution report for " + DurationConverter.describe(timeout) + " after " +
                    replied + " of " + count + " (is '" + "shm-ipc order-matcher --region " + entry.regionArgument() +
                    "' running?)");
            }
            idleStrategy.idle();
        }
        return Stop.done("count");
    }

    private void onReport(final DirectBuffer buffer, final int offset, final int length)
    {
        final long nowNs = System.nanoTime();
        if (length < ExecutionReport.LENGTH)
        {
            stale++;
            return;
        }
        report.wrap(buffer, offset);
        if (report.get(ExecutionReport.CLIENT_ID) != clientId)
        {
            stale++;
            return;
        }
        replied++;
        if (report.get(ExecutionReport.CORRELATION_ID) == replied)
        {
            matched++;
        }
        else
        {
            mismatched++;
        }
        latency.record(nowNs - report.get(ExecutionReport.SEND_TIME));
        final int status = report.getInt(ExecutionReport.STATUS);
        if (status > 0 && status < statusCounts.length)
        {
            statusCounts[status]++;
        }
        if (replied <= show)
        {
            console.say("order %d -> %s, filled %d @ %s (order number %d, %.1f us round trip)",
                report.get(ExecutionReport.CORRELATION_ID), ExecutionReport.statusName(status),
                report.getInt(ExecutionReport.FILLED_QUANTITY),
                Symbols.price(report.get(ExecutionReport.AVERAGE_PRICE)),
                report.get(ExecutionReport.ORDER_NUMBER), (nowNs - report.get(ExecutionReport.SEND_TIME)) / 1000.0);
        }
    }
}

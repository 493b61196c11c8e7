package io.shmipc.examples.demo.orders;

import io.shmipc.MessageHandler;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.Subscriber;
import io.shmipc.examples.demo.Symbols;
import io.shmipc.examples.support.BlockingOffer;
import io.shmipc.examples.support.CommandFailedException;
import io.shmipc.examples.support.CommandRunner;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.ExitCodes;
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
import picocli.CommandLine.ParameterException;
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
@Command(
    name = "order-client",
    mixinStandardHelpOptions = true,
    header = "Order-entry demo: send orders, match replies by correlation id.",
    description = {
        "Order-entry demo, a client: take a free client slot, send --count random limit orders to 'order-matcher' " +
        "over the MANY_TO_ONE 'orders' channel, and match each execution report on the slot's ONE_TO_ONE reply " +
        "channel to its order by correlation id; report order round-trip latency (HdrHistogram).",
        "As many clients may run at once as there are slots. Orders wait in the channel until a matcher runs; " +
        "once a matcher was seen, its death ends the client at once (exit 4). On Ctrl-C the client logs off " +
        "before it exits."},
    footer = {"", "Examples (one terminal each):", "  shm-ipc order-matcher --clients 2",
        "  shm-ipc order-client --count 1000", "  shm-ipc order-client --count 1000", "", ExitCodes.SUMMARY})
public final class OrderClient implements Callable<Integer>
{
    private static final int FRAGMENT_LIMIT = 64;
    private static final long PRICE_CENTS = 10_000;

    @Spec
    private CommandSpec spec;

    @Mixin
    private OrderEntry entry = new OrderEntry();

    @Option(names = "--count", paramLabel = "N", defaultValue = "1000",
        description = "Orders to send. Default: ${DEFAULT-VALUE}.")
    private long count;

    @Option(names = "--in-flight", paramLabel = "N", defaultValue = "1",
        description = "Orders sent before waiting for their reports. Default: ${DEFAULT-VALUE}.")
    private int inFlight;

    @Option(names = "--show", paramLabel = "N", defaultValue = "3",
        description = "Reports printed in full at the start. Default: ${DEFAULT-VALUE}.")
    private int show;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
        description = "Give up (exit 3) after this long without a report; 0 waits forever. " +
        "Default: ${DEFAULT-VALUE}.")
    private Duration timeout;

    @Mixin
    private NameOption name = new NameOption("client");

    private final long clientId = ProcessHandle.current().pid() << 32 |
        (ThreadLocalRandom.current().nextInt() & 0xFFFF_FFFFL);
    private final ExecutionReport report = new ExecutionReport();
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

    /**
     * Run as its own process.
     *
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        CommandRunner.main(new OrderClient(), args);
    }

    @Override
    public Integer call()
    {
        entry.validate(spec);
        if (count < 0)
        {
            throw new ParameterException(spec.commandLine(), "--count must not be negative: " + count);
        }
        if (inFlight < 1)
        {
            throw new ParameterException(spec.commandLine(), "--in-flight must be at least 1: " + inFlight);
        }
        console = new RoleConsole(name.name(), System.out);
        try (RegionUse use = RegionUse.openOrCreate(entry.config(), console))
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
        final OrderMessage order = new OrderMessage().wrap(buffer, 0);
        final Stop stop = Stop.catching(() -> sendAndAwait(slot, replies, offer, watch, buffer, order));
        if (stop.isDone() || "interrupted".equals(stop.name()))
        {
            order.type(OrderMessage.TYPE_LOGOFF).slot(slot).clientId(clientId).correlationId(sent);
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
        final PeerWatch watch, final UnsafeBuffer buffer, final OrderMessage order)
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
                order.type(OrderMessage.TYPE_NEW_ORDER).slot(slot).clientId(clientId).correlationId(sent + 1)
                    .symbol(symbols[random.nextInt(symbols.length)]).price(PRICE_CENTS + random.nextInt(-10, 11))
                    .quantity(10 * (1 + random.nextInt(10)))
                    .side(random.nextBoolean() ? OrderMessage.SIDE_BUY : OrderMessage.SIDE_SELL)
                    .sendTimeNs(System.nanoTime());
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
        if (report.clientId() != clientId)
        {
            stale++;
            return;
        }
        replied++;
        if (report.correlationId() == replied)
        {
            matched++;
        }
        else
        {
            mismatched++;
        }
        latency.record(nowNs - report.sendTimeNs());
        final int status = report.status();
        if (status > 0 && status < statusCounts.length)
        {
            statusCounts[status]++;
        }
        if (replied <= show)
        {
            console.say("order %d -> %s, filled %d @ %s (order number %d, %.1f us round trip)",
                report.correlationId(), ExecutionReport.statusName(status), report.filledQuantity(),
                Symbols.price(report.averagePrice()), report.orderNumber(), (nowNs - report.sendTimeNs()) / 1000.0);
        }
    }
}

package io.shmipc.examples.demo.orders;

import io.shmipc.MessageHandler;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.examples.demo.Symbols;
import io.shmipc.examples.support.BlockingOffer;
import io.shmipc.examples.support.CommandFailedException;
import io.shmipc.examples.support.CommandRunner;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.IdleStrategies;
import io.shmipc.examples.support.LatencyRecorder;
import io.shmipc.examples.support.RegionLocationConverter;
import io.shmipc.examples.support.RegionSupport;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;
import io.shmipc.exceptions.ChannelInUseException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
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
        "As many clients may run at once as there are slots. Orders wait in the channel until a matcher runs."},
    footer = {"", "Example (three terminals):", "  shm-ipc order-matcher --clients 2",
        "  shm-ipc order-client --count 1000", "  shm-ipc order-client --count 1000"})
public final class OrderClient implements Callable<Integer>
{
    private static final int FRAGMENT_LIMIT = 64;
    private static final long PRICE_CENTS = 10_000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--region", paramLabel = "NAME|PATH", defaultValue = OrderEntry.DEFAULT_REGION,
        converter = RegionLocationConverter.class,
        description = "Region: a name in /dev/shm, or a file path (contains '/'). Default: ${DEFAULT-VALUE}.")
    private RegionLocation location;

    @Option(names = "--slots", paramLabel = "N", defaultValue = "8",
        description = "Client slots; must match the matcher's. Default: ${DEFAULT-VALUE}.")
    private int slots;

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
        description = "Give up (exit 1) after this long without a report; 0 waits forever. " +
        "Default: ${DEFAULT-VALUE}.")
    private Duration timeout;

    @Option(names = "--name", paramLabel = "ROLE", defaultValue = "client",
        description = "Name in the [name pid] prefix of output lines. Default: ${DEFAULT-VALUE}.")
    private String name;

    private final long clientId = ProcessHandle.current().pid() << 32 |
        (ThreadLocalRandom.current().nextInt() & 0xFFFF_FFFFL);
    private final ExecutionReport report = new ExecutionReport();
    private final LatencyRecorder latency = new LatencyRecorder();
    private final MessageHandler handler = this::onReport;
    private final MessageHandler staleHandler = (buffer, offset, length) -> this.stale++;
    private final long[] statusCounts = new long[ExecutionReport.STATUS_REJECTED + 1];
    private RoleConsole console;
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
        if (slots < 1 || slots > OrderEntry.MAX_SLOTS || count < 0 || inFlight < 1)
        {
            throw new ParameterException(spec.commandLine(), "--slots must be from 1 to " + OrderEntry.MAX_SLOTS +
                ", --count at least 0 and --in-flight at least 1");
        }
        console = new RoleConsole(name, System.out);
        try (ShutdownSignal signal = ShutdownSignal.install();
            Region region = RegionSupport.openOrCreate(OrderEntry.config(location, slots), console))
        {
            int slot = -1;
            Subscriber replies = null;
            for (int candidate = 0; candidate < slots && replies == null; candidate++)
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
                throw new CommandFailedException("all " + slots + " client slots of " + location + " are taken " +
                    "by running clients");
            }
            try (Subscriber slotReplies = replies;
                Publisher orders = region.publisher(OrderEntry.ORDERS_CHANNEL))
            {
                return trade(slot, slotReplies, orders, signal);
            }
        }
    }

    private int trade(final int slot, final Subscriber replies, final Publisher orders, final ShutdownSignal signal)
    {
        while (replies.poll(staleHandler, FRAGMENT_LIMIT) > 0)
        {
            // Reports left for a previous client of this slot: not ours.
        }
        console.say("took client slot %d: %,d orders on '%s' (MANY_TO_ONE), reports on '%s' (ONE_TO_ONE), %d in " +
            "flight", slot, count, OrderEntry.ORDERS_CHANNEL, OrderEntry.replyChannel(slot), inFlight);
        if (!orders.isConsumerAlive())
        {
            console.say("no matcher yet: orders wait in the channel (start one with: shm-ipc order-matcher " +
                "--region %s)", RegionLocationConverter.argument(location));
        }
        final BlockingOffer offer = new BlockingOffer(orders, timeout, signal, console);
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(OrderMessage.LENGTH));
        final OrderMessage order = new OrderMessage().wrap(buffer, 0);
        final long[] symbols = new long[OrderEntry.SYMBOLS.length];
        for (int i = 0; i < symbols.length; i++)
        {
            symbols[i] = Symbols.encode(OrderEntry.SYMBOLS[i]);
        }
        final SplittableRandom random = new SplittableRandom();
        final IdleStrategy idleStrategy = IdleStrategies.responsive();
        long sent = 0;
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
                    return CommandRunner.FAILURE;
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
            if (signal.isRequested())
            {
                return CommandRunner.FAILURE;
            }
            if (!timeout.isZero() && nowNs - lastProgressNs >= timeout.toNanos())
            {
                throw new CommandFailedException("no execution report for " + DurationConverter.describe(timeout) +
                    " after " + replied + " of " + count + " (is 'shm-ipc order-matcher --region " +
                    RegionLocationConverter.argument(location) + "' running?)");
            }
            idleStrategy.idle();
        }
        order.type(OrderMessage.TYPE_LOGOFF).slot(slot).clientId(clientId).correlationId(count);
        offer.offer(buffer, 0, OrderMessage.LENGTH);
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
            .add("rejected", statusCounts[ExecutionReport.STATUS_REJECTED])));
        return matched == count ? CommandRunner.OK : CommandRunner.FAILURE;
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

package io.shmipc.examples.demo.orders;

import io.shmipc.MessageHandler;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.examples.support.CommandRunner;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.IdleStrategies;
import io.shmipc.examples.support.RegionLocationConverter;
import io.shmipc.examples.support.RegionSupport;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The matching process of the order-entry demo: reads every client's orders from one channel, matches them, and
 * answers each on its client's reply channel with the order's correlation id.
 */
@Command(
    name = "order-matcher",
    mixinStandardHelpOptions = true,
    header = "Order-entry demo: match orders from many clients, answer each.",
    description = {
        "Order-entry demo, the matcher: read orders from all 'order-client' processes on one MANY_TO_ONE " +
        "channel, match them in a price-time order book per symbol, and answer each order with an execution " +
        "report carrying its correlation id, on the client's own ONE_TO_ONE reply channel (one per client slot).",
        "Only one matcher may run per region. Unlinks the region when it exits, unless --keep-region."},
    footer = {"", "Example (three terminals):", "  shm-ipc order-matcher --clients 2",
        "  shm-ipc order-client --count 1000", "  shm-ipc order-client --count 1000"})
public final class OrderMatcher implements Callable<Integer>
{
    private static final int FRAGMENT_LIMIT = 64;
    private static final int MAX_BOOKS = 1024;
    private static final long REPLY_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    @Spec
    private CommandSpec spec;

    @Option(names = "--region", paramLabel = "NAME|PATH", defaultValue = OrderEntry.DEFAULT_REGION,
        converter = RegionLocationConverter.class,
        description = "Region: a name in /dev/shm, or a file path (contains '/'). Default: ${DEFAULT-VALUE}.")
    private RegionLocation location;

    @Option(names = "--slots", paramLabel = "N", defaultValue = "8",
        description = "Client slots (reply channels) when the region is created; clients must use the same " +
        "value. Default: ${DEFAULT-VALUE}.")
    private int slots;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "0",
        description = "Exit after N clients logged off; 0 runs until Ctrl-C. Default: ${DEFAULT-VALUE}.")
    private int clients;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "0", converter = DurationConverter.class,
        description = "Stop after this long without an order; 0 waits forever. Default: ${DEFAULT-VALUE}.")
    private Duration timeout;

    @Option(names = "--keep-region", description = "Leave the region in place on exit.")
    private boolean keepRegion;

    @Option(names = "--name", paramLabel = "ROLE", defaultValue = "matcher",
        description = "Name in the [name pid] prefix of output lines. Default: ${DEFAULT-VALUE}.")
    private String name;

    private final OrderMessage order = new OrderMessage();
    private final ExecutionReport report = new ExecutionReport();
    private final UnsafeBuffer reportBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(ExecutionReport.LENGTH));
    private final Long2ObjectHashMap<OrderBook> books = new Long2ObjectHashMap<>();
    private final IdleStrategy replyIdleStrategy = IdleStrategies.responsive();
    private final MessageHandler handler = this::onOrder;
    private RoleConsole console;
    private Publisher[] replies;
    private long[] slotClients;
    private long orders;
    private long filledOrders;
    private long rejected;
    private long dropped;
    private int connected;
    private int loggedOff;

    /**
     * Run as its own process.
     *
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        CommandRunner.main(new OrderMatcher(), args);
    }

    @Override
    public Integer call()
    {
        if (slots < 1 || slots > OrderEntry.MAX_SLOTS || clients < 0)
        {
            throw new ParameterException(spec.commandLine(), "--slots must be from 1 to " + OrderEntry.MAX_SLOTS +
                " and --clients at least 0");
        }
        console = new RoleConsole(name, System.out);
        try (ShutdownSignal signal = ShutdownSignal.install();
            Region region = RegionSupport.openOrCreate(OrderEntry.config(location, slots), console);
            Subscriber subscriber = region.subscriber(OrderEntry.ORDERS_CHANNEL))
        {
            try
            {
                return serve(region, subscriber, signal);
            }
            finally
            {
                RegionSupport.unlinkOnExit(region, !keepRegion, console);
            }
        }
    }

    private int serve(final Region region, final Subscriber subscriber, final ShutdownSignal signal)
    {
        replies = new Publisher[slots];
        slotClients = new long[slots];
        for (int slot = 0; slot < slots; slot++)
        {
            replies[slot] = region.publisher(OrderEntry.replyChannel(slot));
        }
        report.wrap(reportBuffer, 0);
        console.say("matching orders from '%s' (MANY_TO_ONE); replies on %s .. %s (ONE_TO_ONE, one per client " +
            "slot)%s", OrderEntry.ORDERS_CHANNEL, OrderEntry.replyChannel(0), OrderEntry.replyChannel(slots - 1),
            clients > 0 ? "; exiting after " + clients + " clients" : "");
        console.say("start clients with: shm-ipc order-client --region %s",
            RegionLocationConverter.argument(location));
        final String stop = match(subscriber, signal);
        long resting = 0;
        for (final OrderBook book : books.values())
        {
            resting += book.restingOrders();
        }
        console.done(new DoneLine().add("orders", orders).add("clients", connected).add("logged-off", loggedOff)
            .add("filled", filledOrders).add("resting", resting).add("rejected", rejected)
            .add("dropped", dropped).add("stop", stop));
        return "clients-done".equals(stop) || "interrupted".equals(stop) && clients == 0 ?
            CommandRunner.OK : CommandRunner.FAILURE;
    }

    private String match(final Subscriber subscriber, final ShutdownSignal signal)
    {
        final IdleStrategy idleStrategy = IdleStrategies.responsive();
        long lastOrderNs = System.nanoTime();
        long nextProgressNs = lastOrderNs + PROGRESS_INTERVAL_NS;
        long reported = 0;
        while (clients == 0 || loggedOff < clients)
        {
            final int delivered = subscriber.poll(handler, FRAGMENT_LIMIT);
            final long nowNs = System.nanoTime();
            if (nowNs - nextProgressNs >= 0)
            {
                nextProgressNs = nowNs + PROGRESS_INTERVAL_NS;
                if (orders != reported)
                {
                    console.say("matched %,d orders (+%,d), %,d filled; clients connected %d, logged off %d", orders,
                        orders - reported, filledOrders, connected, loggedOff);
                    reported = orders;
                }
            }
            if (delivered > 0)
            {
                lastOrderNs = nowNs;
                idleStrategy.reset();
                continue;
            }
            if (signal.isRequested())
            {
                return "interrupted";
            }
            if (!timeout.isZero() && nowNs - lastOrderNs >= timeout.toNanos())
            {
                return "timeout";
            }
            idleStrategy.idle();
        }
        return "clients-done";
    }

    private void onOrder(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < OrderMessage.LENGTH)
        {
            rejected++;
            return;
        }
        order.wrap(buffer, offset);
        final int slot = order.slot();
        if (slot < 0 || slot >= slots)
        {
            rejected++;
            return;
        }
        final long clientId = order.clientId();
        if (order.type() == OrderMessage.TYPE_LOGOFF)
        {
            loggedOff++;
            slotClients[slot] = 0;
            console.say("client pid %d on slot %d logged off after %,d orders", clientId >>> 32, slot,
                order.correlationId());
            return;
        }
        if (slotClients[slot] != clientId)
        {
            slotClients[slot] = clientId;
            connected++;
            console.say("client pid %d connected on slot %d", clientId >>> 32, slot);
        }
        orders++;
        final int status = execute();
        if (status == ExecutionReport.STATUS_FILLED)
        {
            filledOrders++;
        }
        report.status(status).clientId(clientId).correlationId(order.correlationId())
            .sendTimeNs(order.sendTimeNs()).orderNumber(orders);
        if (!reply(replies[slot]))
        {
            dropped++;
        }
    }

    private int execute()
    {
        final int side = order.side();
        final int quantity = order.quantity();
        final long price = order.price();
        OrderBook book = books.get(order.symbol());
        if (book == null && books.size() < MAX_BOOKS)
        {
            book = new OrderBook();
            books.put(order.symbol(), book);
        }
        if (book == null || quantity <= 0 || price <= 0 ||
            side != OrderMessage.SIDE_BUY && side != OrderMessage.SIDE_SELL)
        {
            rejected++;
            report.filledQuantity(0).averagePrice(0);
            return ExecutionReport.STATUS_REJECTED;
        }
        book.match(side, price, quantity);
        final int filled = book.filledQuantity();
        report.filledQuantity(filled).averagePrice(book.averageFillPrice());
        return filled == quantity ? ExecutionReport.STATUS_FILLED :
            filled > 0 ? ExecutionReport.STATUS_PARTIALLY_FILLED : ExecutionReport.STATUS_RESTING;
    }

    /**
     * Send the report; a client that stays full for a second, or has gone, loses it (counted as dropped) rather
     * than stall every other client.
     */
    private boolean reply(final Publisher publisher)
    {
        long result = publisher.offer(reportBuffer, 0, ExecutionReport.LENGTH);
        if (result == Publisher.OK)
        {
            return true;
        }
        final long startNs = System.nanoTime();
        replyIdleStrategy.reset();
        while (result == Publisher.BACK_PRESSURED && System.nanoTime() - startNs < REPLY_TIMEOUT_NS &&
            publisher.isConsumerAlive())
        {
            replyIdleStrategy.idle();
            result = publisher.offer(reportBuffer, 0, ExecutionReport.LENGTH);
        }
        return result == Publisher.OK;
    }
}

package io.shmipc.examples.demo.orders;

import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.RequestHandler;
import io.shmipc.ServiceRequest;
import io.shmipc.ServiceServer;
import io.shmipc.examples.support.CommandRunner;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.IdleStrategies;
import io.shmipc.examples.support.RegionLocationConverter;
import io.shmipc.examples.support.RegionSupport;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
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
 * The matching process of the order-entry demo: the server of the {@code orders} service. Matches every client's
 * orders and answers each with an execution report, which the service delivers to the asking client only.
 */
@Command(
    name = "order-matcher",
    mixinStandardHelpOptions = true,
    header = "Order-entry demo: match orders from many clients, answer each.",
    description = {
        "Order-entry demo, the matcher: serve the 'orders' service (request/response): read orders from all " +
        "'order-client' processes, match them in a price-time order book per symbol, and answer each order with " +
        "an execution report, which reaches only the client that sent it.",
        "One matcher per region at a time: if it dies, every client's pending orders fail at once and a new " +
        "matcher takes over. Creates the region (empty) when missing. Unlinks it on exit, unless --keep-region."},
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

    @Option(names = "--max-clients", paramLabel = "N", defaultValue = "8",
        description = "When the region is created: room for N clients at once (1 to 63). Default: ${DEFAULT-VALUE}.")
    private int maxClients;

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
    private final RequestHandler handler = this::onOrder;
    private final LongHashSet clientIds = new LongHashSet();
    private RoleConsole console;
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
        if (maxClients < 1 || maxClients > OrderEntry.MAX_CLIENTS || clients < 0)
        {
            throw new ParameterException(spec.commandLine(), "--max-clients must be from 1 to " +
                OrderEntry.MAX_CLIENTS + " and --clients at least 0");
        }
        console = new RoleConsole(name, System.out);
        try (ShutdownSignal signal = ShutdownSignal.install();
            Region region = RegionSupport.openOrCreate(OrderEntry.config(location, maxClients), console);
            ServiceServer server = ServiceServer.open(region, OrderEntry.SERVICE))
        {
            try
            {
                return serve(server, signal);
            }
            finally
            {
                RegionSupport.unlinkOnExit(region, !keepRegion, console);
            }
        }
    }

    private int serve(final ServiceServer server, final ShutdownSignal signal)
    {
        report.wrap(reportBuffer, 0);
        console.say("matching orders of service '%s' (requests on one MANY_TO_ONE channel, each client's reports " +
            "on its own ONE_TO_ONE channel)%s", OrderEntry.SERVICE_NAME,
            clients > 0 ? "; exiting after " + clients + " clients" : "");
        console.say("start clients with: shm-ipc order-client --region %s",
            RegionLocationConverter.argument(location));
        final String stop = match(server, signal);
        long resting = 0;
        for (final OrderBook book : books.values())
        {
            resting += book.restingOrders();
        }
        console.done(new DoneLine().add("orders", orders).add("clients", connected).add("logged-off", loggedOff)
            .add("filled", filledOrders).add("resting", resting).add("rejected", rejected)
            .add("dropped", dropped).add("dropped-by-service", server.droppedResponses())
            .add("stale", server.staleRequests()).add("stop", stop));
        return "clients-done".equals(stop) || "interrupted".equals(stop) && clients == 0 ?
            CommandRunner.OK : CommandRunner.FAILURE;
    }

    private String match(final ServiceServer server, final ShutdownSignal signal)
    {
        final IdleStrategy idleStrategy = IdleStrategies.responsive();
        long lastOrderNs = System.nanoTime();
        long nextProgressNs = lastOrderNs + PROGRESS_INTERVAL_NS;
        long reported = 0;
        while (clients == 0 || loggedOff < clients)
        {
            final int delivered = server.poll(handler, FRAGMENT_LIMIT);
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

    private void onOrder(final ServiceRequest request)
    {
        if (request.length() < OrderMessage.LENGTH)
        {
            rejected++;
            return;
        }
        order.wrap(request.buffer(), request.offset());
        final long clientId = order.clientId();
        if (order.type() == OrderMessage.TYPE_LOGOFF)
        {
            loggedOff++;
            clientIds.remove(clientId);
            console.say("client pid %d (service client %08x) logged off after %,d orders", clientId >>> 32,
                request.clientId(), order.correlationId());
            return;
        }
        if (clientIds.add(clientId))
        {
            connected++;
            console.say("client pid %d connected (service client %08x)", clientId >>> 32, request.clientId());
        }
        orders++;
        final int status = execute();
        if (status == ExecutionReport.STATUS_FILLED)
        {
            filledOrders++;
        }
        report.status(status).clientId(clientId).correlationId(order.correlationId())
            .sendTimeNs(order.sendTimeNs()).orderNumber(orders);
        if (!reply(request))
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
     * Send the report as the order's one final response; a client that stays full for a second, or has gone, loses
     * it (counted as dropped) rather than stall every other client.
     */
    private boolean reply(final ServiceRequest request)
    {
        long result = request.complete(reportBuffer, 0, ExecutionReport.LENGTH);
        if (result == Publisher.OK)
        {
            return true;
        }
        final long startNs = System.nanoTime();
        replyIdleStrategy.reset();
        while (result == Publisher.BACK_PRESSURED && System.nanoTime() - startNs < REPLY_TIMEOUT_NS)
        {
            replyIdleStrategy.idle();
            result = request.complete(reportBuffer, 0, ExecutionReport.LENGTH);
        }
        return result == Publisher.OK;
    }
}

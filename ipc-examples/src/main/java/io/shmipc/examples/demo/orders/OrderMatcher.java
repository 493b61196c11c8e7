package io.shmipc.examples.demo.orders;

import io.shmipc.Publisher;
import io.shmipc.RequestHandler;
import io.shmipc.ServiceRequest;
import io.shmipc.ServiceServer;
import io.shmipc.examples.demo.MessageFlyweight;
import io.shmipc.examples.support.Counts;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.IdleStrategies;
import io.shmipc.examples.support.KeepRegionOption;
import io.shmipc.examples.support.NameOption;
import io.shmipc.examples.support.RegionUse;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;
import io.shmipc.examples.support.Stop;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The matching process of the order-entry demo: the server of the {@code orders} service. Matches every client's
 * orders and answers each with an execution report, which the service delivers to the asking client only.
 */
@Command(name = "order-matcher")
public final class OrderMatcher implements Callable<Integer>
{
    private static final int FRAGMENT_LIMIT = 64;
    private static final int MAX_BOOKS = 1024;
    private static final long REPLY_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long LIVENESS_CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);

    @Spec
    private CommandSpec spec;

    @Mixin
    private OrderEntry entry = new OrderEntry();

    @Option(names = "--clients", converter = Counts.IntAtLeastZero.class, paramLabel = "N", defaultValue = "0")
    private int clients;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "0", converter = DurationConverter.class)
    private Duration timeout;

    @Mixin
    private KeepRegionOption keepRegion;

    @Mixin
    private NameOption name = new NameOption("matcher");

    private final MessageFlyweight order = new MessageFlyweight();
    private final MessageFlyweight report = new MessageFlyweight();
    private final UnsafeBuffer reportBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(ExecutionReport.LENGTH));
    private final Long2ObjectHashMap<OrderBook> books = new Long2ObjectHashMap<>();
    private final IdleStrategy replyIdleStrategy = IdleStrategies.responsive();
    private final RequestHandler handler = this::onOrder;
    /** Clients connected and not logged off: service client id to the client's own id (its pid in the top half). */
    private final Long2LongHashMap clientIds = new Long2LongHashMap(0);
    private RoleConsole console;
    private long orders;
    private long filledOrders;
    private long rejected;
    private long dropped;
    private int connected;
    private int loggedOff;
    private int gone;

    @Override
    public Integer call()
    {
        console = new RoleConsole(name.name(), System.out);
        try (RegionUse use = entry.open(spec, console);
            ServiceServer server = ServiceServer.open(use.region(), OrderEntry.SERVICE))
        {
            use.own(keepRegion.keep()); // one server per service: this process now holds the region's one role
            return serve(server);
        }
    }

    private int serve(final ServiceServer server)
    {
        report.wrap(reportBuffer, 0);
        console.say("matching orders of service '%s' (requests on one MANY_TO_ONE channel, each client's reports " +
            "on its own ONE_TO_ONE channel)%s", OrderEntry.SERVICE_NAME,
            clients > 0 ? "; exiting after " + clients + " clients" : "");
        console.say("start clients with: shm-ipc order-client --region %s", entry.regionArgument());
        final Stop stop = Stop.catching(() -> match(server));
        long resting = 0;
        for (final OrderBook book : books.values())
        {
            resting += book.restingOrders();
        }
        console.done(new DoneLine().add("orders", orders).add("clients", connected).add("logged-off", loggedOff)
            .add("gone", gone).add("filled", filledOrders).add("resting", resting).add("rejected", rejected)
            .add("dropped", dropped).add("dropped-by-service", server.droppedResponses())
            .add("reclaimed", server.reclaimedClients()).add("stale", server.staleRequests())
            .add("stop", stop.name()));
        return stop.exit();
    }

    private Stop match(final ServiceServer server)
    {
        final IdleStrategy idleStrategy = IdleStrategies.responsive();
        long lastOrderNs = System.nanoTime();
        long nextProgressNs = lastOrderNs + PROGRESS_INTERVAL_NS;
        long nextLivenessCheckNs = lastOrderNs;
        long reported = 0;
        while (clients == 0 || loggedOff + gone < clients)
        {
            final int delivered = server.poll(handler, FRAGMENT_LIMIT);
            final long nowNs = System.nanoTime();
            if (nowNs - nextProgressNs >= 0)
            {
                nextProgressNs = nowNs + PROGRESS_INTERVAL_NS;
                if (orders != reported)
                {
                    console.say("matched %,d orders (+%,d), %,d filled; clients connected %d, logged off %d, " +
                        "gone %d", orders, orders - reported, filledOrders, connected, loggedOff, gone);
                    reported = orders;
                }
            }
            if (delivered > 0)
            {
                lastOrderNs = nowNs;
                idleStrategy.reset();
                continue;
            }
            if (ShutdownSignal.current().isRequested())
            {
                return Stop.interrupted();
            }
            if (!timeout.isZero() && nowNs - lastOrderNs >= timeout.toNanos())
            {
                return Stop.timeout("no order for " + DurationConverter.describe(timeout) + " (" + connected +
                    " clients connected, " + (loggedOff + gone) + " ended)");
            }
            if (nowNs - nextLivenessCheckNs >= 0)
            {
                nextLivenessCheckNs = nowNs + LIVENESS_CHECK_INTERVAL_NS;
                noticeGoneClients(server);
            }
            idleStrategy.idle();
        }
        return Stop.done("clients-done");
    }

    /**
     * A client that died (or closed without logging off) no longer holds its reply channel. What it sent before, its
     * log-off included, is in the request channel already: that is read first.
     */
    private void noticeGoneClients(final ServiceServer server)
    {
        if (clientIds.isEmpty())
        {
            return;
        }
        while (server.poll(handler, FRAGMENT_LIMIT) > 0)
        {
            // what the clients sent before they went
        }
        final Long2LongHashMap.KeyIterator ids = clientIds.keySet().iterator();
        while (ids.hasNext())
        {
            final int serviceClient = (int)ids.nextValue();
            if (!server.isClientAlive(serviceClient))
            {
                console.say("client pid %d (service client %08x) has gone without logging off",
                    clientIds.get(serviceClient) >>> 32, serviceClient);
                ids.remove();
                gone++;
            }
        }
    }

    private void onOrder(final ServiceRequest request)
    {
        if (request.length() < OrderMessage.LENGTH)
        {
            rejected++;
            return;
        }
        order.wrap(request.buffer(), request.offset());
        final long clientId = order.get(OrderMessage.CLIENT_ID);
        if (order.getInt(OrderMessage.TYPE) == OrderMessage.TYPE_LOGOFF)
        {
            loggedOff++;
            clientIds.remove(request.clientId());
            console.say("client pid %d (service client %08x) logged off after %,d orders", clientId >>> 32,
                request.clientId(), order.get(OrderMessage.CORRELATION_ID));
            return;
        }
        if (clientIds.put(request.clientId(), clientId) == clientIds.missingValue())
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
        report.set(ExecutionReport.STATUS, status).set(ExecutionReport.CLIENT_ID, clientId)
            .set(ExecutionReport.CORRELATION_ID, order.get(OrderMessage.CORRELATION_ID))
            .set(ExecutionReport.SEND_TIME, order.get(OrderMessage.SEND_TIME))
            .set(ExecutionReport.ORDER_NUMBER, orders);
        if (!reply(request))
        {
            dropped++;
        }
    }

    private int execute()
    {
        final int side = order.getInt(OrderMessage.SIDE);
        final int quantity = order.getInt(OrderMessage.QUANTITY);
        final long price = order.get(OrderMessage.PRICE);
        OrderBook book = books.get(order.get(OrderMessage.SYMBOL));
        if (book == null && books.size() < MAX_BOOKS)
        {
            book = new OrderBook();
            books.put(order.get(OrderMessage.SYMBOL), book);
        }
        if (book == null || quantity <= 0 || price <= 0 ||
            side != OrderMessage.SIDE_BUY && side != OrderMessage.SIDE_SELL)
        {
            rejected++;
            report.set(ExecutionReport.FILLED_QUANTITY, 0).set(ExecutionReport.AVERAGE_PRICE, 0);
            return ExecutionReport.STATUS_REJECTED;
        }
        book.match(side, price, quantity);
        final int filled = book.filledQuantity();
        report.set(ExecutionReport.FILLED_QUANTITY, filled).set(ExecutionReport.AVERAGE_PRICE, book.averageFillPrice());
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

package io.shmipc.examples.demo.orders;

import io.shmipc.MessageHandler;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.Subscriber;
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
import org.agrona.DirectBuffer;
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
 * The matching process of the order-entry demo: reads every client's orders from one channel, matches them, and
 * answers each on its client's reply channel with the order's correlation id.
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
    private int gone;

    @Override
    public Integer call()
    {
        console = new RoleConsole(name.name(), System.out);
        try (RegionUse use = entry.open(spec, console))
        {
            // Closed with the region, after its owner has unlinked it: clients see the region gone first.
            final Subscriber subscriber = use.region().subscriber(OrderEntry.ORDERS_CHANNEL);
            use.own(keepRegion.keep());
            return serve(use.region(), subscriber);
        }
    }

    private int serve(final Region region, final Subscriber subscriber)
    {
        replies = new Publisher[entry.slots()];
        slotClients = new long[entry.slots()];
        for (int slot = 0; slot < entry.slots(); slot++)
        {
            replies[slot] = region.publisher(OrderEntry.replyChannel(slot));
        }
        report.wrap(reportBuffer, 0);
        console.say("matching orders from '%s' (MANY_TO_ONE); replies on %s .. %s (ONE_TO_ONE, one per client " +
            "slot)%s", OrderEntry.ORDERS_CHANNEL, OrderEntry.replyChannel(0),
            OrderEntry.replyChannel(entry.slots() - 1), clients > 0 ? "; exiting after " + clients + " clients" : "");
        console.say("start clients with: shm-ipc order-client --region %s", entry.regionArgument());
        final Stop stop = Stop.catching(() -> match(subscriber));
        long resting = 0;
        for (final OrderBook book : books.values())
        {
            resting += book.restingOrders();
        }
        console.done(new DoneLine().add("orders", orders).add("clients", connected).add("logged-off", loggedOff)
            .add("gone", gone).add("filled", filledOrders).add("resting", resting).add("rejected", rejected)
            .add("dropped", dropped).add("stop", stop.name()));
        return stop.exit();
    }

    private Stop match(final Subscriber subscriber)
    {
        final IdleStrategy idleStrategy = IdleStrategies.responsive();
        long lastOrderNs = System.nanoTime();
        long nextProgressNs = lastOrderNs + PROGRESS_INTERVAL_NS;
        long nextLivenessCheckNs = lastOrderNs;
        long reported = 0;
        while (clients == 0 || loggedOff + gone < clients)
        {
            final int delivered = subscriber.poll(handler, FRAGMENT_LIMIT);
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
                noticeGoneClients(subscriber);
            }
            idleStrategy.idle();
        }
        return Stop.done("clients-done");
    }

    /**
     * A client holds its slot's reply channel as its only subscriber: once that subscriber is dead, the client is.
     * Its last orders, and its logoff if it sent one, were published before it died: they are read first.
     */
    private void noticeGoneClients(final Subscriber subscriber)
    {
        for (int slot = 0; slot < slotClients.length; slot++)
        {
            if (slotClients[slot] == 0 || replies[slot].isConsumerAlive())
            {
                continue;
            }
            while (subscriber.poll(handler, FRAGMENT_LIMIT) > 0)
            {
                // what the client published before it died
            }
            if (slotClients[slot] != 0)
            {
                console.say("client pid %d on slot %d has gone without logging off", slotClients[slot] >>> 32, slot);
                slotClients[slot] = 0;
                gone++;
            }
        }
    }

    private void onOrder(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < OrderMessage.LENGTH)
        {
            rejected++;
            return;
        }
        order.wrap(buffer, offset);
        final int slot = order.getInt(OrderMessage.SLOT);
        if (slot < 0 || slot >= slotClients.length)
        {
            rejected++;
            return;
        }
        final long clientId = order.get(OrderMessage.CLIENT_ID);
        if (order.getInt(OrderMessage.TYPE) == OrderMessage.TYPE_LOGOFF)
        {
            loggedOff++;
            slotClients[slot] = 0;
            console.say("client pid %d on slot %d logged off after %,d orders", clientId >>> 32, slot,
                order.get(OrderMessage.CORRELATION_ID));
            return;
        }
        if (slotClients[slot] != clientId && slotClients[slot] != 0)
        {
            // The slot's last client died and a new one took the slot before a liveness check saw it.
            console.say("client pid %d on slot %d has gone without logging off", slotClients[slot] >>> 32, slot);
            gone++;
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
        report.set(ExecutionReport.STATUS, status).set(ExecutionReport.CLIENT_ID, clientId)
            .set(ExecutionReport.CORRELATION_ID, order.get(OrderMessage.CORRELATION_ID))
            .set(ExecutionReport.SEND_TIME, order.get(OrderMessage.SEND_TIME))
            .set(ExecutionReport.ORDER_NUMBER, orders);
        if (!reply(replies[slot]))
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

package io.shmipc.examples.demo.orders;

import io.shmipc.Region;
import io.shmipc.ResponseHandler;
import io.shmipc.ServiceClient;
import io.shmipc.examples.demo.MessageFlyweight;
import io.shmipc.examples.demo.Symbols;
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
import io.shmipc.exceptions.ServerDiedException;
import io.shmipc.exceptions.ServiceException;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayQueue;
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
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A client of the order-entry demo: a client of the {@code orders} service. Sends {@code --count} random limit
 * orders as requests and checks that each execution report answers the order it came for; orders a dead matcher
 * left pending fail at once and are sent again to the next one.
 */
@Command(name = "order-client")
public final class OrderClient implements Callable<Integer>
{
    private static final int FRAGMENT_LIMIT = 64;
    private static final long PRICE_CENTS = 10_000;
    private static final long REGION_CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);

    @Spec
    private CommandSpec spec;

    @Mixin
    private OrderEntry entry = new OrderEntry();

    @Option(names = "--count", converter = Counts.AtLeastZero.class, paramLabel = "N", defaultValue = "1000")
    private long count;

    @Option(names = "--in-flight", converter = Counts.IntAtLeastOne.class, paramLabel = "N", defaultValue = "1")
    private int inFlight;

    @Option(names = "--show", paramLabel = "N", defaultValue = "3", converter = Counts.IntAtLeastZero.class)
    private int show;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class)
    private Duration timeout;

    @Mixin
    private NameOption name = new NameOption("client");

    private final long clientId = ProcessHandle.current().pid() << 32 |
        (ThreadLocalRandom.current().nextInt() & 0xFFFF_FFFFL);
    private final MessageFlyweight report = new MessageFlyweight();
    private final LatencyRecorder latency = new LatencyRecorder();
    private final ResponseHandler handler = new Reports();
    private final Long2LongHashMap orderOfRequest = new Long2LongHashMap(-1);
    private final LongArrayQueue toResend = new LongArrayQueue();
    private final long[] statusCounts = new long[ExecutionReport.STATUS_REJECTED + 1];
    private RoleConsole console;
    private long sent;
    private long replied;
    private long matched;
    private long mismatched;
    private long resent;

    @Override
    public Integer call()
    {
        if (timeout.isZero())
        {
            throw new ParameterException(spec.commandLine(), "--timeout must be more than 0: each order is a " +
                "request with a deadline");
        }
        console = new RoleConsole(name.name(), System.out);
        try (RegionUse use = entry.open(spec, console);
            ServiceClient client = ServiceClient.open(use.region(), OrderEntry.SERVICE))
        {
            return trade(use.region(), client);
        }
    }

    private int trade(final Region region, final ServiceClient client)
    {
        console.say("client %08x of service '%s': %,d orders, %d in flight", client.clientId(),
            OrderEntry.SERVICE_NAME, count, inFlight);
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(OrderMessage.LENGTH));
        final MessageFlyweight order = new MessageFlyweight().wrap(buffer, 0);
        final Stop stop = Stop.catching(() -> sendAndAwait(region, client, buffer, order));
        long logoff = 0;
        if (stop.isDone() || "interrupted".equals(stop.name()))
        {
            order.set(OrderMessage.TYPE, OrderMessage.TYPE_LOGOFF).set(OrderMessage.SLOT, client.clientId())
                .set(OrderMessage.CLIENT_ID, clientId).set(OrderMessage.CORRELATION_ID, sent);
            logoff = client.request(buffer, 0, OrderMessage.LENGTH, timeout);
        }
        console.say("%,d reports: %,d filled, %,d partially filled, %,d resting, %,d rejected; %,d answered their " +
            "order%s", replied, statusCounts[ExecutionReport.STATUS_FILLED],
            statusCounts[ExecutionReport.STATUS_PARTIALLY_FILLED], statusCounts[ExecutionReport.STATUS_RESTING],
            statusCounts[ExecutionReport.STATUS_REJECTED], matched, logoff > 0 ? "" : " (log-off not sent)");
        if (latency.count() > 0)
        {
            console.say("order round trip: %s", latency.summary());
        }
        console.done(latency.addTo(new DoneLine().add("client", String.format(Locale.ROOT, "%08x", client.clientId()))
            .add("orders", sent)
            .add("replies", replied).add("matched", matched).add("mismatched", mismatched).add("resent", resent)
            .add("late", client.lateResponses())
            .add("filled", statusCounts[ExecutionReport.STATUS_FILLED])
            .add("partially-filled", statusCounts[ExecutionReport.STATUS_PARTIALLY_FILLED])
            .add("resting", statusCounts[ExecutionReport.STATUS_RESTING])
            .add("rejected", statusCounts[ExecutionReport.STATUS_REJECTED]).add("stop", stop.name())));
        if (stop.isDone() && matched != count)
        {
            throw new CommandFailedException(mismatched + " of " + replied +
                " reports did not answer the order they came for");
        }
        return stop.exit();
    }

    private Stop sendAndAwait(final Region region, final ServiceClient client, final UnsafeBuffer buffer,
        final MessageFlyweight order)
    {
        final long[] symbols = new long[OrderEntry.SYMBOLS.length];
        for (int i = 0; i < symbols.length; i++)
        {
            symbols[i] = Symbols.encode(OrderEntry.SYMBOLS[i]);
        }
        final SplittableRandom random = new SplittableRandom();
        final IdleStrategy idleStrategy = IdleStrategies.responsive();
        final String startMatcher = "shm-ipc order-matcher --region " + entry.regionArgument();
        long lastProgressNs = System.nanoTime();
        long nextRegionCheckNs = lastProgressNs;
        boolean waitingSaid = false;
        while (replied < count)
        {
            while (client.pendingRequests() < inFlight && (sent < count || !toResend.isEmpty()))
            {
                final long orderId = toResend.isEmpty() ? sent + 1 : toResend.peekLong();
                order.set(OrderMessage.TYPE, OrderMessage.TYPE_NEW_ORDER).set(OrderMessage.SLOT, client.clientId())
                    .set(OrderMessage.CLIENT_ID, clientId).set(OrderMessage.CORRELATION_ID, orderId)
                    .set(OrderMessage.SYMBOL, symbols[random.nextInt(symbols.length)])
                    .set(OrderMessage.PRICE, PRICE_CENTS + random.nextInt(-10, 11))
                    .set(OrderMessage.QUANTITY, 10 * (1 + random.nextInt(10)))
                    .set(OrderMessage.SIDE, random.nextBoolean() ? OrderMessage.SIDE_BUY : OrderMessage.SIDE_SELL)
                    .set(OrderMessage.SEND_TIME, System.nanoTime());
                final long requestId = client.request(buffer, 0, OrderMessage.LENGTH, timeout);
                if (requestId <= 0)
                {
                    if (requestId == ServiceClient.NO_SERVER && !waitingSaid)
                    {
                        waitingSaid = true;
                        console.say("no matcher yet: waiting up to %s (start one with: %s)",
                            DurationConverter.describe(timeout), startMatcher);
                    }
                    break; // no matcher, or the orders channel is full: poll, then try again
                }
                orderOfRequest.put(requestId, orderId);
                if (orderId == sent + 1)
                {
                    sent++;
                }
                else
                {
                    toResend.pollLong();
                }
            }
            final long nowNs = System.nanoTime();
            if (client.poll(handler, FRAGMENT_LIMIT) > 0)
            {
                lastProgressNs = nowNs;
                idleStrategy.reset();
                continue;
            }
            if (ShutdownSignal.current().isRequested())
            {
                return Stop.interrupted();
            }
            if (nowNs - nextRegionCheckNs >= 0)
            {
                // A matcher that stops unlinks the region: no matcher can ever serve this one again.
                nextRegionCheckNs = nowNs + REGION_CHECK_INTERVAL_NS;
                PeerWatch.checkRegion(region, "matcher");
            }
            if (nowNs - lastProgressNs >= timeout.toNanos())
            {
                return Stop.timeout("no execution report for " + DurationConverter.describe(timeout) + " after " +
                    replied + " of " + count + " (is '" + startMatcher + "' running?)");
            }
            idleStrategy.idle();
        }
        return Stop.done("count");
    }

    /**
     * Each report is the one final response of an order's request: it must carry that order's id. A failed order
     * (its matcher died, or its timeout passed) is sent again.
     */
    private final class Reports implements ResponseHandler
    {
        @Override
        public void onResponse(final long correlationId, final DirectBuffer buffer, final int offset,
            final int length, final boolean last)
        {
            final long nowNs = System.nanoTime();
            final long orderId = orderOfRequest.remove(correlationId);
            if (length < ExecutionReport.LENGTH || orderId < 0)
            {
                mismatched++;
                return;
            }
            report.wrap(buffer, offset);
            replied++;
            if (report.get(ExecutionReport.CORRELATION_ID) == orderId &&
                report.get(ExecutionReport.CLIENT_ID) == clientId)
            {
                matched++;
            }
            else
            {
                mismatched++;
            }
            final long sendTimeNs = report.get(ExecutionReport.SEND_TIME);
            latency.record(nowNs - sendTimeNs);
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
                    report.get(ExecutionReport.ORDER_NUMBER), (nowNs - sendTimeNs) / 1000.0);
            }
        }

        @Override
        public void onFailure(final long correlationId, final ServiceException failure)
        {
            final long orderId = orderOfRequest.remove(correlationId);
            if (orderId >= 0)
            {
                resent++;
                toResend.addLong(orderId);
            }
            if (failure instanceof ServerDiedException && resent == 1)
            {
                console.say("the matcher died: pending orders fail at once and are sent again to the next matcher");
            }
        }
    }
}

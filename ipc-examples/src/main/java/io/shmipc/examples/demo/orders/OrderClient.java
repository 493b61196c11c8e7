package io.shmipc.examples.demo.orders;

import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.ResponseHandler;
import io.shmipc.ServiceClient;
import io.shmipc.examples.demo.Symbols;
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
import io.shmipc.exceptions.ServerDiedException;
import io.shmipc.exceptions.ServiceException;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayQueue;
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
 * A client of the order-entry demo: a client of the {@code orders} service. Sends {@code --count} random limit
 * orders as requests and checks that each execution report answers the order it came for.
 */
@Command(
    name = "order-client",
    mixinStandardHelpOptions = true,
    header = "Order-entry demo: send orders, match replies by correlation id.",
    description = {
        "Order-entry demo, a client: call the 'orders' service (request/response): send --count random limit " +
        "orders to 'order-matcher', each a request with its correlation id, and check that each execution report " +
        "(the request's response, on this client's own reply channel) answers its order; report order round-trip " +
        "latency (HdrHistogram).",
        "Waits up to --timeout for a matcher. If the matcher dies, every pending order fails at once and is sent " +
        "again to the next matcher (counted as resent)."},
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

    @Option(names = "--max-clients", paramLabel = "N", defaultValue = "8",
        description = "When the region is created: room for N clients at once (1 to 63). Default: ${DEFAULT-VALUE}.")
    private int maxClients;

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
        description = "Give up (exit 1) after this long without a matcher or a report. Default: ${DEFAULT-VALUE}.")
    private Duration timeout;

    @Option(names = "--name", paramLabel = "ROLE", defaultValue = "client",
        description = "Name in the [name pid] prefix of output lines. Default: ${DEFAULT-VALUE}.")
    private String name;

    private final long clientId = ProcessHandle.current().pid() << 32 |
        (ThreadLocalRandom.current().nextInt() & 0xFFFF_FFFFL);
    private final ExecutionReport report = new ExecutionReport();
    private final LatencyRecorder latency = new LatencyRecorder();
    private final ResponseHandler handler = new Reports();
    private final Long2LongHashMap orderOfRequest = new Long2LongHashMap(-1);
    private final LongArrayQueue toResend = new LongArrayQueue();
    private final long[] statusCounts = new long[ExecutionReport.STATUS_REJECTED + 1];
    private RoleConsole console;
    private long replied;
    private long matched;
    private long mismatched;
    private long resent;

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
        if (maxClients < 1 || maxClients > OrderEntry.MAX_CLIENTS || count < 0 || inFlight < 1 ||
            timeout.isZero() || timeout.isNegative())
        {
            throw new ParameterException(spec.commandLine(), "--max-clients must be from 1 to " +
                OrderEntry.MAX_CLIENTS + ", --count at least 0, --in-flight at least 1 and --timeout more than 0");
        }
        console = new RoleConsole(name, System.out);
        try (ShutdownSignal signal = ShutdownSignal.install();
            Region region = RegionSupport.openOrCreate(OrderEntry.config(location, maxClients), console);
            ServiceClient client = ServiceClient.open(region, OrderEntry.SERVICE))
        {
            return trade(client, signal);
        }
    }

    private int trade(final ServiceClient client, final ShutdownSignal signal)
    {
        console.say("client %08x of service '%s': %,d orders, %d in flight", client.clientId(),
            OrderEntry.SERVICE_NAME, count, inFlight);
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
        boolean waitingSaid = false;
        while (replied < count)
        {
            while (client.pendingRequests() < inFlight && (sent < count || !toResend.isEmpty()))
            {
                final long orderId = toResend.isEmpty() ? sent + 1 : toResend.peekLong();
                order.type(OrderMessage.TYPE_NEW_ORDER).slot(client.clientId()).clientId(clientId)
                    .correlationId(orderId).symbol(symbols[random.nextInt(symbols.length)])
                    .price(PRICE_CENTS + random.nextInt(-10, 11)).quantity(10 * (1 + random.nextInt(10)))
                    .side(random.nextBoolean() ? OrderMessage.SIDE_BUY : OrderMessage.SIDE_SELL)
                    .sendTimeNs(System.nanoTime());
                final long requestId = client.request(buffer, 0, OrderMessage.LENGTH, timeout);
                if (requestId <= 0)
                {
                    if (requestId == ServiceClient.NO_SERVER && !waitingSaid)
                    {
                        waitingSaid = true;
                        console.say("no matcher yet: waiting up to %s (start one with: shm-ipc order-matcher " +
                            "--region %s)", DurationConverter.describe(timeout),
                            RegionLocationConverter.argument(location));
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
            if (signal.isRequested())
            {
                return CommandRunner.FAILURE;
            }
            if (nowNs - lastProgressNs >= timeout.toNanos())
            {
                throw new CommandFailedException("no execution report for " + DurationConverter.describe(timeout) +
                    " after " + replied + " of " + count + " (is 'shm-ipc order-matcher --region " +
                    RegionLocationConverter.argument(location) + "' running?)");
            }
            idleStrategy.idle();
        }
        order.type(OrderMessage.TYPE_LOGOFF).slot(client.clientId()).clientId(clientId).correlationId(count);
        final long logoff = client.request(buffer, 0, OrderMessage.LENGTH, timeout);
        console.say("%,d reports: %,d filled, %,d partially filled, %,d resting, %,d rejected; %,d answered their " +
            "order%s", replied, statusCounts[ExecutionReport.STATUS_FILLED],
            statusCounts[ExecutionReport.STATUS_PARTIALLY_FILLED], statusCounts[ExecutionReport.STATUS_RESTING],
            statusCounts[ExecutionReport.STATUS_REJECTED], matched, logoff > 0 ? "" : " (log-off not sent)");
        if (latency.count() > 0)
        {
            console.say("order round trip: %s", latency.summary());
        }
        console.done(latency.addTo(new DoneLine().add("client", client.clientId()).add("orders", sent)
            .add("replies", replied).add("matched", matched).add("mismatched", mismatched).add("resent", resent)
            .add("late", client.lateResponses())
            .add("filled", statusCounts[ExecutionReport.STATUS_FILLED])
            .add("partially-filled", statusCounts[ExecutionReport.STATUS_PARTIALLY_FILLED])
            .add("resting", statusCounts[ExecutionReport.STATUS_RESTING])
            .add("rejected", statusCounts[ExecutionReport.STATUS_REJECTED])));
        return matched == count ? CommandRunner.OK : CommandRunner.FAILURE;
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
            if (report.correlationId() == orderId && report.clientId() == clientId)
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
                    Symbols.price(report.averagePrice()), report.orderNumber(),
                    (nowNs - report.sendTimeNs()) / 1000.0);
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

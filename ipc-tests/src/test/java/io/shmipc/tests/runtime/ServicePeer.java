package io.shmipc.tests.runtime;

import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.ResponseHandler;
import io.shmipc.ServiceClient;
import io.shmipc.ServiceConfig;
import io.shmipc.ServiceRequest;
import io.shmipc.ServiceServer;
import io.shmipc.exceptions.ServerDiedException;
import io.shmipc.exceptions.ServiceException;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.tests.support.ChildSupport;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;

/**
 * Child process of the request/response tests, on the service {@code calc} of an existing region.
 * <ul>
 * <li>{@code role=server}: answers each request (an 8-byte sequence number) with {@link #RESPONSES} responses, each
 * carrying the sequence and its index, the last one final. Prints {@code SERVING}; on {@code STATS} and at the end
 * ({@code STOP}) {@code STATS handled=.. stale=.. dropped=.. reclaimed=..}.</li>
 * <li>{@code role=client}: after {@code GO}, completes {@code requests} requests (sequences 0, 1, ...) keeping
 * {@code window} pending, each with a timeout of {@code timeoutMs}, checking every response: the right sequence,
 * the next index, final on the last. A request that failed (its server died, or it timed out) is sent again. Prints
 * {@code PROGRESS completed=..} every 1000, {@code SERVER_DIED count=.. firstAt=.. lastAt=.. left=..} (monotonic
 * nanoseconds; {@code left}: requests still pending after that poll) for each poll that delivered such failures,
 * {@code TIMEOUTS count=..} for each poll that delivered timeouts, and at the end {@code SUMMARY completed=..
 * responses=.. mismatched=.. serverDied=.. timeouts=.. late=.. addressedToDead=..} ({@code addressedToDead}:
 * requests sent after {@code NO_SERVER}, before any server answered, that failed as sent to a dead server). While it
 * knows of no server and has nothing pending, it asks again without sleeping.</li>
 * </ul>
 */
public final class ServicePeer implements ResponseHandler
{
    /** Responses per request. */
    static final int RESPONSES = 3;
    /** The service's configuration. */
    static final ServiceConfig SERVICE = ServiceConfig.builder("calc").requestCapacity(1 << 16)
        .replyCapacity(1 << 14).build();

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(10);

    private final Long2LongHashMap sequenceOf = new Long2LongHashMap(-1);
    private final Long2LongHashMap nextIndexOf = new Long2LongHashMap(-1);
    /** Requests sent while this client knew of no live server (it had been told {@code NO_SERVER}). */
    private final Long2LongHashMap sentWithoutServer = new Long2LongHashMap(-1);
    private boolean noServer;
    private long addressedToDead;
    private final LongArrayQueue toSend = new LongArrayQueue();
    private long completed;
    private long responses;
    private long mismatched;
    private long serverDied;
    private long timeouts;
    private long diedFirstAt;
    private long diedLastAt;
    private int diedInPoll;
    private int timeoutsInPoll;

    private ServicePeer()
    {
    }

    /**
     * Run a role.
     *
     * @param args {@code key=value} arguments: {@code region}, {@code role}, and for clients {@code requests},
     *             {@code window} and {@code timeoutMs}.
     */
    public static void main(final String[] args)
    {
        final ChildArguments arguments = ChildArguments.parse(args);
        try (Region region = Region.attach(arguments.location("region"), Duration.ofSeconds(30)))
        {
            if ("server".equals(arguments.text("role")))
            {
                serve(region);
            }
            else
            {
                new ServicePeer().run(region, arguments.longValue("requests"), arguments.integer("window"),
                    Duration.ofMillis(arguments.longValue("timeoutMs")));
            }
        }
    }

    private static void serve(final Region region)
    {
        final StandardInputCommands commands = StandardInputCommands.start();
        final UnsafeBuffer response = new UnsafeBuffer(new byte[Long.BYTES + Integer.BYTES]);
        try (ServiceServer server = ServiceServer.open(region, SERVICE))
        {
            ChildSupport.println("SERVING");
            while (true)
            {
                server.poll(request -> answer(server, request, response), 64, Duration.ofMillis(100));
                final String command = commands.poll();
                if (command != null)
                {
                    ChildSupport.println("STATS handled=" + server.requestsHandled() + " stale=" +
                        server.staleRequests() + " dropped=" + server.droppedResponses() + " reclaimed=" +
                        server.reclaimedClients());
                    if ("STOP".equals(command))
                    {
                        return;
                    }
                }
            }
        }
    }

    private static void answer(final ServiceServer server, final ServiceRequest request, final UnsafeBuffer response)
    {
        response.putLong(0, request.buffer().getLong(request.offset()));
        for (int index = 0; index < RESPONSES; index++)
        {
            response.putInt(Long.BYTES, index);
            long result;
            while ((result = server.respond(request.clientId(), request.correlationId(), response, 0,
                response.capacity(), index == RESPONSES - 1)) == Publisher.BACK_PRESSURED)
            {
                Thread.yield(); // the client is alive but behind
            }
            if (result != Publisher.OK)
            {
                return; // the client is gone: dropped and counted
            }
        }
    }

    private void run(final Region region, final long requests, final int window, final Duration timeout)
    {
        final StandardInputCommands commands = StandardInputCommands.start();
        final UnsafeBuffer request = new UnsafeBuffer(new byte[Long.BYTES]);
        try (ServiceClient client = ServiceClient.open(region, SERVICE))
        {
            ChildSupport.println("READY client=" + client.clientId());
            commands.await("GO");
            for (long sequence = 0; sequence < requests; sequence++)
            {
                toSend.addLong(sequence);
            }
            long reported = 0;
            while (completed < requests)
            {
                while (client.pendingRequests() < window && !toSend.isEmpty())
                {
                    request.putLong(0, toSend.peekLong());
                    final long id = client.request(request, 0, Long.BYTES, timeout);
                    if (id <= 0)
                    {
                        noServer |= id == ServiceClient.NO_SERVER;
                        break; // no server yet, or the request channel is full: poll, then try again
                    }
                    sequenceOf.put(id, toSend.pollLong());
                    nextIndexOf.put(id, 0);
                    if (noServer)
                    {
                        sentWithoutServer.put(id, 1);
                    }
                }
                diedInPoll = 0;
                timeoutsInPoll = 0;
                if (noServer && client.pendingRequests() == 0)
                {
                    client.poll(this, 64); // ask again at once: a server that is starting must not be mistaken
                    Thread.onSpinWait();
                }
                else
                {
                    client.poll(this, 64, POLL_TIMEOUT);
                }
                if (diedInPoll > 0)
                {
                    ChildSupport.println("SERVER_DIED count=" + diedInPoll + " firstAt=" + diedFirstAt + " lastAt=" +
                        diedLastAt + " left=" + client.pendingRequests());
                }
                if (timeoutsInPoll > 0)
                {
                    ChildSupport.println("TIMEOUTS count=" + timeoutsInPoll);
                }
                if (completed - reported >= 1000)
                {
                    reported = completed;
                    ChildSupport.println("PROGRESS completed=" + completed);
                }
            }
            ChildSupport.println("SUMMARY completed=" + completed + " responses=" + responses + " mismatched=" +
                mismatched + " serverDied=" + serverDied + " timeouts=" + timeouts + " late=" + client.lateResponses() +
                " addressedToDead=" + addressedToDead);
        }
    }

    @Override
    public void onResponse(final long correlationId, final DirectBuffer buffer, final int offset, final int length,
        final boolean last)
    {
        responses++;
        final long sequence = sequenceOf.get(correlationId);
        final long index = nextIndexOf.get(correlationId);
        if (length != Long.BYTES + Integer.BYTES || buffer.getLong(offset) != sequence ||
            buffer.getInt(offset + Long.BYTES) != index || last != (index == RESPONSES - 1))
        {
            mismatched++;
        }
        nextIndexOf.put(correlationId, index + 1);
        noServer = false; // a live server answered
        if (last)
        {
            completed++;
            sequenceOf.remove(correlationId);
            nextIndexOf.remove(correlationId);
            sentWithoutServer.remove(correlationId);
        }
    }

    @Override
    public void onFailure(final long correlationId, final ServiceException failure)
    {
        final long now = System.nanoTime();
        if (failure instanceof ServerDiedException)
        {
            serverDied++;
            if (sentWithoutServer.containsKey(correlationId))
            {
                addressedToDead++; // sent after the client knew of no server, yet addressed to a dead one
            }
            diedFirstAt = diedInPoll++ == 0 ? now : diedFirstAt;
            diedLastAt = now;
        }
        else
        {
            timeouts++;
            timeoutsInPoll++;
        }
        sentWithoutServer.remove(correlationId);
        toSend.addLong(sequenceOf.remove(correlationId)); // sent again to the next server
        nextIndexOf.remove(correlationId);
    }
}

package io.shmipc;

import io.shmipc.wait.Timeouts;
import io.shmipc.channel.RingPublisher;
import io.shmipc.channel.ServiceEndpoints;
import io.shmipc.exceptions.ChannelInUseException;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.MessageTooLargeException;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.wait.WaitSource;
import io.shmipc.channel.SourceRange;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;

import static io.shmipc.layout.ServiceDescriptor.*;

/**
 * The server of a service: reads every client's requests from the service's {@code MANY_TO_ONE} request channel and
 * answers each on the asking client's own reply channel, with any number of responses and a final one.
 * <pre>{@code
 * try (ServiceServer server = ServiceServer.open(region, ServiceConfig.builder("quotes").build()))
 * {
 *     while (running)
 *     {
 *         server.poll(request -> request.complete(price(request), 0, 8), 64, Duration.ofSeconds(1));
 *     }
 * }
 * }</pre>
 * A service has one server at a time, in any process: it is the request channel's subscriber, whose lock the kernel
 * releases when it dies. Clients then fail every pending request at once and send new ones to the next server. A
 * request addressed to a server that has died since (left in the ring) is dropped unanswered and counted
 * ({@link #staleRequests()}). A client that dies loses its responses: those sent after its death and those it never
 * read are counted as {@link #droppedResponses()}, and its reply channel is removed. Polling allocates nothing once
 * every client has been answered once. Not thread-safe, but {@link #close()} may come from any
 * thread.
 */
public final class ServiceServer implements AutoCloseable
{
    /** {@link #respond}: the client is gone (dead, closed, or never had a reply channel); the response is dropped. */
    public static final long NO_CLIENT = -3;

    private static final long HOUSEKEEPING_INTERVAL_NS = 100_000_000L;
    /** Polls between two looks at the clock for housekeeping: a busy-polling server does not read it on each. */
    private static final int POLLS_PER_HOUSEKEEPING_LOOK = 64;

    private final Region region;
    private final ServiceConfig config;
    private final String service;
    private final Subscriber requests;
    private final long serverId;
    private final ServiceRequest request = new ServiceRequest(this);
    private final MessageHandler onRecord = this::onRecord;
    /** A response's header, copied into the reply channel before its bytes. */
    private final UnsafeBuffer header = new UnsafeBuffer(new byte[RESPONSE_HEADER_LENGTH]);
    private final ReplyChannels replies;
    private RequestHandler handler;
    private long nextHousekeepingNs;
    private int pollsUntilHousekeepingLook;
    private long handled;
    private long staleRequests;
    private long malformedRequests;

    private ServiceServer(final Region region, final ServiceConfig config, final Subscriber requests)
    {
        this.region = region;
        this.config = config;
        this.service = config.name();
        this.requests = requests;
        this.serverId = ServiceEndpoints.endpointId(requests);
        this.replies = new ReplyChannels(region, service);
    }

    /**
     * Become the server of a service, adding its request channel if the region has none, and remove the reply
     * channels of clients that died while no server ran.
     *
     * @param region the region.
     * @param config the service.
     * @return the server.
     * @throws ChannelInUseException                               when another server of the service is alive.
     * @throws io.shmipc.exceptions.ChannelMismatchException       when a channel of the service's name is not a
     *                                                             {@code MANY_TO_ONE} one.
     * @throws io.shmipc.exceptions.RegionFullException           when the request channel cannot be added.
     */
    public static ServiceServer open(final Region region, final ServiceConfig config)
    {
        ServiceChannels.addRequestChannel(region, config);
        final Subscriber requests;
        try
        {
            requests = region.subscriber(config.name());
        }
        catch (final ChannelInUseException ex)
        {
            throw new ChannelInUseException(region.location().toString(), "service already has a live server: " +
                "region=" + region.location() + " service=" + config.name() + "; a service has one server at a time");
        }
        final ServiceServer server = new ServiceServer(region, config, requests);
        server.replies.removeUnansweredDead();
        return server;
    }

    /**
     * The service's name.
     *
     * @return the name.
     */
    public String service()
    {
        return service;
    }

    /**
     * Handle up to {@code limit} waiting requests, without waiting.
     *
     * @param handler called once per request.
     * @param limit   most requests.
     * @return requests handed to the handler (stale and malformed ones are not counted).
     * @throws IllegalStateException from inside this server's own request handler (nothing is taken).
     */
    public int poll(final RequestHandler handler, final int limit)
    {
        enter(handler);
        final long before = handled;
        try
        {
            requests.poll(onRecord, limit);
        }
        finally
        {
            this.handler = null;
        }
        housekeeping();
        return (int)(handled - before);
    }

    /**
     * Handle up to {@code limit} requests, blocking while there are none, as {@link Subscriber#poll(MessageHandler,
     * int, Duration)} does.
     *
     * @param handler called once per request.
     * @param limit   most requests.
     * @param timeout longest wait.
     * @return requests handed to the handler; 0 when the timeout passed.
     * @throws IllegalStateException from inside this server's own request handler (nothing is taken).
     */
    public int poll(final RequestHandler handler, final int limit, final Duration timeout)
    {
        enter(handler);
        final long before = handled;
        try
        {
            final long deadline = System.nanoTime() + Timeouts.nanos(timeout);
            int records = requests.poll(onRecord, limit, timeout);
            while (records > 0 && handled == before && deadline - System.nanoTime() > 0)
            {
                // Only stale or malformed records came: wait on for what is left of the timeout.
                records = requests.poll(onRecord, limit, Duration.ofNanos(deadline - System.nanoTime()));
            }
        }
        finally
        {
            this.handler = null;
        }
        pollsUntilHousekeepingLook = 0;
        housekeeping();
        return (int)(handled - before);
    }

    /**
     * Answer a request, now or after the handler returned.
     *
     * @param clientId      the request's {@link ServiceRequest#clientId()}.
     * @param correlationId the request's {@link ServiceRequest#correlationId()}.
     * @param response      holding the response.
     * @param offset        of its first byte.
     * @param length        of it, at most the reply channel's message limit less 16.
     * @param last          whether this is the request's final response.
     * @return {@link Publisher#OK}; {@link Publisher#BACK_PRESSURED} when the client's reply channel is full (try
     *         again: the client is alive); {@link #NO_CLIENT} when the client is gone, or its reply channel was found
     *         damaged (counted as dropped: that client fails with {@code CorruptRegionException} on its next poll,
     *         and the server goes on serving the others); or {@link Publisher#CLOSED}. The server learns that a client
     *         is gone at once when its reply channel is full, else at its next housekeeping look (polls look every
     *         100 ms): until then a response to a client that closed or died is accepted ({@link Publisher#OK}) and
     *         counted as dropped when its reply channel is removed. No system call is made per response to ask.
     * @throws MessageTooLargeException  when the response does not fit the reply channel.
     * @throws IndexOutOfBoundsException when {@code offset} and {@code length} are not within {@code response}
     *                                   (naming the region, the service and the values): nothing was sent.
     * @throws NullPointerException      when {@code response} is null: nothing was sent.
     */
    public long respond(final int clientId, final long correlationId, final DirectBuffer response, final int offset,
        final int length, final boolean last)
    {
        if (!SourceRange.holds(response, offset, length)) // before anything is written
        {
            throw SourceRange.refusal(response, offset, length, "response", "region=" + region.location() +
                " service=" + service);
        }
        final RingPublisher reply = replies.open(clientId);
        if (reply == null)
        {
            if (replies.isClosed())
            {
                return Publisher.CLOSED;
            }
            replies.countDropped();
            return NO_CLIENT;
        }
        if (length > reply.maxMessageLength() - RESPONSE_HEADER_LENGTH)
        {
            throw new MessageTooLargeException(region.location().toString(), "response too large: region=" +
                region.location() + " service=" + service + " length=" + length + " maxResponseLength=" +
                (reply.maxMessageLength() - RESPONSE_HEADER_LENGTH) + " (the reply channel's message limit less the " +
                RESPONSE_HEADER_LENGTH + "-byte response header)");
        }
        final long result;
        try
        {
            header.putLong(RESPONSE_CORRELATION_ID_OFFSET, correlationId);
            header.putInt(RESPONSE_FLAGS_OFFSET, last ? FLAG_FINAL : 0);
            header.putInt(RESPONSE_RESERVED_OFFSET, 0);
            result = reply.offerParts(header, RESPONSE_HEADER_LENGTH, response, offset, length);
            if (result == Publisher.OK)
            {
                return Publisher.OK;
            }
        }
        catch (final RegionClosedException ex)
        {
            return Publisher.CLOSED; // closed by another thread meanwhile
        }
        catch (final CorruptRegionException ex)
        {
            // This client's reply channel is damaged (it fails on its next poll): the others are served on.
            replies.dropFailed(clientId);
            replies.countDropped();
            return NO_CLIENT;
        }
        if (result == Publisher.BACK_PRESSURED && !reply.isConsumerAlive())
        {
            replies.reclaim(clientId);
            replies.countDropped();
            return NO_CLIENT;
        }
        return result;
    }

    /**
     * Requests handed to the handler.
     *
     * @return the count.
     */
    public long requestsHandled()
    {
        return handled;
    }

    /**
     * Requests dropped because they were addressed to a server that died (or a previous run of this service).
     *
     * @return the count.
     */
    public long staleRequests()
    {
        return staleRequests;
    }

    /**
     * Records on the request channel too short to be requests, dropped.
     *
     * @return the count.
     */
    public long malformedRequests()
    {
        return malformedRequests;
    }

    /**
     * Responses that never reached their client: sent after it died or closed, or left unread in its reply channel.
     *
     * @return the count.
     */
    public long droppedResponses()
    {
        return replies.droppedResponses();
    }

    /**
     * Reply channels of dead or closed clients this server removed.
     *
     * @return the count.
     */
    public long reclaimedClients()
    {
        return replies.reclaimedClients();
    }

    /**
     * Whether a client this server has answered is still there: the subscriber of its reply channel holds its lock.
     * A client that died or closed is gone (its reply channel is removed at the next housekeeping round).
     *
     * @param clientId a request's {@link ServiceRequest#clientId()}.
     * @return true while the client lives; false once it is gone, or when this server never answered it.
     */
    public boolean isClientAlive(final int clientId)
    {
        final Publisher reply = replies.find(clientId);
        return reply != null && reply.isConsumerAlive();
    }

    /**
     * Clients this server has answered and still holds a reply channel of.
     *
     * @return the count.
     */
    public int clients()
    {
        return replies.size();
    }

    WaitSource waitSource()
    {
        return ((io.shmipc.channel.SubscriberEndpoint)requests).waitSource();
    }

    /**
     * Stop serving: release the request channel and every client's reply channel (clients fail what they have
     * pending at once). The channels stay in the region. Also from another thread while this server polls or
     * responds: the poll returns what it delivered, or throws {@link io.shmipc.exceptions.RegionClosedException}, and
     * a response returns {@link Publisher#CLOSED}. Idempotent.
     */
    @Override
    public void close()
    {
        requests.close(); // first: a poll in progress ends
        replies.close();
    }

    /**
     * Begin a poll with its handler: refused, before anything is read or changed, from inside this server's own
     * handler (the outer poll still needs its handler) or while another thread polls.
     */
    private void enter(final RequestHandler handler)
    {
        if (handler == null)
        {
            throw new NullPointerException("handler is null: service=" + service + " (no request taken)");
        }
        if (this.handler != null)
        {
            throw new IllegalStateException("poll from inside this server's request handler, or from two threads " +
                "at once: service=" + service + " (no request taken; answer later with respond)");
        }
        this.handler = handler;
    }

    private void onRecord(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < REQUEST_HEADER_LENGTH)
        {
            malformedRequests++;
            return;
        }
        if (buffer.getLong(offset + SERVER_ID_OFFSET) != serverId)
        {
            staleRequests++;
            return;
        }
        handled++;
        handler.onRequest(request.wrap(buffer.getInt(offset + CLIENT_ID_OFFSET),
            buffer.getLong(offset + CORRELATION_ID_OFFSET), buffer, offset + REQUEST_HEADER_LENGTH,
            length - REQUEST_HEADER_LENGTH));
    }

    /**
     * At most every 100 ms, looked at every {@link #POLLS_PER_HOUSEKEEPING_LOOK} polls and after every blocking poll:
     * the reply channels of clients that died or closed are released and removed, and what they never read is
     * counted as dropped; so are those of clients that died before this server answered them (the directory read
     * only while such clients live, or after it changed).
     */
    private void housekeeping()
    {
        if (--pollsUntilHousekeepingLook > 0)
        {
            return;
        }
        pollsUntilHousekeepingLook = POLLS_PER_HOUSEKEEPING_LOOK;
        final long now = System.nanoTime();
        if (now - nextHousekeepingNs < 0)
        {
            return;
        }
        nextHousekeepingNs = now + HOUSEKEEPING_INTERVAL_NS;
        replies.reclaimDead();
        replies.removeUnansweredDead();
    }

    @Override
    public String toString()
    {
        return "ServiceServer{" + service + ", region=" + region.location() + ", maxPending=" + config.maxPending() +
            "}";
    }
}

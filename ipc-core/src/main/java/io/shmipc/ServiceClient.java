package io.shmipc;

import io.shmipc.wait.Timeouts;
import io.shmipc.channel.RingPublisher;
import io.shmipc.channel.SubscriberEndpoint;
import io.shmipc.exceptions.ChannelInUseException;
import io.shmipc.exceptions.MessageTooLargeException;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.exceptions.RequestTimeoutException;
import io.shmipc.exceptions.ServerDiedException;
import io.shmipc.exceptions.ServiceUnavailableException;
import io.shmipc.service.PendingRequests;
import io.shmipc.service.ServerTracker;
import io.shmipc.wait.WaitSource;
import io.shmipc.channel.SourceRange;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;

import static io.shmipc.layout.ServiceDescriptor.*;

/**
 * A client of a service: sends requests on the service's request channel, each with a correlation id and a timeout,
 * and receives the responses on a reply channel of its own, which it adds to the region when it opens and removes
 * when it closes.
 * <pre>{@code
 * try (ServiceClient client = ServiceClient.open(region, ServiceConfig.builder("quotes").build()))
 * {
 *     client.call(request, 0, length, responses, Duration.ofSeconds(1));    // blocking, throws on failure
 *     final long id = client.request(request, 0, length, Duration.ofSeconds(1));   // or asynchronous
 *     client.poll(responses, 64, Duration.ofMillis(10));
 * }
 * }</pre>
 * A request's server is the one known alive when it was sent: found once, then its slot's id is read on every
 * request and its lock probed (a system call) at most every 5 ms, so a request may go to a server that died in the
 * last 5 ms, and then fails with the others pending with it. When that server dies (the kernel releases its lock) or is
 * replaced, every request pending with it fails at once with {@link ServerDiedException}, delivered to
 * {@link ResponseHandler#onFailure}: a polling client notices within 5 ms, a client blocked in
 * {@link #poll(ResponseHandler, int, Duration)} or a {@link WaitSet} within 10 ms. Requests sent afterwards go to the
 * next server. A request whose final response does not come in time fails with {@link RequestTimeoutException};
 * responses to a request no longer pending are dropped and counted ({@link #lateResponses()}). Sending and polling
 * allocate nothing (a failure creates its exception). Not thread-safe, but {@link #close()} may come from any thread;
 * at most 63 clients per service at once.
 */
public final class ServiceClient implements AutoCloseable
{
    /** {@link #request}: no server of the service is alive; nothing was sent. */
    public static final long NO_SERVER = -3;
    /** {@link #request}: {@link ServiceConfig#maxPending()} requests are pending already; nothing was sent. */
    public static final long TOO_MANY_PENDING = -4;

    private static final int SPINS = 100;
    /**
     * Polls between two looks at the clock (timeouts, the server's lock) while requests are pending: a clock read
     * costs as much as a few empty polls, and a busy-polling client would pay it on every one. A blocking poll and a
     * {@link WaitSet} that reports this client look at once.
     */
    private static final int POLLS_PER_CHECK = 8;

    private final Region region;
    private final String service;
    private final Publisher requests;
    private final Subscriber replies;
    private final int clientId;
    /** The request channel's message limit less the request header. */
    private final int maxRequestLength;
    private final PendingRequests pending;
    /** The request channel's publisher, which writes a request's header and bytes as one record. */
    private final RingPublisher requestWriter;
    /** A request's header, copied into the channel before its bytes. */
    private final UnsafeBuffer header = new UnsafeBuffer(new byte[REQUEST_HEADER_LENGTH]);
    private final ServerTracker server;
    private final RequestFailures failures;
    private final MessageHandler onRecord = this::onRecord;
    private final ServiceCall call = new ServiceCall();
    private final ClientWaitSource waitSource;
    private ResponseHandler handler;
    private int events;
    private long nextCorrelationId = 1;
    private int pollsUntilCheck;
    /** The clock at its last read, for decisions that need no precision (whether to probe the server's lock). */
    private long clockNs = System.nanoTime();
    private long lateResponses;

    ServiceClient(final Region region, final ServiceConfig config, final Publisher requests,
        final Subscriber replies, final int clientId)
    {
        this.region = region;
        this.service = config.name();
        this.requests = requests;
        this.requestWriter = (RingPublisher)requests; // a MANY_TO_ONE channel: ServiceChannels checked its kind
        this.replies = replies;
        this.clientId = clientId;
        this.maxRequestLength = requests.maxMessageLength() - REQUEST_HEADER_LENGTH;
        this.pending = new PendingRequests(config.maxPending());
        this.server = new ServerTracker(requests);
        this.failures = new RequestFailures(region.location().toString(), service, pending, server);
        this.waitSource = new ClientWaitSource(this, ((SubscriberEndpoint)replies).waitSource());
    }

    /**
     * Join a service as a client: open its request channel (adding it if no server or client has yet) and add a
     * reply channel of this client's own. No server needs to run yet.
     *
     * @param region the region.
     * @param config the service.
     * @return the client.
     * @throws ChannelInUseException                         when 63 clients of the service are alive.
     * @throws io.shmipc.exceptions.RegionFullException     when the region has no room for the reply channel.
     * @throws io.shmipc.exceptions.ChannelMismatchException when a channel of the service's name is not a
     *                                                       {@code MANY_TO_ONE} one.
     */
    public static ServiceClient open(final Region region, final ServiceConfig config)
    {
        return ServiceChannels.joinAsClient(region, config);
    }

    /**
     * Send a request.
     *
     * @param request holding the request.
     * @param offset  of its first byte.
     * @param length  of it, at most the request channel's message limit less 24.
     * @param timeout how long its final response may take.
     * @return its correlation id (positive), or {@link Publisher#BACK_PRESSURED} (the request channel is full),
     *         {@link #NO_SERVER}, {@link #TOO_MANY_PENDING} or {@link Publisher#CLOSED} (the client or its region
     *         is closed): nothing was sent. A close from another thread racing the call makes it return
     *         {@link Publisher#CLOSED}, and no response is read after it (if the close came during the write, the
     *         server may still get the request).
     * @throws MessageTooLargeException  when the request does not fit the channel.
     * @throws IndexOutOfBoundsException when {@code offset} and {@code length} are not within {@code request}
     *                                   (checked first, naming the region, the service and the values): nothing
     *                                   was sent.
     * @throws NullPointerException      when {@code request} is null: nothing was sent.
     */
    public long request(final DirectBuffer request, final int offset, final int length, final Duration timeout)
    {
        return request(request, offset, length, Timeouts.nanos(timeout));
    }

    /**
     * Send a request; see {@link #request(DirectBuffer, int, int, Duration)}.
     *
     * @param request   holding the request.
     * @param offset    of its first byte.
     * @param length    of it.
     * @param timeoutNs how long its final response may take, in nanoseconds (a negative one counts as 0: the
     *                  request times out at the client's next look at the clock, unless its final response came
     *                  first).
     * @return its correlation id, or a negative code.
     */
    public long request(final DirectBuffer request, final int offset, final int length, final long timeoutNs)
    {
        if (!SourceRange.holds(request, offset, length)) // before anything is written
        {
            throw SourceRange.refusal(request, offset, length, "request", "region=" + region.location() +
                " service=" + service);
        }
        if (length > maxRequestLength)
        {
            throw new MessageTooLargeException(region.location().toString(), "request too large: region=" +
                region.location() + " service=" + service + " length=" + length + " maxRequestLength=" +
                maxRequestLength + " (the request channel's message limit less the " + REQUEST_HEADER_LENGTH +
                "-byte request header)");
        }
        if (requests.isClosed())
        {
            return Publisher.CLOSED;
        }
        if (!isServerKnown())
        {
            return requests.isClosed() ? Publisher.CLOSED : NO_SERVER; // closed by another thread meanwhile
        }
        if (pending.isFull())
        {
            return TOO_MANY_PENDING;
        }
        final long correlationId = nextCorrelationId;
        final long serverId = server.serverId();
        header.putLong(SERVER_ID_OFFSET, serverId);
        header.putLong(CORRELATION_ID_OFFSET, correlationId);
        header.putInt(CLIENT_ID_OFFSET, clientId);
        header.putInt(REQUEST_FLAGS_OFFSET, 0);
        final long result = requestWriter.offerParts(header, REQUEST_HEADER_LENGTH, request, offset, length);
        if (result != Publisher.OK)
        {
            return result; // CLOSED also when closed by another thread during the write: no response will be read
        }
        nextCorrelationId++;
        // After the write, so the clock read does not delay the request: its response is read by this thread's next
        // poll, after this.
        final long now = System.nanoTime();
        clockNs = now;
        pending.add(correlationId, PendingRequests.deadline(now, Timeouts.nanos(timeoutNs)), serverId);
        return correlationId;
    }

    /**
     * Whether the server to send to is known alive; false when another thread closed this client or its region
     * meanwhile (the lock probe then refuses to guess).
     */
    private boolean isServerKnown()
    {
        try
        {
            return server.find(clockNs, RequestFailures.LIVENESS_INTERVAL_NS);
        }
        catch (final RegionClosedException ex)
        {
            return false;
        }
    }

    /**
     * Deliver what came for this client's requests, without waiting: responses, and failures of requests whose
     * server died or whose timeout passed. While requests are pending, every 8th call looks at the clock and the
     * server (a clock read costs as much as a few empty polls): a client polling in a loop sees a timeout or its
     * server's death within 8 polls; after a blocking poll's sleep, or once a {@link WaitSet} reported this client,
     * the next call looks at once.
     *
     * @param handler called once per response or failure.
     * @param limit   most responses to read from the reply channel.
     * @return responses and failures delivered.
     * @throws IllegalStateException from inside this client's own response handler (nothing is read).
     */
    public int poll(final ResponseHandler handler, final int limit)
    {
        if (handler == null)
        {
            throw new NullPointerException("handler is null: service=" + service + " client=" + clientId);
        }
        if (this.handler != null)
        {
            // Before anything is read or reset: the outer poll still needs its handler and its count.
            throw new IllegalStateException("poll from inside this client's response handler, or from two threads " +
                "at once: service=" + service + " client=" + clientId + " (nothing read)");
        }
        this.handler = handler;
        events = 0;
        try
        {
            replies.poll(onRecord, limit);
            if (pending.size() > 0 && --pollsUntilCheck <= 0)
            {
                pollsUntilCheck = POLLS_PER_CHECK;
                final long now = System.nanoTime();
                clockNs = now;
                events += failures.deliver(now, handler);
            }
            return events;
        }
        finally
        {
            this.handler = null;
        }
    }

    /**
     * Deliver what came, blocking while nothing has: spin a little, then sleep on the reply channel, waking at
     * least every 10 ms while requests are pending to look at the server's lock and the timeouts. An interrupt of the
     * thread ends the wait at once, as the timeout would, and its status stays set.
     *
     * @param handler called once per response or failure.
     * @param limit   most responses to read.
     * @param timeout longest wait.
     * @return responses and failures delivered; 0 when the timeout passed or the thread was interrupted.
     */
    public int poll(final ResponseHandler handler, final int limit, final Duration timeout)
    {
        return poll(handler, limit, Timeouts.nanos(timeout));
    }

    int poll(final ResponseHandler handler, final int limit, final long timeoutNs)
    {
        final long deadline = System.nanoTime() + Timeouts.nanos(timeoutNs);
        for (int spins = 0; ; spins++)
        {
            final int delivered = poll(handler, limit);
            final long remaining = deadline - System.nanoTime();
            if (delivered > 0 || remaining <= 0)
            {
                return delivered;
            }
            if (spins < SPINS)
            {
                Thread.onSpinWait();
                continue;
            }
            if (Thread.currentThread().isInterrupted())
            {
                return 0; // as at the timeout; the status stays set
            }
            waitSource.await(remaining);
            pollsUntilCheck = 0; // after a sleep, the next poll looks at the clock
        }
    }

    /**
     * Send a request and wait for its final response, delivering every response (and anything else that comes for
     * this client's other requests) to {@code handler}.
     *
     * @param request holding the request.
     * @param offset  of its first byte.
     * @param length  of it.
     * @param handler called for each response.
     * @param timeout longest wait for the request to be sent and answered.
     * @return the number of responses the request got.
     * @throws ServiceUnavailableException when no server runs, or the request channel stayed full.
     * @throws ServerDiedException         when the server died before the final response.
     * @throws RequestTimeoutException     when the final response did not come in time; at once, with nothing
     *                                     sent (correlation id 0), when {@code timeout} is zero or negative.
     * @throws RegionClosedException       when this client is closed, also by another thread during the call.
     * @throws io.shmipc.exceptions.WaitInterruptedException when the thread is interrupted, before the call or while
     *                                     it waits (its status stays set): a request already sent is withdrawn,
     *                                     and a response that comes for it later is dropped and counted in
     *                                     {@link #lateResponses()}.
     * @throws IllegalStateException       when called from inside this client's response handler (a poll of it is
     *                                     in progress): nothing is sent. {@link #request} may be called there.
     * @throws NullPointerException        when {@code handler} is null: nothing is sent.
     */
    public int call(final DirectBuffer request, final int offset, final int length, final ResponseHandler handler,
        final Duration timeout)
    {
        if (handler == null)
        {
            throw new NullPointerException("handler is null: service=" + service + " client=" + clientId +
                " (nothing sent)");
        }
        if (this.handler != null)
        {
            throw new IllegalStateException("call from inside this client's response handler, or from two threads " +
                "at once: service=" + service + " client=" + clientId + " (nothing sent; a call polls the client, " +
                "whose poll is in progress)");
        }
        return call.run(this, request, offset, length, handler, timeout);
    }

    /**
     * This client's id, which names its reply channel.
     *
     * @return the id.
     */
    public int clientId()
    {
        return clientId;
    }

    /**
     * Requests waiting for their final response.
     *
     * @return how many.
     */
    public int pendingRequests()
    {
        return pending.size();
    }

    /**
     * Responses dropped because their request was no longer pending: it had timed out, its server was taken for
     * dead, or it had already had its final response (the server keeps no state per request, so a response sent
     * after {@link ServiceRequest#complete} reaches the client and is dropped here).
     *
     * @return the count.
     */
    public long lateResponses()
    {
        return lateResponses;
    }

    /**
     * Requests that failed: timed out, or their server died.
     *
     * @return the count.
     */
    public long failedRequests()
    {
        return failures.failedRequests();
    }

    /**
     * Whether a server of the service is alive now. A system call.
     *
     * @return true when one is; false once this client is closed.
     */
    public boolean isServerAvailable()
    {
        try
        {
            return !requests.isClosed() && server.find();
        }
        catch (final RegionClosedException ex)
        {
            return false; // closed by another thread meanwhile
        }
    }

    WaitSource waitSource()
    {
        return waitSource;
    }

    RegionLocation location()
    {
        return region.location();
    }

    String service()
    {
        return service;
    }

    /**
     * Leave the service: release both channels and remove the reply channel (the server removes it instead when it
     * still holds it). Pending requests are abandoned without a call to the handler.
     */
    @Override
    public void close()
    {
        if (requests.isClosed())
        {
            return;
        }
        ServiceChannels.leave(region, requests, replies, replies.channel());
        waitSource.close();
    }

    /**
     * Whether the wait source has something this client must deliver: a timeout due, or a pending request's server
     * found dead by a probe that was due.
     */
    boolean hasDueWork(final long now)
    {
        if (failures.isDue(now))
        {
            pollsUntilCheck = 0; // the poll the WaitSet's caller makes next delivers the failures
            return true;
        }
        return false;
    }

    long sleepLimit(final long now)
    {
        return failures.sleepLimit(now);
    }

    /**
     * Stop waiting for a request's responses: a response that comes for it later is dropped as late.
     *
     * @param correlationId the request.
     */
    void withdraw(final long correlationId)
    {
        pending.remove(correlationId);
    }

    private void onRecord(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < RESPONSE_HEADER_LENGTH)
        {
            lateResponses++;
            return;
        }
        final long correlationId = buffer.getLong(offset + RESPONSE_CORRELATION_ID_OFFSET);
        final boolean last = (buffer.getInt(offset + RESPONSE_FLAGS_OFFSET) & FLAG_FINAL) != 0;
        if (!(last ? pending.remove(correlationId) : pending.contains(correlationId)))
        {
            lateResponses++;
            return;
        }
        events++;
        handler.onResponse(correlationId, buffer, offset + RESPONSE_HEADER_LENGTH, length - RESPONSE_HEADER_LENGTH,
            last);
    }
}

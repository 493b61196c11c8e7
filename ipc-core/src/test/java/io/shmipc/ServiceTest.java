package io.shmipc;

import io.shmipc.exceptions.ChannelInUseException;
import io.shmipc.exceptions.ChannelMismatchException;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.MessageTooLargeException;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.exceptions.RequestTimeoutException;
import io.shmipc.exceptions.ServerDiedException;
import io.shmipc.exceptions.ServiceException;
import io.shmipc.exceptions.ServiceUnavailableException;
import io.shmipc.service.ServerTracker;
import io.shmipc.testing.ChannelAttacker;
import io.shmipc.testing.Resources;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Request/response between handles of one region standing for separate processes (each has its own open file
 * descriptions, so a server's close releases its lock exactly as its death would).
 */
class ServiceTest
{
    private static final ServiceConfig ECHO = ServiceConfig.builder("echo").requestCapacity(1 << 16)
        .replyCapacity(1 << 14).build();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path directory;

    private final Resources resources = new Resources();
    private Region serverRegion;
    private Region clientRegion;

    @BeforeEach
    void createRegion()
    {
        serverRegion = track(Region.create(RegionConfig.builder(RegionLocation.file(directory.resolve("svc")))
            .maxChannels(8).dataAreaLength(1 << 20).build()));
        clientRegion = track(Region.attach(serverRegion.location(), WAIT));
    }

    @AfterEach
    void close() throws Exception
    {
        resources.closeAll();
    }

    private <T extends AutoCloseable> T track(final T resource)
    {
        return resources.track(resource);
    }

    private static UnsafeBuffer text(final String text)
    {
        return new UnsafeBuffer(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** Answers "x" with "x#0", "x#1", then "x#end" final. */
    private static void streamThree(final ServiceRequest request)
    {
        final String asked = request.buffer().getStringWithoutLengthAscii(request.offset(), request.length());
        assertEquals(Publisher.OK, request.respond(text(asked + "#0"), 0, asked.length() + 2));
        assertEquals(Publisher.OK, request.respond(text(asked + "#1"), 0, asked.length() + 2));
        assertEquals(Publisher.OK, request.complete(text(asked + "#end"), 0, asked.length() + 4));
    }

    /** A server of {@link #ECHO} and two clients, one on each region handle. */
    private record EchoService(ServiceServer server, ServiceClient first, ServiceClient second)
    {
    }

    private EchoService echoWithTwoClients()
    {
        return echoWithClientsIn(clientRegion, serverRegion);
    }

    /** An echo server on the server's region, and a client on each region handle given. */
    private EchoService echoWithClientsIn(final Region first, final Region second)
    {
        return new EchoService(track(ServiceServer.open(serverRegion, ECHO)), track(ServiceClient.open(first, ECHO)),
            track(ServiceClient.open(second, ECHO)));
    }

    /** What a client gets until it has three responses (one request answered by {@link #streamThree}). */
    private static Collected threeResponses(final ServiceClient client)
    {
        final Collected collected = new Collected();
        while (collected.responses.size() < 3)
        {
            client.poll(collected, 10, WAIT);
        }
        return collected;
    }

    /** Collects what a client gets, as text. */
    private static class Collected implements ResponseHandler
    {
        final List<String> responses = new ArrayList<>();
        final List<ServiceException> failures = new ArrayList<>();

        @Override
        public void onResponse(final long correlationId, final DirectBuffer buffer, final int offset,
            final int length, final boolean last)
        {
            responses.add(correlationId + ":" + buffer.getStringWithoutLengthAscii(offset, length) +
                (last ? ":last" : ""));
        }

        @Override
        public void onFailure(final long correlationId, final ServiceException failure)
        {
            failures.add(failure);
        }
    }

    @Test
    @Timeout(30)
    void aHandlerThatPollsItsOwnServerOrClientIsRefusedAndCostsNothing()
    {
        final ServiceServer server = track(ServiceServer.open(serverRegion, ECHO));
        final ServiceClient client = track(ServiceClient.open(clientRegion, ECHO));
        for (final String asked : List.of("a", "b", "c"))
        {
            assertTrue(client.request(text(asked), 0, 1, WAIT) > 0);
        }
        final List<String> refused = new ArrayList<>();
        final RequestHandler answer = request ->
        {
            refused.add(assertThrows(IllegalStateException.class, () -> server.poll(nested -> { }, 1)).getMessage());
            assertEquals(Publisher.OK, request.complete(request.buffer(), request.offset(), request.length()));
        };
        int handled = 0;
        while (handled < 3)
        {
            handled += server.poll(answer, 10, WAIT);
        }
        assertEquals(3, handled, "every request handled once");
        assertEquals(3, server.requestsHandled());
        assertEquals(3, refused.size());
        assertTrue(refused.get(0).contains("service=echo"), refused.get(0));

        final Collected collected = new Collected()
        {
            @Override
            public void onResponse(final long correlationId, final DirectBuffer buffer, final int offset,
                final int length, final boolean last)
            {
                super.onResponse(correlationId, buffer, offset, length, last);
                assertThrows(IllegalStateException.class, () -> client.poll(new Collected(), 1));
            }
        };
        int delivered = 0;
        while (collected.responses.size() < 3)
        {
            delivered += client.poll(collected, 10, WAIT);
        }
        assertEquals(3, delivered, "each poll counts what it delivered: " + collected.responses);
        assertEquals(0, client.pendingRequests());
    }

    @Test
    @Timeout(30)
    void aStreamOfResponsesReachesOnlyTheClientThatAsked() throws InterruptedException
    {
        final EchoService echo = echoWithTwoClients();
        final ServiceServer server = echo.server();
        final ServiceClient first = echo.first();
        final ServiceClient second = echo.second();
        assertNotEquals(first.clientId(), second.clientId());
        final long a = first.request(text("a"), 0, 1, WAIT);
        final long b = second.request(text("b"), 0, 1, WAIT);
        assertEquals(1, a);
        assertEquals(1, b, "correlation ids are per client");
        assertEquals(2, server.poll(ServiceTest::streamThree, 10, WAIT));

        final Collected toFirst = threeResponses(first);
        final Collected toSecond = threeResponses(second);
        assertEquals(List.of("1:a#0", "1:a#1", "1:a#end:last"), toFirst.responses);
        assertEquals(List.of("1:b#0", "1:b#1", "1:b#end:last"), toSecond.responses);
        assertEquals(0, first.pendingRequests());

        final Collected called = new Collected();
        final Thread serving = new Thread(() -> server.poll(ServiceTest::streamThree, 1, WAIT));
        serving.start();
        assertEquals(3, first.call(text("c"), 0, 1, called, WAIT));
        assertEquals(List.of("2:c#0", "2:c#1", "2:c#end:last"), called.responses);
        serving.join(); // the server belongs to its thread: it is closed after that thread's poll returned
        assertEquals(3, server.requestsHandled());
    }

    /**
     * A response after the server's region handle was closed says {@link Publisher#CLOSED} for every client: one
     * already answered (whose reply publisher the close closed) and one not answered yet (whose reply channel would
     * have to be opened on the closed handle).
     */
    @Test
    @Timeout(30)
    void aResponseAfterTheServersRegionClosedSaysClosedForEveryClient()
    {
        final EchoService echo = echoWithClientsIn(clientRegion, clientRegion);
        final ServiceServer server = echo.server();
        final ServiceClient answered = echo.first();
        final ServiceClient waiting = echo.second();
        assertTrue(answered.request(text("a"), 0, 1, WAIT) > 0);
        assertTrue(waiting.request(text("b"), 0, 1, WAIT) > 0);
        final List<long[]> requests = new ArrayList<>();
        while (requests.size() < 2)
        {
            server.poll(request ->
            {
                requests.add(new long[] {request.clientId(), request.correlationId()});
                if (requests.size() == 1)
                {
                    assertEquals(Publisher.OK, request.respond(text("a0"), 0, 2));
                }
            }, 10, WAIT);
        }
        serverRegion.close();
        for (final long[] request : requests)
        {
            assertEquals(Publisher.CLOSED, server.respond((int)request[0], request[1], text("z"), 0, 1, true),
                "client " + request[0]);
        }
    }

    /**
     * One client's reply channel damaged (its tail far beyond the capacity): the response to it is dropped and
     * counted, that client fails on its next poll, and the server serves the other client on, its poll never
     * throwing for another client's channel.
     */
    @Test
    @Timeout(30)
    void aClientsDamagedReplyChannelFailsThatClientOnlyAndTheServerServesTheOthers()
    {
        final EchoService echo = echoWithClientsIn(clientRegion, clientRegion);
        final ServiceServer server = echo.server();
        final ServiceClient damaged = echo.first();
        final ServiceClient healthy = echo.second();
        for (final ServiceClient client : List.of(damaged, healthy))
        {
            client.request(text("a"), 0, 1, WAIT);
            assertEquals(1, server.poll(ServiceTest::streamThree, 10, WAIT));
            assertEquals(3, threeResponses(client).responses.size());
        }
        try (ChannelAttacker attacker = new ChannelAttacker(serverRegion.location().path(),
            "echo.reply-" + String.format("%08x", damaged.clientId())))
        {
            attacker.tail(attacker.tail() + 16L * attacker.capacity());
        }
        damaged.request(text("b"), 0, 1, WAIT);
        healthy.request(text("c"), 0, 1, WAIT);
        final List<Long> toDamaged = new ArrayList<>();
        assertEquals(2, server.poll(request ->
        {
            if (request.clientId() != damaged.clientId())
            {
                streamThree(request);
                return;
            }
            toDamaged.add(request.respond(text("b#0"), 0, 3));
            toDamaged.add(request.complete(text("b#end"), 0, 5));
        }, 10, WAIT), "both requests handled, neither threw");
        assertEquals(List.of(ServiceServer.NO_CLIENT, ServiceServer.NO_CLIENT), toDamaged);
        assertEquals(2, server.droppedResponses(), "the responses to the damaged client's channel");
        assertEquals(3, threeResponses(healthy).responses.size());
        assertThrows(CorruptRegionException.class, () -> damaged.poll(new Collected(), 10, WAIT));
    }

    /**
     * A client's reply channel is {@code ONE_TO_ONE}: a channel of its name and another kind is no client's. A response
     * to that client id is dropped and counted ({@code NO_CLIENT}), nothing is written into the channel, and the
     * server goes on serving.
     */
    @Test
    @Timeout(30)
    void aChannelOfAReplyChannelsNameAndAnotherKindIsNoClientsAndGetsNothing()
    {
        final EchoService echo = echoWithClientsIn(clientRegion, clientRegion);
        final ServiceServer server = echo.server();
        final int stranger = echo.first().clientId() ^ echo.second().clientId() ^ 0x5a5a;
        final String name = "echo.reply-" + String.format("%08x", stranger);
        serverRegion.directory().createChannel(new ChannelSpec(name, ChannelKind.BROADCAST, 1 << 14, 0));
        try (Subscriber watcher = clientRegion.subscriber(name))
        {
            assertEquals(ServiceServer.NO_CLIENT, server.respond(stranger, 1, text("x"), 0, 1, true));
            assertEquals(0, watcher.poll((buffer, offset, length) -> { }, 10), "nothing written into it");
        }
        assertEquals(1, server.droppedResponses());
        assertEquals(0, server.clients());
        echo.first().request(text("a"), 0, 1, WAIT);
        assertEquals(1, server.poll(ServiceTest::streamThree, 10, WAIT));
        assertEquals(3, threeResponses(echo.first()).responses.size(), "the others are served on");
    }

    /**
     * A service's name held by a channel of another kind is no request channel: a client and a server are refused
     * naming the channel and its kind, and neither leaves a reply channel or an endpoint behind.
     */
    @Test
    @Timeout(30)
    void aServicesNameHeldByAChannelOfAnotherKindRefusesClientAndServer()
    {
        final ChannelSpec other = new ChannelSpec("echo", ChannelKind.ONE_TO_ONE, 1 << 14, 0);
        serverRegion.directory().createChannel(other);
        final List<ChannelSpec> before = clientRegion.directory().channelList().channels();
        final ChannelMismatchException client = assertThrows(ChannelMismatchException.class,
            () -> track(ServiceClient.open(clientRegion, ECHO)));
        final ChannelMismatchException server = assertThrows(ChannelMismatchException.class,
            () -> track(ServiceServer.open(serverRegion, ECHO)));
        for (final ChannelMismatchException refused : List.of(client, server))
        {
            assertTrue(refused.getMessage().contains("echo") && refused.getMessage().contains("ONE_TO_ONE") &&
                refused.getMessage().contains("MANY_TO_ONE"), refused.getMessage());
        }
        assertEquals(before, clientRegion.directory().channelList().channels(), "no reply channel left behind");
        try (Publisher only = clientRegion.publisher("echo"))
        {
            assertEquals(ChannelKind.ONE_TO_ONE, only.kind(), "the channel is left as it was, and free");
        }
    }

    /**
     * A request or a response too large for its channel is refused naming the length the caller gave and the limit
     * it can give: the channel's message limit less the record header, which is the caller's, not the channel's.
     */
    @Test
    @Timeout(30)
    void tooLargeRequestsAndResponsesNameTheLengthGivenAndTheLimitForIt()
    {
        final ServiceServer server = track(ServiceServer.open(serverRegion, ECHO));
        final ServiceClient client = track(ServiceClient.open(clientRegion, ECHO));
        final int maxRequest = clientRegion.directory().channelList().find("echo").maxMessageLength() - 24;
        final UnsafeBuffer big = new UnsafeBuffer(new byte[1 << 16]);
        final MessageTooLargeException request = assertThrows(MessageTooLargeException.class,
            () -> client.request(big, 0, maxRequest + 1, WAIT));
        assertTrue(request.getMessage().contains(" length=" + (maxRequest + 1) + " maxRequestLength=" + maxRequest +
            " "), request.getMessage());
        assertTrue(client.request(text("a"), 0, 1, WAIT) > 0);
        final int maxResponse = clientRegion.directory().channelList()
            .find("echo.reply-" + String.format("%08x", client.clientId())).maxMessageLength() - 16;
        assertEquals(1, server.poll(asked ->
        {
            final MessageTooLargeException response = assertThrows(MessageTooLargeException.class,
                () -> asked.respond(big, 0, maxResponse + 1));
            assertTrue(response.getMessage().contains(" length=" + (maxResponse + 1) + " maxResponseLength=" +
                maxResponse + " "), response.getMessage());
            assertEquals(Publisher.OK, asked.complete(big, 0, maxResponse));
        }, 10, WAIT));
    }

    /**
     * The 64th client of a service is refused in the service's words, naming the limit, and no reply channel of it is
     * left behind.
     */
    @Test
    @Timeout(60)
    void aClientBeyondTheLimitIsRefusedNamingTheServiceAndTheLimit()
    {
        final RegionLocation location = RegionLocation.file(directory.resolve("crowded"));
        final Region crowded = track(Region.create(RegionConfig.builder(location).maxChannels(72)
            .dataAreaLength(32 << 20).build()));
        final ServiceConfig small = ServiceConfig.builder("crowd").requestCapacity(4096).replyCapacity(4096).build();
        for (int i = 0; i < 63; i++)
        {
            track(ServiceClient.open(crowded, small));
        }
        final int channels = crowded.directory().channelList().channels().size();
        final ChannelInUseException refused = assertThrows(ChannelInUseException.class,
            () -> ServiceClient.open(crowded, small));
        assertTrue(refused.getMessage().startsWith("service has as many clients as it admits: region=" + location +
            " service=crowd maxClients=63 "), refused.getMessage());
        assertEquals(channels, crowded.directory().channelList().channels().size(), "no reply channel left behind");
    }

    @Test
    @Timeout(30)
    void aRequestOrResponseOutsideItsBufferIsRefusedAndHoldsUpNobody()
    {
        final EchoService echo = echoWithTwoClients();
        final ServiceClient careless = echo.first();
        final ServiceClient other = echo.second();
        final UnsafeBuffer short10 = new UnsafeBuffer(new byte[10]);
        assertThrows(IndexOutOfBoundsException.class, () -> careless.request(short10, 0, 50, WAIT));
        assertThrows(IndexOutOfBoundsException.class, () -> careless.request(short10, 0, -1, WAIT));
        assertTrue(assertThrows(IndexOutOfBoundsException.class, () -> careless.request(short10, 8, 4, WAIT))
            .getMessage().matches("the request buffer does not hold the bytes given: region=.* service=\\S+ " +
            "offset=8 length=4 capacity=10"));
        assertTrue(assertThrows(NullPointerException.class, () -> careless.request(null, 0, 4, WAIT)).getMessage()
            .startsWith("the request buffer is null: region="));
        assertEquals(0, careless.pendingRequests(), "nothing was sent");

        final long asked = careless.request(text("a"), 0, 1, WAIT);
        final long otherAsked = other.request(text("b"), 0, 1, WAIT);
        assertTrue(asked > 0 && otherAsked > 0, asked + " " + otherAsked);
        assertEquals(2, echo.server().poll(request ->
        {
            assertThrows(IndexOutOfBoundsException.class, () -> request.complete(short10, 0, 50));
            assertThrows(IndexOutOfBoundsException.class, () -> request.respond(short10, 4, -1));
            assertThrows(NullPointerException.class, () -> request.respond(null, 0, 1));
            streamThree(request);
        }, 10, WAIT), "both requests reached the server");
        final Collected toCareless = threeResponses(careless);
        final Collected toOther = threeResponses(other);
        assertEquals(List.of(asked + ":a#0", asked + ":a#1", asked + ":a#end:last"), toCareless.responses);
        assertEquals(List.of(otherAsked + ":b#0", otherAsked + ":b#1", otherAsked + ":b#end:last"),
            toOther.responses);
    }

    /**
     * A server and a client of a new service opening at the same moment, from two region handles (as two processes
     * do), with different request capacities: whichever adds the request channel first sets its capacity, and the
     * other takes it as it is, never failing with a mismatch of capacities.
     */
    @Test
    @Timeout(60)
    void aServerAndAClientAddingTheRequestChannelAtOnceAgreeOnTheFirstOnesCapacity() throws Exception
    {
        final int services = 100;
        final RegionLocation location = RegionLocation.file(directory.resolve("race"));
        final Region serving = track(Region.create(RegionConfig.builder(location).maxChannels(2 * services + 8)
            .dataAreaLength(64 << 20).build()));
        final Region calling = track(Region.attach(location, WAIT));
        final CyclicBarrier together = new CyclicBarrier(2);
        final List<Integer> capacities = new ArrayList<>();
        final Thread server = new Thread(() ->
        {
            for (int i = 0; i < services; i++)
            {
                await(together);
                ServiceServer.open(serving, ServiceConfig.builder("race" + i).requestCapacity(8192).build()).close();
            }
        });
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        server.setUncaughtExceptionHandler((thread, ex) -> failure.set(ex));
        server.start();
        try
        {
            for (int i = 0; i < services; i++)
            {
                await(together);
                ServiceClient.open(calling, ServiceConfig.builder("race" + i).requestCapacity(4096).build()).close();
                capacities.add(calling.directory().channelList().find("race" + i).capacity());
            }
        }
        finally
        {
            server.join(); // at most the barrier's timeout after this side failed
        }
        assertNull(failure.get(), () -> "the server failed: " + failure.get());
        assertEquals(services, capacities.size());
        assertTrue(capacities.stream().allMatch(capacity -> capacity == 4096 || capacity == 8192),
            capacities::toString);
    }

    private static void await(final CyclicBarrier barrier)
    {
        try
        {
            barrier.await(5, TimeUnit.SECONDS);
        }
        catch (final InterruptedException | BrokenBarrierException | TimeoutException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    @Test
    @Timeout(60)
    void clientsJoinWhileServersStartWithoutTheirReplyChannelVanishing() throws Exception
    {
        // A starting server removes the reply channels no live client uses; one a client has just added and not yet
        // opened is such a channel. The client must then add another, never fail.
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread servers = new Thread(() ->
        {
            try
            {
                while (running.get())
                {
                    ServiceServer.open(serverRegion, ECHO).close();
                }
            }
            catch (final Throwable ex)
            {
                failure.compareAndSet(null, ex);
            }
        });
        servers.start();
        long joined = 0;
        final long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        try
        {
            while (System.nanoTime() - end < 0 && failure.get() == null)
            {
                ServiceClient.open(clientRegion, ECHO).close();
                joined++;
            }
        }
        finally
        {
            running.set(false);
            servers.join();
        }
        assertNull(failure.get(), "the servers: " + failure.get());
        assertTrue(joined > 0);
    }

    @Test
    @Timeout(30)
    void aRequestNobodyAnswersTimesOutAndItsLateResponseIsDropped()
    {
        final ServiceServer server = track(ServiceServer.open(serverRegion, ECHO));
        final ServiceClient client = track(ServiceClient.open(clientRegion, ECHO));
        final long id = client.request(text("slow"), 0, 4, Duration.ofMillis(20));
        final Collected collected = new Collected();
        while (collected.failures.isEmpty())
        {
            client.poll(collected, 10, WAIT);
        }
        final RequestTimeoutException timeout = assertInstanceOf(RequestTimeoutException.class,
            collected.failures.get(0));
        assertEquals(id, timeout.correlationId());
        assertTrue(timeout.getMessage().contains("request timed out: region=" + serverRegion.location() +
            " service=echo correlationId=" + id), timeout.getMessage());
        assertEquals(1, server.poll(ServiceTest::streamThree, 10, WAIT));
        client.poll(collected, 10);
        assertEquals(List.of(), collected.responses, "nothing for a request no longer pending");
        assertEquals(3, client.lateResponses());
        assertEquals(1, client.failedRequests());
    }

    @Test
    @Timeout(30)
    void aTimeoutAsNegativeAsCanBeIsNoneAndHoldsNoPendingSlot()
    {
        track(ServiceServer.open(serverRegion, ECHO)); // alive, never polled: nothing is answered
        final ServiceClient client = track(ServiceClient.open(clientRegion, ECHO));
        for (final long timeoutNs : new long[] {-1, Long.MIN_VALUE + 1, Long.MIN_VALUE})
        {
            final long id = client.request(text("t"), 0, 1, timeoutNs);
            assertTrue(id > 0, "sent: " + id);
            final Collected collected = new Collected();
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (collected.failures.isEmpty() && System.nanoTime() - deadline < 0)
            {
                client.poll(collected, 10);
            }
            assertEquals(1, collected.failures.size(), "timeoutNs=" + timeoutNs + " times out at once");
            assertEquals(id, assertInstanceOf(RequestTimeoutException.class, collected.failures.get(0))
                .correlationId());
            assertEquals(0, client.pendingRequests());
        }
    }

    @Test
    @Timeout(30)
    void aCallWithNoTimeLeftSendsNothing()
    {
        final ServiceServer server = track(ServiceServer.open(serverRegion, ECHO));
        final ServiceClient client = track(ServiceClient.open(clientRegion, ECHO));
        for (final Duration timeout : new Duration[] {Duration.ZERO, Duration.ofNanos(-1), Duration.ofDays(-1)})
        {
            final Collected collected = new Collected();
            final RequestTimeoutException refused = assertThrows(RequestTimeoutException.class,
                () -> client.call(text("x"), 0, 1, collected, timeout));
            assertEquals(0, refused.correlationId(), "no request was made");
            assertTrue(refused.getMessage().contains("nothing sent"), refused.getMessage());
            assertEquals(List.of(), collected.responses);
        }
        assertEquals(0, server.poll(ServiceTest::streamThree, 10), "the server got no request");
        assertEquals(0, client.pendingRequests());
    }

    @Test
    @Timeout(60)
    void aRequestRacingItsRegionsCloseReturnsClosedAndNeverThrows() throws Exception
    {
        // Room for the reply channels of the clients closed with their region until the server's housekeeping
        // (every 100 ms) removes them.
        final Region hub = track(Region.create(RegionConfig.builder(RegionLocation.file(directory.resolve("race")))
            .maxChannels(128).dataAreaLength(16 << 20).build()));
        final ServiceServer server = track(ServiceServer.open(hub, ECHO));
        final AtomicBoolean serving = new AtomicBoolean(true);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread answering = new Thread(() ->
        {
            try
            {
                while (serving.get())
                {
                    server.poll(request -> request.complete(request.buffer(), request.offset(), 8), 64);
                }
            }
            catch (final Throwable ex)
            {
                failure.compareAndSet(null, ex);
            }
        });
        answering.start();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[4096]); // a longer write: a wider window to close in
        try
        {
            for (int round = 0; round < 300 && failure.get() == null; round++)
            {
                final Region region = Region.attach(hub.location(), WAIT);
                final ServiceClient client = ServiceClient.open(region, ECHO);
                final AtomicLong last = new AtomicLong();
                final Thread requesting = new Thread(() ->
                {
                    try
                    {
                        long result;
                        while ((result = client.request(payload, 0, payload.capacity(), WAIT)) != Publisher.CLOSED)
                        {
                            assertTrue(result > 0 || result == Publisher.BACK_PRESSURED ||
                                result == ServiceClient.TOO_MANY_PENDING, "request: " + result);
                            last.set(result);
                            pollUnlessClosed(client);
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                });
                requesting.start();
                while (last.get() == 0 && requesting.isAlive())
                {
                    Thread.onSpinWait();
                }
                region.close(); // from this thread, while the other one requests
                requesting.join();
                assertFalse(client.isServerAvailable(), "closed");
            }
        }
        finally
        {
            serving.set(false);
            answering.join();
        }
        assertNull(failure.get(), () -> "a request racing the close: " + failure.get());
    }

    /**
     * What a thread's call or poll ended with, as text: the exception's class, with its message when it is not one
     * of the library's typed exceptions.
     */
    private static String outcome(final Throwable thrown)
    {
        return thrown == null ? "returned" : thrown instanceof io.shmipc.exceptions.ShmIpcException ?
            thrown.getClass().getSimpleName() : thrown.toString();
    }

    @Test
    @Timeout(120)
    void aClientClosedByAnotherThreadDuringACallEndsItClosedNeverAsTheServersDeath() throws Exception
    {
        final Region hub = track(Region.create(RegionConfig.builder(RegionLocation.file(directory.resolve("calls")))
            .maxChannels(16).dataAreaLength(4 << 20).build()));
        final ServiceServer server = track(ServiceServer.open(hub, ECHO)); // alive, answering between the rounds
        final UnsafeBuffer request = new UnsafeBuffer(new byte[16]);
        final java.util.Map<String, Integer> outcomes = new java.util.TreeMap<>();
        final java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 2000; round++)
        {
            final ServiceClient client = ServiceClient.open(hub, ECHO);
            final AtomicReference<Throwable> thrown = new AtomicReference<>();
            final Thread calling = new Thread(() ->
            {
                try
                {
                    client.call(request, 0, request.capacity(), new Collected(), WAIT);
                }
                catch (final Throwable ex)
                {
                    thrown.set(ex);
                }
            });
            calling.start();
            final long closeAt = System.nanoTime() + random.nextInt(300_000);
            while (System.nanoTime() - closeAt < 0)
            {
                Thread.onSpinWait();
            }
            client.close(); // while the call sends, or waits for a response the server has not sent
            calling.join();
            outcomes.merge(outcome(thrown.get()), 1, Integer::sum);
            server.poll(asked -> asked.complete(request, 0, request.capacity()), 16);
        }
        assertEquals(java.util.Set.of("RegionClosedException"), outcomes.keySet(), outcomes::toString);
    }

    @Test
    @Timeout(30)
    void aServerGoneWhileTheClientsRegionIsClosingIsNoDeath()
    {
        // A region's close closes its endpoints one after the other: a server closed before a client of the same
        // handle must not reach that client, still polling on another thread, as the server's death.
        final ServiceServer server = ServiceServer.open(serverRegion, ECHO);
        final Region closingHandle = track(Region.attach(serverRegion.location(), WAIT));
        final Publisher closing = track(closingHandle.publisher(ECHO.name()));
        final Publisher open = track(clientRegion.publisher(ECHO.name()));
        final ServerTracker closingClient = new ServerTracker(closing);
        final ServerTracker openClient = new ServerTracker(open);
        assertTrue(closingClient.find());
        assertTrue(openClient.find());
        closingHandle.openEndpoints().beginClosing();
        server.close();
        closingClient.check(System.nanoTime(), 0);
        openClient.check(System.nanoTime(), 0);
        assertTrue(openClient.hasChanged(), "an open client takes the server's close for its end");
        assertFalse(closingClient.hasChanged(), "a client whose region is closing does not");
    }

    @Test
    @Timeout(60)
    void aServerClosedByAnotherThreadWhileItsHandlerRunsAnswersClosedAndHoldsNoReplyChannel() throws Exception
    {
        final ServiceServer server = ServiceServer.open(serverRegion, ECHO);
        final ServiceClient client = track(ServiceClient.open(clientRegion, ECHO));
        final UnsafeBuffer request = text("ping");
        assertTrue(client.request(request, 0, 4, WAIT) > 0);
        final java.util.concurrent.CountDownLatch handling = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        final AtomicLong answer = new AtomicLong();
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final Thread serving = new Thread(() ->
        {
            try
            {
                server.poll(asked ->
                {
                    handling.countDown();
                    awaitLatch(closed);
                    answer.set(asked.complete(request, 0, 4)); // the client's first response: its channel opens
                }, 16, WAIT);
                server.poll(asked -> fail("closed"), 16, WAIT);
            }
            catch (final Throwable ex)
            {
                thrown.set(ex);
            }
        });
        serving.start();
        awaitLatch(handling);
        server.close(); // from this thread, while the handler runs
        closed.countDown();
        serving.join();
        assertEquals(Publisher.CLOSED, answer.get(), "a response after the close");
        assertInstanceOf(RegionClosedException.class, thrown.get(), () -> String.valueOf(thrown.get()));

        // Nothing of the closed server holds the client's reply channel: the next server answers it.
        final ServiceServer next = track(ServiceServer.open(serverRegion, ECHO));
        final long id = client.request(request, 0, 4, WAIT);
        assertTrue(id > 0, "request: " + id);
        assertEquals(1, next.poll(asked -> assertEquals(Publisher.OK, asked.complete(request, 0, 4)), 16, WAIT));
        final Collected collected = new Collected();
        while (!collected.responses.contains(id + ":ping:last"))
        {
            assertTrue(client.poll(collected, 16, WAIT) > 0, () -> "no answer from the next server: " + collected);
        }
    }

    private static void awaitLatch(final java.util.concurrent.CountDownLatch latch)
    {
        try
        {
            assertTrue(latch.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
        }
        catch (final InterruptedException ex)
        {
            throw new AssertionError(ex);
        }
    }

    @Test
    @Timeout(30)
    void aNullHandlerOrACallFromInsideAResponseHandlerTakesAndSendsNothing()
    {
        final EchoService echo = echoWithTwoClients();
        final UnsafeBuffer request = text("ping");
        final NullPointerException noHandler = assertThrows(NullPointerException.class,
            () -> echo.first().call(request, 0, 4, null, WAIT));
        assertEquals("handler is null: service=echo client=" + echo.first().clientId() + " (nothing sent)",
            noHandler.getMessage());
        assertEquals(0, echo.server().poll(asked -> fail("nothing was sent"), 16));

        assertTrue(echo.first().request(request, 0, 4, WAIT) > 0);
        assertThrows(NullPointerException.class, () -> echo.server().poll(null, 16));
        assertThrows(NullPointerException.class, () -> echo.server().poll(null, 16, WAIT));
        assertEquals(1, echo.server().poll(asked -> asked.complete(request, 0, 4), 16), "the request was kept");
        assertThrows(NullPointerException.class, () -> echo.first().poll(null, 16));
        final Collected collected = new Collected();
        assertEquals(1, echo.first().poll(collected, 16, WAIT), "the response was kept");

        assertTrue(echo.first().request(request, 0, 4, WAIT) > 0);
        assertEquals(1, echo.server().poll(asked -> asked.complete(request, 0, 4), 16));
        assertThrows(IllegalStateException.class, () -> echo.first().poll(new Collected()
        {
            @Override
            public void onResponse(final long correlationId, final DirectBuffer buffer, final int offset,
                final int length, final boolean last)
            {
                echo.first().call(request, 0, 4, new Collected(), WAIT);
            }
        }, 16, WAIT));
        assertEquals(0, echo.first().pendingRequests(), "the nested call sent nothing");
        assertEquals(0, echo.server().poll(asked -> fail("the nested call sent nothing"), 16));
    }

    private static void pollUnlessClosed(final ServiceClient client)
    {
        try
        {
            client.poll(new Collected(), 64);
        }
        catch (final RegionClosedException ex)
        {
            // The close came between the request and the poll: documented for a poll.
        }
    }

    @Test
    @Timeout(30)
    void withoutAServerNothingIsSentAndACallSaysSo()
    {
        final ServiceClient client = track(ServiceClient.open(clientRegion, ECHO));
        assertFalse(client.isServerAvailable());
        assertEquals(ServiceClient.NO_SERVER, client.request(text("x"), 0, 1, WAIT));
        final ServiceUnavailableException unavailable = assertThrows(ServiceUnavailableException.class,
            () -> client.call(text("x"), 0, 1, new Collected(), Duration.ofMillis(50)));
        assertTrue(unavailable.getMessage().contains("service unavailable: region=" + serverRegion.location() +
            " service=echo no server"), unavailable.getMessage());
    }

    @Test
    @Timeout(30)
    void aFailureHandlerThatThrowsLeavesTheRestOfADeadServersRequestsToFailAtTheNextPoll()
    {
        final ServiceServer server = ServiceServer.open(serverRegion, ECHO);
        final ServiceClient client = track(ServiceClient.open(clientRegion, ECHO));
        for (int i = 0; i < 3; i++)
        {
            assertTrue(client.request(text("r" + i), 0, 2, Duration.ofHours(1)) > 0);
        }
        server.close(); // releases its lock, as its death would
        final IllegalStateException bug = new IllegalStateException("the application's failure handler failed");
        final Collected collected = new Collected()
        {
            @Override
            public void onFailure(final long correlationId, final ServiceException failure)
            {
                super.onFailure(correlationId, failure);
                if (failures.size() == 1)
                {
                    throw bug;
                }
            }
        };
        assertSame(bug, assertThrows(IllegalStateException.class, () -> client.poll(collected, 10, WAIT)));
        assertEquals(2, client.poll(collected, 10, WAIT), "the other two fail at the next poll");
        assertEquals(3, collected.failures.size());
        collected.failures.forEach(failure -> assertInstanceOf(ServerDiedException.class, failure));
        assertEquals(0, client.pendingRequests());
    }

    @Test
    @Timeout(30)
    void everyPendingRequestFailsWhenTheServerGoesAndTheNextServerTakesOver() throws InterruptedException
    {
        final ServiceServer server = ServiceServer.open(serverRegion, ECHO);
        final ServiceClient client = track(ServiceClient.open(clientRegion, ECHO));
        for (int i = 0; i < 5; i++)
        {
            assertEquals(i + 1, client.request(text("r" + i), 0, 2, WAIT));
        }
        assertThrows(ChannelInUseException.class, () -> ServiceServer.open(clientRegion, ECHO),
            "one server at a time");
        server.close(); // releases its lock, as its death would

        final Collected collected = new Collected();
        final long start = System.nanoTime();
        assertEquals(5, client.poll(collected, 10, WAIT), "all five fail in one go");
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(1).toNanos());
        for (final ServiceException failure : collected.failures)
        {
            assertInstanceOf(ServerDiedException.class, failure);
            assertTrue(failure.getMessage().contains("server died: region=" + serverRegion.location() +
                " service=echo"), failure.getMessage());
        }

        final ServiceServer next = track(ServiceServer.open(serverRegion, ECHO));
        final Thread serving = new Thread(() ->
        {
            int handled = 0;
            while (handled == 0)
            {
                handled = next.poll(ServiceTest::streamThree, 10, WAIT);
            }
        });
        serving.start();
        final Collected afterwards = new Collected();
        assertEquals(3, client.call(text("z"), 0, 1, afterwards, WAIT));
        assertEquals(List.of("6:z#0", "6:z#1", "6:z#end:last"), afterwards.responses);
        serving.join(); // the server belongs to its thread: it is closed after that thread's last poll returned
        assertEquals(5, next.staleRequests(), "the requests sent to the server that went are not handled again");
    }

    /**
     * A starting server removes the reply channels of its service that no client uses, and only those: a
     * {@code ONE_TO_ONE} channel named exactly as a client names its own. Channels whose names merely look alike (upper
     * case hex digits, another kind, the request channel of a service named like a reply channel) stay, with what they
     * hold.
     */
    @Test
    @Timeout(30)
    void aStartingServerRemovesOnlyWhatIsExactlyAReplyChannelOfItsService()
    {
        final List<ChannelSpec> lookAlikes = List.of(
            new ChannelSpec("echo.reply-ABCDEF12", ChannelKind.ONE_TO_ONE, 4096, 0),
            new ChannelSpec("echo.reply-0000beef", ChannelKind.PUBLISH_SUBSCRIBE, 4096, 0),
            new ChannelSpec("echo.reply-00000001", ChannelKind.MANY_TO_ONE, 4096, 0));
        lookAlikes.forEach(spec -> serverRegion.directory().openOrCreateChannel(spec));
        serverRegion.directory().openOrCreateChannel(new ChannelSpec("echo.reply-0000cafe", ChannelKind.ONE_TO_ONE,
            4096, 0)); // a client that died before any server ran
        final ServiceServer server = track(ServiceServer.open(serverRegion, ECHO));
        final ChannelList channels = serverRegion.directory().channelList();
        assertEquals(1, server.reclaimedClients(), channels.toString());
        assertFalse(channels.contains("echo.reply-0000cafe"), channels.toString());
        lookAlikes.forEach(spec -> assertTrue(channels.contains(spec.name()), spec + " in " + channels));
    }

    @Test
    @Timeout(30)
    void responsesToAClientThatLeftAreDroppedAndItsChannelRemoved()
    {
        final ServiceServer server = track(ServiceServer.open(serverRegion, ECHO));
        final ServiceClient staying = track(ServiceClient.open(serverRegion, ECHO));
        final ServiceClient leaving = ServiceClient.open(clientRegion, ECHO);
        final String replyChannel = "echo.reply-" + String.format("%08x", leaving.clientId());
        assertTrue(serverRegion.directory().channelList().contains(replyChannel));
        leaving.request(text("a"), 0, 1, WAIT);
        assertEquals(1, server.poll(ServiceTest::streamThree, 10, WAIT), "answered while the client is alive");
        leaving.request(text("b"), 0, 1, WAIT);
        leaving.close(); // its reply channel stays while the server holds it
        assertTrue(serverRegion.directory().channelList().contains(replyChannel));
        final int[] lateClient = new int[1];
        assertEquals(1, server.poll(request ->
        {
            lateClient[0] = request.clientId();
            assertEquals(Publisher.OK, request.complete(text("late"), 0, 4), "written: no probe per response");
        }, 10, WAIT));
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (server.reclaimedClients() == 0 && System.nanoTime() - deadline < 0)
        {
            server.poll(request -> fail("no request"), 10, Duration.ofMillis(10)); // housekeeping: every 100 ms
        }
        assertEquals(1, server.reclaimedClients());
        assertEquals(4, server.droppedResponses(), "three never read, one sent after it left");
        assertFalse(serverRegion.directory().channelList().contains(replyChannel), "its reply channel was removed");
        assertEquals(ServiceServer.NO_CLIENT, server.respond(lateClient[0], 2, text("x"), 0, 1, true));
        assertEquals(5, server.droppedResponses());

        staying.request(text("s"), 0, 1, WAIT);
        assertEquals(1, server.poll(ServiceTest::streamThree, 10, WAIT));
        final Collected collected = new Collected();
        while (collected.responses.size() < 3)
        {
            staying.poll(collected, 10, WAIT);
        }
        assertEquals("1:s#end:last", collected.responses.get(2), "the others are served as before");
    }

    @Test
    @Timeout(30)
    void aWaitSetWakesForAServerRequestAndAClientResponse()
    {
        final ServiceServer server = track(ServiceServer.open(serverRegion, ECHO));
        final ServiceClient client = track(ServiceClient.open(clientRegion, ECHO));
        final WaitSet serverSide = track(new WaitSet());
        final WaitSet clientSide = track(new WaitSet());
        final int serverKey = serverSide.add(server);
        final int clientKey = clientSide.add(client);
        assertEquals(0, serverSide.await(Duration.ofMillis(10)));
        client.request(text("w"), 0, 1, WAIT);
        assertEquals(1, serverSide.await(WAIT));
        assertTrue(serverSide.isReady(serverKey));
        server.poll(ServiceTest::streamThree, 10);
        assertEquals(1, clientSide.await(WAIT));
        assertTrue(clientSide.isReady(clientKey));
        final Collected collected = new Collected();
        client.poll(collected, 10);
        assertEquals(3, collected.responses.size());

        client.request(text("x"), 0, 1, WAIT);
        server.close();
        assertEquals(1, clientSide.await(WAIT), "the server's end wakes the client's wait");
        client.poll(collected, 10);
        assertInstanceOf(ServerDiedException.class, collected.failures.get(0));
    }
}

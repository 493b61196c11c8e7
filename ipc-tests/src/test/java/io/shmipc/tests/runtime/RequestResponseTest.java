package io.shmipc.tests.runtime;

import io.shmipc.ChannelSpec;
import io.shmipc.Region;
import io.shmipc.RegionDirectory;
import io.shmipc.RegionInspector;
import io.shmipc.RegionConfig;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.tests.support.Summary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Four client processes send 10,000 requests each to a server process and check every one of the three responses
 * each gets. Killing the server (SIGKILL) fails every pending request of every client within 100 ms, and a new
 * server takes over while the clients go on; killing a client makes the server count the responses it lost and
 * remove its reply channel, while it goes on serving the others; stopping the server (SIGSTOP) times requests out,
 * and what it answers once it goes on is dropped and counted as late.
 */
class RequestResponseTest extends RuntimeTestBase
{
    RequestResponseTest()
    {
        super("shmipc-rr");
    }

    private static final int CLIENTS = 4;
    private static final long REQUESTS = 10_000;
    private static final int WINDOW = 16;
    private static final Duration WAIT = Duration.ofSeconds(120);
    /** Long enough that a loaded machine rarely times a request out while the server runs; short for the test. */
    private static final Duration STALL_TIMEOUT = Duration.ofMillis(1500);

    private Region createRegion()
    {
        return Region.create(RegionConfig.builder(location).maxChannels(2 + CLIENTS)
            .dataAreaLength(RegionDirectory.channelAreaLength(ServicePeer.SERVICE.requestChannel().kind(), 1 << 16) +
                CLIENTS * RegionDirectory.channelAreaLength(ServicePeer.SERVICE.replyChannel(0).kind(), 1 << 14))
            .build());
    }

    private String regionArgument()
    {
        return "region=" + ChildArguments.format(location);
    }

    private ChildProcess startServer()
    {
        final ChildProcess server = children.start(ServicePeer.class, regionArgument(), "role=server");
        server.awaitLineStartingWith("SERVING", WAIT);
        return server;
    }

    /**
     * Wait until dead clients' reply channels are gone from the region.
     */
    private static void awaitRemoved(final Region region, final List<String> replyChannels)
    {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (region.channels().stream().map(ChannelSpec::name).anyMatch(replyChannels::contains))
        {
            assertTrue(System.nanoTime() - deadline < 0, "the dead clients' reply channels " + replyChannels +
                " were never removed: " + region.channels());
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    private List<ChildProcess> startClients(final Duration timeout)
    {
        final List<ChildProcess> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++)
        {
            clients.add(children.start(ServicePeer.class, regionArgument(), "role=client", "requests=" + REQUESTS,
                "window=" + WINDOW, "timeoutMs=" + timeout.toMillis()));
        }
        clients.forEach(client -> client.awaitLineStartingWith("READY ", WAIT));
        return clients;
    }

    private static void awaitProgress(final List<ChildProcess> clients, final long completed)
    {
        for (final ChildProcess client : clients)
        {
            client.awaitLine(line -> line.startsWith("PROGRESS ") && Summary.parse(line).number("completed") >=
                completed, WAIT);
        }
    }

    /**
     * Stop a client once it has made progress, so that it still has requests to make, at a moment when responses
     * wait for it: stopped just after it read every response and before it sent more, it has none coming, and is let
     * go on to its next thousand before it is stopped again.
     */
    private void stopWithResponsesWaiting(final ChildProcess victim, final String victimChannel)
    {
        for (int attempt = 1; ; attempt++)
        {
            final long thousands = attempt;
            victim.awaitLine(line -> line.startsWith("PROGRESS ") && Summary.parse(line).number("completed") >=
                thousands * 1000, WAIT);
            victim.signal("STOP");
            try (RegionInspector inspector = RegionInspector.open(location))
            {
                // The server answers a pending request within microseconds; a second without one means none is
                // pending.
                final long until = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                while (System.nanoTime() - until < 0)
                {
                    if (inspector.peek(victimChannel, 0, null).messages() > 0)
                    {
                        return;
                    }
                    LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
                }
            }
            assertTrue(attempt < 5, "no response waited for the stopped client in " + attempt + " tries");
            victim.signal("CONT");
        }
    }

    /**
     * The client's summary: every request completed with every response matched (a request sent again after a
     * failure may have had some responses before it failed, hence at least).
     */
    private static Summary summary(final ChildProcess client)
    {
        final Summary summary = Summary.parse(client.awaitLineStartingWith("SUMMARY ", WAIT));
        summary.assertValue("completed", REQUESTS).assertValue("mismatched", 0);
        assertTrue(summary.number("responses") >= REQUESTS * ServicePeer.RESPONSES, summary.line());
        client.awaitSuccess(WAIT);
        return summary;
    }

    private static void signal(final ChildProcess process, final String signal)
    {
        try
        {
            final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
            assertTrue(kill.waitFor(30, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " failed");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
    }

    @Test
    @Timeout(400)
    void everyPendingRequestFailsWithin100MsOfTheServersDeathAndANewServerTakesOver()
    {
        try (Region region = createRegion())
        {
            final ChildProcess first = startServer();
            final List<ChildProcess> clients = startClients(Duration.ofSeconds(60));
            clients.forEach(client -> client.send("GO"));
            awaitProgress(clients, 2000);

            // the process dies after the signal is sent: measured from the sending, the delay is an upper bound
            final long killedAt = System.nanoTime();
            first.kill();
            final long reapedAt = System.nanoTime();
            for (final ChildProcess client : clients)
            {
                final Summary died = Summary.parse(client.awaitLineStartingWith("SERVER_DIED ", WAIT));
                assertTrue(died.number("count") >= 1, died.line());
                assertEquals(0, died.number("left"), "every pending request failed in one poll: " + died.line());
                final double afterKillMs = (died.number("lastAt") - killedAt) / 1e6;
                System.out.printf("pending requests failed %.1f ms after the kill was sent, %.1f ms after the killed " +
                    "process was reaped: %s%n", afterKillMs, (died.number("lastAt") - reapedAt) / 1e6, died.line());
                assertTrue(afterKillMs >= 0 && afterKillMs < 100, "every pending request failed " + afterKillMs +
                    " ms after the server was killed: " + died.line());
            }

            final ChildProcess second = startServer();
            long diedTotal = 0;
            for (final ChildProcess client : clients)
            {
                // Requests sent while the new server registered went to it, never to the dead one's id.
                diedTotal += summary(client).assertValue("timeouts", 0).assertValue("addressedToDead", 0)
                    .number("serverDied");
            }
            second.send("STOP");
            final Summary stats = Summary.parse(second.awaitLineStartingWith("STATS ", WAIT));
            assertTrue(stats.number("handled") > 0, "the new server took over: " + stats.line());
            assertTrue(diedTotal >= CLIENTS, "failed requests were sent again: " + diedTotal);
            second.awaitSuccess(WAIT);
            assertTrue(region.directory().channelList().contains(ServicePeer.SERVICE.name()),
                "the request channel stays");
        }
    }

    @Test
    @Timeout(400)
    void clientsKilledBeforeTheirFirstResponseLeaveNoReplyChannelAndNewClientsFindRoom()
    {
        try (Region region = createRegion())
        {
            final ChildProcess server = startServer();
            // Joined and never asked: the server has answered none of them, so it holds none of their channels.
            final List<ChildProcess> unanswered = startClients(Duration.ofSeconds(60));
            final List<String> replyChannels = new ArrayList<>();
            for (final ChildProcess client : unanswered)
            {
                final String id = Summary.parse(client.awaitLineStartingWith("READY ", WAIT)).text("client");
                replyChannels.add(ServicePeer.SERVICE.replyChannel(Integer.parseInt(id)).name());
            }
            unanswered.forEach(ChildProcess::kill);

            awaitRemoved(region, replyChannels);
            // The region holds reply channels for CLIENTS clients: without the removal these could not join.
            final List<ChildProcess> clients = startClients(Duration.ofSeconds(60));
            clients.forEach(client -> client.send("GO"));
            for (final ChildProcess client : clients)
            {
                summary(client).assertValue("serverDied", 0);
            }
            server.send("STOP");
            final Summary stats = Summary.parse(server.awaitLineStartingWith("STATS ", WAIT));
            assertTrue(stats.number("reclaimed") >= CLIENTS, stats.line());
            server.awaitSuccess(WAIT);
        }
    }

    @Test
    @Timeout(400)
    void aKilledClientsResponsesAreCountedAsDroppedAndTheOthersAreServed()
    {
        try (Region region = createRegion())
        {
            final ChildProcess server = startServer();
            final List<ChildProcess> clients = startClients(Duration.ofSeconds(60));
            final String victimId = Summary.parse(clients.get(0).awaitLineStartingWith("READY ", WAIT)).text("client");
            final String victimChannel = ServicePeer.SERVICE.replyChannel(Integer.parseInt(victimId)).name();
            clients.forEach(client -> client.send("GO"));
            // Stopped, the victim keeps its window of requests pending and reads no more: the server's responses to
            // them wait unread in its reply channel; then it dies with them there.
            stopWithResponsesWaiting(clients.get(0), victimChannel);
            awaitProgress(clients.subList(1, CLIENTS), 1000);
            clients.get(0).kill();

            for (final ChildProcess client : clients.subList(1, CLIENTS))
            {
                summary(client).assertValue("serverDied", 0).assertValue("timeouts", 0);
            }
            awaitRemoved(region, List.of(victimChannel));
            server.send("STOP");
            final Summary stats = Summary.parse(server.awaitLineStartingWith("STATS ", WAIT));
            assertTrue(stats.number("dropped") > 0, "the responses the dead client lost are counted: " + stats.line());
            assertTrue(stats.number("reclaimed") >= 1, stats.line());
            server.awaitSuccess(WAIT);
        }
    }

    @Test
    @Timeout(400)
    void requestsOfAServerThatStopsAnsweringTimeOutAndItsLateResponsesAreDropped()
    {
        try (Region region = createRegion())
        {
            final ChildProcess server = startServer();
            final List<ChildProcess> clients = startClients(STALL_TIMEOUT);
            clients.forEach(client -> client.send("GO"));
            awaitProgress(clients, 1000);

            signal(server, "STOP"); // alive, holding its lock, answering nothing
            for (final ChildProcess client : clients)
            {
                final Summary timedOut = Summary.parse(client.awaitLineStartingWith("TIMEOUTS ", WAIT));
                assertTrue(timedOut.number("count") >= 1, timedOut.line());
            }
            signal(server, "CONT");

            long late = 0;
            for (final ChildProcess client : clients)
            {
                final Summary summary = summary(client).assertValue("serverDied", 0);
                assertTrue(summary.number("timeouts") >= 1, summary.line());
                late += summary.number("late");
            }
            assertTrue(late > 0, "the stopped server answered the timed-out requests when it went on: dropped, " +
                "counted as late");
            server.send("STOP");
            Summary.parse(server.awaitLineStartingWith("STATS ", WAIT));
            server.awaitSuccess(WAIT);
            assertTrue(region.directory().channelList().contains(ServicePeer.SERVICE.name()),
                "the request channel stays");
        }
    }
}

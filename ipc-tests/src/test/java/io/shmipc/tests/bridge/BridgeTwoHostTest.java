package io.shmipc.tests.bridge;

import io.shmipc.ChannelKind;
import io.shmipc.ChannelStatus;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionInspector;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.bridge.Bridge;
import io.shmipc.bridge.BridgeConfig;
import io.shmipc.bridge.BridgeInspector;
import io.shmipc.examples.cli.BridgeCommand;
import io.shmipc.tests.channels.RingConsumer;
import io.shmipc.tests.channels.RingProducer;
import io.shmipc.tests.support.Summary;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.toolkit.SequencedMessage;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Bridges on two simulated hosts (network namespaces joined by a veth pair), each host with its own region, every
 * producer, consumer and bridge a separate JVM on its host. Messages carry a sequence and a CRC of their payload.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class BridgeTwoHostTest
{
    private static final String PORT = "40123";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final int RING_CAPACITY = 256 * 1024;
    private static final int REPLAY_CAPACITY = 512 * 1024;

    private final String id = Long.toString(ProcessHandle.current().pid()) + "-" + System.nanoTime();
    private final RegionLocation locationA = RegionLocation.shm("bridge2h-a-" + id);
    private final RegionLocation locationB = RegionLocation.shm("bridge2h-b-" + id);
    private final List<ChildProcess> processes = new ArrayList<>();
    private TwoHosts hosts;
    private Region regionA;
    private Region regionB;

    @BeforeEach
    void createHosts()
    {
        hosts = TwoHosts.create();
        regionA = Region.create(regionConfig(locationA));
        regionB = Region.create(regionConfig(locationB));
    }

    private static RegionConfig regionConfig(final RegionLocation location)
    {
        return RegionConfig.builder(location)
            .channel("orders", ChannelKind.ONE_TO_ONE, RING_CAPACITY)
            .channel("requests", ChannelKind.ONE_TO_ONE, RING_CAPACITY)
            .channel("replies", ChannelKind.ONE_TO_ONE, RING_CAPACITY)
            .channel("prices", ChannelKind.BROADCAST, 64 * 1024)
            .deleteOnClose(true)
            .build();
    }

    @AfterEach
    void removeHosts() throws IOException
    {
        processes.forEach(ChildProcess::close);
        if (regionA != null)
        {
            regionA.close();
        }
        if (regionB != null)
        {
            regionB.close();
        }
        for (final RegionLocation location : List.of(locationA, locationB))
        {
            for (final Path home : bridgeHomes(location))
            {
                Bridge.deleteHome(home);
            }
        }
        if (hosts != null)
        {
            hosts.close();
        }
    }

    private static List<Path> bridgeHomes(final RegionLocation location) throws IOException
    {
        try (Stream<Path> entries = Files.list(location.path().getParent()))
        {
            return entries.filter(path -> path.getFileName().toString().startsWith(
                location.path().getFileName() + ".bridge-")).toList();
        }
    }

    @Test
    void millionCheckedMessagesArriveInOrderAndIntact()
    {
        startBridges("out:orders", "in:orders");
        final long count = 1_000_000;
        final ChildProcess consumer = consumer("orders", count, 256);
        final ChildProcess producer = producer("orders", count, 256, 11);
        assertExactStream(producer, consumer, count);
    }

    @Test
    void everyMessageArrivesThroughFivePercentPacketLoss()
    {
        hosts.dropIncoming(0.05);
        startBridges("out:orders", "in:orders");
        final long count = 200_000;
        final ChildProcess consumer = consumer("orders", count, 1024);
        final ChildProcess producer = producer("orders", count, 1024, 12);
        assertExactStream(producer, consumer, count);
        final long dropped = hosts.droppedPackets();
        assertTrue(dropped > 100, "the drop rules dropped too little to test anything: " + dropped);
    }

    @Test
    void absentConsumerBackPressuresThePublisherAcrossTheLinkAndLosesNothing()
    {
        startBridges("out:orders", "in:orders");
        final long count = 200_000;
        final ChildProcess producer = producer("orders", count, 256, 15);
        // Nobody reads region B: its ring fills, bridge B leaves messages in Aeron, Aeron's window and the replay
        // log of bridge A fill, then region A's ring, and the producer on A is refused.
        awaitAtLeast("bridge B refused by its full ring", () -> bridgeCounter(locationB,
            "in orders: local back-pressure"), 1);
        awaitAtLeast("bridge A's replay log full", () -> bridgeCounter(locationA,
            "out orders: ring polls held (replay log full)"), 1);
        final long backPressure = channel(locationA, "orders").counts().backPressureEvents();
        awaitAtLeast("producer on A back-pressured", () -> channel(locationA, "orders").counts()
            .backPressureEvents(), backPressure + 1000);
        assertTrue(producer.isAlive(), producer.output());
        final ChildProcess consumer = consumer("orders", count, 256);
        assertExactStream(producer, consumer, count);
    }

    @Test
    void killedReceivingBridgeLosesNothingAndSendersSeeOnlyBackPressure() throws Exception
    {
        final ChildProcess bridgeA =
            bridge(TwoHosts.Host.A, locationA, TwoHosts.ADDRESS_A, TwoHosts.ADDRESS_B, "out:orders");
        ChildProcess bridgeB = bridge(TwoHosts.Host.B, locationB, TwoHosts.ADDRESS_B, TwoHosts.ADDRESS_A, "in:orders");
        final long count = 400_000;
        final ChildProcess consumer = consumer("orders", count, 64);
        final ChildProcess producer = producer("orders", count, 64, 13);

        awaitAtLeast("consumer on B received a quarter", () -> consumed(locationB, "orders"), count / 4);
        bridgeB.kill();
        final long backPressureAtKill = channel(locationA, "orders").counts().backPressureEvents();
        final long consumedAtKill = consumed(locationB, "orders");
        // The sending side fills (replay log, then ring) and its producer is refused, never failed.
        awaitAtLeast("producer on A back-pressured", () -> channel(locationA, "orders").counts()
            .backPressureEvents(), backPressureAtKill + 1000);
        assertTrue(producer.isAlive(), producer.output());
        assertTrue(consumed(locationB, "orders") - consumedAtKill < count / 4,
            "consumer kept receiving with its bridge dead");

        bridgeB = bridge(TwoHosts.Host.B, locationB, TwoHosts.ADDRESS_B, TwoHosts.ADDRESS_A, "in:orders");
        final Summary sent = Summary.parse(producer.awaitLineStartingWith("SENT", RUN_TIMEOUT));
        final Summary received = Summary.parse(consumer.awaitLineStartingWith("RECEIVED", RUN_TIMEOUT));
        System.out.println("kill -9 of the receiving bridge: " + sent.line() + " / " + received.line());
        assertTrue(sent.number("backPressured") > 0, sent.line());
        received.assertValue("unique", count).assertValue("missing", 0).assertValue("crcErrors", 0)
            .assertValue("lengthErrors", 0).assertValue("invalid", 0).assertValue("gaps", 0);
        // Redelivery window: at most what the sender's replay log held unacknowledged when the receiver died.
        final long window = REPLAY_CAPACITY / 56;
        assertTrue(received.number("duplicates") <= window, "duplicates beyond the window " + window + ": " +
            received.line());
        try (BridgeInspector inspector = BridgeInspector.open(BridgeConfig.defaultHome(locationA, "bridge")))
        {
            // Its replay log filled while the receiver was away, and it resent what was unacknowledged.
            assertTrue(inspector.counter("out orders: ring polls held (replay log full)") > 0,
                inspector.counters().toString());
            assertTrue(inspector.counter("out orders: rewinds") >= 2, inspector.counters().toString());
            assertTrue(inspector.counter("out orders: replayed messages") > 0, inspector.counters().toString());
            assertEquals(count + 1, inspector.counter("out orders: sent messages"), inspector.counters().toString());
        }
        assertTrue(bridgeA.isAlive() && bridgeB.isAlive());
    }

    @Test
    void requestsAndRepliesCrossTheLinkBothWaysAtOnce()
    {
        startBridges("out:requests,in:replies", "in:requests,out:replies");
        final long count = 100_000;
        final int maxPayload = regionA.channels().get(1).maxMessageLength() - SequencedMessage.HEADER_LENGTH;
        final ChildProcess echo = start(TwoHosts.Host.B, EchoMain.class, "region=" + locationB.shmName(),
            "requests=requests", "replies=replies");
        echo.awaitLineStartingWith("READY", START_TIMEOUT);
        final ChildProcess consumer = consumer("replies", count, maxPayload);
        final ChildProcess producer = producer("requests", count, maxPayload, 14);
        assertExactStream(producer, consumer, count);
        assertEquals(count, Summary.parse(echo.awaitLineStartingWith("ECHOED", RUN_TIMEOUT)).number("count"));
    }

    @Test
    void broadcastRouteOverMulticastDeliversInOrderAndCountsWhatItDrops()
    {
        // The group's port is bound by A's publication: A hears the receivers' sync requests on another.
        final String group = "239.255.0.1:" + PORT;
        final String controlA = TwoHosts.ADDRESS_A + ":" + (Integer.parseInt(PORT) + 1);
        bridge(TwoHosts.Host.A, locationA, List.of("--listen", controlA, "--peer", group,
            "--interface", TwoHosts.ADDRESS_A), "out:prices");
        bridge(TwoHosts.Host.B, locationB, List.of("--listen", group, "--interface", TwoHosts.ADDRESS_B,
            "--peer", controlA), "in:prices");
        final long count = 5_000;
        final List<Long> received = new ArrayList<>();
        long published = 0;
        try (Publisher prices = regionA.publisher("prices");
            Subscriber pricesB = regionB.subscriber("prices"))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
            final long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
            // Until the first arrives Aeron may take nothing (dropped, counted); then paced, so B keeps up.
            while (received.size() < count)
            {
                assertTrue(System.nanoTime() - deadline < 0, "timed out: published=" + published + " received=" +
                    received.size());
                message.putLong(0, published);
                assertEquals(Publisher.OK, prices.offer(message, 0, 8));
                published++;
                LockSupport.parkNanos(50_000L);
                pricesB.poll((buffer, offset, length) -> received.add(buffer.getLong(offset)), 64);
            }
        }
        for (int i = 1; i < received.size(); i++)
        {
            assertTrue(received.get(i) > received.get(i - 1), "out of order at " + i);
        }
        // Bridge A may not have taken the last ones from the region yet: each is either sent or counted lost.
        final long total = published;
        awaitAtLeast("every published message sent or counted lost", () -> bridgeCounter(locationA,
            "out prices: sent messages") + bridgeCounter(locationA, "out prices: lost messages"), total);
        assertEquals(total, bridgeCounter(locationA, "out prices: sent messages") + bridgeCounter(locationA,
            "out prices: lost messages"));
    }

    private static long bridgeCounter(final RegionLocation location, final String label)
    {
        try (BridgeInspector inspector = BridgeInspector.open(BridgeConfig.defaultHome(location, "bridge")))
        {
            return inspector.counter(label);
        }
    }

    private void startBridges(final String routesA, final String routesB)
    {
        bridge(TwoHosts.Host.A, locationA, TwoHosts.ADDRESS_A, TwoHosts.ADDRESS_B, routesA.split(","));
        bridge(TwoHosts.Host.B, locationB, TwoHosts.ADDRESS_B, TwoHosts.ADDRESS_A, routesB.split(","));
    }

    private ChildProcess bridge(final TwoHosts.Host host, final RegionLocation region,
        final String self, final String peer, final String... routes)
    {
        return bridge(host, region, List.of("--listen", self + ":" + PORT, "--peer", peer + ":" + PORT), routes);
    }

    private ChildProcess bridge(final TwoHosts.Host host, final RegionLocation region, final List<String> endpoints,
        final String... routes)
    {
        final List<String> args = new ArrayList<>(List.of(region.shmName(), "--replay-capacity",
            Integer.toString(REPLAY_CAPACITY), "--term-length", "1m"));
        args.addAll(endpoints);
        for (final String route : routes)
        {
            args.add("--route");
            args.add(route);
        }
        final ChildProcess bridge = start(host, BridgeCommand.class, args.toArray(new String[0]));
        bridge.awaitLine(line -> line.contains("ready:"), START_TIMEOUT);
        return bridge;
    }

    /**
     * The consumer of {@code replies} reads region A on host A; of any other channel, region B on host B.
     */
    private ChildProcess consumer(final String channel, final long count, final int maxPayload)
    {
        final boolean onA = channel.equals("replies");
        final ChildProcess consumer = start(onA ? TwoHosts.Host.A : TwoHosts.Host.B, RingConsumer.class,
            "region=" + (onA ? locationA : locationB).shmName(), "channel=" + channel, "count=" + count,
            "maxPayload=" + maxPayload, "stallMs=60000");
        consumer.awaitLineStartingWith("READY", START_TIMEOUT);
        return consumer;
    }

    private ChildProcess producer(final String channel, final long count, final int maxPayload, final long seed)
    {
        return start(TwoHosts.Host.A, RingProducer.class, "region=" + locationA.shmName(), "channel=" + channel,
            "count=" + count, "seed=" + seed, "maxPayload=" + maxPayload, "stuckMs=120000");
    }

    private ChildProcess start(final TwoHosts.Host host, final Class<?> main, final String... args)
    {
        final ChildProcess process = hosts.startJava(host, main, args);
        processes.add(process);
        return process;
    }

    private static void assertExactStream(final ChildProcess producer, final ChildProcess consumer, final long count)
    {
        final Summary sent = Summary.parse(producer.awaitLineStartingWith("SENT", RUN_TIMEOUT));
        final Summary received = Summary.parse(consumer.awaitLineStartingWith("RECEIVED", RUN_TIMEOUT));
        received.assertValue("received", count).assertValue("unique", count).assertValue("missing", 0)
            .assertValue("duplicates", 0).assertValue("outOfOrder", 0).assertValue("crcErrors", 0)
            .assertValue("lengthErrors", 0).assertValue("invalid", 0).assertValue("endMarkers", 1);
        assertEquals(sent.text("digest"), received.text("digest"), received.line());
        assertEquals(sent.number("bytes"), received.number("bytes"), received.line());
    }

    private static ChannelStatus channel(final RegionLocation location, final String name)
    {
        try (RegionInspector inspector = RegionInspector.open(location))
        {
            return inspector.channels().stream().filter(channel -> channel.spec().name().equals(name)).findFirst()
                .orElseThrow();
        }
    }

    private static long consumed(final RegionLocation location, final String name)
    {
        return channel(location, name).counts().consumedMessages();
    }

    private static void awaitAtLeast(final String what, final LongSupplier value, final long target)
    {
        final long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        long last;
        while ((last = value.getAsLong()) < target)
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("timed out waiting until " + what + ": " + last + " < " + target);
            }
            LockSupport.parkNanos(5_000_000L); // polls shared-memory counters; the children need the cores
        }
        assertFalse(last < target);
    }
}

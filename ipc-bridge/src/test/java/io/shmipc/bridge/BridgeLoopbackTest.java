package io.shmipc.bridge;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.shmipc.ChannelKind;
import io.shmipc.MessageHandler;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import org.agrona.CloseHelper;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two bridges in one JVM over loopback UDP: the protocol end to end, without network namespaces (those are the
 * system tests' job).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BridgeLoopbackTest
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(60);
    /** What every forged message carries in its first 8 bytes: no real message does. */
    private static final long FORGED = -1L;
    private static final int FRAMES_PER_SESSION = 200;

    private final String suffix = ProcessHandle.current().pid() + "-" + System.nanoTime();
    private final RegionLocation locationA = RegionLocation.shm("bridge-test-a-" + suffix);
    private final RegionLocation locationB = RegionLocation.shm("bridge-test-b-" + suffix);
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private Region regionA;
    private Region regionB;

    @BeforeEach
    void createRegions()
    {
        regionA = Region.create(RegionConfig.builder(locationA)
            .channel("orders", ChannelKind.ONE_TO_ONE, 64 * 1024)
            .channel("replies", ChannelKind.MANY_TO_ONE, 64 * 1024)
            .channel("prices", ChannelKind.BROADCAST, 64 * 1024)
            .channel("journal", ChannelKind.PUBLISH_SUBSCRIBE, 64 * 1024)
            .deleteOnClose(true).build());
        regionB = Region.create(RegionConfig.builder(locationB)
            .channel("orders", ChannelKind.MANY_TO_ONE, 64 * 1024)
            .channel("replies", ChannelKind.ONE_TO_ONE, 64 * 1024)
            .channel("prices", ChannelKind.BROADCAST, 64 * 1024)
            .deleteOnClose(true).build());
    }

    @AfterEach
    void closeRegions()
    {
        regionA.close();
        regionB.close();
        // A test that failed, or closed its bridges with messages unacknowledged, leaves homes behind.
        for (final String name : List.of("a", "b", "solo", "log"))
        {
            Bridge.deleteHome(BridgeConfig.defaultHome(locationA, name));
            Bridge.deleteHome(BridgeConfig.defaultHome(locationB, name));
        }
    }

    private BridgeConfig.Builder config(final RegionLocation location, final String name, final int listen,
        final int peer)
    {
        return BridgeConfig.builder(location).name(name).listen("127.0.0.1:" + listen).peer("127.0.0.1:" + peer)
            .replayCapacity(256 * 1024).termLength(256 * 1024);
    }

    /**
     * The port of bridge "a" for a test that starts at {@code base} (24000 to 57000, a multiple of 1000), bridge "b"
     * listening on the next: apart for each test JVM, so that runs in parallel do not share ports, and below Linux's
     * ephemeral range (32768 and up), where the sockets Aeron binds to port 0 for its publications take theirs (one
     * took a test's listening port: "Address already in use").
     */
    private static int ports(final int base)
    {
        return 10_000 + (base - 24_000) / 1000 * 400 + (int)(ProcessHandle.current().pid() % 200) * 2;
    }

    /** A region whose {@code channel} takes longer messages than region B's of the same name (twice its capacity). */
    private static Region wideRegion(final RegionLocation location, final String channel, final ChannelKind kind)
    {
        return Region.create(RegionConfig.builder(location).channel(channel, kind, 128 * 1024).deleteOnClose(true)
            .build());
    }

    /** The message limit of region B's {@code channel}. */
    private int limitInRegionB(final String channel)
    {
        return regionB.channels().stream().filter(spec -> spec.name().equals(channel)).findFirst().orElseThrow()
            .maxMessageLength();
    }

    /** Bridge "a" of {@code location} on {@code portA}, sending {@code channel} to bridge "b". */
    private BridgeConfig.Builder sender(final RegionLocation location, final int portA, final String channel)
    {
        return config(location, "a", portA, portA + 1).route(BridgeRoute.out(channel));
    }

    /** Bridge "b" of region B, receiving {@code channel} from bridge "a" on {@code portA}. */
    private BridgeConfig.Builder receiver(final int portA, final String channel)
    {
        return config(locationB, "b", portA + 1, portA).route(BridgeRoute.in(channel));
    }

    @Test
    void carriesRingMessagesBothWaysInOrderAndCleansUp() throws Exception
    {
        final int portA = ports(24000);
        // A's driver runs on A's bridge thread (INVOKER), B's on a thread of its own (SHARED, the default).
        final BridgeConfig configA = config(locationA, "a", portA, portA + 1)
            .driverThreading(ThreadingMode.INVOKER)
            .route(BridgeRoute.out("orders")).route(BridgeRoute.in("replies")).route(BridgeRoute.out("prices"))
            .build();
        final BridgeConfig configB = config(locationB, "b", portA + 1, portA)
            .route(BridgeRoute.in("orders")).route(BridgeRoute.out("replies")).route(BridgeRoute.in("prices"))
            .build();
        final int count = 20_000;
        try (BridgeRunner a = BridgeRunner.start(configA, failures::add);
            BridgeRunner b = BridgeRunner.start(configB, failures::add);
            Publisher orders = regionA.publisher("orders");
            Subscriber ordersB = regionB.subscriber("orders");
            Publisher replies = regionB.publisher("replies");
            Subscriber repliesA = regionA.subscriber("replies"))
        {
            assertTrue(Files.isRegularFile(configA.homeDirectory().resolve("counters")));
            assertTrue(Files.isDirectory(Path.of(a.bridge().aeronDirectory())), b.bridge().aeronDirectory());
            final UnsafeBuffer message = new UnsafeBuffer(new byte[1024]);
            final long[] nextOrder = {0};
            final long[] nextReply = {0};
            long sent = 0;
            long replied = 0;
            final long deadline = System.nanoTime() + DEADLINE_NS;
            while (nextReply[0] < count)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    fail("timed out: sent=" + sent + " ordersReceived=" + nextOrder[0] + " replies=" + nextReply[0] +
                        " failures=" + failures);
                }
                if (sent < count)
                {
                    message.putLong(0, sent, ByteOrder.LITTLE_ENDIAN);
                    final int length = 8 + (int)(sent % 1000);
                    if (orders.offer(message, 0, length) == Publisher.OK)
                    {
                        sent++;
                    }
                }
                ordersB.poll((buffer, offset, length) ->
                {
                    assertEquals(nextOrder[0], buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN));
                    assertEquals(8 + nextOrder[0] % 1000, length);
                    nextOrder[0]++;
                }, 16);
                while (replied < nextOrder[0])
                {
                    message.putLong(0, replied, ByteOrder.LITTLE_ENDIAN);
                    if (replies.offer(message, 0, 8) != Publisher.OK)
                    {
                        break;
                    }
                    replied++;
                }
                repliesA.poll((buffer, offset, length) ->
                {
                    assertEquals(nextReply[0], buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN));
                    nextReply[0]++;
                }, 16);
            }
            assertTrue(failures.isEmpty(), failures.toString());
            awaitAcknowledged(configB, "out replies");
            awaitAcknowledged(configA, "out orders");
            assertTrue(AeronCounters.read(a.bridge().aeronDirectory()).keySet().stream()
                .anyMatch(label -> label.startsWith("snd-pos")), "Aeron's counters, as AeronStat reads them");
            try (BridgeInspector inspector = BridgeInspector.open(configA.homeDirectory()))
            {
                assertEquals(count, inspector.counter("out orders: sent messages"));
                assertEquals(count, inspector.counter("in replies: published messages"));
                assertEquals(0, inspector.counter("in replies: duplicates dropped"));
            }
        }
        assertFalse(Files.exists(configA.homeDirectory()), "home directory left: " + configA.homeDirectory());
        assertFalse(Files.exists(configB.homeDirectory()), "home directory left: " + configB.homeDirectory());
        assertTrue(failures.isEmpty(), failures.toString());
    }

    /**
     * An embedded driver comes with a control driver, in {@code driver-control} of the bridge's home, for the control
     * streams: the data drivers send or receive only data (each endpoint a driver polls costs a system call per duty
     * cycle, and a sender puts one datagram per publication on the wire per cycle). A bridge that only sends takes
     * the acknowledgements through it; a bridge that receives sends them through it, and takes its own control
     * messages where its data comes in. Both directories go with the bridges.
     */
    @Test
    void controlStreamsGoThroughADriverOfTheirOwn() throws Exception
    {
        final int portA = ports(33000);
        final BridgeConfig configA = sender(locationA, portA, "orders").driverThreading(ThreadingMode.INVOKER).build();
        final BridgeConfig configB = receiver(portA, "orders").build();
        final Path controlA = configA.homeDirectory().resolve("driver-control");
        final Path controlB = configB.homeDirectory().resolve("driver-control");
        try (BridgeRunner a = BridgeRunner.start(configA, failures::add);
            BridgeRunner b = BridgeRunner.start(configB, failures::add);
            Publisher orders = regionA.publisher("orders");
            Subscriber ordersB = regionB.subscriber("orders"))
        {
            stream(orders, ordersB, new UnsafeBuffer(new byte[64]), new long[1], 1000);
            awaitAcknowledged(configA, "out orders");

            final String listenA = "rcv-channel: aeron:udp?endpoint=127.0.0.1:" + portA;
            final String toA = "snd-channel: aeron:udp?endpoint=127.0.0.1:" + portA;
            assertChannels(a.bridge().aeronDirectory(), "snd-channel:", "rcv-channel:");
            assertChannels(controlA.toString(), listenA, "snd-channel:");
            assertChannels(b.bridge().aeronDirectory(), "rcv-channel:", "snd-channel:");
            assertChannels(controlB.toString(), toA, "rcv-channel:");
            assertTrue(failures.isEmpty(), failures.toString());
        }
        for (final Path gone : List.of(controlA, controlB, configA.homeDirectory(), configB.homeDirectory()))
        {
            assertFalse(Files.exists(gone), "left: " + gone);
        }
        assertTrue(failures.isEmpty(), failures.toString());
    }

    /**
     * The driver in {@code directory} has a channel whose counter label starts with {@code present}, none with
     * {@code absent}.
     */
    private static void assertChannels(final String directory, final String present, final String absent)
    {
        final Set<String> labels = AeronCounters.read(directory).keySet();
        assertTrue(labels.stream().anyMatch(label -> label.startsWith(present)), () -> directory + ": " + labels);
        assertTrue(labels.stream().noneMatch(label -> label.startsWith(absent)), () -> directory + ": " + labels);
    }

    /**
     * Both bridges stopped at the same moment (SIGTERM on both hosts), then started again, under a steady stream: the
     * receiving bridge acknowledges what it published as it stops, and the sending one waits for that before it
     * closes, so nothing comes twice, and nothing is lost.
     */
    @Test
    void twoBridgesStoppedAtOnceSendNothingTwiceAfterTheirRestart() throws Exception
    {
        final int portA = ports(27000);
        final BridgeConfig configA = sender(locationA, portA, "orders").build();
        final BridgeConfig configB = receiver(portA, "orders").build();
        final long count = 60_000;
        final Thread publishing = new Thread(() ->
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
            try (Publisher orders = regionA.publisher("orders"))
            {
                for (long sequence = 0; sequence < count; )
                {
                    message.putLong(0, sequence, ByteOrder.LITTLE_ENDIAN);
                    if (orders.offer(message, 0, message.capacity()) == Publisher.OK)
                    {
                        sequence++;
                    }
                    else
                    {
                        Thread.onSpinWait();
                    }
                }
            }
        });
        final long[] next = {0};
        final long[] duplicates = {0};
        try (Subscriber ordersB = regionB.subscriber("orders"))
        {
            final MessageHandler check = (buffer, offset, length) ->
            {
                final long sequence = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
                if (sequence < next[0])
                {
                    duplicates[0]++;
                    return;
                }
                assertEquals(next[0], sequence, "nothing lost");
                next[0]++;
            };
            final BridgeRunner[] bridges = {BridgeRunner.start(configA, failures::add),
                BridgeRunner.start(configB, failures::add)};
            try
            {
                publishing.start();
                for (int stop = 1; stop <= 3; stop++)
                {
                    receive(ordersB, check, next, stop * count / 4);
                    final BridgeRunner stoppingA = bridges[0];
                    final Thread closingA = new Thread(stoppingA::close);
                    closingA.start();
                    bridges[1].close();
                    closingA.join();
                    bridges[0] = BridgeRunner.start(configA, failures::add);
                    bridges[1] = BridgeRunner.start(configB, failures::add);
                }
                receive(ordersB, check, next, count);
            }
            finally
            {
                CloseHelper.closeAll(bridges);
            }
            publishing.join();
        }
        assertEquals(count, next[0]);
        assertEquals(0, duplicates[0], "messages delivered twice across three stops of both bridges at once");
        assertTrue(failures.isEmpty(), failures.toString());
    }

    private static void receive(final Subscriber subscriber, final MessageHandler check, final long[] next,
        final long until)
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (next[0] < until)
        {
            assertTrue(System.nanoTime() - deadline < 0, "received " + next[0] + " of " + until);
            subscriber.poll(check, 64);
        }
    }

    @Test
    void carriesBroadcastInOrderAndCountsWhatItDrops()
    {
        final int portA = ports(25000);
        final BridgeConfig configA = sender(locationA, portA, "prices").build();
        final BridgeConfig configB = receiver(portA, "prices").build();
        final long count = 5_000;
        final List<Long> received = new ArrayList<>();
        try (BridgeRunner a = BridgeRunner.start(configA, failures::add);
            BridgeRunner b = BridgeRunner.start(configB, failures::add);
            Subscriber pricesB = regionB.subscriber("prices");
            Publisher prices = regionA.publisher("prices"))
        {
            assertFalse(a.isClosed() || b.isClosed());
            final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
            final long deadline = System.nanoTime() + DEADLINE_NS;
            long published = 0;
            // Published until one arrives (before the link is up Aeron takes nothing: counted lost), then the rest.
            while (received.isEmpty() || published < count)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    fail("timed out: published=" + published + " received=" + received.size());
                }
                message.putLong(0, published, ByteOrder.LITTLE_ENDIAN);
                assertEquals(Publisher.OK, prices.offer(message, 0, 8));
                published++;
                LockSupport.parkNanos(20_000L);
                pricesB.poll((buffer, offset, length) -> received.add(buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN)),
                    64);
            }
            try (BridgeInspector inspector = BridgeInspector.open(configA.homeDirectory()))
            {
                // Bridge A may not have taken the last ones from the region yet: each is either sent or counted lost.
                while (inspector.counter("out prices: sent messages") + inspector.counter("out prices: lost messages") <
                    published)
                {
                    assertTrue(System.nanoTime() - deadline < 0, inspector.counters().toString());
                    LockSupport.parkNanos(1_000_000L);
                }
                final long sent = inspector.counter("out prices: sent messages");
                final long lost = inspector.counter("out prices: lost messages");
                assertEquals(published, sent + lost, inspector.counters().toString());
                assertTrue(sent >= count / 2, inspector.counters().toString());
            }
            for (int i = 1; i < received.size(); i++)
            {
                assertTrue(received.get(i) > received.get(i - 1), "out of order at " + i + ": " + received);
            }
            assertTrue(failures.isEmpty(), failures.toString());
        }
    }

    /**
     * Aeron answers the offer that fills a term with {@code ADMIN_ACTION} (it rotated the term) and takes the next
     * one: a broadcast route offers again instead of counting the message lost. Paced so that nothing else can cost
     * a message: each is published once the one before it has arrived, through about twenty term rotations.
     */
    @Test
    void aBroadcastRouteLosesNothingAtAeronsTermRotations()
    {
        final int portA = ports(48000);
        final int termLength = 128 * 1024; // the smallest that carries the channel's 8 KiB messages
        final BridgeConfig configA = sender(locationA, portA, "prices").termLength(termLength).build();
        final BridgeConfig configB = receiver(portA, "prices").termLength(termLength).build();
        final int length = 1024;
        final int paced = 20 * termLength / length;
        try (BridgeRunner a = BridgeRunner.start(configA, failures::add);
            BridgeRunner b = BridgeRunner.start(configB, failures::add);
            Subscriber pricesB = regionB.subscriber("prices");
            Publisher prices = regionA.publisher("prices");
            BridgeInspector inspector = BridgeInspector.open(configA.homeDirectory()))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[length]);
            final long[] last = {-1};
            final long deadline = System.nanoTime() + DEADLINE_NS;
            long published = 0;
            while (last[0] < 0) // until the link is up: what Aeron takes before is counted lost
            {
                assertTrue(System.nanoTime() - deadline < 0, "nothing arrived");
                message.putLong(0, published++, ByteOrder.LITTLE_ENDIAN);
                assertEquals(Publisher.OK, prices.offer(message, 0, length));
                LockSupport.parkNanos(1_000_000L);
                pricesB.poll((buffer, offset, size) -> last[0] = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN), 64);
            }
            final long lostBefore = inspector.counter("out prices: lost messages");
            for (int i = 0; i < paced; i++)
            {
                final long sequence = published++;
                message.putLong(0, sequence, ByteOrder.LITTLE_ENDIAN);
                assertEquals(Publisher.OK, prices.offer(message, 0, length));
                while (last[0] < sequence)
                {
                    assertTrue(System.nanoTime() - deadline < 0, "message " + sequence + " did not arrive: " +
                        inspector.counters());
                    assertEquals(lostBefore, inspector.counter("out prices: lost messages"), "message " + sequence +
                        " was counted lost: " + inspector.counters());
                    pricesB.poll((buffer, offset, size) -> last[0] = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN),
                        64);
                }
                assertEquals(sequence, last[0], "a message was lost or reordered: " + inspector.counters());
            }
            assertEquals(lostBefore, inspector.counter("out prices: lost messages"), inspector.counters()::toString);
            assertFalse(a.isClosed() || b.isClosed());
            assertTrue(failures.isEmpty(), failures.toString());
        }
    }

    private static void awaitAcknowledged(final BridgeConfig config, final String route)
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        try (BridgeInspector inspector = BridgeInspector.open(config.homeDirectory()))
        {
            while (inspector.counter(route + ": unacknowledged bytes") != 0)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    fail("never acknowledged: " + inspector.counters());
                }
                Thread.onSpinWait();
            }
        }
    }

    @Test
    void dutyCyclesAllocateNothingPerMessage()
    {
        final int portA = ports(26000);
        final BridgeConfig configA = sender(locationA, portA, "orders").build();
        final BridgeConfig configB = receiver(portA, "orders").build();
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        try (BridgeRunner a = BridgeRunner.start(configA, failures::add);
            BridgeRunner b = BridgeRunner.start(configB, failures::add);
            Publisher orders = regionA.publisher("orders");
            Subscriber ordersB = regionB.subscriber("orders"))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
            final long[] received = {0};
            stream(orders, ordersB, message, received, 50_000); // warm up: class loading, JIT, first connection
            final long before = threads.getThreadAllocatedBytes(a.thread().getId()) +
                threads.getThreadAllocatedBytes(b.thread().getId());
            final long messages = 200_000;
            stream(orders, ordersB, message, received, messages);
            final long allocated = threads.getThreadAllocatedBytes(a.thread().getId()) +
                threads.getThreadAllocatedBytes(b.thread().getId()) - before;
            // Nothing per message: the smallest object per message would be 3.2 MB. What remains is time-bounded (the
            // ring subscriber's liveness probe, at most once a millisecond while the ring holds an uncommitted record:
            // a few KB here, more on a loaded machine), hence 5 bytes a message at most.
            assertTrue(allocated < messages * 5, "bridge threads allocated " + allocated + " bytes for " + messages +
                " messages");
            assertTrue(failures.isEmpty(), failures.toString());
        }
    }

    private static void stream(final Publisher publisher, final Subscriber subscriber, final UnsafeBuffer message,
        final long[] received, final long count)
    {
        final long target = received[0] + count;
        long sent = received[0];
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (received[0] < target)
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("timed out: sent=" + sent + " received=" + received[0]);
            }
            if (sent < target && publisher.offer(message, 0, message.capacity()) == Publisher.OK)
            {
                sent++;
            }
            subscriber.poll((buffer, offset, length) -> received[0]++, 64);
        }
    }

    @Test
    void refusesAPublishSubscribeChannelEitherWayNamingTheRouteAndTheKind()
    {
        for (final BridgeRoute route : List.of(BridgeRoute.out("journal"), BridgeRoute.in("journal")))
        {
            final BridgeConfig config = config(locationA, "log", 23992, 23993).route(route).build();
            final BridgeException refused = assertThrows(BridgeException.class, () -> Bridge.open(config).close());
            assertTrue(refused.getMessage().contains("route " + route + ": channel 'journal' is PUBLISH_SUBSCRIBE"),
                refused.getMessage());
            try (Bridge next = Bridge.open(config(locationA, "log", 23992, 23993).route(BridgeRoute.out("orders"))
                .build()))
            {
                assertFalse(next.config().routes().isEmpty(), "the refused bridge left its home and ports free");
            }
        }
    }

    @Test
    void refusesToSendARingChannelToAMulticastGroupNamingThePeer()
    {
        for (final String channel : List.of("orders", "replies"))
        {
            final BridgeConfig config = BridgeConfig.builder(locationA).name("solo").listen("127.0.0.1:23994")
                .peer("239.255.0.1:23995").route(BridgeRoute.out(channel)).build();
            final InvalidBridgeConfigException refused = assertThrows(InvalidBridgeConfigException.class,
                () -> Bridge.open(config).close(), channel);
            assertEquals("peer", refused.field());
            assertEquals("239.255.0.1:23995", refused.value());
            assertTrue(refused.rule().startsWith("a unicast address for route out " + channel + ": its "),
                refused.rule());
        }
        // A broadcast channel may go to a group: every receiving bridge delivers what it gets.
        try (Bridge broadcast = Bridge.open(BridgeConfig.builder(locationA).name("solo").listen("127.0.0.1:23994")
            .peer("239.255.0.1:23995").route(BridgeRoute.out("prices")).build()))
        {
            assertFalse(broadcast.config().routes().isEmpty());
        }
    }

    @Test
    void refusesASecondBridgeOfTheSameName()
    {
        final BridgeConfig config = config(locationA, "solo", 23990, 23991).route(BridgeRoute.out("orders")).build();
        final List<String> messages = new ArrayList<>();
        try (BridgeRunner first = BridgeRunner.start(config, failures::add))
        {
            assertFalse(first.isClosed());
            try (Bridge second = Bridge.open(config))
            {
                fail("a second bridge opened: " + second.config().name());
            }
            catch (final BridgeException ex)
            {
                messages.add(ex.getMessage());
            }
            final BridgeException running =
                assertThrows(BridgeException.class, () -> Bridge.deleteHome(config.homeDirectory()));
            assertTrue(running.getMessage().contains("still runs"), running.getMessage());
        }
        assertEquals(1, messages.size());
        assertTrue(messages.get(0).contains("name=solo"), messages.get(0));
    }

    /**
     * A third party sending well-formed frames to a receiving bridge's port, on the routes' data streams, while the
     * bridges carry a ring channel and a broadcast channel: unreliable frames, sync frames, data and batch frames
     * with made-up log ids, from new Aeron sessions again and again. It never saw the routes' sync requests, so none
     * of its messages may reach the region, and the ring stream must arrive exactly once and in order. With no
     * frames at all, new sessions one after the other (each a new image that makes the routes ask for a sync): the
     * ring stream must go on arriving while they come, not stop until they end.
     *
     * @param framesPerSession frames each forged session sends before the next one; 0 for sessions only.
     */
    @ParameterizedTest
    @ValueSource(ints = {FRAMES_PER_SESSION, 0})
    void framesOfASenderThatNeverSawTheSyncRequestsReachNothing(final int framesPerSession) throws Exception
    {
        final int portA = ports(35000);
        final int portB = portA + 1;
        final BridgeConfig configA = config(locationA, "a", portA, portB).route(BridgeRoute.out("orders"))
            .route(BridgeRoute.out("prices")).build();
        final BridgeConfig configB = config(locationB, "b", portB, portA).route(BridgeRoute.in("orders"))
            .route(BridgeRoute.in("prices")).build();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong forgedFrames = new AtomicLong();
        final AtomicLong forgedSessions = new AtomicLong();
        final Path driverDir = Files.createTempDirectory("forger-aeron-");
        final long count = 50_000;
        final long sessions = 20;
        try (MediaDriver driver = MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(driverDir.toString())
                .threadingMode(ThreadingMode.SHARED).dirDeleteOnStart(true).dirDeleteOnShutdown(true));
            Aeron forger = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
            BridgeRunner a = BridgeRunner.start(configA, failures::add);
            BridgeRunner b = BridgeRunner.start(configB, failures::add);
            Publisher orders = regionA.publisher("orders");
            Subscriber ordersB = regionB.subscriber("orders");
            Publisher prices = regionA.publisher("prices");
            Subscriber pricesB = regionB.subscriber("prices"))
        {
            assertFalse(a.isClosed() || b.isClosed());
            final String target = "aeron:udp?endpoint=127.0.0.1:" + portB;
            final Thread forging = new Thread(() -> forge(forger, target,
                List.of(BridgeRoute.in("orders").dataStreamId(), BridgeRoute.in("prices").dataStreamId()),
                framesPerSession, stop, forgedFrames, forgedSessions), "forger");
            forging.start();
            final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
            final long[] nextOrder = {0};
            final long[] lastPrice = {-1};
            final long[] pricesReceived = {0};
            long sent = 0;
            long priced = 0;
            final long deadline = System.nanoTime() + DEADLINE_NS;
            try
            {
                while (nextOrder[0] < count || forgedSessions.get() < sessions)
                {
                    if (System.nanoTime() - deadline > 0)
                    {
                        fail("timed out: sent=" + sent + " received=" + nextOrder[0] + " forgedFrames=" +
                            forgedFrames + " forgedSessions=" + forgedSessions + " failures=" + failures);
                    }
                    // With sessions only, the stream starts once they come, and must arrive while they do.
                    if (sent < count && (framesPerSession > 0 || forgedSessions.get() >= 20))
                    {
                        message.putLong(0, sent, ByteOrder.LITTLE_ENDIAN);
                        if (orders.offer(message, 0, 8 + (int)(sent % 48)) == Publisher.OK)
                        {
                            sent++;
                        }
                    }
                    message.putLong(0, priced, ByteOrder.LITTLE_ENDIAN);
                    if (prices.offer(message, 0, 8) == Publisher.OK)
                    {
                        priced++;
                    }
                    ordersB.poll((buffer, offset, length) ->
                    {
                        assertEquals(nextOrder[0], buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN),
                            "orders: a forged, repeated or reordered message");
                        assertEquals(8 + nextOrder[0] % 48, length);
                        nextOrder[0]++;
                    }, 64);
                    pricesB.poll((buffer, offset, length) ->
                    {
                        final long value = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
                        assertTrue(value > lastPrice[0], "prices: forged or repeated: " + value + " after " +
                            lastPrice[0]);
                        lastPrice[0] = value;
                        pricesReceived[0]++;
                    }, 64);
                }
            }
            finally
            {
                stop.set(true);
                forging.join();
            }
            assertTrue(framesPerSession == 0 || forgedFrames.get() > 1000, "forged frames: " + forgedFrames);
            assertTrue(forgedSessions.get() >= sessions, "forged sessions while the stream arrived: " +
                forgedSessions);
            assertTrue(pricesReceived[0] > 0, "no price arrived");
            assertTrue(failures.isEmpty(), failures.toString());
            try (BridgeInspector inspector = BridgeInspector.open(configB.homeDirectory()))
            {
                final String counters = inspector.counters().toString();
                assertEquals(count, inspector.counter("in orders: published messages"), counters);
                assertTrue(framesPerSession == 0 || inspector.counter("in orders: malformed frames") > 0, counters);
                assertTrue(framesPerSession == 0 || inspector.counter("in prices: malformed frames") > 0, counters);
            }
        }
    }

    /**
     * The receiving region deleted under a running bridge: the bridge must stop with the typed error instead of
     * publishing into (and acknowledging for) a region no process can attach to any more, and what the sender sends
     * from then on must stay unacknowledged in its replay log for the next receiving bridge.
     */
    @Test
    void aBridgeWhoseRegionIsDeletedStopsInsteadOfAcknowledgingIntoIt() throws Exception
    {
        final int portA = ports(46000);
        final BridgeConfig configA = sender(locationA, portA, "orders").build();
        final BridgeConfig configB = receiver(portA, "orders").build();
        try (BridgeRunner a = BridgeRunner.start(configA, failures::add);
            BridgeRunner b = BridgeRunner.start(configB, failures::add);
            Publisher orders = regionA.publisher("orders");
            Subscriber ordersB = regionB.subscriber("orders"))
        {
            assertFalse(a.isClosed() || b.isClosed());
            final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
            final long deadline = System.nanoTime() + DEADLINE_NS;
            final long[] received = {0};
            for (long sent = 0; sent < 100; )
            {
                assertTrue(System.nanoTime() - deadline < 0, "the first messages did not cross");
                message.putLong(0, sent, ByteOrder.LITTLE_ENDIAN);
                if (orders.offer(message, 0, 8) == Publisher.OK)
                {
                    sent++;
                }
            }
            while (received[0] < 100)
            {
                assertTrue(System.nanoTime() - deadline < 0, "received " + received[0] + " of 100");
                ordersB.poll((buffer, offset, length) -> received[0]++, 64);
            }
            Files.delete(locationB.path());
            while (!b.isClosed())
            {
                assertTrue(System.nanoTime() - deadline < 0, "the bridge went on with its region deleted");
                Thread.onSpinWait();
            }
            assertTrue(failures.stream().anyMatch(failure -> failure instanceof BridgeRegionDeletedException),
                failures.toString());
            for (long sent = 100; sent < 200; )
            {
                assertTrue(System.nanoTime() - deadline < 0, "the sender refused messages");
                message.putLong(0, sent, ByteOrder.LITTLE_ENDIAN);
                if (orders.offer(message, 0, 8) == Publisher.OK)
                {
                    sent++;
                }
            }
            try (BridgeInspector inspector = BridgeInspector.open(configA.homeDirectory()))
            {
                // A replay log record: the message rounded up to 8 bytes, plus 24 (docs/bridge.md).
                final long unacknowledged = 100 * (8 + 24);
                while (inspector.counter("out orders: unacknowledged bytes") < unacknowledged)
                {
                    assertTrue(System.nanoTime() - deadline < 0, "messages sent after the deletion were " +
                        "acknowledged: " + inspector.counters());
                    Thread.onSpinWait();
                }
                assertEquals(unacknowledged, inspector.counter("out orders: unacknowledged bytes"));
            }
            assertFalse(a.isClosed(), "the sending bridge keeps the messages for the next receiving bridge");
        }
        failures.removeIf(failure -> failure instanceof BridgeRegionDeletedException);
        assertTrue(failures.isEmpty(), failures.toString());
    }

    /**
     * A message longer than the receiving channel allows cannot be published there and must not be dropped: the
     * receiving bridge stops with an error naming the route and both lengths, and blames neither Aeron nor its
     * client; the message stays unacknowledged in the sender's replay log.
     */
    @Test
    void aMessageLongerThanTheReceivingChannelAllowsStopsTheReceiverNamingTheRoute() throws Exception
    {
        final int portA = ports(47000);
        final RegionLocation wide = RegionLocation.shm("bridge-test-wide-" + suffix);
        final BridgeConfig configA = sender(wide, portA, "orders").build();
        final BridgeConfig configB = receiver(portA, "orders").build();
        try (Region regionWide = wideRegion(wide, "orders", ChannelKind.ONE_TO_ONE);
            BridgeRunner a = BridgeRunner.start(configA, failures::add);
            BridgeRunner b = BridgeRunner.start(configB, failures::add);
            Publisher orders = regionWide.publisher("orders"))
        {
            final int limit = limitInRegionB("orders");
            final int length = limit + 808;
            assertTrue(length <= orders.maxMessageLength(), "the sending channel takes the message");
            assertEquals(Publisher.OK, orders.offer(new UnsafeBuffer(new byte[length]), 0, length));
            final long deadline = System.nanoTime() + DEADLINE_NS;
            while (!b.isClosed())
            {
                assertTrue(System.nanoTime() - deadline < 0, "the receiving bridge took a message it cannot publish");
                Thread.onSpinWait();
            }
            assertEquals(1, failures.size(), failures.toString());
            assertTrue(failures.peek().getMessage().startsWith("route in orders: a message of " + length +
                " bytes exceeds the local channel's limit maxMessageLength=" + limit + ": give the channel the same " +
                "limit on both hosts; the bridge stopped"), failures.peek().getMessage());
            assertFalse(a.isClosed());
        }
        finally
        {
            Bridge.deleteHome(configA.homeDirectory());
            failures.clear();
        }
    }

    /**
     * A ring route is lossless end to end, so a receiving channel that drops what nobody takes (BROADCAST) cannot
     * carry it: the receiving bridge stops at the sender's first sync, naming the route and both kinds, before it
     * acknowledges anything, and a receiver into a ring channel started afterwards gets every message, in order.
     */
    @Test
    void aRingSentIntoABroadcastChannelStopsTheReceiverAndLeavesEveryMessageToTheNext() throws Exception
    {
        final int portA = ports(49000);
        final RegionLocation broadcastB = RegionLocation.shm("bridge-test-bc-" + suffix);
        final BridgeConfig configA = sender(locationA, portA, "orders").build();
        final BridgeConfig wrongB = config(broadcastB, "b", portA + 1, portA).route(BridgeRoute.in("orders")).build();
        final int count = 100;
        try (Region regionBroadcast = Region.create(RegionConfig.builder(broadcastB)
                .channel("orders", ChannelKind.BROADCAST, 64 * 1024).deleteOnClose(true).build());
            Subscriber ordersBroadcast = regionBroadcast.subscriber("orders");
            BridgeRunner a = BridgeRunner.start(configA, failures::add);
            Publisher orders = regionA.publisher("orders"))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
            for (long i = 0; i < count; i++)
            {
                message.putLong(0, i, ByteOrder.LITTLE_ENDIAN);
                assertEquals(Publisher.OK, orders.offer(message, 0, 8));
            }
            final long deadline = System.nanoTime() + DEADLINE_NS;
            try (BridgeRunner b = BridgeRunner.start(wrongB, failures::add))
            {
                while (!b.isClosed())
                {
                    assertTrue(System.nanoTime() - deadline < 0, "a ring route was taken into a broadcast channel");
                    Thread.onSpinWait();
                }
            }
            assertEquals(1, failures.size(), failures.toString());
            assertTrue(failures.peek().getMessage().startsWith("route in orders: the peer sends a ring channel, " +
                "which loses nothing and holds its publishers back, but the local channel is BROADCAST"),
                failures.peek().getMessage());
            failures.clear();
            assertFalse(a.isClosed());
            assertEquals(0, ordersBroadcast.poll((buffer, offset, length) -> { }, 64), "published into broadcast");

            try (BridgeRunner b = BridgeRunner.start(receiver(portA, "orders").build(), failures::add);
                Subscriber ordersB = regionB.subscriber("orders"))
            {
                final long[] next = {0};
                while (next[0] < count)
                {
                    assertTrue(System.nanoTime() - deadline < 0, "received " + next[0] + " of " + count);
                    ordersB.poll((buffer, offset, length) ->
                        assertEquals(next[0]++, buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN)), 64);
                }
                assertTrue(failures.isEmpty(), failures.toString());
                assertFalse(b.isClosed());
            }
        }
        finally
        {
            Bridge.deleteHome(configA.homeDirectory());
            Bridge.deleteHome(wrongB.homeDirectory());
        }
    }

    /**
     * A replay log truncated under a running sending bridge is a fault on its mapping: the bridge stops with the typed
     * error naming the file and both lengths, not the JVM's bare {@link InternalError}.
     */
    @Test
    void aReplayLogTruncatedUnderTheSendingBridgeStopsItNamingTheFile() throws Exception
    {
        assertTruncationStopsTheBridge(ports(53000), "out-orders.replay", ThreadingMode.SHARED);
    }

    /**
     * The same with the embedded driver's duty cycle on the bridge's thread too ({@code INVOKER}): the late fault
     * may surface in the driver's code, which the bridge's thread runs between its routes' work.
     */
    @Test
    void aReplayLogTruncatedUnderASendingBridgeThatRunsItsDriverStopsItNamingTheFile() throws Exception
    {
        assertTruncationStopsTheBridge(ports(57000), "out-orders.replay", ThreadingMode.INVOKER);
    }

    /**
     * The counters file truncated under a running bridge (to its first page, which holds the header and the heartbeat):
     * the next count written past it is a fault, and the bridge stops with the typed error naming the counters file.
     */
    @Test
    void theCountersFileTruncatedUnderARunningBridgeStopsItNamingTheFile() throws Exception
    {
        assertTruncationStopsTheBridge(ports(54000), "counters", ThreadingMode.SHARED);
    }

    /**
     * Truncate a file of a running sending bridge's home to its first page once its replay log holds messages (no
     * peer: what the bridge takes from the ring stays in its log), and require the bridge to stop with the typed error
     * naming that file and both lengths.
     */
    private void assertTruncationStopsTheBridge(final int portA, final String fileName, final ThreadingMode threading)
        throws Exception
    {
        final BridgeConfig configA = sender(locationA, portA, "orders").driverThreading(threading).build();
        final Path truncated = configA.homeDirectory().resolve(fileName);
        try (BridgeRunner a = BridgeRunner.start(configA, failures::add);
            Publisher orders = regionA.publisher("orders"))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
            final long deadline = System.nanoTime() + DEADLINE_NS;
            try (BridgeInspector inspector = BridgeInspector.open(configA.homeDirectory()))
            {
                while (inspector.counter("out orders: unacknowledged bytes") == 0)
                {
                    assertTrue(System.nanoTime() - deadline < 0, inspector.counters()::toString);
                    orders.offer(message, 0, message.capacity());
                    LockSupport.parkNanos(100_000L);
                }
            }
            final long length = Files.size(truncated);
            try (FileChannel file = FileChannel.open(truncated, StandardOpenOption.WRITE))
            {
                file.truncate(4096);
            }
            while (!a.isClosed())
            {
                assertTrue(System.nanoTime() - deadline < 0, "the bridge goes on over a truncated " + fileName);
                orders.offer(message, 0, message.capacity());
                LockSupport.parkNanos(100_000L);
            }
            assertEquals(1, failures.size(), failures.toString());
            assertEquals("invalid bridge file: file=" + truncated + " field=file.size expected=the mapped length " +
                length + " (the file was truncated while mapped) actual=4096", failures.peek().getMessage());
        }
        finally
        {
            failures.clear();
            Bridge.deleteHome(configA.homeDirectory());
        }
    }

    /**
     * An error no {@code catch} of the bridge's loop takes ends its thread: HotSpot raises a late fault at a
     * safepoint poll of the compiled loop past the loop's {@code catch} blocks; here the idle strategy throws it. The
     * thread's uncaught exception handler turns it into the bridge's typed failure, tells the error handler once,
     * closes the bridge and unlocks its home (so its home can be deleted).
     */
    @Test
    void aFaultThatEndsTheBridgesThreadIsReportedTypedAndClosesTheBridge() throws Exception
    {
        final InternalError fault = new InternalError("a fault occurred in a recent unsafe memory access operation");
        final Throwable told = assertErrorEndingTheThreadIsToldAndClosesTheBridge(ports(55000), fault);
        assertTrue(told instanceof BridgeException, told::toString);
        assertEquals(fault, told.getCause());
        assertTrue(told.getMessage().startsWith("a fault on memory the bridge maps, with its counters and every " +
            "replay log whole: "), told::getMessage);
    }

    /**
     * Any other error that ends the bridge's thread reaches the error handler as it is, and the bridge closes.
     */
    @Test
    void anErrorThatEndsTheBridgesThreadIsToldAndClosesTheBridge() throws Exception
    {
        final AssertionError error = new AssertionError("thrown by the idle strategy");
        assertEquals(error, assertErrorEndingTheThreadIsToldAndClosesTheBridge(ports(56000), error));
    }

    /** Run a sending bridge whose idle strategy throws {@code error}; return what its error handler was told. */
    private Throwable assertErrorEndingTheThreadIsToldAndClosesTheBridge(final int port, final Error error)
        throws Exception
    {
        final BridgeConfig configA = sender(locationA, port, "orders").build();
        final IdleStrategy throwing = new IdleStrategy()
        {
            public void idle(final int workCount)
            {
                throw error;
            }

            public void idle()
            {
                throw error;
            }

            public void reset()
            {
            }
        };
        try (BridgeRunner a = BridgeRunner.start(configA, throwing, failures::add))
        {
            a.thread().join(TimeUnit.NANOSECONDS.toMillis(DEADLINE_NS));
            assertFalse(a.thread().isAlive(), "the bridge's thread goes on");
            assertTrue(a.isClosed(), "the bridge's thread ended without closing it");
            assertEquals(1, failures.size(), failures.toString());
            Bridge.deleteHome(configA.homeDirectory()); // refused while a bridge holds its home's lock
            assertFalse(Files.exists(configA.homeDirectory()));
            return failures.poll();
        }
    }

    /**
     * A broadcast route never waits and never stops: a message longer than the receiving channel allows is counted
     * lost by the receiving bridge, which goes on delivering what follows.
     */
    @Test
    void aBroadcastMessageLongerThanTheReceivingChannelAllowsIsCountedLostAndTheRouteGoesOn() throws Exception
    {
        final int portA = ports(51000);
        final RegionLocation wide = RegionLocation.shm("bridge-test-wide-bc-" + suffix);
        final BridgeConfig configA = sender(wide, portA, "prices").build();
        final BridgeConfig configB = receiver(portA, "prices").build();
        try (Region regionWide = wideRegion(wide, "prices", ChannelKind.BROADCAST);
            BridgeRunner a = BridgeRunner.start(configA, failures::add);
            BridgeRunner b = BridgeRunner.start(configB, failures::add);
            Subscriber pricesB = regionB.subscriber("prices");
            Publisher prices = regionWide.publisher("prices"))
        {
            final int limit = limitInRegionB("prices");
            final UnsafeBuffer small = new UnsafeBuffer(new byte[8]);
            final UnsafeBuffer large = new UnsafeBuffer(new byte[limit + 1]);
            assertTrue(limit + 1 <= prices.maxMessageLength(), "the sending channel takes the message");
            final long deadline = System.nanoTime() + DEADLINE_NS;
            final List<Long> received = new ArrayList<>();
            final MessageHandler keep = (buffer, offset, length) ->
                received.add(length == 8 ? buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN) : -length);
            // Small ones until one arrives (before the link is up Aeron takes nothing), the long one, then small ones
            // until one sent after it arrives.
            long sequence = 0;
            long afterLarge = -1;
            while (afterLarge < 0 || received.isEmpty() || received.get(received.size() - 1) < afterLarge)
            {
                assertTrue(System.nanoTime() - deadline < 0, "received " + received);
                if (afterLarge < 0 && !received.isEmpty())
                {
                    assertEquals(Publisher.OK, prices.offer(large, 0, large.capacity()));
                    afterLarge = sequence;
                }
                small.putLong(0, sequence++, ByteOrder.LITTLE_ENDIAN);
                assertEquals(Publisher.OK, prices.offer(small, 0, 8));
                LockSupport.parkNanos(100_000L);
                pricesB.poll(keep, 64);
            }
            assertFalse(a.isClosed() || b.isClosed(), failures::toString);
            assertTrue(failures.isEmpty(), failures.toString());
            assertFalse(received.contains((long)-(limit + 1)), "the long message was delivered");
            try (BridgeInspector inspector = BridgeInspector.open(configB.homeDirectory()))
            {
                assertTrue(inspector.counter("in prices: lost messages") >= 1, inspector.counters()::toString);
            }
        }
        finally
        {
            Bridge.deleteHome(configA.homeDirectory());
        }
    }

    /**
     * A broadcast sender answers sync requests on its data stream, which never waits: a flood of requests from one
     * Aeron session (forged receiver ids, as fast as it can send) must cost that stream only the sender's ration of
     * answers per window, and must not take the answers of a receiver asking from its own session every other
     * window (a sender thread descheduled for a window may then take two of its requests in one window, within the
     * ration of two per session; asking every window, a longer stall would put three in one and drop one, which a
     * real receiver asks again). The test plays the receiving side: it subscribes where the sender sends and asks on
     * the sender's control port.
     */
    @Test
    void aFloodOfSyncRequestsCostsTheBroadcastStreamOnlyARationAndStarvesNoReceiver() throws Exception
    {
        final int portA = ports(45000);
        final int portB = portA + 1;
        final BridgeRoute route = BridgeRoute.out("prices");
        final BridgeConfig configA = config(locationA, "a", portA, portB).route(route).build();
        final long receiverId = 4242;
        final int requests = 30;
        final long[] answered = new long[2]; // [0]: answers to the flood, [1]: to the receiver
        final long[] lastRequestAnswered = {-1};
        final Path driverDir = Files.createTempDirectory("flooder-aeron-");
        try (MediaDriver driver = MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(driverDir.toString())
                .threadingMode(ThreadingMode.SHARED).dirDeleteOnStart(true).dirDeleteOnShutdown(true));
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
            io.aeron.Subscription data = aeron.addSubscription("aeron:udp?endpoint=127.0.0.1:" + portB,
                route.dataStreamId());
            Publication receiver = aeron.addExclusivePublication("aeron:udp?endpoint=127.0.0.1:" + portA,
                route.controlStreamId());
            Publication flood = aeron.addExclusivePublication("aeron:udp?endpoint=127.0.0.1:" + portA,
                route.controlStreamId());
            BridgeRunner a = BridgeRunner.start(configA, failures::add))
        {
            assertFalse(a.isClosed());
            final io.aeron.logbuffer.FragmentHandler counter = (buffer, offset, length, header) ->
            {
                if (length == FrameDescriptor.SYNC_LENGTH && (FrameDescriptor.flags(buffer, offset) &
                    FrameDescriptor.FLAG_SYNC) != 0)
                {
                    final boolean ours = FrameDescriptor.syncReceiverId(buffer, offset) == receiverId;
                    answered[ours ? 1 : 0]++;
                    if (ours)
                    {
                        lastRequestAnswered[0] = FrameDescriptor.syncRequest(buffer, offset);
                    }
                }
            };
            final UnsafeBuffer request = new UnsafeBuffer(new byte[FrameDescriptor.CONTROL_LENGTH]);
            final UnsafeBuffer forged = new UnsafeBuffer(new byte[FrameDescriptor.CONTROL_LENGTH]);
            final SplittableRandom random = new SplittableRandom(7);
            final long deadline = System.nanoTime() + DEADLINE_NS;
            while (!receiver.isConnected() || !flood.isConnected() || !data.isConnected())
            {
                assertTrue(System.nanoTime() - deadline < 0, "the sender's streams did not connect");
                data.poll(counter, 64);
                Thread.onSpinWait();
            }
            long floodRequests = 0;
            final long startNs = System.nanoTime();
            long nextRequestNs = startNs;
            int asked = 0;
            while (asked < requests)
            {
                assertTrue(System.nanoTime() - deadline < 0, "timed out: asked=" + asked);
                if (System.nanoTime() - nextRequestNs >= 0)
                {
                    FrameDescriptor.putControl(request, FrameDescriptor.TYPE_SYNC_REQUEST, route.dataStreamId(),
                        receiverId, asked, 0);
                    if (receiver.offer(request, 0, FrameDescriptor.CONTROL_LENGTH) > 0)
                    {
                        asked++;
                        nextRequestNs = System.nanoTime() + 2 * OutboundBroadcastRoute.ANSWER_WINDOW_NS;
                    }
                }
                FrameDescriptor.putControl(forged, FrameDescriptor.TYPE_SYNC_REQUEST, route.dataStreamId(),
                    random.nextLong(), random.nextLong(4), 0);
                for (int i = 0; i < 16; i++)
                {
                    if (flood.offer(forged, 0, FrameDescriptor.CONTROL_LENGTH) > 0)
                    {
                        floodRequests++;
                    }
                }
                data.poll(counter, 256);
            }
            final long floodNs = System.nanoTime() - startNs;
            // Aeron keeps each session's order: once the last request's answer is in, so is every earlier one.
            while (lastRequestAnswered[0] < requests - 1)
            {
                assertTrue(System.nanoTime() - deadline < 0, "the receiver's requests went unanswered: last " +
                    lastRequestAnswered[0] + ", " + answered[1] + " of " + requests + " answered; flood " +
                    answered[0] + " of " + floodRequests);
                data.poll(counter, 256);
            }
            final long windows = floodNs / OutboundBroadcastRoute.ANSWER_WINDOW_NS + 2;
            final long ration = windows * OutboundBroadcastRoute.ANSWERS_PER_SESSION;
            assertTrue(floodRequests > 10 * ration, "the flood was too slow to test anything: " + floodRequests +
                " requests in " + floodNs / 1_000_000 + " ms");
            assertTrue(answered[0] <= ration, "answers to the flood: " + answered[0] + " of " + floodRequests +
                " requests in " + windows + " windows, ration " + ration);
            assertEquals(requests, answered[1], "every request of the receiver asking every other window is answered");
            assertTrue(failures.isEmpty(), failures.toString());
        }
    }

    /**
     * Well-formed frames of every kind, with made-up log ids, receiver ids and sequences, each new session after
     * {@code framesPerSession} frames; with 0, new sessions as fast as the client makes them, the last eight kept
     * open (each a new image at the receiver).
     */
    private static void forge(final Aeron aeron, final String channel, final List<Integer> streams,
        final int framesPerSession, final AtomicBoolean stop, final AtomicLong frames, final AtomicLong sessions)
    {
        final SplittableRandom random = new SplittableRandom(42);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final ArrayDeque<Publication> open = new ArrayDeque<>();
        try
        {
            while (!stop.get())
            {
                while (open.size() >= (framesPerSession == 0 ? 8 * streams.size() : 0) && !open.isEmpty())
                {
                    open.removeFirst().close();
                }
                final List<Publication> publications = new ArrayList<>();
                for (final int stream : streams)
                {
                    publications.add(aeron.addExclusivePublication(channel, stream));
                }
                open.addAll(publications);
                sessions.incrementAndGet();
                int sentHere = 0;
                while (sentHere < framesPerSession && !stop.get())
                {
                    final int length = forgedFrame(frame, random);
                    for (final Publication publication : publications)
                    {
                        if (publication.offer(frame, 0, length) > 0)
                        {
                            frames.incrementAndGet();
                            sentHere++;
                        }
                    }
                    Thread.onSpinWait();
                }
            }
        }
        finally
        {
            CloseHelper.closeAll(open);
        }
    }

    private static int forgedFrame(final UnsafeBuffer frame, final SplittableRandom random)
    {
        final long logId = random.nextLong();
        final long sequence = random.nextLong(4);
        switch (random.nextInt(4))
        {
            case 0 ->
            {
                FrameDescriptor.putDataHeader(frame, 0, sequence, FrameDescriptor.FLAG_UNRELIABLE, logId);
                frame.putLong(FrameDescriptor.DATA_HEADER_LENGTH, FORGED, ByteOrder.LITTLE_ENDIAN);
                return FrameDescriptor.DATA_HEADER_LENGTH + 8;
            }
            case 1 ->
            {
                final int flags = random.nextBoolean() ? FrameDescriptor.FLAG_SYNC :
                    FrameDescriptor.FLAG_SYNC | FrameDescriptor.FLAG_UNRELIABLE;
                FrameDescriptor.putSyncFrame(frame, 0, sequence, flags, logId, random.nextLong(), random.nextLong(4));
                return FrameDescriptor.SYNC_LENGTH;
            }
            case 2 ->
            {
                FrameDescriptor.putDataHeader(frame, 0, sequence, 0, logId);
                frame.putLong(FrameDescriptor.DATA_HEADER_LENGTH, FORGED, ByteOrder.LITTLE_ENDIAN);
                return FrameDescriptor.DATA_HEADER_LENGTH + 8;
            }
            default ->
            {
                FrameDescriptor.putDataHeader(frame, 0, sequence, FrameDescriptor.FLAG_BATCH, logId);
                FrameDescriptor.putBatchCount(frame, 0, 1);
                FrameDescriptor.putEntryLength(frame, FrameDescriptor.BATCH_HEADER_LENGTH, 8);
                frame.putLong(FrameDescriptor.BATCH_HEADER_LENGTH + FrameDescriptor.ENTRY_HEADER_LENGTH, FORGED,
                    ByteOrder.LITTLE_ENDIAN);
                return FrameDescriptor.BATCH_HEADER_LENGTH + FrameDescriptor.ENTRY_HEADER_LENGTH + 8;
            }
        }
    }
}

package io.shmipc.bridge;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.shmipc.ChannelKind;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A third party sending well-formed frames to a receiving bridge's port, on the route's data stream, while two
 * bridges carry a ring channel and a broadcast channel: unreliable frames, sync frames, data and batch frames with
 * made-up log ids, from new Aeron sessions again and again. It never saw the routes' sync requests, so none of its
 * messages may reach the region, and the ring stream must arrive exactly once and in order.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BridgeForgeryTest
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(90);
    /** What every forged message carries in its first 8 bytes: no real message does. */
    private static final long FORGED = -1L;
    private static final int FRAMES_PER_SESSION = 200;

    private final String suffix = ProcessHandle.current().pid() + "-" + System.nanoTime();
    private final RegionLocation locationA = RegionLocation.shm("bridge-forge-a-" + suffix);
    private final RegionLocation locationB = RegionLocation.shm("bridge-forge-b-" + suffix);
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private Region regionA;
    private Region regionB;

    @BeforeEach
    void createRegions()
    {
        regionA = Region.create(RegionConfig.builder(locationA)
            .channel("orders", ChannelKind.ONE_TO_ONE, 64 * 1024)
            .channel("prices", ChannelKind.BROADCAST, 64 * 1024)
            .deleteOnClose(true).build());
        regionB = Region.create(RegionConfig.builder(locationB)
            .channel("orders", ChannelKind.MANY_TO_ONE, 64 * 1024)
            .channel("prices", ChannelKind.BROADCAST, 64 * 1024)
            .deleteOnClose(true).build());
    }

    @AfterEach
    void closeRegions()
    {
        regionA.close();
        regionB.close();
        for (final String name : List.of("a", "b"))
        {
            Bridge.deleteHome(BridgeConfig.defaultHome(locationA, name));
            Bridge.deleteHome(BridgeConfig.defaultHome(locationB, name));
        }
    }

    @Test
    void framesOfASenderThatNeverSawTheSyncRequestsReachNothing() throws Exception
    {
        final int portA = 35000 + (int)(ProcessHandle.current().pid() % 1000) * 2;
        final int portB = portA + 1;
        final BridgeConfig configA = BridgeConfig.builder(locationA).name("a").listen("127.0.0.1:" + portA)
            .peer("127.0.0.1:" + portB).replayCapacity(256 * 1024).termLength(256 * 1024)
            .route(BridgeRoute.out("orders")).route(BridgeRoute.out("prices")).build();
        final BridgeConfig configB = BridgeConfig.builder(locationB).name("b").listen("127.0.0.1:" + portB)
            .peer("127.0.0.1:" + portA).replayCapacity(256 * 1024).termLength(256 * 1024)
            .route(BridgeRoute.in("orders")).route(BridgeRoute.in("prices")).build();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong forgedFrames = new AtomicLong();
        final AtomicLong forgedSessions = new AtomicLong();
        final Path driverDir = Files.createTempDirectory("forger-aeron-");
        final long count = 50_000;
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
                stop, forgedFrames, forgedSessions), "forger");
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
                while (nextOrder[0] < count || forgedSessions.get() < 20)
                {
                    if (System.nanoTime() - deadline > 0)
                    {
                        fail("timed out: sent=" + sent + " received=" + nextOrder[0] + " forgedFrames=" +
                            forgedFrames + " forgedSessions=" + forgedSessions + " failures=" + failures);
                    }
                    if (sent < count)
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
            assertTrue(forgedFrames.get() > 1000, "the forger sent only " + forgedFrames + " frames");
            assertTrue(pricesReceived[0] > 0, "no price arrived");
            assertTrue(failures.isEmpty(), failures.toString());
            try (BridgeInspector inspector = BridgeInspector.open(configB.homeDirectory()))
            {
                final String counters = inspector.counters().toString();
                assertEquals(count, inspector.counter("in orders: published messages"), counters);
                assertTrue(inspector.counter("in orders: malformed frames") > 0, counters);
                assertTrue(inspector.counter("in prices: malformed frames") > 0, counters);
            }
        }
    }

    /**
     * Well-formed frames of every kind, with made-up log ids, receiver ids and sequences, each new session after
     * {@link #FRAMES_PER_SESSION} frames.
     */
    private static void forge(final Aeron aeron, final String channel, final List<Integer> streams,
        final AtomicBoolean stop, final AtomicLong frames, final AtomicLong sessions)
    {
        final SplittableRandom random = new SplittableRandom(42);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        Publication[] publications = new Publication[0];
        try
        {
            while (!stop.get())
            {
                CloseHelper.closeAll(publications);
                publications = new Publication[streams.size()];
                for (int i = 0; i < publications.length; i++)
                {
                    publications[i] = aeron.addExclusivePublication(channel, streams.get(i));
                }
                sessions.incrementAndGet();
                int sentHere = 0;
                while (sentHere < FRAMES_PER_SESSION && !stop.get())
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
            CloseHelper.closeAll(publications);
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
                FrameDescriptor.putDataHeader(frame, 0, sequence, flags, logId);
                FrameDescriptor.putSyncAnswer(frame, 0, random.nextLong(), random.nextLong(4));
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

package io.shmipc.bridge;

import io.aeron.driver.ThreadingMode;
import io.shmipc.BatchingPublisher;
import io.shmipc.ChannelKind;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Batch frames end to end: two bridges in one JVM over loopback UDP, both drivers on the test's thread
 * ({@link ThreadingMode#INVOKER}) so that every duty cycle is the test's own and what waits in the replay log is
 * known before anything is sent.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BridgeBatchingTest
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(60);
    private static final int MESSAGES = 600;

    private final String suffix = ProcessHandle.current().pid() + "-" + System.nanoTime();
    private final RegionLocation locationA = RegionLocation.shm("bridge-batch-a-" + suffix);
    private final RegionLocation locationB = RegionLocation.shm("bridge-batch-b-" + suffix);
    private Region regionA;
    private Region regionB;

    @AfterEach
    void closeRegions()
    {
        for (final Region region : new Region[] {regionA, regionB})
        {
            if (region != null)
            {
                region.close();
            }
        }
        for (final String name : List.of("a", "b"))
        {
            Bridge.deleteHome(BridgeConfig.defaultHome(locationA, name));
            Bridge.deleteHome(BridgeConfig.defaultHome(locationB, name));
        }
    }

    @Test
    void waitingMessagesTravelInBatchFramesInOrderAndIntact()
    {
        createRegions(64 * 1024);
        final int port = 27000 + (int)(ProcessHandle.current().pid() % 1000) * 2;
        final long messageBytes = publishWaiting();
        try (Bridge a = Bridge.open(config(locationA, "a", port, port + 1).route(BridgeRoute.out("orders")).build()))
        {
            fillReplayLog(a);
            try (Bridge b = Bridge.open(config(locationB, "b", port + 1, port).route(BridgeRoute.in("orders")).build());
                Subscriber orders = regionB.subscriber("orders"))
            {
                final long[] next = {0};
                runUntil(a, b, () ->
                {
                    orders.poll((buffer, offset, length) -> check(buffer, offset, length, next[0]++), 64);
                    return next[0] == MESSAGES;
                });
                try (BridgeInspector inspectorA = BridgeInspector.open(a.config().homeDirectory());
                    BridgeInspector inspectorB = BridgeInspector.open(b.config().homeDirectory()))
                {
                    runUntil(a, b, () -> inspectorA.counter("out orders: unacknowledged bytes") == 0);
                    // Sent one frame per message, the data stream would carry at least 64 bytes per message sent (32
                    // of Aeron header, 16 of data frame header, 8 or more of message, aligned to 32), replays after a
                    // rewind (the receiver may ask twice at start) included. Batched, about a third.
                    final long streamBytes = publicationPosition(a.aeronDirectory(), BridgeRoute.out("orders"));
                    final long transmissions = inspectorA.counter("out orders: sent messages") +
                        inspectorA.counter("out orders: replayed messages");
                    assertTrue(streamBytes > 0 && streamBytes < transmissions * 64 / 2, "data stream bytes " +
                        streamBytes + " for " + transmissions + " messages sent");
                    assertEquals(MESSAGES, inspectorA.counter("out orders: sent messages"));
                    assertEquals(messageBytes, inspectorA.counter("out orders: sent bytes"));
                    assertEquals(MESSAGES, inspectorB.counter("in orders: published messages"));
                    assertEquals(messageBytes, inspectorB.counter("in orders: published bytes"));
                    assertEquals(0, inspectorB.counter("in orders: duplicates dropped"));
                    assertEquals(0, inspectorB.counter("in orders: malformed frames"));
                }
            }
        }
    }

    @Test
    void batchRefusedHalfwayByTheLocalChannelResumesAtTheRefusedMessage()
    {
        // B's ring holds a few dozen messages: a batch of 37 meets a full ring part of the way through.
        createRegions(1024);
        final int port = 28000 + (int)(ProcessHandle.current().pid() % 1000) * 2;
        final long messageBytes = publishWaiting();
        try (Bridge a = Bridge.open(config(locationA, "a", port, port + 1).route(BridgeRoute.out("orders")).build()))
        {
            fillReplayLog(a);
            try (Bridge b = Bridge.open(config(locationB, "b", port + 1, port).route(BridgeRoute.in("orders")).build());
                BridgeInspector inspectorB = BridgeInspector.open(b.config().homeDirectory()))
            {
                runUntil(a, b, () -> inspectorB.counter("in orders: local back-pressure") > 0);
                final long published = inspectorB.counter("in orders: published messages");
                assertTrue(published > 0 && published < MESSAGES, "published before the ring filled: " + published);
                try (Subscriber orders = regionB.subscriber("orders"))
                {
                    final long[] next = {0};
                    runUntil(a, b, () ->
                    {
                        orders.poll((buffer, offset, length) -> check(buffer, offset, length, next[0]++), 1);
                        return next[0] == MESSAGES;
                    });
                    assertEquals(MESSAGES, inspectorB.counter("in orders: published messages"));
                    assertTrue(inspectorB.counter("in orders: local back-pressure") > 1);
                    // The head of a batch left in Aeron was published already: skipped, but no duplicate of anything.
                    assertEquals(0, inspectorB.counter("in orders: duplicates dropped"));
                }
            }
        }
    }

    @Test
    void fullBatchesOfSmallMessagesFillTheReplayLogWithoutStoppingTheBridge()
    {
        // A batch is one ring record but becomes a log record per message: 8-byte messages take 12 bytes of a batch
        // and 32 of the log. With no receiver, bridge A takes batches until its log is full and then holds the ring.
        createRegions(64 * 1024);
        final int port = 29000 + (int)(ProcessHandle.current().pid() % 1000) * 2;
        final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
        final long[] offered = {0};
        try (Bridge a = Bridge.open(config(locationA, "a", port, port + 1).route(BridgeRoute.out("orders")).build());
            Publisher publisher = regionA.publisher("orders");
            BridgeInspector inspectorA = BridgeInspector.open(a.config().homeDirectory()))
        {
            final BatchingPublisher batching = publisher.batching(publisher.maxMessageLength());
            runUntil(a, null, () ->
            {
                message.putLong(0, offered[0], ByteOrder.LITTLE_ENDIAN);
                while (batching.offer(message, 0, message.capacity()) == Publisher.OK)
                {
                    message.putLong(0, ++offered[0], ByteOrder.LITTLE_ENDIAN);
                }
                return inspectorA.counter("out orders: ring polls held (replay log full)") > 0;
            });
            final long logBytes = inspectorA.counter("out orders: unacknowledged bytes");
            assertTrue(logBytes > 128 * 1024, "replay log filled to " + logBytes + " bytes");
            try (Bridge b = Bridge.open(config(locationB, "b", port + 1, port).route(BridgeRoute.in("orders")).build());
                Subscriber orders = regionB.subscriber("orders"))
            {
                final long[] next = {0};
                runUntil(a, b, () ->
                {
                    if (batching.pendingMessages() > 0)
                    {
                        batching.flush();
                    }
                    orders.poll((buffer, offset, length) ->
                    {
                        assertEquals(8, length, "length of message " + next[0]);
                        assertEquals(next[0]++, buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN), "sequence");
                    }, 256);
                    return next[0] == offered[0] && batching.pendingMessages() == 0;
                });
                runUntil(a, b, () -> inspectorA.counter("out orders: unacknowledged bytes") == 0);
                assertEquals(offered[0], inspectorA.counter("out orders: sent messages"));
            }
        }
    }

    private void createRegions(final int capacityB)
    {
        regionA = Region.create(RegionConfig.builder(locationA)
            .channel("orders", ChannelKind.ONE_TO_ONE, 64 * 1024).deleteOnClose(true).build());
        regionB = Region.create(RegionConfig.builder(locationB)
            .channel("orders", ChannelKind.ONE_TO_ONE, capacityB).deleteOnClose(true).build());
    }

    private static BridgeConfig.Builder config(final RegionLocation location, final String name, final int listen,
        final int peer)
    {
        return BridgeConfig.builder(location).name(name).listen("127.0.0.1:" + listen).peer("127.0.0.1:" + peer)
            .replayCapacity(256 * 1024).termLength(256 * 1024).driverThreading(ThreadingMode.INVOKER);
    }

    /**
     * Publish every message into A's ring before any bridge runs; lengths 8 to 24 bytes, the first 8 the sequence.
     *
     * @return the bytes of the messages.
     */
    private long publishWaiting()
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
        long bytes = 0;
        try (Publisher orders = regionA.publisher("orders"))
        {
            for (int i = 0; i < MESSAGES; i++)
            {
                final int length = length(i);
                message.putLong(0, i, ByteOrder.LITTLE_ENDIAN);
                for (int j = 8; j < length; j++)
                {
                    message.putByte(j, (byte)(i + j));
                }
                assertEquals(Publisher.OK, orders.offer(message, 0, length), "message " + i);
                bytes += length;
            }
        }
        return bytes;
    }

    private static int length(final long sequence)
    {
        return 8 + (int)(sequence % 17);
    }

    private static void check(final DirectBuffer buffer, final int offset, final int length, final long expected)
    {
        assertEquals(length(expected), length, "length of message " + expected);
        assertEquals(expected, buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN), "sequence");
        for (int j = 8; j < length; j++)
        {
            assertEquals((byte)(expected + j), buffer.getByte(offset + j), "byte " + j + " of message " + expected);
        }
    }

    /**
     * Run bridge A alone (nothing is sent before a receiver asks for a sync) until every message is in its replay
     * log, so that the first send finds them all waiting.
     */
    private static void fillReplayLog(final Bridge a)
    {
        long logBytes = 0;
        for (int i = 0; i < MESSAGES; i++)
        {
            logBytes += ReplayLogDescriptor.recordLength(length(i));
        }
        final long expected = logBytes;
        try (BridgeInspector inspector = BridgeInspector.open(a.config().homeDirectory()))
        {
            runUntil(a, null, () -> inspector.counter("out orders: unacknowledged bytes") >= expected);
            assertEquals(expected, inspector.counter("out orders: unacknowledged bytes"), "replay log fill");
        }
    }

    private static void runUntil(final Bridge a, final Bridge b, final BooleanSupplier done)
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("timed out");
            }
            a.doWork();
            if (b != null)
            {
                b.doWork();
            }
        }
    }

    /**
     * The position of the route's data publication, from the driver's counters: the bytes the stream has carried,
     * Aeron's frame headers included.
     */
    private static long publicationPosition(final String aeronDirectory, final BridgeRoute route)
    {
        return AeronCounters.read(aeronDirectory).entrySet().stream()
            .filter(counter -> counter.getKey().startsWith("pub-pos") &&
                counter.getKey().contains(" " + route.dataStreamId() + " "))
            .mapToLong(Map.Entry::getValue).findFirst()
            .orElseThrow(() -> new AssertionError("no publication position counter for stream " +
                route.dataStreamId()));
    }
}

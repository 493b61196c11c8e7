package io.shmipc.tests.channels;

import io.shmipc.ChannelKind;
import io.shmipc.MessageHandler;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Paths the documents call allocation-free, measured with the JVM's per-thread allocation counter: the liveness
 * probes behind {@code connectedSubscribers()}, {@code connectedPublishers()} and {@code isConsumerAlive()} (the same
 * probe the stuck-ring check and the publishers' housekeeping make), and a broadcast receiver that a transmitter in
 * another thread keeps lapping, so that records are overwritten while the receiver copies them.
 * <p>
 * The probes' bound is less than one byte per call: one object per call would be tens of bytes per call. The lapped
 * receiver is measured for two seconds, in which it starts again from the newest record thousands of times.
 */
class AllocationFreePathsTest
{
    private static final int CALLS = 20_000;
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private final RegionLocation location = RegionLocation.shm("shmipc-alloc-" + UUID.randomUUID());

    @AfterEach
    void deleteRegion()
    {
        Region.delete(location);
    }

    @Test
    @Timeout(60)
    void livenessProbesAllocateNothing()
    {
        try (Region region = Region.create(RegionConfig.builder(location)
            .channel("ring", ChannelKind.ONE_TO_ONE, 4096)
            .channel("many", ChannelKind.MANY_TO_ONE, 4096)
            .build());
            Publisher publisher = region.publisher("ring");
            Subscriber subscriber = region.subscriber("ring");
            Publisher manyPublisher = region.publisher("many");
            Subscriber manySubscriber = region.subscriber("many"))
        {
            assertNoAllocation("Publisher.connectedSubscribers", publisher::connectedSubscribers);
            assertNoAllocation("Subscriber.connectedPublishers", subscriber::connectedPublishers);
            assertNoAllocation("Publisher.isConsumerAlive", () -> publisher.isConsumerAlive() ? 1 : 0);
            assertNoAllocation("MANY_TO_ONE Publisher.isConsumerAlive", () -> manyPublisher.isConsumerAlive() ? 1 : 0);
            assertNoAllocation("MANY_TO_ONE Subscriber.connectedPublishers", manySubscriber::connectedPublishers);
        }
    }

    @Test
    @Timeout(60)
    void lappedBroadcastReceiverAllocatesNothing() throws InterruptedException
    {
        try (Region region = Region.create(RegionConfig.builder(location)
            .channel("b", ChannelKind.BROADCAST, 1024)
            .build());
            Publisher transmitter = region.publisher("b");
            Subscriber receiver = region.subscriber("b"))
        {
            final AtomicBoolean running = new AtomicBoolean(true);
            final Thread sender = new Thread(() -> transmit(transmitter, running), "transmitter");
            sender.start();
            try
            {
                final long[] received = new long[1];
                final MessageHandler handler = (buffer, offset, length) -> received[0]++;
                pollFor(receiver, handler, TimeUnit.MILLISECONDS.toNanos(200)); // warm up while lapped
                final long lostBefore = receiver.lostMessages();
                final long receivedBefore = received[0];
                final long before = THREADS.getCurrentThreadAllocatedBytes();
                final long polls = pollFor(receiver, handler, TimeUnit.SECONDS.toNanos(2));
                final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
                final long lost = receiver.lostMessages() - lostBefore;
                // Lapped at every turn: each record is overwritten while it is being copied now and then, which
                // is when the receiver starts again from the newest record.
                assertTrue(lost > 10_000, "the receiver was lapped while measured: lost " + lost);
                assertTrue(received[0] - receivedBefore > 1_000, "the receiver still received messages");
                assertTrue(allocated < 4096, "a lapped receiver allocated " + allocated + " bytes in " + polls +
                    " polls, losing " + lost + " messages");
            }
            finally
            {
                running.set(false);
                sender.join();
            }
        }
    }

    private static long pollFor(final Subscriber receiver, final MessageHandler handler, final long durationNs)
    {
        final long deadline = System.nanoTime() + durationNs;
        long polls = 0;
        while (System.nanoTime() - deadline < 0)
        {
            receiver.poll(handler, 16);
            polls++;
        }
        return polls;
    }

    private static void transmit(final Publisher transmitter, final AtomicBoolean running)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[transmitter.maxMessageLength()]);
        long sequence = 0;
        while (running.get())
        {
            message.putLong(0, sequence++);
            transmitter.offer(message, 0, message.capacity());
        }
    }

    private static void assertNoAllocation(final String what, final IntSupplier call)
    {
        long sink = 0;
        for (int i = 0; i < CALLS; i++)
        {
            sink += call.getAsInt(); // warm up: first calls link lambdas and load classes
        }
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < CALLS; i++)
        {
            sink += call.getAsInt();
        }
        final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < CALLS, what + " allocated " + allocated + " bytes in " + CALLS + " calls (sink " +
            sink + ")");
    }
}

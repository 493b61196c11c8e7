package io.shmipc;

import io.shmipc.layout.ChannelDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(30)
class BlockingWaitTest
{
    private final RegionLocation location = RegionLocation.shm("shmipc-wait-" + UUID.randomUUID());

    @AfterEach
    void tearDown()
    {
        Region.delete(location);
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void sleepingSubscriberIsWokenByPublisher(final ChannelKind kind) throws Exception
    {
        final RegionConfig config = RegionConfig.builder(location).channel("c", kind, 64 * 1024).build();
        try (Region region = Region.create(config))
        {
            final Subscriber subscriber = region.subscriber("c");
            final Publisher publisher = region.publisher("c");
            assertEquals(WakeUpMechanism.FUTEX, subscriber.wakeUpMechanism());
            final AtomicInteger value = new AtomicInteger();
            // The first sleep of a subscriber is capped at 1 ms; spend it here, so the wait below can only end by
            // the publisher's wake-up (or after its 20 s timeout, which fails the test).
            assertEquals(0, subscriber.poll((buffer, offset, length) -> fail("nothing was sent yet"), 10,
                Duration.ofMillis(5)));
            final CompletableFuture<Integer> received = CompletableFuture.supplyAsync(
                () -> subscriber.poll((buffer, offset, length) -> value.set(buffer.getInt(offset)), 10,
                Duration.ofSeconds(20)));
            awaitWaiter(region, 1);
            final UnsafeBuffer message = new UnsafeBuffer(new byte[4]);
            message.putInt(0, 42);
            assertEquals(Publisher.OK, publisher.offer(message, 0, 4));
            assertEquals(1, received.get(10, TimeUnit.SECONDS), "woken by the publisher, long before the timeout");
            assertEquals(42, value.get());
            assertEquals(0, subscriber.missedWakeups());
            assertEquals(0, waiterCount(region), "waiter unregistered after waking");
        }
    }

    @Test
    void blockingPollReturnsZeroAfterTimeoutAndReportsNoPublisher()
    {
        final RegionConfig config = RegionConfig.builder(location).channel("c", ChannelKind.ONE_TO_ONE, 4096).build();
        try (Region region = Region.create(config))
        {
            final Subscriber subscriber = region.subscriber("c");
            assertEquals(0, subscriber.poll((buffer, offset, length) -> fail("no message was sent"), 10,
                Duration.ofMillis(50)));
            assertEquals(0, subscriber.connectedPublishers());
            assertEquals(0, subscriber.missedWakeups());
        }
    }

    @Test
    void idleStrategyChecksLivenessAfterTimeout()
    {
        final RegionConfig config = RegionConfig.builder(location).channel("c", ChannelKind.MANY_TO_ONE, 4096).build();
        try (Region region = Region.create(config))
        {
            final Subscriber subscriber = region.subscriber("c");
            final BlockingIdleStrategy idle = new BlockingIdleStrategy(subscriber, Duration.ofMillis(5));
            assertEquals("blocking-futex", idle.alias());
            while (idle.timeouts() < 2)
            {
                idle.idle(subscriber.poll((buffer, offset, length) -> { }, 10));
            }
            assertEquals(0, idle.connectedPublishers());
        }
    }

    /**
     * Wait until the channel's waiter count, read straight from the region file, reaches {@code expected}.
     */
    private static void awaitWaiter(final Region region, final int expected) throws IOException
    {
        while (waiterCount(region) != expected)
        {
            Thread.onSpinWait();
        }
    }

    private static int waiterCount(final Region region) throws IOException
    {
        final Path path = region.location().path();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
        {
            final long controlOffset = RegionInspectorAccess.controlOffset(region, "c");
            final ByteBuffer word = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(word, controlOffset + ChannelDescriptor.WAITER_COUNT_OFFSET);
            return word.getInt(0);
        }
    }
}

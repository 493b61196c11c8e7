package io.shmipc;

import io.shmipc.testing.KernelWaits;
import io.shmipc.exceptions.NoSuchChannelException;
import io.shmipc.exceptions.RegionClosedException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What tools read from a real region without consuming or changing anything: {@link RegionInspector#peek}, by name
 * and through {@link RegionInspector#of(Region)} once the name is gone; and each broadcast subscriber's position and
 * lost count, read from its endpoint slot (layout 1.2).
 */
class RegionInspectorToolsTest
{
    private final RegionLocation location = RegionLocation.shm("shmipc-tools-" + UUID.randomUUID());

    @AfterEach
    void tearDown()
    {
        Region.delete(location);
    }

    @Test
    void aPublisherCountsWhatItsGoneSubscriberLeftAlsoAfterTheNameWasUnlinked()
    {
        final RegionConfig config = RegionConfig.builder(location)
            .channel("ring", ChannelKind.MANY_TO_ONE, 4096)
            .channel("fan", ChannelKind.BROADCAST, 4096)
            .build();
        try (Region region = Region.create(config);
            Publisher publisher = region.publisher("ring");
            Publisher transmitter = region.publisher("fan"))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[Long.BYTES]);
            for (long value = 0; value < 10; value++)
            {
                message.putLong(0, value);
                assertEquals(Publisher.OK, publisher.offer(message, 0, Long.BYTES));
                assertEquals(Publisher.OK, transmitter.offer(message, 0, Long.BYTES));
            }
            try (Subscriber subscriber = region.subscriber("ring"))
            {
                assertEquals(4, subscriber.poll((buffer, offset, length) -> { }, 4));
            }
            final List<Long> values = new ArrayList<>();
            try (RegionInspector inspector = RegionInspector.open(location))
            {
                final ChannelBacklog backlog = inspector.peek("ring", 2, (buffer, offset, length) ->
                    values.add(buffer.getLong(offset)));
                assertEquals(6, backlog.messages());
                assertEquals(6 * Long.BYTES, backlog.bytes());
                assertEquals(List.of(4L, 5L), values);
                inspector.peek("fan", 1, (buffer, offset, length) -> values.add(buffer.getLong(offset)));
                assertEquals(9L, values.get(2), "the newest broadcast message");
                final NoSuchChannelException missing = assertThrows(NoSuchChannelException.class,
                    () -> inspector.peek("nope", 0, null));
                assertTrue(missing.getMessage().contains("channels=[ring, fan]"), missing.getMessage());
            }
            assertTrue(region.delete());
            try (RegionInspector inspector = RegionInspector.of(region))
            {
                assertEquals(6, inspector.peek("ring", 0, null).messages());
            }
            assertEquals(Publisher.OK, publisher.offer(message, 0, Long.BYTES), "the region stays open");
        }
    }

    @Test
    void eachReceiverReportsWhereItIsAndWhatItLost()
    {
        final RegionConfig config = RegionConfig.builder(location)
            .channel("quotes", ChannelKind.BROADCAST, 1024)
            .channel("ring", ChannelKind.ONE_TO_ONE, 1024)
            .build();
        final UnsafeBuffer message = new UnsafeBuffer(new byte[Long.BYTES]);
        try (Region region = Region.create(config);
            Publisher transmitter = region.publisher("quotes");
            Subscriber early = region.subscriber("quotes");
            RegionInspector inspector = RegionInspector.open(location))
        {
            for (int i = 0; i < 3; i++)
            {
                assertEquals(Publisher.OK, transmitter.offer(message, 0, Long.BYTES));
            }
            try (Subscriber late = region.subscriber("quotes"))
            {
                assertEquals(List.of(0L, 3L), receivers(inspector), "positions where each subscribed");
                assertEquals(3, early.poll((buffer, offset, length) -> { }, 10));
                assertEquals(List.of(3L, 3L), receivers(inspector));

                // 200 messages of 16 bytes through a 1 KiB buffer: the late receiver, polling only now, is lapped.
                for (int i = 0; i < 200; i++)
                {
                    assertEquals(Publisher.OK, transmitter.offer(message, 0, Long.BYTES));
                    early.poll((buffer, offset, length) -> { }, 10);
                }
                while (late.poll((buffer, offset, length) -> { }, 100) > 0)
                {
                    // drain what is left after the lap
                }
                final EndpointStatus lateStatus = receiver(inspector, 1);
                assertEquals(203, lateStatus.receiverPosition());
                assertEquals(late.lostMessages(), lateStatus.receiverLost());
                assertEquals(true, lateStatus.receiverLost() > 0, "lapped");
                assertEquals(0, receiver(inspector, 0).receiverLost());
                assertEquals(203, receiver(inspector, 0).receiverPosition());
            }
            try (Publisher publisher = region.publisher("ring"))
            {
                final ChannelStatus ring = inspector.channels().get(1);
                assertEquals(-1, ring.endpoints().get(0).receiverPosition(), "not a broadcast receiver: " + ring);
                assertEquals(false, publisher.isClosed());
            }
        }
    }

    private static List<Long> receivers(final RegionInspector inspector)
    {
        return subscribers(inspector).stream().map(EndpointStatus::receiverPosition).toList();
    }

    private static EndpointStatus receiver(final RegionInspector inspector, final int index)
    {
        return subscribers(inspector).get(index);
    }

    private static List<EndpointStatus> subscribers(final RegionInspector inspector)
    {
        return inspector.channels().get(0).endpoints().stream()
            .filter(endpoint -> endpoint.role().equals("subscriber")).toList();
    }

    @Test
    void aCloseFromAnotherThreadEndsAWaitForAChangeAndEveryLaterCall() throws Exception
    {
        final RegionConfig config = RegionConfig.builder(location).channel("ring", ChannelKind.MANY_TO_ONE, 4096)
            .build();
        try (Region region = Region.create(config))
        {
            final RegionInspector inspector = RegionInspector.open(location);
            final int seen = inspector.channelList().changeCount();
            final AtomicReference<Throwable> thrown = new AtomicReference<>();
            final CountDownLatch waiting = new CountDownLatch(1);
            final Thread waiter = new Thread(() ->
            {
                try
                {
                    waiting.countDown();
                    inspector.awaitChannelChange(seen, Duration.ofSeconds(60));
                }
                catch (final Throwable ex)
                {
                    thrown.set(ex);
                }
            }, "inspector-waiter");
            waiter.start();
            waiting.await();
            KernelWaits.awaitBlockedIn(waiter, KernelWaits.FUTEX); // asleep on the change count
            inspector.close();
            waiter.join(Duration.ofSeconds(10).toMillis());
            assertFalse(waiter.isAlive(), "woken by the close, not left asleep until its timeout");
            assertInstanceOf(RegionClosedException.class, thrown.get(), String.valueOf(thrown.get()));

            assertThrows(RegionClosedException.class, inspector::majorVersion);
            assertThrows(RegionClosedException.class, inspector::liveness);
            assertThrows(RegionClosedException.class, inspector::channels);
            assertThrows(RegionClosedException.class, () -> inspector.peek("ring", 0, null));
            inspector.close();
            assertEquals(1, region.channels().size(), "the region is untouched");
        }
    }
}

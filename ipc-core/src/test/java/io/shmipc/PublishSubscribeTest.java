package io.shmipc;

import io.shmipc.exceptions.ChannelInUseException;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.InvalidConfigurationException;
import io.shmipc.exceptions.PositionNotHeldException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The {@code PUBLISH_SUBSCRIBE} kind through the public API, inside one process: every subscriber gets every
 * message, tethered subscribers hold the publisher back, untethered ones skip and count, late joiners replay, claims
 * and batches work, and misuse is refused with a message that names it.
 */
@Timeout(60)
class PublishSubscribeTest
{
    private static final int CAPACITY = 64 * 1024;

    private final String shmName = "shmipc-unit-log-" + UUID.randomUUID();
    private final List<Region> regions = new ArrayList<>();
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[1024]);

    @AfterEach
    void tearDown()
    {
        regions.forEach(Region::close);
        Region.delete(RegionLocation.shm(shmName));
    }

    private Region region()
    {
        final Region region = Region.openOrCreate(RegionConfig.builder(RegionLocation.shm(shmName))
            .channel("log", ChannelKind.PUBLISH_SUBSCRIBE, CAPACITY).build());
        regions.add(region);
        return region;
    }

    private long offer(final Publisher publisher, final long value, final int length)
    {
        message.putLong(0, value);
        return publisher.offer(message, 0, length);
    }

    private static List<Long> drain(final Subscriber subscriber)
    {
        final List<Long> values = new ArrayList<>();
        while (subscriber.poll((buffer, offset, length) -> values.add(buffer.getLong(offset)), 100) > 0)
        {
            // keep polling
        }
        return values;
    }

    private static List<Long> range(final long from, final long to)
    {
        final List<Long> values = new ArrayList<>();
        for (long value = from; value < to; value++)
        {
            values.add(value);
        }
        return values;
    }

    @Test
    void everySubscriberGetsEveryMessageInOrderAcrossManyLaps()
    {
        final Region region = region();
        final Publisher publisher = region.publisher("log");
        final List<Subscriber> subscribers = List.of(region.subscriber("log"), region.subscriber("log"),
            region.subscriber("log", SubscriberOptions.defaults().untethered()));
        final List<List<Long>> received = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        final int count = 50_000;
        int sent = 0;
        while (sent < count || received.get(0).size() < count || received.get(1).size() < count)
        {
            if (sent < count && offer(publisher, sent, 8 + sent % 300) == Publisher.OK)
            {
                sent++;
            }
            for (int i = 0; i < subscribers.size(); i++)
            {
                final List<Long> into = received.get(i);
                subscribers.get(i).poll((buffer, offset, length) -> into.add(buffer.getLong(offset)), 7);
            }
        }
        for (int i = 0; i < subscribers.size(); i++)
        {
            assertEquals(range(0, count), received.get(i), "subscriber " + i);
            assertEquals(0, subscribers.get(i).lostMessages());
        }
        assertTrue(publisher.isConsumerAlive());
        assertEquals(3, publisher.connectedSubscribers());
    }

    @Test
    void aTetheredSubscriberHoldsThePublisherBackUntilItReads()
    {
        final Region region = region();
        final Publisher publisher = region.publisher("log");
        final Subscriber subscriber = region.subscriber("log");
        long sent = 0;
        while (offer(publisher, sent, 100) == Publisher.OK)
        {
            sent++;
        }
        assertTrue(sent > 100 && sent < CAPACITY / 100, "sent before back-pressure: " + sent);
        assertEquals(range(0, sent), drain(subscriber));
        assertEquals(Publisher.OK, offer(publisher, sent, 100));
        assertEquals(List.of(sent), drain(subscriber));
    }

    @Test
    void anUntetheredSubscriberNeverHoldsThePublisherAndCountsExactlyWhatItSkipped()
    {
        final Region region = region();
        final Publisher publisher = region.publisher("log");
        final Subscriber subscriber = region.subscriber("log", SubscriberOptions.defaults().untethered(4096));
        final List<Long> received = new ArrayList<>();
        final int count = 20_000;
        for (long value = 0; value < count; value++)
        {
            assertEquals(Publisher.OK, offer(publisher, value, 40), "never held back");
            if (value % 700 == 0)
            {
                received.addAll(drain(subscriber));
            }
        }
        received.addAll(drain(subscriber));
        assertEquals(Publisher.OK, offer(publisher, count, 40));
        received.addAll(drain(subscriber));
        long gaps = 0;
        for (int i = 1; i < received.size(); i++)
        {
            assertTrue(received.get(i) > received.get(i - 1), "in order: " + received.subList(i - 1, i + 1));
            gaps += received.get(i) - received.get(i - 1) - 1;
        }
        assertEquals(0L, received.get(0));
        assertEquals(count, received.get(received.size() - 1));
        assertTrue(gaps > 0, "a subscriber 4 KiB behind at most skipped some of " + count);
        assertEquals(gaps, subscriber.lostMessages(), "skipped = the gaps in the sequence it saw");
        assertFalse(subscriber.isTethered());
    }

    @Test
    void aTetheredSubscriberThatStandsStillIsDemotedAfterItsTimeAndCountsWhatItSkipped()
    {
        final Region region = region();
        final Publisher publisher = region.publisher("log");
        final long joinedAt = System.nanoTime(); // it never moves after this
        final Subscriber stuck = region.subscriber("log",
            SubscriberOptions.defaults().demoteAfter(Duration.ofMillis(250)));
        final Subscriber keeper = region.subscriber("log");
        long sent = 0;
        while (offer(publisher, sent, 100) == Publisher.OK)
        {
            sent++;
            assertTrue(sent < 2 * CAPACITY / 100, "held back once the log is full");
            drain(keeper);
        }
        assertEquals(Publisher.BACK_PRESSURED, offer(publisher, sent, 100), "held by the subscriber standing still");
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (offer(publisher, sent, 100) != Publisher.OK)
        {
            assertTrue(System.nanoTime() < deadline, "never demoted");
            Thread.onSpinWait();
        }
        assertTrue(System.nanoTime() - joinedAt >= 250_000_000L, "demoted only once it stood still for 250 ms");
        sent++;
        for (int i = 0; i < 2000; i++)
        {
            assertEquals(Publisher.OK, offer(publisher, sent++, 100), "no longer held back");
            drain(keeper);
        }
        assertEquals(List.of(), drain(stuck), "lapped: it moves to the newest message");
        assertFalse(stuck.isTethered());
        final long resumedAt = sent;
        for (int i = 0; i < 10; i++)
        {
            assertEquals(Publisher.OK, offer(publisher, sent++, 100));
        }
        final List<Long> received = drain(stuck);
        assertEquals(range(resumedAt, sent), received);
        assertEquals(resumedAt, stuck.lostMessages(), "skipped exactly the messages before the first it saw");
        try (RegionInspector inspector = RegionInspector.open(RegionLocation.shm(shmName)))
        {
            assertTrue(inspector.channels().get(0).endpoints().stream().anyMatch(endpoint ->
                endpoint.subscription() != null && "demoted".equals(endpoint.subscription().state())));
        }
    }

    @Test
    void aLateJoinerFromTheOldestGetsExactlyWhatTheLogHolds()
    {
        final Region region = region();
        final Publisher publisher = region.publisher("log");
        for (long value = 0; value < 5_000; value++)
        {
            assertEquals(Publisher.OK, offer(publisher, value, 24));
        }
        final Subscriber late = region.subscriber("log", SubscriberOptions.defaults().fromOldest());
        final List<Long> received = drain(late);
        assertEquals(range(received.get(0), 5_000), received);
        assertTrue(received.get(0) > 0 && received.size() > CAPACITY / 64, "held: " + received.size());
        final Subscriber next = region.subscriber("log");
        assertEquals(List.of(), drain(next));
        assertEquals(Publisher.OK, offer(publisher, 5_000, 24));
        assertEquals(List.of(5_000L), drain(next));
        assertEquals(List.of(5_000L), drain(late));
    }

    @Test
    void peekShowsWhatTheLogHoldsOldestFirstAsAJoinerFromTheOldestGetsItBatchEntriesOneByOne()
    {
        final Region region = region();
        final Publisher publisher = region.publisher("log");
        for (long value = 0; value < 5_000; value++)
        {
            assertEquals(Publisher.OK, offer(publisher, value, 24));
        }
        final BatchingPublisher batching = publisher.batching(256);
        for (long value = 5_000; value < 5_003; value++)
        {
            message.putLong(0, value);
            assertEquals(Publisher.OK, batching.offer(message, 0, 24));
        }
        assertTrue(batching.flush() > 0);
        final List<Long> held = drain(region.subscriber("log", SubscriberOptions.defaults().fromOldest()));
        try (RegionInspector inspector = RegionInspector.open(RegionLocation.shm(shmName)))
        {
            final List<Long> shown = new ArrayList<>();
            final ChannelBacklog backlog = inspector.peek("log", 3, (buffer, offset, length) ->
                shown.add(buffer.getLong(offset)));
            assertEquals(held.size(), backlog.messages(), "every message the log holds, each batch entry one");
            assertEquals(held.size() * 24L, backlog.bytes());
            assertEquals(held.subList(0, 3), shown, "the oldest first");
            assertEquals(List.of(5_002L), held.subList(held.size() - 1, held.size()));
            final List<Long> all = new ArrayList<>();
            assertEquals(held.size(), inspector.peek("log", Integer.MAX_VALUE, (buffer, offset, length) ->
                all.add(buffer.getLong(offset))).delivered());
            assertEquals(held, all);
        }
    }

    @Test
    void aSubscriberStartsAtAPositionAnotherReportedWhileTheLogHoldsIt()
    {
        final Region region = region();
        final Publisher publisher = region.publisher("log");
        final Subscriber first = region.subscriber("log");
        for (long value = 0; value < 100; value++)
        {
            assertEquals(Publisher.OK, offer(publisher, value, 33));
        }
        first.poll((buffer, offset, length) -> { }, 40);
        final long position = first.position();
        final Subscriber second = region.subscriber("log", SubscriberOptions.defaults().fromPosition(position));
        assertEquals(range(40, 100), drain(second));
        final PositionNotHeldException notABoundary = assertThrows(PositionNotHeldException.class,
            () -> region.subscriber("log", SubscriberOptions.defaults().fromPosition(position + 16)));
        assertTrue(notABoundary.getMessage().contains("position=" + (position + 16)), notABoundary.getMessage());
        final PositionNotHeldException beyond = assertThrows(PositionNotHeldException.class,
            () -> region.subscriber("log", SubscriberOptions.defaults().fromPosition(1L << 40)));
        assertTrue(beyond.getMessage().contains("tail="), beyond.getMessage());
    }

    @Test
    void theInspectorShowsEachSubscribersPositionLagSkipsAndFlowControl()
    {
        final Region region = region();
        final Publisher publisher = region.publisher("log");
        final Subscriber tethered = region.subscriber("log");
        final Subscriber untethered = region.subscriber("log", SubscriberOptions.defaults().untethered(2048));
        for (long value = 0; value < 10; value++)
        {
            assertEquals(Publisher.OK, offer(publisher, value, 16));
        }
        tethered.poll((buffer, offset, length) -> { }, 4);
        try (RegionInspector inspector = RegionInspector.open(RegionLocation.shm(shmName)))
        {
            final ChannelStatus channel = inspector.channels().get(0);
            assertEquals(10 * 32, channel.producerPosition());
            assertEquals(10, channel.messagesSent());
            final List<SubscriptionStatus> subscriptions = new ArrayList<>();
            channel.endpoints().forEach(endpoint ->
            {
                if (endpoint.subscription() != null)
                {
                    subscriptions.add(endpoint.subscription());
                }
            });
            assertEquals(2, subscriptions.size());
            final SubscriptionStatus first = subscriptions.get(0);
            assertEquals("tethered", first.state());
            assertEquals(4 * 32, first.position());
            assertEquals(6 * 32, first.lagBytes());
            assertEquals(6, first.lagMessages());
            assertEquals(0, first.deliveredMessages(), "stored at housekeeping rounds, not yet");
            final SubscriptionStatus second = subscriptions.get(1);
            assertEquals("untethered", second.state());
            assertEquals(2048, second.lagWindow());
            assertEquals(10, second.lagMessages());
            assertFalse(second.tethered());
        }
        assertFalse(untethered.isTethered());
    }

    @Test
    void claimsAndBatchesAreDeliveredMessageByMessage()
    {
        final Region region = region();
        final Publisher publisher = region.publisher("log");
        final Subscriber subscriber = region.subscriber("log");
        final Claim claim = new Claim();
        assertEquals(Publisher.OK, publisher.tryClaim(8, claim));
        claim.buffer().putLong(0, 1);
        claim.commit();
        assertEquals(Publisher.OK, publisher.tryClaim(8, claim));
        claim.buffer().putLong(0, 99);
        claim.abort();
        final BatchingPublisher batching = publisher.batching(256);
        for (long value = 2; value < 20; value++)
        {
            message.putLong(0, value);
            assertEquals(Publisher.OK, batching.offer(message, 0, 8));
        }
        assertEquals(Publisher.OK, batching.flush());
        assertEquals(Publisher.OK, offer(publisher, 20, 8));
        assertEquals(range(1, 21), drain(subscriber));
    }

    @Test
    void aSecondPublisherIsRefusedAndANewOneContinuesTheSequence()
    {
        final Region region = region();
        final Publisher publisher = region.publisher("log");
        final Subscriber subscriber = region.subscriber("log");
        assertThrows(ChannelInUseException.class, () -> region().publisher("log"));
        assertEquals(Publisher.OK, offer(publisher, 1, 8));
        publisher.close();
        final Publisher next = region.publisher("log");
        assertEquals(Publisher.OK, offer(next, 2, 8));
        assertEquals(List.of(1L, 2L), drain(subscriber));
    }

    @Test
    void sixtyThreeSubscribersEachGetEveryMessageAndASixtyFourthIsRefused()
    {
        final Region region = region();
        final Publisher publisher = region.publisher("log");
        final List<Subscriber> subscribers = new ArrayList<>();
        for (int i = 0; i < 63; i++)
        {
            subscribers.add(region.subscriber("log", i % 2 == 0 ? SubscriberOptions.defaults() :
                SubscriberOptions.defaults().untethered()));
        }
        final ChannelInUseException full = assertThrows(ChannelInUseException.class,
            () -> region.subscriber("log"));
        assertTrue(full.getMessage().contains("admits 63 subscribers"), full.getMessage());
        for (long value = 0; value < 3_000; value++)
        {
            assertEquals(Publisher.OK, offer(publisher, value, 40), "500 records fit: every subscriber drains them");
            if (value % 500 == 499)
            {
                final long upTo = value + 1;
                subscribers.forEach(subscriber -> assertEquals(range(upTo - 500, upTo), drain(subscriber)));
            }
        }
        subscribers.forEach(subscriber -> assertEquals(0, subscriber.lostMessages()));
    }

    @Test
    void subscriberOptionsAreRefusedOnOtherKinds()
    {
        final Region region = Region.create(RegionConfig.builder(RegionLocation.shm(shmName))
            .channel("ring", ChannelKind.ONE_TO_ONE, CAPACITY).build());
        regions.add(region);
        final InvalidConfigurationException refused = assertThrows(InvalidConfigurationException.class,
            () -> region.subscriber("ring", SubscriberOptions.defaults().fromOldest()));
        assertTrue(refused.getMessage().contains("channel=ring kind=ONE_TO_ONE"), refused.getMessage());
    }

    @Test
    void aBlockingPollWakesOnAMessage() throws InterruptedException
    {
        final Region region = region();
        final Publisher publisher = region.publisher("log");
        final Subscriber subscriber = region.subscriber("log");
        final List<Long> received = new ArrayList<>();
        final Thread sender = new Thread(() ->
        {
            try
            {
                Thread.sleep(50);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            offer(publisher, 7, 8);
        });
        sender.start();
        assertEquals(1, subscriber.poll((buffer, offset, length) -> received.add(buffer.getLong(offset)), 10,
            Duration.ofSeconds(10)));
        sender.join();
        assertEquals(List.of(7L), received);
    }

    @Test
    void aCorruptTailFailsThePublisherAndThenEveryEndpoint()
    {
        final Region region = region();
        final Publisher publisher = region.publisher("log");
        final Subscriber subscriber = region.subscriber("log");
        assertEquals(Publisher.OK, offer(publisher, 1, 8));
        publisher.close();
        RegionInspectorAccess.corruptLogTail(RegionLocation.shm(shmName), "log", 12345);
        final CorruptRegionException corrupt = assertThrows(CorruptRegionException.class,
            () -> region.publisher("log"));
        assertEquals("channel[log].log.positions", corrupt.field());
        final CorruptRegionException failed = assertThrows(CorruptRegionException.class,
            () -> subscriber.poll((buffer, offset, length) -> { }, 10));
        assertEquals("channel[log].log.positions", failed.field());
    }
}

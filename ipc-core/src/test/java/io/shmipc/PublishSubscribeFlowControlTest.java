package io.shmipc;

import io.shmipc.exceptions.InvalidConfigurationException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Flow control of the {@code PUBLISH_SUBSCRIBE} kind through the public API, inside one process: a tethered
 * subscriber holds the publisher back until it reads, an untethered one never does and counts exactly what it
 * skipped, a tethered one that stands still is demoted after its time, and the inspector shows each subscriber's
 * position, lag and state.
 */
@Timeout(60)
class PublishSubscribeFlowControlTest extends PublishSubscribeTestBase
{
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

    /**
     * The shortest window is an empty message's record, 32 bytes with the log's alignment: a shorter one would skip
     * every record it found waiting, and deliver nothing.
     */
    @Test
    void aLagWindowShorterThanARecordOrLongerThanTheLogIsRefusedNamingItsBounds()
    {
        final Region region = region();
        final Publisher publisher = region.publisher("log");
        for (final int window : new int[] {16, 31, CAPACITY + 1})
        {
            final InvalidConfigurationException refused = assertThrows(InvalidConfigurationException.class,
                () -> region.subscriber("log", SubscriberOptions.defaults().untethered(window)));
            assertTrue(refused.getMessage().contains("channel=log lagWindow=" + window + " (from 32, the record of " +
                "an empty message, to the capacity " + CAPACITY + ")"), refused.getMessage());
        }
        assertEquals(0, publisher.connectedSubscribers(), "a refused subscriber holds no slot");
        try (Subscriber shortest = region.subscriber("log", SubscriberOptions.defaults().untethered(32)))
        {
            assertEquals(Publisher.OK, publisher.offer(new UnsafeBuffer(new byte[0]), 0, 0));
            final int[] lengths = {-1};
            assertEquals(1, shortest.poll((buffer, offset, length) -> lengths[0] = length, 10),
                "an empty message waiting is within the shortest window");
            assertEquals(0, lengths[0]);
            assertEquals(0, shortest.lostMessages());
        }
        region.subscriber("log", SubscriberOptions.defaults().untethered(CAPACITY)).close();
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
}

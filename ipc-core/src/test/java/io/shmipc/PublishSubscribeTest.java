package io.shmipc;

import io.shmipc.testing.KernelWaits;
import io.shmipc.exceptions.ChannelInUseException;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.InvalidConfigurationException;
import io.shmipc.exceptions.PositionNotHeldException;
import io.shmipc.layout.EndpointDescriptor;
import io.shmipc.layout.LogBufferDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The {@code PUBLISH_SUBSCRIBE} kind through the public API, inside one process: every subscriber gets every
 * message, late joiners replay what the log holds or start at a position another reported, claims and batches work,
 * and misuse is refused with a message that names it. Flow control is {@link PublishSubscribeFlowControlTest}'s.
 */
@Timeout(60)
class PublishSubscribeTest extends PublishSubscribeTestBase
{
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
    void aLateJoinerFromTheOldestGetsExactlyWhatTheLogHolds()
    {
        final Region region = region();
        final Publisher publisher = region.publisher("log");
        publish(publisher, 5_000);
        final Subscriber late = region.subscriber("log", SubscriberOptions.defaults().fromOldest());
        final List<Long> received = drain(late);
        assertEquals(range(received.get(0), 5_000), received);
        // 24-byte messages take records of 64 bytes; the log holds its capacity less at most one cleaning chunk (an
        // eighth of this log) and the two records at the tail.
        assertTrue(received.get(0) > 0 && received.size() * 64L >= CAPACITY - CAPACITY / 8 - 2 * 64,
            "held: " + received.size());
        // Untethered, from the oldest or a position: the whole history, though it lies further back than the window.
        final Subscriber untethered = region.subscriber("log", SubscriberOptions.defaults().fromOldest().untethered());
        assertEquals(received, drain(untethered));
        assertEquals(0, untethered.lostMessages());
        final Subscriber windowed = region.subscriber("log", SubscriberOptions.defaults().fromOldest()
            .untethered(64));
        assertEquals(received, drain(windowed));
        final Subscriber next = region.subscriber("log");
        assertEquals(List.of(), drain(next));
        assertEquals(Publisher.OK, offer(publisher, 5_000, 24));
        assertEquals(List.of(5_000L), drain(next));
        assertEquals(List.of(5_000L), drain(late));
        assertEquals(List.of(5_000L), drain(untethered));
        for (long value = 5_001; value < 5_100; value++)
        {
            assertEquals(Publisher.OK, offer(publisher, value, 24));
        }
        final List<Long> afterHistory = drain(windowed);
        assertEquals(List.of(), afterHistory, "past its history, its 64-byte window applies: it moves to the tail");
        assertEquals(100, windowed.lostMessages(), "5,000 to 5,099, all past its history");
    }

    /**
     * An untethered joiner from the oldest whose history the publisher overwrites while it replays it goes on from
     * the oldest message still held, counting only what was overwritten: it does not hold its history.
     */
    @Test
    void anUntetheredJoinerOverwrittenWhileReplayingTheHistoryGoesOnFromTheOldestStillHeld()
    {
        final Region region = region();
        final Publisher publisher = region.publisher("log");
        final long sent = publish(publisher, 5_000);
        final Subscriber joiner = region.subscriber("log", SubscriberOptions.defaults().fromOldest().untethered());
        final List<Long> received = new ArrayList<>();
        assertEquals(1, joiner.poll((buffer, offset, length) -> received.add(buffer.getLong(offset)), 1));
        final long first = received.get(0);
        // A quarter of what the log holds, within the window (half the log) past its history.
        final long more = publishWhileRoom(publisher, sent, 5_400);
        assertEquals(5_400, more, "an untethered subscriber holds nothing back");
        received.addAll(drain(joiner));

        assertTrue(received.size() > 1, "nothing of the history delivered after the first: lost " +
            joiner.lostMessages());
        final long resumed = received.get(1);
        assertTrue(resumed > first + 1, "some of the history was overwritten before it was read: " + resumed);
        assertTrue(resumed < 5_000, "it went on within the history, not past it: " + resumed);
        assertEquals(range(resumed, more), received.subList(1, received.size()));
        assertEquals(resumed - first - 1, joiner.lostMessages(), "exactly what was overwritten before it was read");
        assertSoundAfterHousekeeping(joiner, publisher, more);
    }

    /**
     * A tethered joiner from the oldest holds the publisher back from its start on, before it has read anything
     * (the publisher, which computed its limit before the subscriber existed, scans again at its next append because
     * the joiner asked it to): the history is replayed whole, however far the publisher gets meanwhile. A tethered one
     * that may be demoted is not demoted: it stays tethered and its channel stays sound.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tethered", "demotable"})
    void aTetheredJoinerFromTheOldestHoldsThePublisherBackFromItsStart(final String flowControl)
    {
        final Region region = region();
        final Publisher publisher = region.publisher("log");
        final long sent = publish(publisher, 5_000);
        final SubscriberOptions fromOldest = SubscriberOptions.defaults().fromOldest();
        final Subscriber joiner = region.subscriber("log", "demotable".equals(flowControl) ?
            fromOldest.demoteAfter(Duration.ofMinutes(1)) : fromOldest);
        final List<Long> received = new ArrayList<>();
        assertEquals(1, joiner.poll((buffer, offset, length) -> received.add(buffer.getLong(offset)), 1));
        final long first = received.get(0);
        final long more = publishWhileRoom(publisher, sent, 5_400);
        assertTrue(more < 5_400, "the publisher was held back by the history: it sent all of " + more);
        received.addAll(drain(joiner));

        assertEquals(range(first, more), received, "the history whole, then what came after");
        assertEquals(0, joiner.lostMessages());
        assertTrue(joiner.isTethered());
        assertSoundAfterHousekeeping(joiner, publisher, more);
    }

    private long publish(final Publisher publisher, final long count)
    {
        for (long value = 0; value < count; value++)
        {
            assertEquals(Publisher.OK, offer(publisher, value, 24));
        }
        return count;
    }

    /**
     * Offer values from {@code from} while the publisher is not refused, up to {@code until}.
     *
     * @return the next value, not sent.
     */
    private long publishWhileRoom(final Publisher publisher, final long from, final long until)
    {
        long sent = from;
        while (sent < until && offer(publisher, sent, 24) == Publisher.OK)
        {
            sent++;
        }
        return sent;
    }

    /**
     * Several housekeeping rounds (at least 10 ms apart) find nothing amiss, and the next message still arrives.
     */
    private void assertSoundAfterHousekeeping(final Subscriber joiner, final Publisher publisher,
        final long next)
    {
        final long deadline = System.nanoTime() + Duration.ofMillis(50).toNanos();
        while (System.nanoTime() - deadline < 0)
        {
            assertEquals(0, joiner.poll((buffer, offset, length) -> { }, 10));
        }
        assertEquals(Publisher.OK, offer(publisher, next, 24));
        assertEquals(List.of(next), drain(joiner));
    }

    @Test
    void peekShowsWhatTheLogHoldsOldestFirstAsAJoinerFromTheOldestGetsItBatchEntriesOneByOne()
    {
        final Region region = region();
        final Publisher publisher = region.publisher("log");
        publish(publisher, 5_000);
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
            () -> region.subscriber("log", SubscriberOptions.defaults().fromPosition(position + 32)));
        assertTrue(notABoundary.getMessage().contains("position=" + (position + 32)), notABoundary.getMessage());
        final PositionNotHeldException misaligned = assertThrows(PositionNotHeldException.class,
            () -> region.subscriber("log", SubscriberOptions.defaults().fromPosition(position + 8)));
        assertTrue(misaligned.getMessage().contains("not a position where a message starts: region=shm:" + shmName +
            " channel=log position=" + (position + 8) + " (messages start at multiples of " +
            LogBufferDescriptor.ALIGNMENT + ")"),
            misaligned.getMessage());
        final PositionNotHeldException beyond = assertThrows(PositionNotHeldException.class,
            () -> region.subscriber("log", SubscriberOptions.defaults().fromPosition(1L << 40)));
        assertTrue(beyond.getMessage().contains("tail="), beyond.getMessage());
    }

    @Test
    void aSubscriberStartsAtALapStartThatFollowsAPaddingRecord()
    {
        final Region region = region();
        final Publisher publisher = region.publisher("log");
        // Records of 16 + 200 bytes, aligned to 224: a lap holds 292 of them, then a padding record of 128 bytes, and
        // the 293rd starts the next lap, at the capacity: a position a subscriber reports after reading the padding.
        for (long value = 0; value < 300; value++)
        {
            assertEquals(Publisher.OK, offer(publisher, value, 200));
        }
        final Subscriber atLapStart = region.subscriber("log", SubscriberOptions.defaults().fromPosition(CAPACITY));
        assertEquals(range(292, 300), drain(atLapStart));
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
    void anOfferOrAFlushWhileTheClaimIsHeldIsRefusedAndLosesNothing()
    {
        final Region region = region();
        final Publisher publisher = region.publisher("log");
        final Subscriber subscriber = region.subscriber("log");
        final BatchingPublisher batching = publisher.batching(256);
        message.putLong(0, 3);
        assertEquals(Publisher.OK, batching.offer(message, 0, 8));
        final Claim claim = new Claim();
        assertEquals(Publisher.OK, publisher.tryClaim(8, claim));
        claim.buffer().putLong(0, 1);
        final IllegalStateException offered = assertThrows(IllegalStateException.class,
            () -> offer(publisher, 99, 8));
        assertTrue(offered.getMessage().contains("a claim of this publisher is held: region=shm:" + shmName +
            " channel=log"), offered.getMessage());
        assertThrows(IllegalStateException.class, batching::flush);
        assertEquals(List.of(), drain(subscriber), "nothing is visible while the claim is held");
        claim.commit();
        assertEquals(Publisher.OK, offer(publisher, 2, 8));
        assertEquals(Publisher.OK, batching.flush(), "the batch was kept");
        assertEquals(Publisher.OK, offer(publisher, 4, 8));
        assertEquals(range(1, 5), drain(subscriber));
        assertEquals(0, subscriber.lostMessages());
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
    void aDemotionTimeOutsideItsRangeIsRefusedNamingIt()
    {
        for (final Duration after : new Duration[] {Duration.ZERO, Duration.ofNanos(999_999),
            Duration.ofMillis(Integer.MAX_VALUE + 1L), Duration.ofSeconds(Long.MAX_VALUE)})
        {
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SubscriberOptions.defaults().demoteAfter(after));
            assertTrue(refused.getMessage().contains("demoteAfter=" + after), refused.getMessage());
        }
        assertTrue(SubscriberOptions.defaults().demoteAfter(Duration.ofMillis(Integer.MAX_VALUE)).isTethered());
    }

    @Test
    void optionsThatContradictEachOtherAreRefusedNotSilentlyDropped()
    {
        final Duration after = Duration.ofSeconds(5);
        final SubscriberOptions demotable = SubscriberOptions.defaults().demoteAfter(after);
        for (final Runnable untethering : new Runnable[] {demotable::untethered, () -> demotable.untethered(4096)})
        {
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, untethering::run);
            assertTrue(refused.getMessage().contains("contradicts demoteAfter(PT5S)"), refused.getMessage());
        }
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> SubscriberOptions.defaults().untethered().demoteAfter(after));
        assertTrue(refused.getMessage().contains("demoteAfter(PT5S) is for a tethered subscriber"),
            refused.getMessage());
        assertTrue(demotable.fromOldest().tethered().isTethered(), "tethered() keeps what it is");
    }

    @Test
    void aBlockingPollWakesOnAMessage() throws InterruptedException
    {
        final Region region = region();
        final Publisher publisher = region.publisher("log");
        final Subscriber subscriber = region.subscriber("log");
        final List<Long> received = new ArrayList<>();
        final Thread polling = Thread.currentThread();
        final String name = polling.getName();
        polling.setName("pubsub-poller"); // a name the kernel shows (the main thread's is "java")
        try
        {
            final Thread sender = new Thread(() ->
            {
                KernelWaits.awaitBlockedIn(polling, KernelWaits.FUTEX); // the poll is asleep
                offer(publisher, 7, 8);
            });
            sender.start();
            assertEquals(1, subscriber.poll((buffer, offset, length) -> received.add(buffer.getLong(offset)), 10,
                Duration.ofSeconds(10)));
            sender.join();
        }
        finally
        {
            polling.setName(name);
        }
        assertEquals(List.of(7L), received);
    }

    @Test
    void aPublisherLimitNoPublisherCouldHaveStoredIsTheTetheredJoinersTypedError()
    {
        final Region region = region();
        final Publisher publisher = region.publisher("log");
        assertEquals(Publisher.OK, offer(publisher, 1, 8));
        RegionInspectorAccess.corruptBuffer(RegionLocation.shm(shmName), "log",
            CAPACITY + LogBufferDescriptor.PUBLISHER_LIMIT_OFFSET, 1L << 40);
        final CorruptRegionException corrupt = assertThrows(CorruptRegionException.class,
            () -> region.subscriber("log"));
        assertEquals("channel[log].log.publisherLimit", corrupt.field());
        assertTrue(corrupt.getMessage().contains("actual=" + (1L << 40)), corrupt.getMessage());
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

    @Test
    void subscribersLappedByAFastPublisherNeverTakeItsMovingPositionsForCorruption() throws Exception
    {
        final Region region = Region.openOrCreate(RegionConfig.builder(RegionLocation.shm(shmName))
            .channel("log", ChannelKind.PUBLISH_SUBSCRIBE, 1024).build());
        regions.add(region);
        final Publisher publisher = region.publisher("log");
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<Throwable> failed = new AtomicReference<>();
        final Thread writer = new Thread(() ->
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[56]);
            try
            {
                for (long value = 0; !stop.get(); value++)
                {
                    payload.putLong(0, value);
                    publisher.offer(payload, 0, payload.capacity());
                }
            }
            catch (final Throwable ex)
            {
                failed.set(ex);
            }
        });
        // One publisher moving a whole 1 KiB log on in a microsecond; untethered subscribers lapped on every read
        // check its Oldest and Tail Positions once a millisecond, and before a join: read as two moments apart, a
        // sound pair breaks oldest <= tail <= oldest + capacity.
        writer.start();
        try
        {
            final long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() - deadline < 0 && failed.get() == null)
            {
                try (Subscriber subscriber = region.subscriber("log", SubscriberOptions.defaults().untethered()))
                {
                    for (int polls = 0; polls < 20_000; polls++)
                    {
                        subscriber.poll((buffer, offset, length) -> { }, 4);
                    }
                }
            }
        }
        finally
        {
            stop.set(true);
            writer.join();
        }
        assertNull(failed.get(), () -> "the publisher failed: " + failed.get());
    }

    @Test
    void aNullClaimOrHandlerIsRefusedBeforeAnythingIsTakenOnEveryKind()
    {
        final RegionConfig.Builder config = RegionConfig.builder(RegionLocation.shm(shmName));
        for (final ChannelKind kind : ChannelKind.values())
        {
            config.channel(kind.name(), kind, 4096);
        }
        final Region region = Region.openOrCreate(config.build());
        regions.add(region);
        for (final ChannelKind kind : ChannelKind.values())
        {
            try (Publisher publisher = region.publisher(kind.name());
                Subscriber subscriber = region.subscriber(kind.name()))
            {
                assertThrows(NullPointerException.class, () -> publisher.tryClaim(8, null), kind::name);
                final Claim claim = new Claim();
                assertEquals(Publisher.OK, publisher.tryClaim(8, claim), kind::name);
                claim.buffer().putLong(claim.offset(), 42);
                claim.commit();
                assertThrows(NullPointerException.class, () -> subscriber.poll(null, 1), kind::name);
                final List<Long> values = new ArrayList<>();
                while (values.isEmpty())
                {
                    subscriber.poll((buffer, offset, length) -> values.add(buffer.getLong(offset)), 1);
                }
                assertEquals(List.of(42L), values, kind::name);
            }
        }
    }

    @Test
    void aZeroedHeaderBelowTheTailFailsTheChannelInsteadOfHoldingEveryoneForever()
    {
        final Region region = region();
        final Publisher publisher = region.publisher("log");
        final Subscriber subscriber = region.subscriber("log");
        for (long value = 0; value < 10; value++)
        {
            assertEquals(Publisher.OK, offer(publisher, value, 24));
        }
        assertEquals(2, subscriber.poll((buffer, offset, length) -> { }, 2));
        RegionInspectorAccess.corruptBuffer(RegionLocation.shm(shmName), "log", subscriber.position() & (CAPACITY - 1),
            0);
        try (RegionInspector inspector = RegionInspector.open(RegionLocation.shm(shmName)))
        {
            final List<Long> shown = new ArrayList<>();
            final CorruptRegionException unreadable = assertThrows(CorruptRegionException.class, () -> inspector.peek(
                "log", 10, (buffer, offset, length) -> shown.add(buffer.getLong(offset))),
                "a peek must not count the record as one a publisher is still writing");
            assertEquals("channel[log].log.record", unreadable.field());
            assertEquals(List.of(0L, 1L), shown, "what lies before the damage is shown");
        }
        final CorruptRegionException corrupt = pollUntilCorrupt(subscriber);
        assertEquals("channel[log].log.record", corrupt.field());
        assertThrows(CorruptRegionException.class, () -> offer(publisher, 10, 24), "the channel is failed");
    }

    @Test
    void aSubscriberWhoseStateWasRewrittenFailsTheChannelInsteadOfHoldingThePublisherForever()
    {
        final Region region = region();
        final Publisher publisher = region.publisher("log");
        final Subscriber subscriber = region.subscriber("log");
        final int slot;
        try (RegionInspector inspector = RegionInspector.of(region))
        {
            slot = inspector.channels().get(0).endpoints().stream()
                .filter(endpoint -> endpoint.role().equals("subscriber")).findFirst().orElseThrow().slot();
        }
        final long state = RegionInspectorAccess.slotLong(RegionLocation.shm(shmName), "log", slot,
            EndpointDescriptor.LOG_STATE_OFFSET);
        RegionInspectorAccess.corruptSlot(RegionLocation.shm(shmName), "log", slot, EndpointDescriptor.LOG_STATE_OFFSET,
            (state & ~EndpointDescriptor.LOG_STATE_MASK) | EndpointDescriptor.LOG_STATE_JOINING);
        final CorruptRegionException corrupt = pollUntilCorrupt(subscriber);
        assertEquals("channel[log].slot[" + slot + "].logState", corrupt.field());
        assertThrows(CorruptRegionException.class, () -> offer(publisher, 1, 24), "the channel is failed");
    }

    /**
     * Poll until the housekeeping round (every 1,024 polls, at least 10 ms apart) reports the damage.
     */
    private static CorruptRegionException pollUntilCorrupt(final Subscriber subscriber)
    {
        final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() - deadline < 0)
        {
            try
            {
                subscriber.poll((buffer, offset, length) -> { }, 10);
            }
            catch (final CorruptRegionException ex)
            {
                return ex;
            }
        }
        throw new AssertionError("no CorruptRegionException within 10 s");
    }
}

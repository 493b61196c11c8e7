package io.shmipc;

import io.shmipc.exceptions.ChannelInUseException;
import io.shmipc.exceptions.InvalidConfigurationException;
import io.shmipc.exceptions.MessageTooLargeException;
import io.shmipc.exceptions.NoSuchChannelException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A channel's publisher and subscriber through the public API, inside one process: messages, claims and batches
 * arrive in order, the endpoints a kind admits are enforced, and the caller's mistakes (negative lengths, writes past
 * a claim, oversized messages, unknown names) are refused without harming the channel.
 */
class RegionChannelTest extends RegionTestBase
{
    /**
     * The two ends of channel "c" in a new region of {@code kind}.
     */
    private record Ends(Subscriber subscriber, Publisher publisher)
    {
    }

    /**
     * A new region of {@code kind}, its subscriber (first, so a broadcast one sees everything) and its publisher.
     */
    private Ends ends(final ChannelKind kind)
    {
        final Region region = track(Region.create(config(kind)));
        final Subscriber subscriber = region.subscriber("c");
        return new Ends(subscriber, region.publisher("c"));
    }

    @Test
    void oneToOneCarriesMessagesBetweenTwoHandles()
    {
        final Region creator = track(Region.create(config(ChannelKind.ONE_TO_ONE)));
        final Region attacher = track(Region.attach(RegionLocation.shm(shmName), Duration.ZERO));
        assertTrue(creator.wasCreated());
        assertFalse(attacher.wasCreated());
        final Publisher publisher = creator.publisher("c");
        final Subscriber subscriber = attacher.subscriber("c");
        final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
        for (int i = 0; i < 100; i++)
        {
            message.putInt(0, i);
            assertEquals(Publisher.OK, publisher.offer(message, 0, 4));
        }
        final List<Integer> received = new ArrayList<>();
        while (received.size() < 100)
        {
            subscriber.poll((buffer, offset, length) -> received.add(buffer.getInt(offset)), 10);
        }
        for (int i = 0; i < 100; i++)
        {
            assertEquals(i, received.get(i));
        }
        assertTrue(publisher.isConsumerAlive());
        assertEquals(1, subscriber.connectedPublishers());
    }

    @Test
    void claimCommitIsDeliveredAndAbortIsSkipped()
    {
        final Region region = track(Region.create(config(ChannelKind.MANY_TO_ONE)));
        final Publisher publisher = region.publisher("c");
        final Subscriber subscriber = region.subscriber("c");
        final Claim claim = new Claim();
        assertEquals(Publisher.OK, publisher.tryClaim(8, claim));
        claim.buffer().putLong(claim.offset(), 7L);
        claim.abort();
        assertEquals(Publisher.OK, publisher.tryClaim(8, claim));
        claim.buffer().putLong(claim.offset(), 42L);
        claim.commit();
        final List<Long> received = new ArrayList<>();
        subscriber.poll(collectLongs(received), 10);
        assertEquals(List.of(42L), received);
    }

    @Test
    void secondPublisherOnOneToOneIsRefused()
    {
        final Region region = track(Region.create(config(ChannelKind.ONE_TO_ONE)));
        final Region other = track(Region.attach(RegionLocation.shm(shmName), Duration.ZERO));
        final Publisher first = region.publisher("c");
        final ChannelInUseException sameHandle = assertThrows(ChannelInUseException.class, () -> region.publisher("c"));
        assertTrue(sameHandle.getMessage().contains("channel=c"), sameHandle.getMessage());
        assertThrows(ChannelInUseException.class, () -> other.publisher("c"));
        first.close();
        other.publisher("c").close();
        region.subscriber("c");
        assertThrows(ChannelInUseException.class, () -> other.subscriber("c"));
    }

    @Test
    void broadcastCountsLostMessages()
    {
        final RegionConfig config = RegionConfig.builder(RegionLocation.shm(shmName))
            .channel("b", ChannelKind.BROADCAST, 1024).build();
        final Region region = track(Region.create(config));
        final Publisher publisher = region.publisher("b");
        final Subscriber subscriber = region.subscriber("b");
        final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
        final int sent = 1000;
        for (int i = 0; i < sent; i++)
        {
            message.putInt(0, i);
            publisher.offer(message, 0, 64);
        }
        final List<Integer> received = new ArrayList<>();
        while (subscriber.poll((buffer, offset, length) -> received.add(buffer.getInt(offset)), 100) > 0)
        {
            assertTrue(received.size() <= sent);
        }
        assertEquals(sent - 1, received.get(received.size() - 1));
        assertEquals(sent, received.size() + subscriber.lostMessages());
        assertTrue(subscriber.lostMessages() > 0);
    }

    /**
     * A negative length, a range the source buffer does not hold or no buffer at all is the caller's mistake, never
     * the region's: it must not be reported as corruption, its error names the region, the channel and the values,
     * and it leaves the channel usable.
     */
    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void negativeLengthsAndShortOrMissingBuffersAreTheCallersMistake(final ChannelKind kind)
    {
        final Ends ends = ends(kind);
        final Subscriber subscriber = ends.subscriber();
        final Publisher publisher = ends.publisher();
        final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
        assertThrows(IllegalArgumentException.class, () -> publisher.tryClaim(-1, new Claim()));
        assertThrows(IndexOutOfBoundsException.class, () -> publisher.offer(message, 0, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> publisher.offer(message, -1, 4));
        final String where = "region=shm:" + shmName + " channel=c";
        assertEquals("the message buffer does not hold the bytes given: " + where + " offset=4 length=8 capacity=8",
            assertThrows(IndexOutOfBoundsException.class, () -> publisher.offer(message, 4, 8)).getMessage());
        assertEquals("the message buffer is null: " + where,
            assertThrows(NullPointerException.class, () -> publisher.offer(null, 0, 8)).getMessage());
        if (kind != ChannelKind.BROADCAST)
        {
            final BatchingPublisher batching = publisher.batching(256);
            assertEquals("the message buffer does not hold the bytes given: " + where +
                " offset=2147483647 length=8 capacity=8", assertThrows(IndexOutOfBoundsException.class,
                () -> batching.offer(message, Integer.MAX_VALUE, 8)).getMessage());
            assertThrows(NullPointerException.class, () -> batching.offer(null, 0, 8));
            assertEquals(Publisher.OK, batching.flush(), "nothing was added to the batch");
        }
        offerLongs(publisher, 42, 43);
        final List<Long> received = new ArrayList<>();
        subscriber.poll(collectLongs(received), 10);
        assertEquals(List.of(42L), received, "the channel goes on");
    }

    /**
     * A claim's buffer is exactly the claimed space: writing past either end is refused instead of overwriting the
     * next record's header or the ring's positions, and a reference kept after the commit cannot change a message
     * already published.
     */
    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void aClaimWritesOnlyTheClaimedSpace(final ChannelKind kind)
    {
        final Ends ends = ends(kind);
        final Subscriber subscriber = ends.subscriber();
        final Publisher publisher = ends.publisher();
        final Claim claim = new Claim();
        assertEquals(Publisher.OK, publisher.tryClaim(8, claim));
        final org.agrona.MutableDirectBuffer buffer = claim.buffer();
        assertEquals(8, buffer.capacity());
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putLong(claim.offset() + 8, -1L));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putInt(claim.offset() - 4, -1));
        buffer.putLong(claim.offset(), 42L);
        claim.commit();
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putLong(0, -1L));
        final List<Long> received = new ArrayList<>();
        subscriber.poll((b, offset, length) -> received.add(b.getLong(offset)), 10);
        assertEquals(List.of(42L), received);
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void aClaimStillHeldForAnotherPublisherIsRefusedAndBothChannelsGoOn(final ChannelKind kind)
    {
        final Region region = track(Region.create(RegionConfig.builder(RegionLocation.shm(shmName))
            .channel("p", kind, 64 * 1024).channel("q", kind, 64 * 1024).build()));
        final Subscriber pSubscriber = region.subscriber("p");
        final Subscriber qSubscriber = region.subscriber("q");
        final Publisher p = region.publisher("p");
        final Publisher q = region.publisher("q");
        final Claim claim = new Claim();
        assertEquals(Publisher.OK, p.tryClaim(8, claim));
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> q.tryClaim(8, claim));
        assertTrue(refused.getMessage().contains("channel=q"), refused.getMessage());
        claim.buffer().putLong(claim.offset(), 1L);
        claim.commit();
        assertEquals(Publisher.OK, q.tryClaim(8, claim), "free again once committed");
        claim.buffer().putLong(claim.offset(), 2L);
        claim.commit();
        final List<Long> received = new ArrayList<>();
        assertEquals(1, pSubscriber.poll((b, offset, length) -> received.add(b.getLong(offset)), 10));
        assertEquals(1, qSubscriber.poll((b, offset, length) -> received.add(b.getLong(offset)), 10));
        assertEquals(List.of(1L, 2L), received);
    }

    /**
     * Offering while a claim of the same publisher is held: the offer goes behind the claim, and the subscriber,
     * although it looks for records left by dead publishers all the while (every 64 empty polls), must not take the
     * held claim for one. Both messages arrive, in the order of their places in the ring.
     */
    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = {"ONE_TO_ONE", "MANY_TO_ONE"})
    void offeringWhileAClaimIsHeldLosesNothing(final ChannelKind kind)
    {
        final Ends ends = ends(kind);
        final Subscriber subscriber = ends.subscriber();
        final Publisher publisher = ends.publisher();
        final Claim claim = new Claim();
        assertEquals(Publisher.OK, publisher.tryClaim(8, claim));
        claim.buffer().putLong(claim.offset(), 1L);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
        message.putLong(0, 2L);
        assertEquals(Publisher.OK, publisher.offer(message, 0, 8));
        final List<Long> received = new ArrayList<>();
        for (int i = 0; i < 1000; i++)
        {
            assertEquals(0, subscriber.poll(collectLongs(received), 10));
        }
        claim.commit();
        while (received.size() < 2)
        {
            subscriber.poll(collectLongs(received), 10);
        }
        assertEquals(List.of(1L, 2L), received);
        assertEquals(0, subscriber.unblockedRecords());
    }

    /**
     * At the end of the buffer a message that does not fit leaves padding there and lands at the start: the poll
     * that meets the padding goes on to the message instead of returning 0 with a message waiting (a drain loop
     * that stops on 0 would stop there).
     */
    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = {"ONE_TO_ONE", "MANY_TO_ONE", "PUBLISH_SUBSCRIBE"})
    void aPollThatMeetsThePaddingAtTheEndDeliversTheMessageAfterIt(final ChannelKind kind)
    {
        final Ends ends = ends(kind);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[1000]);
        final List<Long> received = new ArrayList<>();
        for (long sequence = 0; sequence < 1000; sequence++)
        {
            message.putLong(0, sequence);
            assertEquals(Publisher.OK, ends.publisher().offer(message, 0, message.capacity()));
            assertEquals(1, ends.subscriber().poll(collectLongs(received), 10), "message " + sequence +
                " (the buffer wraps every 64 KiB)");
        }
        assertEquals(1000, received.size());
    }

    @Test
    void misuseIsReportedWithNames()
    {
        final Region region = track(Region.create(config(ChannelKind.ONE_TO_ONE)));
        final Publisher publisher = region.publisher("c");
        final MessageTooLargeException tooLarge = assertThrows(MessageTooLargeException.class,
            () -> publisher.offer(new UnsafeBuffer(new byte[64 * 1024]), 0, 64 * 1024));
        assertTrue(tooLarge.getMessage().contains("maxMessageLength=8192"), tooLarge.getMessage());
        assertThrows(NoSuchChannelException.class, () -> region.subscriber("nope"));
        assertThrows(InvalidConfigurationException.class, () -> RegionLocation.shm("../etc"));
        assertThrows(InvalidConfigurationException.class, () -> Region.create(
            RegionConfig.builder(RegionLocation.shm(shmName + "x")).channel("c", ChannelKind.ONE_TO_ONE, 1000)
                .build()));
    }
}

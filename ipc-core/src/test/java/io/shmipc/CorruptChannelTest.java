package io.shmipc;

import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.layout.EndpointDescriptor;
import io.shmipc.testing.ChannelAttacker;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Each corruption of a channel's positions or records that once lost messages or stalled silently: the next
 * operation that meets it throws {@link CorruptRegionException} naming the field, the channel is failed for good, and
 * every endpoint of it then throws too, publishers first of all, in this region handle, in another handle of this
 * process (which learns it from the channel's control block), and when a new endpoint opens. Nothing is reported
 * {@code OK} after the failure.
 */
@Timeout(30)
class CorruptChannelTest
{
    private static final String CHANNEL = "c";
    private static final int CAPACITY = 64 * 1024;

    private final RegionLocation location = RegionLocation.shm("shmipc-corrupt-" + UUID.randomUUID());
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
    private Region region;
    private Region other;

    @AfterEach
    void tearDown()
    {
        if (other != null)
        {
            other.close();
        }
        if (region != null)
        {
            region.close();
        }
        Region.delete(location);
    }

    private ChannelAttacker start(final ChannelKind kind)
    {
        region = Region.create(RegionConfig.builder(location).channel(CHANNEL, kind, CAPACITY).build());
        other = Region.attach(location, Duration.ofSeconds(5));
        return new ChannelAttacker(location.path(), CHANNEL);
    }

    private int drain(final Subscriber subscriber)
    {
        int received = 0;
        int read;
        while ((read = subscriber.poll((buffer, offset, length) -> { }, 100)) > 0)
        {
            received += read;
        }
        return received;
    }

    private static CorruptRegionException assertCorrupt(final String field, final Executable operation)
    {
        final CorruptRegionException ex = assertThrows(CorruptRegionException.class, operation);
        assertEquals("channel[" + CHANNEL + "]." + field, ex.field(), ex.getMessage());
        return ex;
    }

    /**
     * After the failure: every endpoint of the channel throws, in this handle and in another one, and new endpoints
     * are refused; the channel's control block carries the failure.
     */
    private void assertFailedEverywhere(final ChannelAttacker attacker, final Publisher publisher,
        final Subscriber subscriber, final int code)
    {
        assertEquals(code, attacker.control().getIntVolatile(ChannelDescriptor.CHANNEL_FAILURE_OFFSET));
        assertThrows(CorruptRegionException.class, () -> publisher.offer(message, 0, message.capacity()));
        assertThrows(CorruptRegionException.class, () -> publisher.tryClaim(8, new Claim()));
        assertThrows(CorruptRegionException.class, () -> subscriber.poll((buffer, offset, length) -> { }, 1));
        assertThrows(CorruptRegionException.class, () -> region.publisher(CHANNEL));
        assertThrows(CorruptRegionException.class, () -> other.publisher(CHANNEL));
        // The failure stays in this process even when the word is cleared.
        attacker.control().putIntVolatile(ChannelDescriptor.CHANNEL_FAILURE_OFFSET, 0);
        assertThrows(CorruptRegionException.class, () -> publisher.offer(message, 0, message.capacity()));
    }

    /**
     * The Endpoint Id in a live endpoint's slot, which only that endpoint writes, changed under it (peers would take
     * another endpoint for it: a service's clients address their requests to the id in the server's slot): its next
     * housekeeping round, within 10 ms and 1024 operations, fails the channel naming the slot.
     */
    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void aLiveEndpointsIdChangedInItsSlotFailsTheChannel(final ChannelKind kind)
    {
        final ChannelAttacker attacker = start(kind);
        final Subscriber subscriber = region.subscriber(CHANNEL);
        final Publisher publisher = other.publisher(CHANNEL);
        int slot = -1;
        for (int i = 0; i < attacker.endpointTable().capacity() / EndpointDescriptor.SLOT_LENGTH && slot < 0; i++)
        {
            if (attacker.endpointTable().getInt(i * EndpointDescriptor.SLOT_LENGTH + EndpointDescriptor.ROLE_OFFSET) ==
                EndpointDescriptor.ROLE_SUBSCRIBER)
            {
                slot = i;
            }
        }
        final int offset = slot * EndpointDescriptor.SLOT_LENGTH + EndpointDescriptor.ENDPOINT_ID_OFFSET;
        final long id = attacker.endpointTable().getLongVolatile(offset);
        attacker.endpointTable().putLongVolatile(offset, 0x1234567890L);
        final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        final CorruptRegionException found = assertThrows(CorruptRegionException.class, () ->
        {
            while (System.nanoTime() - deadline < 0)
            {
                subscriber.poll((buffer, at, length) -> { }, 1);
            }
        });
        assertEquals("channel[" + CHANNEL + "].slot[" + slot + "].endpointId", found.field());
        assertEquals(Long.toString(0x1234567890L), found.actual());
        assertTrue(found.expected().startsWith(id + " "), found.expected());
        assertFailedEverywhere(attacker, publisher, subscriber, ChannelDescriptor.FAILURE_SLOT);
    }

    @Test
    void oneToOnePaddingThatWouldMoveTheHeadPastTheTailFailsTheChannel()
    {
        final ChannelAttacker attacker = start(ChannelKind.ONE_TO_ONE);
        final Publisher publisher = region.publisher(CHANNEL);
        final Subscriber subscriber = region.subscriber(CHANNEL);
        for (int i = 0; i < 10; i++)
        {
            assertEquals(Publisher.OK, publisher.offer(message, 0, message.capacity()));
        }
        attacker.record(attacker.head(), 3 * CAPACITY, RingBuffer.PADDING_MSG_TYPE_ID);
        assertCorrupt("record", () -> subscriber.poll((buffer, offset, length) -> fail("nothing delivered"), 100));
        assertEquals(0, attacker.head(), "the head did not move");
        assertFailedEverywhere(attacker, publisher, subscriber, ChannelDescriptor.FAILURE_RECORD);
    }

    @Test
    void oneToOneRecordLengthBeyondTheBufferFailsTheChannelForThePublisherToo()
    {
        final ChannelAttacker attacker = start(ChannelKind.ONE_TO_ONE);
        final Publisher publisher = region.publisher(CHANNEL);
        final Subscriber subscriber = region.subscriber(CHANNEL);
        assertEquals(Publisher.OK, publisher.offer(message, 0, message.capacity()));
        attacker.record(attacker.head(), 0x7FFFFFF0, ChannelDescriptor.MESSAGE_TYPE_ID);
        assertCorrupt("record", () -> subscriber.poll((buffer, offset, length) -> fail("nothing delivered"), 100));
        assertFailedEverywhere(attacker, publisher, subscriber, ChannelDescriptor.FAILURE_RECORD);
    }

    @Test
    void oneToOneTailFourCapacitiesAheadFailsBothSides()
    {
        final ChannelAttacker attacker = start(ChannelKind.ONE_TO_ONE);
        final Publisher publisher = region.publisher(CHANNEL);
        final Subscriber subscriber = region.subscriber(CHANNEL);
        assertEquals(Publisher.OK, publisher.offer(message, 0, message.capacity()));
        assertEquals(1, drain(subscriber));
        attacker.tail(attacker.head() + 4L * CAPACITY);
        // The subscriber finds it when it looks at the tail: its stuck-ring check, within a few milliseconds.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        final CorruptRegionException ex = assertThrows(CorruptRegionException.class, () ->
        {
            while (System.nanoTime() - deadline < 0)
            {
                assertEquals(0, subscriber.poll((buffer, offset, length) -> fail("nothing delivered"), 100));
            }
        });
        assertEquals("channel[c].positions", ex.field(), ex.getMessage());
        assertFailedEverywhere(attacker, publisher, subscriber, ChannelDescriptor.FAILURE_POSITIONS);
    }

    @Test
    void oneToOnePublisherFindsItsTailMovedOnItsNextOffer()
    {
        final ChannelAttacker attacker = start(ChannelKind.ONE_TO_ONE);
        final Publisher publisher = region.publisher(CHANNEL);
        final Subscriber subscriber = region.subscriber(CHANNEL);
        assertEquals(Publisher.OK, publisher.offer(message, 0, message.capacity()));
        attacker.tail(attacker.head() + 4L * CAPACITY);
        assertCorrupt("positions", () -> publisher.offer(message, 0, message.capacity()));
        assertFailedEverywhere(attacker, publisher, subscriber, ChannelDescriptor.FAILURE_POSITIONS);
    }

    @Test
    void manyToOneUncommittedLengthOfMinValueIsNeverPadded()
    {
        final ChannelAttacker attacker = start(ChannelKind.MANY_TO_ONE);
        final Publisher publisher = region.publisher(CHANNEL);
        final Subscriber subscriber = region.subscriber(CHANNEL);
        assertEquals(Publisher.OK, publisher.offer(message, 0, message.capacity()));
        attacker.record(attacker.head(), Integer.MIN_VALUE, ChannelDescriptor.MESSAGE_TYPE_ID);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        assertCorrupt("record", () ->
        {
            while (System.nanoTime() - deadline < 0)
            {
                assertEquals(0, subscriber.poll((buffer, offset, length) -> fail("nothing delivered"), 100));
            }
        });
        assertEquals(0, subscriber.unblockedRecords(), "nothing was taken for a dead publisher's record");
        assertFailedEverywhere(attacker, publisher, subscriber, ChannelDescriptor.FAILURE_RECORD);
    }

    @Test
    void manyToOneHeadMovedBeyondTheTailFailsThePoll()
    {
        final ChannelAttacker attacker = start(ChannelKind.MANY_TO_ONE);
        final Publisher publisher = region.publisher(CHANNEL);
        final Subscriber subscriber = region.subscriber(CHANNEL);
        assertEquals(Publisher.OK, publisher.offer(message, 0, message.capacity()));
        attacker.head(attacker.tail() + 1024);
        assertCorrupt("positions", () -> subscriber.poll((buffer, offset, length) -> fail("nothing delivered"), 100));
        assertFailedEverywhere(attacker, publisher, subscriber, ChannelDescriptor.FAILURE_POSITIONS);
    }

    @Test
    void manyToOnePublisherRefusesAHeadCacheAndHeadBeyondTheTail()
    {
        final ChannelAttacker attacker = start(ChannelKind.MANY_TO_ONE);
        final Publisher publisher = region.publisher(CHANNEL);
        final Subscriber subscriber = region.subscriber(CHANNEL);
        assertEquals(Publisher.OK, publisher.offer(message, 0, message.capacity()));
        attacker.head(attacker.tail() + 1024);
        attacker.headCache(attacker.tail() + 1024);
        assertCorrupt("positions", () -> publisher.offer(message, 0, message.capacity()));
        assertFailedEverywhere(attacker, publisher, subscriber, ChannelDescriptor.FAILURE_POSITIONS);
    }

    @Test
    void manyToOneNegativeTailIsRefusedByTheNextOffer()
    {
        final ChannelAttacker attacker = start(ChannelKind.MANY_TO_ONE);
        final Publisher publisher = region.publisher(CHANNEL);
        final Subscriber subscriber = region.subscriber(CHANNEL);
        assertEquals(Publisher.OK, publisher.offer(message, 0, message.capacity()));
        assertEquals(1, drain(subscriber));
        attacker.tail(-64);
        assertCorrupt("positions", () -> publisher.offer(message, 0, message.capacity()));
        assertFailedEverywhere(attacker, publisher, subscriber, ChannelDescriptor.FAILURE_POSITIONS);
    }

    @Test
    void broadcastCountersNearTheLargestLongFailReceiverAndTransmitter()
    {
        final ChannelAttacker attacker = start(ChannelKind.BROADCAST);
        final Publisher transmitter = region.publisher(CHANNEL);
        final Subscriber receiver = region.subscriber(CHANNEL);
        assertEquals(Publisher.OK, transmitter.offer(message, 0, message.capacity()));
        assertEquals(1, drain(receiver));
        final long near = Long.MAX_VALUE - 7;
        attacker.broadcastCounters(near, near, near);
        assertCorrupt("positions", () -> receiver.poll((buffer, offset, length) -> fail("nothing delivered"), 10));
        assertFailedEverywhere(attacker, transmitter, receiver, ChannelDescriptor.FAILURE_POSITIONS);
    }

    /**
     * A receiver that misses 2^29 messages or more (a pause of some seconds under a fast transmitter) is told
     * exactly how many and goes on, although the 30 bits a record carries cannot size such a gap. A transmitter that
     * continues from a Broadcast Next Sequence that far ahead makes the same gap without sending all of it.
     */
    @Test
    void aBroadcastReceiverLappedByMoreThanTwoToThe29MessagesCountsThemAndGoesOn()
    {
        final ChannelAttacker attacker = start(ChannelKind.BROADCAST);
        final Subscriber receiver = region.subscriber(CHANNEL);
        final List<Long> received = new ArrayList<>();
        for (final long missed : new long[] {(1L << 29) + 5, (1L << 30) + 3, 3 * (1L << 30) + (1L << 29)})
        {
            final long before = receiver.lostMessages();
            try (Publisher transmitter = region.publisher(CHANNEL))
            {
                assertEquals(Publisher.OK, offer(transmitter, 1));
            }
            assertEquals(1, receiver.poll(collect(received), 10));
            final long next = attacker.control().getLongVolatile(ChannelDescriptor.BROADCAST_SEQUENCE_OFFSET);
            attacker.control().putLongVolatile(ChannelDescriptor.BROADCAST_SEQUENCE_OFFSET, next + missed);
            try (Publisher transmitter = region.publisher(CHANNEL))
            {
                assertEquals(Publisher.OK, offer(transmitter, 2));
                assertEquals(Publisher.OK, offer(transmitter, 3));
            }
            assertEquals(2, receiver.poll(collect(received), 10), "missed=" + missed);
            assertEquals(missed, receiver.lostMessages() - before, "missed=" + missed);
        }
        assertEquals(List.of(1L, 2L, 3L, 1L, 2L, 3L, 1L, 2L, 3L), received);
    }

    @Test
    void aBroadcastNextSequenceBelowTheReceiversFailsTheChannel()
    {
        final ChannelAttacker attacker = start(ChannelKind.BROADCAST);
        final Subscriber receiver = region.subscriber(CHANNEL);
        final Publisher transmitter = region.publisher(CHANNEL);
        assertEquals(Publisher.OK, offer(transmitter, 1));
        assertEquals(Publisher.OK, offer(transmitter, 2));
        assertEquals(2, drain(receiver));
        transmitter.close();
        attacker.control().putLongVolatile(ChannelDescriptor.BROADCAST_SEQUENCE_OFFSET, 10);
        final Publisher next = region.publisher(CHANNEL);
        assertEquals(Publisher.OK, offer(next, 3)); // sequence 10: a gap of 8
        attacker.control().putLongVolatile(ChannelDescriptor.BROADCAST_SEQUENCE_OFFSET, 1);
        final CorruptRegionException ex = assertCorrupt("broadcastNextSequence",
            () -> receiver.poll((buffer, offset, length) -> fail("nothing delivered"), 10));
        assertTrue(ex.getMessage().contains("broadcastNextSequence=1"), ex.getMessage());
    }

    private long offer(final Publisher publisher, final long value)
    {
        message.putLong(0, value);
        return publisher.offer(message, 0, message.capacity());
    }

    private static MessageHandler collect(final List<Long> received)
    {
        return (buffer, offset, length) -> received.add(buffer.getLong(offset));
    }

    @Test
    void broadcastTransmitterFindsItsTailMoved()
    {
        final ChannelAttacker attacker = start(ChannelKind.BROADCAST);
        final Publisher transmitter = region.publisher(CHANNEL);
        final Subscriber receiver = region.subscriber(CHANNEL);
        assertEquals(Publisher.OK, transmitter.offer(message, 0, message.capacity()));
        attacker.broadcastCounters(1L << 40, 1L << 40, 1L << 40);
        assertCorrupt("positions", () -> transmitter.offer(message, 0, message.capacity()));
        assertFailedEverywhere(attacker, transmitter, receiver, ChannelDescriptor.FAILURE_POSITIONS);
    }

    @Test
    void positionsAreCheckedAtAttach()
    {
        final ChannelAttacker attacker = start(ChannelKind.ONE_TO_ONE);
        attacker.tail(CAPACITY * 3L);
        final CorruptRegionException ex = assertThrows(CorruptRegionException.class,
            () -> Region.attach(location, Duration.ofSeconds(1)).close());
        assertEquals("channel[" + CHANNEL + "].positions", ex.field(), ex.getMessage());
        attacker.control().putIntVolatile(ChannelDescriptor.CHANNEL_FAILURE_OFFSET,
            ChannelDescriptor.FAILURE_POSITIONS);
        Region.attach(location, Duration.ofSeconds(1)).close(); // a channel marked failed: the region still attaches
    }

    @Test
    void positionsAreCheckedWhenAnEndpointOpens()
    {
        final ChannelAttacker attacker = start(ChannelKind.MANY_TO_ONE);
        attacker.tail(CAPACITY * 3L);
        assertCorrupt("positions", () -> region.subscriber(CHANNEL));
        assertThrows(CorruptRegionException.class, () -> other.publisher(CHANNEL));
    }
}

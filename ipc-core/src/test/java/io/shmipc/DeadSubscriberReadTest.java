package io.shmipc;

import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.testing.ChannelAttacker;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A {@code MANY_TO_ONE} subscriber zeroes what it read before it moves the head. One killed in between leaves the
 * head below a span whose first bytes are zero and whose last records are still whole; the state here is that one,
 * written into the region as such a death leaves it. The next subscriber must go on after the dead one's read,
 * neither stalling at the zeros nor taking a record's payload for a header, and a peek must count what waits after
 * it. Without the ring's Next Head, the subscriber pads up to the first non-zero word, which lies inside a payload.
 */
@Timeout(30)
class DeadSubscriberReadTest
{
    private static final String CHANNEL = "c";
    private static final int CAPACITY = 64 * 1024;
    /** 60 bytes of payload and the 8-byte header: records of 72 bytes once aligned. */
    private static final int MESSAGE_LENGTH = 60;
    private static final int RECORD = 72;
    private static final int PUBLISHED = 10;
    private static final int DEAD_READ = 4;

    private final RegionLocation location = RegionLocation.shm("shmipc-dead-read-" + UUID.randomUUID());
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
    private Region region;
    private Publisher publisher;
    private ChannelAttacker attacker;

    @BeforeEach
    void publish()
    {
        region = Region.create(RegionConfig.builder(location).channel(CHANNEL, ChannelKind.MANY_TO_ONE, CAPACITY)
            .build());
        publisher = region.publisher(CHANNEL);
        attacker = new ChannelAttacker(location.path(), CHANNEL);
        publishFrom(0);
    }

    @AfterEach
    void tearDown()
    {
        attacker.close();
        region.close();
        Region.delete(location);
    }

    private void publishFrom(final int first)
    {
        for (int i = first; i < first + PUBLISHED; i++)
        {
            message.setMemory(0, MESSAGE_LENGTH, (byte)0x5A); // no zero word in a payload
            message.putInt(0, i + 1);
            assertEquals(Publisher.OK, publisher.offer(message, 0, MESSAGE_LENGTH));
        }
    }

    private List<Integer> drain(final Subscriber subscriber)
    {
        final List<Integer> received = new ArrayList<>();
        int read;
        while ((read = subscriber.poll((buffer, offset, length) -> received.add(buffer.getInt(offset) - 1), 3)) > 0)
        {
            assertTrue(read <= 3);
        }
        return received;
    }

    private static List<Integer> range(final int from, final int to)
    {
        final List<Integer> values = new ArrayList<>();
        for (int i = from; i < to; i++)
        {
            values.add(i);
        }
        return values;
    }

    /**
     * What a subscriber that read the first {@code DEAD_READ} records and was killed while zeroing them leaves: its
     * Next Head after them, the head still at 0, and the first {@code zeroed} bytes zero.
     */
    private void dieWhileZeroing(final int zeroed)
    {
        attacker.buffer().putLongVolatile(CAPACITY + ChannelDescriptor.RING_NEXT_HEAD_OFFSET, DEAD_READ * RECORD);
        attacker.buffer().setMemory(0, zeroed, (byte)0);
        assertEquals(0, attacker.head());
    }

    @Test
    void theNextSubscriberGoesOnAfterTheReadOfOneKilledWhileZeroingIt()
    {
        dieWhileZeroing(RECORD + RECORD / 2); // the second record's header gone, the rest of its payload not
        try (RegionInspector inspector = RegionInspector.of(region))
        {
            assertEquals(PUBLISHED - DEAD_READ, inspector.peek(CHANNEL, 0, null).messages(),
                "a peek counts from the dead read's end");
        }
        try (Subscriber subscriber = region.subscriber(CHANNEL))
        {
            assertEquals(DEAD_READ * RECORD, attacker.head(), "the head moved past the dead read as it attached");
            for (int i = 0; i < DEAD_READ * RECORD; i += Long.BYTES)
            {
                assertEquals(0, attacker.buffer().getLong(i), "the dead read's span is zero for publishers, at " + i);
            }
            assertEquals(range(DEAD_READ, PUBLISHED), drain(subscriber));
            assertEquals(0, subscriber.unblockedRecords(), "nothing was taken for a dead publisher's record");
            publishFrom(PUBLISHED);
            assertEquals(range(PUBLISHED, 2 * PUBLISHED), drain(subscriber));
        }
    }

    @Test
    void aReadThatFinishedLeavesTheNextHeadAtTheHead()
    {
        try (Subscriber subscriber = region.subscriber(CHANNEL))
        {
            assertEquals(range(0, PUBLISHED), drain(subscriber));
            final long nextHead = attacker.buffer().getLongVolatile(CAPACITY + ChannelDescriptor.RING_NEXT_HEAD_OFFSET);
            assertEquals(attacker.head(), nextHead, "stored before the zeroing, equal to the head released after it");
        }
        try (Subscriber next = region.subscriber(CHANNEL))
        {
            publishFrom(PUBLISHED);
            assertEquals(range(PUBLISHED, 2 * PUBLISHED), drain(next), "nothing to finish: everything after it");
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {PUBLISHED * RECORD + RECORD, -RECORD, 12})
    void aNextHeadBeyondWhatOneReadCanTakeFailsTheChannel(final long nextHead)
    {
        attacker.buffer().putLongVolatile(CAPACITY + ChannelDescriptor.RING_NEXT_HEAD_OFFSET, nextHead);
        final CorruptRegionException ex = assertThrows(CorruptRegionException.class, () -> region.subscriber(CHANNEL));
        assertEquals("channel[" + CHANNEL + "].nextHead", ex.field(), ex.getMessage());
        assertTrue(ex.getMessage().contains("nextHead=" + nextHead), ex.getMessage());
        assertThrows(CorruptRegionException.class, () -> publisher.offer(message, 0, MESSAGE_LENGTH),
            "the channel is failed for every endpoint");
    }
}

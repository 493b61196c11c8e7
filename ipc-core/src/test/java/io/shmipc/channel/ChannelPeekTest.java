package io.shmipc.channel;

import io.shmipc.BatchingPublisher;
import io.shmipc.ChannelBacklog;
import io.shmipc.ChannelKind;
import io.shmipc.ChannelSpec;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.layout.ChannelDescriptor;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.broadcast.BroadcastTransmitter;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ChannelPeek} on rings and broadcast buffers laid out by Agrona itself on plain memory: what it counts, what
 * it shows, that it changes nothing, and how it treats records in progress, padding, batches, a subscriber that
 * consumes meanwhile, and impossible values.
 */
class ChannelPeekTest
{
    private static final int CAPACITY = 1024;
    private static final int MAX_MESSAGE_LENGTH = CAPACITY / 8;

    private final UnsafeBuffer memory = new UnsafeBuffer(new byte[CAPACITY + RingBufferDescriptor.TRAILER_LENGTH]);
    private final List<String> shown = new ArrayList<>();

    private ChannelBacklog peek(final ChannelKind kind, final int limit)
    {
        return new ChannelPeek("test", spec(kind), memory, limit,
            (buffer, offset, length) -> shown.add(text(buffer, offset, length))).run();
    }

    private static ChannelSpec spec(final ChannelKind kind)
    {
        return new ChannelSpec("c", kind, CAPACITY, MAX_MESSAGE_LENGTH);
    }

    private static String text(final DirectBuffer buffer, final int offset, final int length)
    {
        return buffer.getStringWithoutLengthAscii(offset, length);
    }

    private static void write(final RingBuffer ring, final String message)
    {
        final UnsafeBuffer bytes = new UnsafeBuffer(message.getBytes(StandardCharsets.US_ASCII));
        assertTrue(ring.write(ChannelDescriptor.MESSAGE_TYPE_ID, bytes, 0, bytes.capacity()), message);
    }

    @Test
    void countsEveryWaitingMessageShowsTheFirstAndConsumesNothing()
    {
        final OneToOneRingBuffer ring = new OneToOneRingBuffer(memory);
        for (int i = 0; i < 6; i++)
        {
            write(ring, "message " + i);
        }
        assertEquals(2, ring.read((type, buffer, offset, length) -> { }, 2));
        final long head = ring.consumerPosition();

        final ChannelBacklog backlog = peek(ChannelKind.ONE_TO_ONE, 3);

        assertEquals(new ChannelBacklog(spec(ChannelKind.ONE_TO_ONE), 4, 4 * "message 0".length(), 3, false, false),
            backlog);
        assertEquals(List.of("message 2", "message 3", "message 4"), shown);
        assertEquals(head, ring.consumerPosition(), "the head did not move");
        final List<String> consumed = new ArrayList<>();
        ring.read((type, buffer, offset, length) -> consumed.add(text(buffer, offset, length)), 10);
        assertEquals(List.of("message 2", "message 3", "message 4", "message 5"), consumed);
    }

    @Test
    void skipsThePaddingAtTheWrapAndCountsAcrossIt()
    {
        final OneToOneRingBuffer ring = new OneToOneRingBuffer(memory);
        final String fill = "x".repeat(100);
        for (int i = 0; i < 8; i++)
        {
            write(ring, fill); // 8 records of 112 bytes: 896 of 1024
        }
        assertEquals(8, ring.read((type, buffer, offset, length) -> { }, 8));
        write(ring, "wraps"); // 128 bytes left before the end: fits
        write(ring, fill);    // does not fit in the 112 left: padding, then at index 0

        final ChannelBacklog backlog = peek(ChannelKind.ONE_TO_ONE, 10);

        assertEquals(2, backlog.messages());
        assertEquals(List.of("wraps", fill), shown);
    }

    @Test
    void countsEachMessageOfABatchAndStopsAtARecordBeingWritten()
    {
        final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(memory);
        write(ring, "single");
        final UnsafeBuffer batch = new UnsafeBuffer(new byte[64]);
        int length = 0;
        for (final String entry : new String[]{"a", "bb", ""})
        {
            batch.putInt(length, entry.length(), ByteOrder.LITTLE_ENDIAN);
            batch.putStringWithoutLengthAscii(length + BatchingPublisher.ENTRY_HEADER_LENGTH, entry);
            length += BatchingPublisher.ENTRY_HEADER_LENGTH + entry.length();
        }
        assertTrue(ring.write(BatchingPublisher.BATCH_TYPE_ID, batch, 0, length));
        final int claimed = ring.tryClaim(ChannelDescriptor.MESSAGE_TYPE_ID, 16);
        assertTrue(claimed > 0);
        write(ring, "after the claim");

        final ChannelBacklog backlog = peek(ChannelKind.MANY_TO_ONE, 10);

        assertEquals(List.of("single", "a", "bb", ""), shown);
        assertEquals(4, backlog.messages());
        assertEquals("single".length() + 3, backlog.bytes());
        assertTrue(backlog.writeInProgress());
        ring.commit(claimed);
        shown.clear();
        assertEquals(6, peek(ChannelKind.MANY_TO_ONE, 0).messages());
        assertTrue(shown.isEmpty(), "limit 0 only counts");
    }

    @Test
    void aSubscriberConsumingMeanwhileIsNoticedAndTheCountIsOfWhatRemains()
    {
        final OneToOneRingBuffer ring = new OneToOneRingBuffer(memory);
        for (int i = 0; i < 5; i++)
        {
            write(ring, "message " + i);
        }
        final ChannelBacklog backlog = new ChannelPeek("test", spec(ChannelKind.ONE_TO_ONE), memory, 10,
            (buffer, offset, length) ->
            {
                shown.add(text(buffer, offset, length));
                if (shown.size() == 1)
                {
                    ring.read((type, b, o, l) -> { }, 3); // the subscriber takes three while the first is shown
                }
            }).run();

        assertTrue(backlog.consumerMoved());
        assertEquals(2, backlog.messages(), "messages 3 and 4 still wait");
        assertEquals("message 0", shown.get(0));
        assertEquals(List.of("message 3", "message 4"), shown.subList(shown.size() - 2, shown.size()));
    }

    @Test
    void aHeadMovedToAPlaceNoRecordStartsIsCorruption()
    {
        final OneToOneRingBuffer ring = new OneToOneRingBuffer(memory);
        for (int i = 0; i < 5; i++)
        {
            write(ring, "message " + i);
        }
        final CorruptRegionException moved = assertThrows(CorruptRegionException.class, () -> new ChannelPeek("test",
            spec(ChannelKind.ONE_TO_ONE), memory, 10, (buffer, offset, length) ->
                memory.putLong(CAPACITY + RingBufferDescriptor.HEAD_POSITION_OFFSET, 37)).run());
        assertTrue(moved.getMessage().contains("field=channel c ring.head"), moved.getMessage());
        assertTrue(moved.getMessage().contains("actual=37"), moved.getMessage());
    }

    @Test
    void impossiblePositionsAndLengthsAreCorruptionNamingTheField()
    {
        final OneToOneRingBuffer ring = new OneToOneRingBuffer(memory);
        write(ring, "message");
        memory.putInt(RecordDescriptor.lengthOffset(0), CAPACITY * 2);
        final CorruptRegionException length = assertThrows(CorruptRegionException.class,
            () -> peek(ChannelKind.ONE_TO_ONE, 1));
        assertTrue(length.getMessage().contains("field=channel c record.length at position 0"), length.getMessage());
        assertTrue(length.getMessage().contains("actual=2048"), length.getMessage());

        memory.putLong(CAPACITY + RingBufferDescriptor.HEAD_POSITION_OFFSET, 4096);
        final CorruptRegionException head = assertThrows(CorruptRegionException.class,
            () -> peek(ChannelKind.ONE_TO_ONE, 1));
        assertTrue(head.getMessage().contains("field=channel c positions"), head.getMessage());
        assertTrue(head.getMessage().contains("actual=head=4096 tail="), head.getMessage());
        assertTrue(shown.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -4, -(CAPACITY + 8), -40})
    void aNegativeLengthNoPublisherCouldHaveWrittenIsCorruptionNotARecordBeingWritten(final int header)
    {
        final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(memory);
        write(ring, "message");
        final int claimed = ring.tryClaim(ChannelDescriptor.MESSAGE_TYPE_ID, 16); // a record of 24 bytes at 16
        assertTrue(claimed > 0);
        assertEquals(16, RecordDescriptor.lengthOffset(claimed - RecordDescriptor.HEADER_LENGTH));
        assertTrue(peek(ChannelKind.MANY_TO_ONE, 10).writeInProgress(), "the claim, as a publisher made it");

        memory.putInt(16, header);
        final CorruptRegionException corrupt = assertThrows(CorruptRegionException.class,
            () -> peek(ChannelKind.MANY_TO_ONE, 10));
        assertTrue(corrupt.getMessage().contains("field=channel c record.length at position 16"),
            corrupt.getMessage());
        assertTrue(corrupt.getMessage().contains("a record being written: 0, or from -24 to -8"),
            corrupt.getMessage());
        assertTrue(corrupt.getMessage().contains("actual=" + header), corrupt.getMessage());
    }

    @Test
    void aBroadcastChannelShowsItsNewestMessageAndKeepsNoBacklog()
    {
        final UnsafeBuffer broadcast = new UnsafeBuffer(new byte[CAPACITY + BroadcastBufferDescriptor.TRAILER_LENGTH]);
        final ChannelPeek empty = new ChannelPeek("test", spec(ChannelKind.BROADCAST), broadcast, 1,
            (buffer, offset, length) -> shown.add(text(buffer, offset, length)));
        assertEquals(0, empty.run().delivered());
        final BroadcastTransmitter transmitter = new BroadcastTransmitter(broadcast);
        for (int i = 0; i < 40; i++)
        {
            final UnsafeBuffer message = new UnsafeBuffer(("quote " + i).getBytes(StandardCharsets.US_ASCII));
            transmitter.transmit(1 + i, message, 0, message.capacity());
        }
        final ChannelBacklog backlog = new ChannelPeek("test", spec(ChannelKind.BROADCAST), broadcast, 5,
            (buffer, offset, length) -> shown.add(text(buffer, offset, length))).run();
        assertEquals(List.of("quote 39"), shown);
        assertEquals(-1, backlog.messages());
        assertFalse(backlog.consumerMoved());

        // Not "nothing transmitted yet": impossible counters, and a newest record that was never valid, are damage.
        final int latestIndex = CAPACITY + BroadcastBufferDescriptor.LATEST_COUNTER_OFFSET;
        final long latest = broadcast.getLong(latestIndex);
        broadcast.putLong(latestIndex, 1L << 62);
        final CorruptRegionException counters = assertThrows(CorruptRegionException.class, () -> new ChannelPeek(
            "test", spec(ChannelKind.BROADCAST), broadcast, 1, (buffer, offset, length) -> { }).run());
        assertTrue(counters.getMessage().contains("field=channel c positions"), counters.getMessage());
        broadcast.putLong(latestIndex, latest);
        broadcast.putInt((int)(latest & (CAPACITY - 1)), 5000);
        final CorruptRegionException record = assertThrows(CorruptRegionException.class, () -> new ChannelPeek(
            "test", spec(ChannelKind.BROADCAST), broadcast, 1, (buffer, offset, length) -> { }).run());
        assertTrue(record.getMessage().contains("field=channel c broadcast.record at position " + latest),
            record.getMessage());
        assertTrue(record.getMessage().contains("actual=5000"), record.getMessage());
    }
}
